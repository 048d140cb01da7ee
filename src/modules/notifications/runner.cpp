#include "modules/notifications/runner.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <boost/json.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/encoding.hpp"
#include "core/uuid.hpp"
#include "modules/tasks/json.hpp"

namespace certus::notifications {

namespace {

using std::chrono::sys_days;

constexpr std::int64_t kDefaultLeadDays = 7;

/// The identity service lists members for a member; the runner reads as the system.
Actor RunnerActor() { return {UserId(), "certus jobs", Role::kAdmin, false, {}}; }

std::string Plural(std::int64_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

std::string TitleOf(Stage stage, const tasks::Task& task, Date today) {
  const auto days = (sys_days(task.due) - sys_days(today)).count();
  switch (stage) {
    case Stage::kBefore:
      return fmt::format("Due in {}: {}", Plural(days, "day", "days"), task.title);
    case Stage::kDue: return "Due today: " + task.title;
    case Stage::kOverdue:
      return fmt::format("Overdue since {}: {}", FormatDate(task.due), task.title);
  }
  return task.title;
}

struct Recipient {
  identity::Member member;
  Preferences preferences;
};

}  // namespace

std::optional<std::chrono::minutes> RetryDelay(std::int64_t attempts) {
  using std::chrono::minutes;
  static const std::vector<minutes> kDelays = {minutes(1), minutes(5), minutes(30), minutes(120)};
  if (attempts < 1 || attempts > static_cast<std::int64_t>(kDelays.size())) return std::nullopt;
  return kDelays[static_cast<std::size_t>(attempts - 1)];
}

JobRunner::JobRunner(storage::Database& db, const Clock& clock, Random& random,
                     identity::IdentityService& identity, DutySource& duties, Mailer* mailer,
                     WebhookPoster* poster, RunnerSettings settings)
    : db_(db),
      clock_(clock),
      random_(random),
      identity_(identity),
      duties_(duties),
      mailer_(mailer),
      poster_(poster),
      settings_(std::move(settings)) {
  if (settings_.instance_id.empty()) settings_.instance_id = HexEncode(random_.Bytes(8));
}

Expected<RunReport> JobRunner::RunOnce(Timestamp now) {
  RunReport report;
  CERTUS_CHECK(Schedule(now));
  const std::string now_text = FormatTimestamp(now);
  auto jobs = CERTUS_TRY(storage::InWriteTransaction(db_, [&](storage::Transaction& tx) {
    return store_.ClaimJobs(tx, now_text, settings_.instance_id,
                            FormatTimestamp(now + settings_.lease), settings_.batch);
  }));
  for (const auto& job : jobs) {
    auto ran = RunJob(job, now);
    if (ran) {
      ++report.jobs;
      report.reminders += *ran;
      continue;
    }
    spdlog::error("job {} ({}) failed: {} {}", job.id, job.kind, ran.error().message(),
                  ran.error().log_detail());
    auto failed = storage::InWriteTransaction(db_, [&](storage::Transaction& tx) {
      return store_.FailJob(tx, job.id, settings_.instance_id, ran.error().message(),
                            FormatTimestamp(now + std::chrono::minutes(5)));
    });
    if (!failed) spdlog::error("job {}: recording the failure failed", job.id);
  }
  CERTUS_CHECK(DeliverWebhooks(now, report));
  CERTUS_CHECK(SendEmails(now, report));
  if (report.reminders || report.webhooks_delivered || report.emails_sent ||
      report.webhooks_failed || report.emails_failed) {
    spdlog::info(
        "jobs: {} run, {} reminders, webhooks {} delivered {} failed, emails {} sent {} failed",
        report.jobs, report.reminders, report.webhooks_delivered, report.webhooks_failed,
        report.emails_sent, report.emails_failed);
  }
  return report;
}

Expected<void> JobRunner::Schedule(Timestamp now) {
  auto orgs = CERTUS_TRY(identity_.ListAllOrgs());
  const auto period = std::max<std::int64_t>(settings_.sweep_every.count(), 1);
  const auto since_epoch =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  const std::int64_t bucket = since_epoch / period;
  const Timestamp period_start{std::chrono::seconds(bucket * period)};
  const Date today = DateOf(now);
  const std::string period_text = FormatTimestamp(period_start);
  const std::string digest_at =
      FormatTimestamp(sys_days(today) + std::chrono::hours(settings_.digest_hour));
  const std::string now_text = FormatTimestamp(now);
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<void> {
    for (const auto& org : orgs) {
      const std::string payload =
          boost::json::serialize(boost::json::object{{"org_name", org.name}});
      // One sweep per organization and period (an hour), one digest per day: every
      // instance schedules them, the unique key keeps one.
      CERTUS_TRY(
          store_.ScheduleJob(tx, NewUuid(clock_, random_),
                             "reminder_sweep:" + org.id.str() + ":" + period_text.substr(0, 19),
                             "reminder_sweep", org.id, payload, period_text, now_text));
      CERTUS_TRY(store_.ScheduleJob(tx, NewUuid(clock_, random_),
                                    "digest:" + org.id.str() + ":" + FormatDate(today), "digest",
                                    org.id, payload, digest_at, now_text));
    }
    // Done jobs are kept for a month, for operators; reminders_sent is the lasting record.
    CERTUS_TRY(tx.Execute("DELETE FROM jobs WHERE done_at IS NOT NULL AND done_at < $1",
                          {FormatTimestamp(now - std::chrono::days(30))}));
    return {};
  });
}

Expected<int> JobRunner::RunJob(const Job& job, Timestamp now) {
  if (job.kind == "reminder_sweep") return Sweep(job, now);
  if (job.kind == "digest") return Digest(job, now);
  return Fail(Error::Internal("unknown job kind " + job.kind));
}

Expected<int> JobRunner::Sweep(const Job& job, Timestamp now) {
  const OrgId& org = job.org_id;
  const Date today = DateOf(now);
  const std::string now_text = FormatTimestamp(now);
  std::string org_name;
  {
    boost::system::error_code ec;
    auto payload = boost::json::parse(job.payload, ec);
    if (!ec && payload.is_object() && payload.as_object().contains("org_name")) {
      org_name = std::string(payload.at("org_name").as_string());
    }
  }

  // Everything read before the write transaction: the duty source and identity open
  // transactions of their own.
  auto members = CERTUS_TRY(identity_.ListMembers(RunnerActor(), org));
  std::map<UserId, Recipient> people;
  std::int64_t lead_max = kDefaultLeadDays;
  CERTUS_CHECK(storage::InReadTransaction(db_, [&](storage::Transaction& tx) -> Expected<void> {
    for (const auto& member : members) {
      auto stored = CERTUS_TRY(store_.FindPreferences(tx, member.user_id));
      Recipient recipient{member, stored.value_or(Preferences{})};
      lead_max = std::max(lead_max, recipient.preferences.days_before_due);
      people.emplace(member.user_id, std::move(recipient));
    }
    return {};
  }));
  auto duties = CERTUS_TRY(duties_.DueBy(org, Date(sys_days(today) + std::chrono::days(lead_max))));

  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<int> {
    int sent = 0;
    for (const auto& task : duties) {
      if (task.key.empty()) continue;
      const auto days = (sys_days(task.due) - sys_days(today)).count();
      const Recipient* owner = nullptr;
      if (task.owner) {
        if (auto it = people.find(*task.owner); it != people.end()) owner = &it->second;
      }
      Stage stage = Stage::kBefore;
      if (days < 0) {
        stage = Stage::kOverdue;
      } else if (days == 0) {
        stage = Stage::kDue;
      } else {
        const auto lead = owner ? owner->preferences.days_before_due : kDefaultLeadDays;
        if (days > lead) continue;
      }
      // The unique row is the guarantee: a reminder another sweep (or another instance)
      // already recorded is not sent again.
      if (!CERTUS_TRY(store_.RecordReminder(tx, org, task.key, StageName(stage),
                                            FormatDate(task.due), now_text))) {
        continue;
      }
      ++sent;
      // The owner hears of every stage; managers and admins hear of overdue duties
      // (escalation) and of duties that name nobody.
      std::vector<const Recipient*> recipients;
      if (owner) recipients.push_back(owner);
      if (!owner || stage == Stage::kOverdue) {
        for (const auto& [id, person] : people) {
          if (&person != owner && person.member.role >= Role::kManager) {
            recipients.push_back(&person);
          }
        }
      }
      const std::string event = "reminder." + std::string(StageName(stage));
      const std::string title = TitleOf(stage, task, today);
      const std::string link = tasks::LinkOf(org, task);
      for (const Recipient* recipient : recipients) {
        const auto& p = recipient->preferences;
        std::string email_state = "none";
        if (mailer_ && p.email) email_state = p.digest == Digest::kDaily ? "digest" : "sent";
        if (!p.in_app && email_state == "none") continue;
        Notification n;
        n.id = NotificationId(NewUuid(clock_, random_));
        n.user_id = recipient->member.user_id;
        n.org_id = org;
        n.kind = event;
        n.title = title;
        n.body = fmt::format("{}\nDue on {}{}.", task.title, FormatDate(task.due),
                             owner && owner != recipient
                                 ? ", owner " + owner->member.email
                                 : std::string(task.owner ? "" : ", no owner named"));
        n.link = link;
        n.task_key = task.key;
        n.created_at = now_text;
        CERTUS_CHECK(store_.InsertNotification(tx, n, p.in_app, email_state));
        if (email_state == "sent") {
          Email email;
          email.to = recipient->member.email;
          email.subject = "[Certus] " + title;
          email.body = fmt::format(
              "Hello {},\n\n{}\n\n{}\nOrganization: {}\n\nOpen it in Certus: {}{}\n\n"
              "You receive this email because you are named on this duty in Certus. Change how "
              "you are reminded on the Notifications page.\n",
              recipient->member.display_name.empty() ? recipient->member.email
                                                     : recipient->member.display_name,
              title, n.body, org_name, settings_.base_url, link);
          CERTUS_CHECK(store_.InsertEmail(tx, NewUuid(clock_, random_), org, email, now_text));
        }
      }
      if (poster_) {
        for (const auto& [hook, secret] : CERTUS_TRY(store_.Subscribers(tx, org, event))) {
          const std::string delivery = NewUuid(clock_, random_);
          boost::json::object task_json{
              {"key", task.key},
              {"kind", task.kind},
              {"title", task.title},
              {"due", FormatDate(task.due)},
              {"source_type", task.source_type},
              {"source_id", task.source_id},
              {"ref", task.ref},
              {"link", settings_.base_url + link},
              {"owner_id",
               task.owner ? boost::json::value(task.owner->str()) : boost::json::value(nullptr)}};
          const std::string payload =
              boost::json::serialize(boost::json::object{{"id", delivery},
                                                         {"event", event},
                                                         {"org_id", org.str()},
                                                         {"stage", StageName(stage)},
                                                         {"occurred_at", now_text},
                                                         {"task", std::move(task_json)}});
          CERTUS_CHECK(store_.InsertDelivery(tx, delivery, hook.id, org, event, payload,
                                             SignatureOf(secret, payload), now_text));
        }
      }
    }
    if (!CERTUS_TRY(store_.CompleteJob(tx, job.id, settings_.instance_id, now_text))) {
      // Our claim ran out and another instance took the job: its sweep decides.
      return Fail(ErrorCode::kConflict, "The job's claim was lost to another instance.");
    }
    return sent;
  });
}

