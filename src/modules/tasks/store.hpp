#pragma once

#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "core/error.hpp"
#include "core/strong_id.hpp"
#include "core/time.hpp"
#include "modules/tasks/model.hpp"
#include "storage/database.hpp"

namespace certus::tasks {

/// An inclusive range of due dates, as `YYYY-MM-DD` text (dates sort as text in both engines).
struct DueRange {
  std::string from = "0001-01-01";
  std::string to = "9999-12-31";
  bool Contains(Date date) const {
    const std::string text = FormatDate(date);
    return text >= from && text <= to;
  }
};

/// The approved risk methodology's reassessment interval and the newest retained assessment.
struct ReassessmentBasis {
  std::string methodology_id;
  Date approved_on;
  std::int64_t interval_months = 12;
  std::optional<std::string> assessment_id;
  std::string assessment_ref;
  std::optional<Date> assessed_on;
};

/// A management review as the schedule sees it.
struct ReviewRow {
  std::string id;
  std::string ref;
  std::string title;
  std::string status;
  Date planned_on;
  std::optional<Date> held_on;
};

/// An active metric and its latest measurement day.
struct MetricRow {
  std::string id;
  std::string ref;
  std::string name;
  std::string owner_id;
  std::string frequency;
  Date created_on;
  std::optional<Date> last_measured_on;
};

/// Where a page of tasks starts: after the task with this due date (`YYYY-MM-DD`), kind, ref
/// and key, in the order of the tasks list (due, then kind, then ref, then key, each compared
/// byte by byte).
struct TaskPosition {
  std::string due;
  std::string kind;
  std::string ref;
  std::string key;

  /// At or before `b` in the list order.
  friend bool operator<=(const TaskPosition& a, const TaskPosition& b) {
    return std::tie(a.due, a.kind, a.ref, a.key) <= std::tie(b.due, b.kind, b.ref, b.key);
  }
};

/// Which tasks of one source to read: those due within `range`, falling to `owner` when set,
/// after `after` when set, in list order, at most `limit` of them when set.
struct SourceQuery {
  DueRange range;
  std::optional<UserId> owner;
  std::optional<TaskPosition> after;
  std::optional<std::int64_t> limit;
};

/// The stored sources of tasks, one query each.
enum class Source {
  /// Open (planned, in progress) treatment actions with a due date; the risk owner when the
  /// action names nobody.
  kTreatmentActions,
  /// Open corrective actions of nonconformities that are not closed.
  kCorrectiveActions,
  /// Open management review actions (MRA-) with a due date.
  kReviewActions,
  /// Documents by their next review date.
  kDocumentReviews,
  /// Open risks by their next review date.
  kRiskReviews,
  /// Planned audits by their start, audits in progress by their planned end; the lead
  /// auditor, else whoever planned the audit.
  kAudits,
  /// Programmes without any audit yet, by the start of their cycle (scheduled).
  kProgrammesWithoutAudits,
  /// Evidence not archived, by its `valid_until`.
  kEvidenceExpiring,
  /// Open trainings by their due date (they fall to nobody).
  kTrainings,
  /// Competence evidence of active people that expires and that no later evidence of the
  /// same competence renews.
  kCompetenceExpiring,
};

/// Every stored source, for the service to read them all.
inline constexpr Source kSources[] = {
    Source::kTreatmentActions,        Source::kCorrectiveActions, Source::kReviewActions,
    Source::kDocumentReviews,         Source::kRiskReviews,       Source::kAudits,
    Source::kProgrammesWithoutAudits, Source::kEvidenceExpiring,  Source::kTrainings,
    Source::kCompetenceExpiring};

/// The read model of tasks (docs/adr/0010-tasks-read-model.md): read-only SQL over the tables
/// of the modules that own each duty, one query per source, filtered by due date, owner and
/// position in SQL and ordered there as the list orders (due, ref, key: the kind is the
/// source's own), so that a page reads at most `limit` rows of each source through an index
/// on (org_id, due date). It never writes. Every method runs in the caller's transaction and
/// fails only with the database's errors.
class TaskStore final {
 public:
  using Tx = storage::Transaction;

  /// The tasks of `source` that `query` asks for, in list order.
  Expected<std::vector<Task>> Read(Tx& tx, const OrgId& org, Source source,
                                   const SourceQuery& query);
  /// How many tasks of `source` fall within `query`'s range and owner (its position and
  /// limit are ignored).
  Expected<std::int64_t> Count(Tx& tx, const OrgId& org, Source source, const SourceQuery& query);

  /// The approved methodology (none before one is approved) and the newest assessment.
  Expected<std::optional<ReassessmentBasis>> Reassessment(Tx& tx, const OrgId& org);
  /// Every management review (a handful a year).
  Expected<std::vector<ReviewRow>> Reviews(Tx& tx, const OrgId& org);
  /// `readiness_settings.recent_months` when the organization saved settings.
  Expected<std::optional<std::int64_t>> ReviewIntervalMonths(Tx& tx, const OrgId& org);
  /// The day the organization was created; nullopt for an unknown organization.
  Expected<std::optional<Date>> OrgCreatedOn(Tx& tx, const OrgId& org);
  /// Active metrics with the day of their latest measurement, one query.
  Expected<std::vector<MetricRow>> ActiveMetrics(Tx& tx, const OrgId& org);
};

}  // namespace certus::tasks
