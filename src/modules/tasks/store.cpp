#include "modules/tasks/store.hpp"

#include <string_view>

#include <boost/json.hpp>

namespace certus::tasks {

namespace {

/// The day of a stored date or RFC 3339 timestamp (both start with YYYY-MM-DD).
std::optional<Date> DayOf(const std::optional<std::string>& text) {
  if (!text || text->size() < 10) return std::nullopt;
  return ParseDate(std::string_view(*text).substr(0, 10));
}

std::optional<UserId> UserOf(const std::optional<std::string>& id) {
  if (!id || id->empty()) return std::nullopt;
  return UserId(*id);
}

/// The parts of a task every query fills; the key is derived from them.
Task Make(std::string kind, std::string source_type, std::string source_id, std::string ref,
          std::string title, std::optional<UserId> owner, Date due, const std::string& sub_id = {},
          bool scheduled = false) {
  Task task;
  task.kind = std::move(kind);
  task.source_type = std::move(source_type);
  task.source_id = std::move(source_id);
  task.ref = std::move(ref);
  task.title = std::move(title);
  task.owner = std::move(owner);
  task.due = due;
  task.scheduled = scheduled;
  task.key = task.kind + ":" + task.source_id + (sub_id.empty() ? "" : ":" + sub_id) + ":" +
             FormatDate(due);
  return task;
}

std::vector<storage::Value> Params(const OrgId& org, const DueRange& range) {
  return {org.str(), range.from, range.to};
}

/// Action rows (id, ref, title, owner_id, due_on, parent id, parent ref) as tasks that
/// link to their parent record: "Complete <what> R-0001-A1 Patch the gateway (R-0001)".
std::vector<Task> ActionTasks(const storage::Result& result, const char* kind,
                              const char* source_type, std::string_view what) {
  std::vector<Task> tasks;
  for (const auto& row : result.rows) {
    auto due = DayOf(row.OptText(4));
    if (!due) continue;
    tasks.push_back(Make(kind, source_type, row.Text(5), row.Text(6),
                         "Complete " + std::string(what) + " " + row.Text(1) + " " + row.Text(2) +
                             " (" + row.Text(6) + ")",
                         UserOf(row.OptText(3)), *due, row.Text(0)));
  }
  return tasks;
}

}  // namespace

Expected<std::vector<Task>> TaskStore::TreatmentActions(Tx& tx, const OrgId& org,
                                                        const DueRange& range) {
  auto result = CERTUS_TRY(tx.Execute(
      "SELECT t.id, t.ref, t.title, COALESCE(t.owner_id, r.owner_id), t.due_on, r.id, r.ref "
      "FROM risk_treatments t JOIN risks r ON r.id = t.risk_id "
      "WHERE t.org_id = $1 AND t.status IN ('planned', 'in_progress') "
      "AND t.due_on IS NOT NULL AND t.due_on >= $2 AND t.due_on <= $3",
      Params(org, range)));
  return ActionTasks(result, "treatment_action", "risk", "treatment action");
}

Expected<std::vector<Task>> TaskStore::CorrectiveActions(Tx& tx, const OrgId& org,
                                                         const DueRange& range) {
  auto result = CERTUS_TRY(tx.Execute(
      "SELECT c.id, c.ref, c.title, c.owner_id, c.due_on, n.id, n.ref "
      "FROM corrective_actions c JOIN nonconformities n ON n.id = c.nonconformity_id "
      "WHERE c.org_id = $1 AND c.status IN ('planned', 'in_progress') AND n.status <> 'closed' "
      "AND c.due_on IS NOT NULL AND c.due_on >= $2 AND c.due_on <= $3",
      Params(org, range)));
  return ActionTasks(result, "corrective_action", "nonconformity", "corrective action");
}

Expected<std::vector<Task>> TaskStore::ReviewActions(Tx& tx, const OrgId& org,
                                                     const DueRange& range) {
  auto result = CERTUS_TRY(
      tx.Execute("SELECT a.id, a.ref, a.title, a.owner_id, a.due_on, m.id, m.ref "
                 "FROM management_review_actions a JOIN management_reviews m ON m.id = a.review_id "
                 "WHERE a.org_id = $1 AND a.status IN ('open', 'in_progress') "
                 "AND a.due_on IS NOT NULL AND a.due_on >= $2 AND a.due_on <= $3",
                 Params(org, range)));
  return ActionTasks(result, "review_action", "management_review", "management review action");
}

Expected<std::vector<Task>> TaskStore::DocumentReviews(Tx& tx, const OrgId& org,
                                                       const DueRange& range) {
  auto result =
      CERTUS_TRY(tx.Execute("SELECT id, ref, title, owner_id, next_review_on FROM documents "
                            "WHERE org_id = $1 AND next_review_on IS NOT NULL "
                            "AND next_review_on >= $2 AND next_review_on <= $3",
                            Params(org, range)));
  std::vector<Task> tasks;
  for (const auto& row : result.rows) {
    auto due = DayOf(row.OptText(4));
    if (!due) continue;
    tasks.push_back(Make("document_review", "document", row.Text(0), row.Text(1),
                         "Review document " + row.Text(1) + " " + row.Text(2),
                         UserOf(row.OptText(3)), *due));
  }
  return tasks;
}

Expected<std::vector<Task>> TaskStore::RiskReviews(Tx& tx, const OrgId& org,
                                                   const DueRange& range) {
  auto result =
      CERTUS_TRY(tx.Execute("SELECT id, ref, title, owner_id, next_review_on FROM risks "
                            "WHERE org_id = $1 AND status = 'open' AND next_review_on IS NOT NULL "
                            "AND next_review_on >= $2 AND next_review_on <= $3",
                            Params(org, range)));
  std::vector<Task> tasks;
  for (const auto& row : result.rows) {
    auto due = DayOf(row.OptText(4));
    if (!due) continue;
    tasks.push_back(Make("risk_review", "risk", row.Text(0), row.Text(1),
                         "Review risk " + row.Text(1) + " " + row.Text(2), UserOf(row.OptText(3)),
                         *due));
  }
  return tasks;
}

Expected<std::vector<Task>> TaskStore::Audits(Tx& tx, const OrgId& org, const DueRange& range) {
  auto result = CERTUS_TRY(tx.Execute(
      "SELECT id, ref, title, status, owner_id, due FROM ("
      " SELECT a.id, a.ref, a.title, a.status,"
      "  COALESCE((SELECT MIN(x.user_id) FROM audit_auditors x"
      "            WHERE x.audit_id = a.id AND x.role = 'lead'), a.created_by) AS owner_id,"
      "  CASE WHEN a.status = 'planned' THEN a.planned_start ELSE a.planned_end END AS due"
      " FROM audits a WHERE a.org_id = $1 AND a.status IN ('planned', 'in_progress')) s "
      "WHERE due IS NOT NULL AND due >= $2 AND due <= $3",
      Params(org, range)));
  std::vector<Task> tasks;
  for (const auto& row : result.rows) {
    auto due = DayOf(row.OptText(5));
    if (!due) continue;
    const bool planned = row.Text(3) == "planned";
    tasks.push_back(
        Make("audit", "audit", row.Text(0), row.Text(1),
             (planned ? "Start audit " : "Report audit ") + row.Text(1) + " " + row.Text(2),
             UserOf(row.OptText(4)), *due));
  }
  return tasks;
}

Expected<std::vector<Task>> TaskStore::ProgrammesWithoutAudits(Tx& tx, const OrgId& org,
                                                               const DueRange& range) {
  auto result = CERTUS_TRY(tx.Execute(
      "SELECT p.id, p.ref, p.name, p.owner_id, p.cycle_start FROM audit_programmes p "
      "WHERE p.org_id = $1 AND p.cycle_start >= $2 AND p.cycle_start <= $3 "
      "AND NOT EXISTS (SELECT 1 FROM audits a WHERE a.org_id = p.org_id AND a.programme_id = p.id)",
      Params(org, range)));
  std::vector<Task> tasks;
  for (const auto& row : result.rows) {
    auto due = DayOf(row.OptText(4));
    if (!due) continue;
    tasks.push_back(Make("audit", "audit_programme", row.Text(0), row.Text(1),
                         "Plan the audits of programme " + row.Text(1) + " " + row.Text(2),
                         UserOf(row.OptText(3)), *due, {}, true));
  }
  return tasks;
}

Expected<std::vector<Task>> TaskStore::EvidenceExpiring(Tx& tx, const OrgId& org,
                                                        const DueRange& range) {
  auto result =
      CERTUS_TRY(tx.Execute("SELECT id, ref, title, owner_id, valid_until FROM evidence "
                            "WHERE org_id = $1 AND archived = 0 AND valid_until IS NOT NULL "
                            "AND valid_until >= $2 AND valid_until <= $3",
                            Params(org, range)));
  std::vector<Task> tasks;
  for (const auto& row : result.rows) {
    auto due = DayOf(row.OptText(4));
    if (!due) continue;
    tasks.push_back(Make("evidence_expiry", "evidence", row.Text(0), row.Text(1),
                         "Renew evidence " + row.Text(1) + " " + row.Text(2) + " (valid until " +
                             FormatDate(*due) + ")",
                         UserOf(row.OptText(3)), *due));
  }
  return tasks;
}

Expected<std::vector<Task>> TaskStore::Trainings(Tx& tx, const OrgId& org, const DueRange& range) {
  auto result = CERTUS_TRY(
      tx.Execute("SELECT id, ref, title, due_on FROM trainings "
                 "WHERE org_id = $1 AND status = 'open' AND due_on >= $2 AND due_on <= $3",
                 Params(org, range)));
  std::vector<Task> tasks;
  for (const auto& row : result.rows) {
    auto due = DayOf(row.OptText(3));
    if (!due) continue;
    tasks.push_back(Make("training", "training", row.Text(0), row.Text(1),
                         "Complete training " + row.Text(1) + " " + row.Text(2), std::nullopt,
                         *due));
  }
  return tasks;
}

Expected<std::vector<Task>> TaskStore::CompetenceExpiring(Tx& tx, const OrgId& org,
                                                          const DueRange& range) {
  auto result = CERTUS_TRY(tx.Execute(
      "SELECT e.id, e.title, e.expires_on, p.id, p.ref, p.name, p.user_id, c.name "
      "FROM competence_evidence e JOIN people p ON p.id = e.person_id "
      "JOIN competences c ON c.id = e.competence_id "
      "WHERE e.org_id = $1 AND p.status = 'active' AND e.expires_on IS NOT NULL "
      "AND e.expires_on >= $2 AND e.expires_on <= $3 "
      "AND NOT EXISTS (SELECT 1 FROM competence_evidence n WHERE n.person_id = e.person_id "
      " AND n.competence_id = e.competence_id AND n.id <> e.id "
      " AND (n.expires_on IS NULL OR n.expires_on > e.expires_on))",
      Params(org, range)));
  std::vector<Task> tasks;
  for (const auto& row : result.rows) {
    auto due = DayOf(row.OptText(2));
    if (!due) continue;
    tasks.push_back(Make(
        "training", "person", row.Text(3), row.Text(4),
        "Renew competence " + row.Text(7) + " of " + row.Text(5) + " (" + row.Text(1) + " expires)",
        UserOf(row.OptText(6)), *due, row.Text(0)));
  }
  return tasks;
}

Expected<std::optional<ReassessmentBasis>> TaskStore::Reassessment(Tx& tx, const OrgId& org) {
  auto methodology = CERTUS_TRY(
      tx.Execute("SELECT id, criteria_json, approved_at, created_at FROM risk_methodologies "
                 "WHERE org_id = $1 AND status = 'approved' ORDER BY version DESC LIMIT 1",
                 {org.str()}));
  if (methodology.rows.empty()) return std::optional<ReassessmentBasis>();
  const auto& m = methodology.rows.front();
  ReassessmentBasis basis;
  basis.methodology_id = m.Text(0);
  auto approved = DayOf(m.OptText(2));
  if (!approved) approved = DayOf(m.OptText(3));
  if (!approved) return std::optional<ReassessmentBasis>();
  basis.approved_on = *approved;
  boost::system::error_code ec;
  auto criteria = boost::json::parse(m.Text(1), ec);
  if (!ec && criteria.is_object()) {
    if (const auto* months = criteria.as_object().if_contains("reassessment_interval_months");
        months && months->is_int64() && months->as_int64() > 0) {
      basis.interval_months = months->as_int64();
    }
  }
  auto assessment =
      CERTUS_TRY(tx.Execute("SELECT id, ref, taken_at FROM risk_assessments WHERE org_id = $1 "
                            "ORDER BY taken_at DESC, id DESC LIMIT 1",
                            {org.str()}));
  if (!assessment.rows.empty()) {
    const auto& a = assessment.rows.front();
    basis.assessment_id = a.Text(0);
    basis.assessment_ref = a.Text(1);
    basis.assessed_on = DayOf(a.OptText(2));
  }
  return std::optional<ReassessmentBasis>(std::move(basis));
}

Expected<std::vector<ReviewRow>> TaskStore::Reviews(Tx& tx, const OrgId& org) {
  auto result = CERTUS_TRY(
      tx.Execute("SELECT id, ref, title, status, planned_on, held_on FROM management_reviews "
                 "WHERE org_id = $1",
                 {org.str()}));
  std::vector<ReviewRow> rows;
  for (const auto& row : result.rows) {
    auto planned = DayOf(row.OptText(4));
    if (!planned) continue;
    rows.push_back(
        {row.Text(0), row.Text(1), row.Text(2), row.Text(3), *planned, DayOf(row.OptText(5))});
  }
  return rows;
}

Expected<std::optional<std::int64_t>> TaskStore::ReviewIntervalMonths(Tx& tx, const OrgId& org) {
  auto result = CERTUS_TRY(
      tx.Execute("SELECT recent_months FROM readiness_settings WHERE org_id = $1", {org.str()}));
  if (result.rows.empty()) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(result.rows.front().Int(0));
}

Expected<std::optional<Date>> TaskStore::OrgCreatedOn(Tx& tx, const OrgId& org) {
  auto result =
      CERTUS_TRY(tx.Execute("SELECT created_at FROM organizations WHERE id = $1", {org.str()}));
  if (result.rows.empty()) return std::optional<Date>();
  return DayOf(result.rows.front().OptText(0));
}

Expected<std::vector<MetricRow>> TaskStore::ActiveMetrics(Tx& tx, const OrgId& org) {
  auto result = CERTUS_TRY(
      tx.Execute("SELECT m.id, m.ref, m.name, m.owner_id, m.frequency, m.created_at, "
                 "(SELECT MAX(x.measured_on) FROM metric_measurements x WHERE x.metric_id = m.id) "
                 "FROM metrics m WHERE m.org_id = $1 AND m.status = 'active'",
                 {org.str()}));
  std::vector<MetricRow> rows;
  for (const auto& row : result.rows) {
    auto created = DayOf(row.OptText(5));
    if (!created) continue;
    rows.push_back({row.Text(0), row.Text(1), row.Text(2), row.Text(3), row.Text(4), *created,
                    DayOf(row.OptText(6))});
  }
  return rows;
}

}  // namespace certus::tasks