Expected<int> JobRunner::Digest(const Job& job, Timestamp now) {
  const OrgId& org = job.org_id;
  const std::string now_text = FormatTimestamp(now);
  auto members = CERTUS_TRY(identity_.ListMembers(RunnerActor(), org));
  std::map<UserId, identity::Member> by_id;
  for (auto& member : members) by_id.emplace(member.user_id, std::move(member));
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<int> {
    auto pending = CERTUS_TRY(store_.PendingDigest(tx, org));
    std::map<UserId, std::vector<const Notification*>> per_user;
    for (const auto& n : pending) per_user[n.user_id].push_back(&n);
    for (const auto& [user, items] : per_user) {
      auto member = by_id.find(user);
      if (member != by_id.end() && mailer_) {
        Email email;
        email.to = member->second.email;
        email.subject =
            fmt::format("[Certus] Your reminders of {}: {}", FormatDate(DateOf(now)),
                        Plural(static_cast<std::int64_t>(items.size()), "duty", "duties"));
        std::string list;
        for (const auto* n : items) {
          list += fmt::format("- {}\n  {}{}\n", n->title, settings_.base_url, n->link);
        }
        email.body = fmt::format(
            "Hello {},\n\nYour daily digest of reminders:\n\n{}\n"
            "You receive one email a day because you chose the daily digest on the "
            "Notifications page.\n",
            member->second.display_name.empty() ? member->second.email
                                                : member->second.display_name,
            list);
        CERTUS_CHECK(store_.InsertEmail(tx, NewUuid(clock_, random_), org, email, now_text));
      }
      // A member who left is not emailed; their items leave the digest all the same.
      for (const auto* n : items) CERTUS_CHECK(store_.MarkDigested(tx, n->id));
    }
    if (!CERTUS_TRY(store_.CompleteJob(tx, job.id, settings_.instance_id, now_text))) {
      return Fail(ErrorCode::kConflict, "The job's claim was lost to another instance.");
    }
    return 0;
  });
}

