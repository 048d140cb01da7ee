#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "core/clock.hpp"
#include "core/random.hpp"
#include "identity/service.hpp"
#include "modules/notifications/channels.hpp"
#include "modules/notifications/duty_source.hpp"
#include "modules/notifications/store.hpp"
#include "storage/database.hpp"

namespace certus::notifications {

struct RunnerSettings {
  /// Names this process in jobs.claimed_by; unique per process (random by default).
  std::string instance_id;
  /// How long a claim holds before another instance may take the job over (a crashed
  /// process's jobs are run again after it).
  std::chrono::seconds lease{300};
  int batch = 20;
  /// Where the web UI is reached, for the links in emails ("https://isms.example.com").
  std::string base_url = "http://localhost:8080";
  /// The hour (UTC) of the daily digest.
  int digest_hour = 6;
  /// How often each organization's duties are swept for reminders: a job per period.
  std::chrono::seconds sweep_every{std::chrono::hours(1)};
};

/// What one RunOnce did.
struct RunReport {
  int jobs = 0;
  int reminders = 0;
  int webhooks_delivered = 0;
  int webhooks_failed = 0;  ///< attempts that failed (to be retried, or given up)
  int emails_sent = 0;
  int emails_failed = 0;
};

/// The job runner (issue 7 item 3; docs/adr/0011-jobs-and-notifications.md). Each RunOnce
/// schedules the hourly reminder sweep and the daily digest of every organization (jobs
/// with unique keys, so every instance may schedule them), claims due jobs (PostgreSQL:
/// FOR UPDATE SKIP LOCKED; SQLite: the single writer), runs them, and then sends the due
/// rows of the webhook and email outboxes. Any number of runners, in one process or many,
/// may share a database: a reminder is recorded in reminders_sent (unique per duty and
/// stage) in the transaction that creates its notifications and outbox rows, so it is
/// sent exactly once. Thread-safe; borrows everything it is given.
class JobRunner final {
 public:
  /// `mailer` and `poster` may be null: no emails (or webhook deliveries) are sent then,
  /// and reminders create no email rows.
  JobRunner(storage::Database& db, const Clock& clock, Random& random,
            identity::IdentityService& identity, DutySource& duties, Mailer* mailer,
            WebhookPoster* poster, RunnerSettings settings);

  Expected<RunReport> RunOnce(Timestamp now);

 private:
  Expected<void> Schedule(Timestamp now);
  Expected<int> RunJob(const Job& job, Timestamp now);
  Expected<int> Sweep(const Job& job, Timestamp now);
  Expected<int> Digest(const Job& job, Timestamp now);
  Expected<void> DeliverWebhooks(Timestamp now, RunReport& report);
  Expected<void> SendEmails(Timestamp now, RunReport& report);

  storage::Database& db_;
  const Clock& clock_;
  Random& random_;
  identity::IdentityService& identity_;
  DutySource& duties_;
  Mailer* mailer_;
  WebhookPoster* poster_;
  RunnerSettings settings_;
  NotificationStore store_;
};

/// Runs `runner.RunOnce(clock.Now())` on a thread of its own every `every` until destroyed
/// (the destructor wakes and joins the thread; a run under way finishes first). A failed
/// run is logged, and the next one runs on schedule.
class BackgroundRunner final {
 public:
  BackgroundRunner(JobRunner& runner, const Clock& clock, std::chrono::milliseconds every);
  ~BackgroundRunner();
  BackgroundRunner(const BackgroundRunner&) = delete;
  BackgroundRunner& operator=(const BackgroundRunner&) = delete;

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

/// The retry delay after the `attempts`-th failed attempt (1 min, 5 min, 30 min, 2 h), or
/// nullopt when the delivery is given up.
std::optional<std::chrono::minutes> RetryDelay(std::int64_t attempts);

}  // namespace certus::notifications
