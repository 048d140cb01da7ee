#pragma once

#include <optional>
#include <string>
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

/// The read model of tasks (docs/adr/0010-tasks-read-model.md): read-only SQL over the tables
/// of the modules that own each duty, one query per source kind, filtered by due date in SQL
/// where the due date is stored. It never writes. Every method runs in the caller's
/// transaction and fails only with the database's errors.
class TaskStore final {
 public:
  using Tx = storage::Transaction;

  /// Open (planned, in progress) treatment actions with a due date; the risk owner when the
  /// action names nobody.
  Expected<std::vector<Task>> TreatmentActions(Tx& tx, const OrgId& org, const DueRange& range);
  /// Open corrective actions of nonconformities that are not closed.
  Expected<std::vector<Task>> CorrectiveActions(Tx& tx, const OrgId& org, const DueRange& range);
  /// Open management review actions (MRA-) with a due date.
  Expected<std::vector<Task>> ReviewActions(Tx& tx, const OrgId& org, const DueRange& range);
  /// Documents by their next review date.
  Expected<std::vector<Task>> DocumentReviews(Tx& tx, const OrgId& org, const DueRange& range);
  /// Open risks by their next review date.
  Expected<std::vector<Task>> RiskReviews(Tx& tx, const OrgId& org, const DueRange& range);
  /// Planned audits by their start, audits in progress by their planned end; the lead
  /// auditor, else whoever planned the audit.
  Expected<std::vector<Task>> Audits(Tx& tx, const OrgId& org, const DueRange& range);
  /// Programmes without any audit yet, by the start of their cycle (scheduled).
  Expected<std::vector<Task>> ProgrammesWithoutAudits(Tx& tx, const OrgId& org,
                                                      const DueRange& range);
  /// Evidence not archived, by its `valid_until`.
  Expected<std::vector<Task>> EvidenceExpiring(Tx& tx, const OrgId& org, const DueRange& range);
  /// Open trainings by their due date.
  Expected<std::vector<Task>> Trainings(Tx& tx, const OrgId& org, const DueRange& range);
  /// Competence evidence of active people that expires and that no later evidence of the
  /// same competence renews.
  Expected<std::vector<Task>> CompetenceExpiring(Tx& tx, const OrgId& org, const DueRange& range);

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