Expected<void> JobRunner::DeliverWebhooks(Timestamp now, RunReport& report) {
  if (!poster_) return {};
  const std::string now_text = FormatTimestamp(now);
  auto items = CERTUS_TRY(storage::InWriteTransaction(db_, [&](storage::Transaction& tx) {
    return store_.ClaimDeliveries(tx, now_text, FormatTimestamp(now + settings_.lease),
                                  settings_.batch);
  }));
  for (const auto& item : items) {
    // Sent outside any transaction: a slow receiver holds no lock.
    auto posted = poster_->Post(item.url,
                                {{"X-Certus-Signature", item.signature},
                                 {"X-Certus-Delivery", item.id},
                                 {"X-Certus-Event", item.event}},
                                item.payload);
    std::string status = "delivered";
    std::string error;
    std::optional<std::int64_t> code;
    std::string next = now_text;
    if (posted) code = posted->status;
    if (!posted || posted->status < 200 || posted->status >= 300) {
      error = posted ? fmt::format("HTTP {}", posted->status) : posted.error().message();
      auto delay = RetryDelay(item.attempts);
      status = delay ? "pending" : "failed";
      if (delay) next = FormatTimestamp(now + *delay);
      ++report.webhooks_failed;
    } else {
      ++report.webhooks_delivered;
    }
    CERTUS_CHECK(storage::InWriteTransaction(db_, [&](storage::Transaction& tx) {
      return store_.FinishDelivery(tx, item.id, status, code, error, next, now_text);
    }));
  }
  return {};
}

