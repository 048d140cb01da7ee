#pragma once

#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "auditlog/audit_log.hpp"
#include "core/actor.hpp"
#include "core/clock.hpp"
#include "modules/readiness/live.hpp"
#include "modules/readiness/model.hpp"
#include "modules/readiness/store.hpp"
#include "storage/database.hpp"

namespace certus::readiness {

/// "If the certification auditor came tomorrow, what would they find?" (issue 7): evaluates
/// the ISMS against every requirement of clauses 4–10 as of the end of a day, from the audit
/// log rather than from today's tables, so that a past day always gets the answer it got.
class ReadinessService final {
 public:
  ReadinessService(storage::Database& db, const Clock& clock, auditlog::AuditLog& audit_log)
      : db_(db), clock_(clock), audit_log_(audit_log) {}

  /// Every member reads. `as_of` defaults to today; a future day is a field error.
  Expected<Report> Evaluate(const Actor& actor, const OrgId& org, std::optional<Date> as_of);

  /// Readiness over time: the verdict and score of every day from `from` to `to` (inclusive;
  /// `to` defaults to today, `from` to 29 days before `to`). Past days come from stored
  /// samples, each computed the first time it is asked for (a past day's evaluation never
  /// changes); today is evaluated afresh. Field errors for a future `to`, `from` after `to`
  /// or a span over 366 days.
  Expected<std::vector<Sample>> Trend(const Actor& actor, const OrgId& org,
                                      std::optional<Date> from, std::optional<Date> to);

  /// The organization's thresholds as they stand (the defaults, version 1, until saved).
  Expected<Settings> GetSettings(const Actor& actor, const OrgId& org);
  /// Managers and admins; kPreconditionFailed when `expected_version` is stale.
  Expected<Settings> PutSettings(const Actor& actor, const OrgId& org, const Settings& input,
                                 std::int64_t expected_version);

  /// The report of `day`, from the memo when the organization's audit chain has not grown
  /// since it was made (nothing that readiness reads can have changed), else evaluated and
  /// remembered. The memo holds the latest few reports, per server process. Today is
  /// evaluated from the organization's live snapshot, a past day from a replay.
  Expected<Report> EvaluateDay(const OrgId& org, Date day);

  /// The snapshot of the ISMS at the end of `as_of`, one query per object type; the records
  /// of each type sorted by id.
  Expected<Snapshot> LoadSnapshot(storage::Transaction& tx, const OrgId& org, Date as_of);

  /// Runs every rule and arranges the checks under the catalog's clauses and requirements.
  static Report Assemble(const Snapshot& snapshot, const Settings& settings);
  /// The settings in force in a snapshot (their latest saved version, or the defaults).
  static Settings SettingsOf(const Snapshot& snapshot);

  /// Problems with the thresholds, as field errors; empty when valid.
  static std::vector<FieldError> Validate(const Settings& settings);

 private:
  storage::Database& db_;
  const Clock& clock_;
  auditlog::AuditLog& audit_log_;
  ReadinessStore store_;

  /// Today's report from the organization's live snapshot, built by a replay the first time
  /// and brought up to `last_seq` since; null when an event lies after today (a clock that
  /// went back), which only a replay of the day answers.
  Expected<std::shared_ptr<const Report>> EvaluateToday(storage::Transaction& tx, const OrgId& org,
                                                        Date today, std::int64_t last_seq);
  /// The samples of `days` (ascending, all before today): the first replayed, the others by
  /// folding the events of the days between into it (ADR 0026).
  Expected<std::vector<Sample>> EvaluatePastDays(const OrgId& org, const std::vector<Date>& days);
  Expected<Snapshot> Replayed(storage::Transaction& tx, const OrgId& org, const std::string& until);

  /// Live snapshots by organization, most recently used last; the least recently used go
  /// once they hold more than kLiveRecords records together (the last one always stays).
  struct Live {
    std::mutex mutex;  // held while the snapshot is brought up to date and evaluated
    std::unique_ptr<LiveSnapshot> snapshot;
    std::size_t size = 0;  // records, as of the last evaluation (under live_mutex_)
    /// The last report made from it (its `as_of` the day) and after how many changes: still
    /// the answer that day while only events of types no rule reads were appended since.
    std::shared_ptr<const Report> report;
    std::uint64_t report_changes = 0;
  };
  static constexpr std::size_t kLiveRecords = 500000;
  std::mutex live_mutex_;
  std::vector<std::pair<OrgId, std::shared_ptr<Live>>> live_;

  /// Reports by organization, day and the chain's last sequence number, oldest first.
  struct Memo {
    std::string key;
    std::shared_ptr<const Report> report;
  };
  static constexpr std::size_t kMemoReports = 8;
  std::mutex memo_mutex_;
  std::deque<Memo> memo_;
};

}  // namespace certus::readiness