Expected<void> JobRunner::SendEmails(Timestamp now, RunReport& report) {
  if (!mailer_) return {};
  const std::string now_text = FormatTimestamp(now);
  auto items = CERTUS_TRY(storage::InWriteTransaction(db_, [&](storage::Transaction& tx) {
    return store_.ClaimEmails(tx, now_text, FormatTimestamp(now + settings_.lease),
                              settings_.batch);
  }));
  for (const auto& item : items) {
    // Sent outside any transaction. A crash before FinishEmail sends it again once the lease
    // ends: the same message, by its Message-ID (the row's id).
    auto sent = mailer_->Send({item.recipient, item.subject, item.body, item.id});
    std::string status = "sent";
    std::string error;
    std::string next = now_text;
    if (!sent) {
      error = sent.error().message();
      spdlog::warn("email {}: {} ({})", item.id, error, sent.error().log_detail());
      auto delay = RetryDelay(item.attempts);
      status = delay ? "pending" : "failed";
      if (delay) next = FormatTimestamp(now + *delay);
      ++report.emails_failed;
    } else {
      ++report.emails_sent;
    }
    CERTUS_CHECK(storage::InWriteTransaction(db_, [&](storage::Transaction& tx) {
      return store_.FinishEmail(tx, item.id, status, error, next, now_text);
    }));
  }
  return {};
}

BackgroundRunner::BackgroundRunner(JobRunner& runner, const Clock& clock,
                                   std::chrono::milliseconds every) {
  thread_ = std::thread([this, &runner, &clock, every] {
    std::unique_lock lock(mutex_);
    auto next = std::chrono::steady_clock::now() + every;
    while (!wake_.wait_until(lock, next, [this] { return stopping_; })) {
      lock.unlock();
      if (auto ran = runner.RunOnce(clock.Now()); !ran) {
        spdlog::error("job runner: {} {}", ran.error().message(), ran.error().log_detail());
      }
      lock.lock();
      next = std::chrono::steady_clock::now() + every;
    }
  });
}

BackgroundRunner::~BackgroundRunner() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

}  // namespace certus::notifications
