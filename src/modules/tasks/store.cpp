#include "modules/tasks/store.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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

/// One stored source of tasks as SQL fragments: the table(s), the rows that are duties, the
/// due date, the ref and the key (as `Make` derives it) and the owner as expressions, and how
/// a selected row becomes a task.
struct SourceSql {
  std::string kind;
  std::string columns;
  std::string from;
  std::string where;  ///< after `org_id = $1`, including `<due> IS NOT NULL`
  std::string due;
  std::string ref;
  std::string key;
  std::string owner;  ///< empty: the duty falls to nobody
  std::optional<Task> (*make)(const storage::Row& row);
};

/// Action rows (id, ref, title, owner_id, due_on, parent id, parent ref) as tasks that
/// link to their parent record: "Complete <what> R-0001-A1 Patch the gateway (R-0001)".
std::optional<Task> ActionTask(const storage::Row& row, const char* kind, const char* source_type,
                               std::string_view what) {
  auto due = DayOf(row.OptText(4));
  if (!due) return std::nullopt;
  return Make(kind, source_type, row.Text(5), row.Text(6),
              "Complete " + std::string(what) + " " + row.Text(1) + " " + row.Text(2) + " (" +
                  row.Text(6) + ")",
              UserOf(row.OptText(3)), *due, row.Text(0));
}

/// Record rows (id, ref, title, owner_id, due) as tasks that link to the record itself:
/// "<verb> DOC-0004 Access control policy".
std::optional<Task> RecordTask(const storage::Row& row, const char* kind, const char* source_type,
                               std::string_view verb) {
  auto due = DayOf(row.OptText(4));
  if (!due) return std::nullopt;
  return Make(kind, source_type, row.Text(0), row.Text(1),
              std::string(verb) + " " + row.Text(1) + " " + row.Text(2), UserOf(row.OptText(3)),
              *due);
}

/// The SQL of an action source: `a` the actions, `p` their parents.
SourceSql ActionSql(const std::string& kind, const std::string& owner, const std::string& from,
                    const std::string& open, std::optional<Task> (*make)(const storage::Row&)) {
  return {.kind = kind,
          .columns = "a.id, a.ref, a.title, " + owner + ", a.due_on, p.id, p.ref",
          .from = from,
          .where = open + " AND a.due_on IS NOT NULL",
          .due = "a.due_on",
          .ref = "COALESCE(p.ref, '')",
          .key = "'" + kind + ":' || p.id || ':' || a.id || ':' || SUBSTR(a.due_on, 1, 10)",
          .owner = owner,
          .make = make};
}

/// The SQL of a source whose rows are the records themselves: `x`, with its id and ref.
SourceSql RecordSql(const std::string& kind, std::string columns, std::string from,
                    std::string where, const std::string& due, std::string owner,
                    std::optional<Task> (*make)(const storage::Row&)) {
  return {.kind = kind,
          .columns = std::move(columns),
          .from = std::move(from),
          .where = std::move(where) + " AND " + due + " IS NOT NULL",
          .due = due,
          .ref = "COALESCE(x.ref, '')",
          .key = "'" + kind + ":' || x.id || ':' || SUBSTR(" + due + ", 1, 10)",
          .owner = std::move(owner),
          .make = make};
}

const SourceSql& SqlOf(Source source) {
  static const std::vector<SourceSql> sources = [] {
    const std::string audit_due =
        "(CASE WHEN x.status = 'planned' THEN x.planned_start ELSE x.planned_end END)";
    const std::string audit_owner =
        "COALESCE((SELECT MIN(l.user_id) FROM audit_auditors l"
        " WHERE l.audit_id = x.id AND l.role = 'lead'), x.created_by)";
    std::vector<SourceSql> all;
    // In the order of the Source enumerators.
    all.push_back(ActionSql(
        "treatment_action", "COALESCE(a.owner_id, p.owner_id)",
        "risk_treatments a JOIN risks p ON p.id = a.risk_id",
        "a.org_id = $1 AND a.status IN ('planned', 'in_progress')", [](const storage::Row& row) {
          return ActionTask(row, "treatment_action", "risk", "treatment action");
        }));
    all.push_back(ActionSql(
        "corrective_action", "a.owner_id",
        "corrective_actions a JOIN nonconformities p ON p.id = a.nonconformity_id",
        "a.org_id = $1 AND a.status IN ('planned', 'in_progress') "
        "AND p.status <> 'closed'",
        [](const storage::Row& row) {
          return ActionTask(row, "corrective_action", "nonconformity", "corrective action");
        }));
    all.push_back(ActionSql(
        "review_action", "a.owner_id",
        "management_review_actions a JOIN management_reviews p ON p.id = a.review_id",
        "a.org_id = $1 AND a.status IN ('open', 'in_progress')", [](const storage::Row& row) {
          return ActionTask(row, "review_action", "management_review", "management review action");
        }));
    all.push_back(RecordSql(
        "document_review", "x.id, x.ref, x.title, x.owner_id, x.next_review_on", "documents x",
        "x.org_id = $1", "x.next_review_on", "x.owner_id", [](const storage::Row& row) {
          return RecordTask(row, "document_review", "document", "Review document");
        }));
    all.push_back(RecordSql("risk_review", "x.id, x.ref, x.title, x.owner_id, x.next_review_on",
                            "risks x", "x.org_id = $1 AND x.status = 'open'", "x.next_review_on",
                            "x.owner_id", [](const storage::Row& row) {
                              return RecordTask(row, "risk_review", "risk", "Review risk");
                            }));
    all.push_back(RecordSql(
        "audit", "x.id, x.ref, x.title, x.status, " + audit_owner + ", " + audit_due, "audits x",
        "x.org_id = $1 AND x.status IN ('planned', 'in_progress')", audit_due, audit_owner,
        [](const storage::Row& row) -> std::optional<Task> {
          auto due = DayOf(row.OptText(5));
          if (!due) return std::nullopt;
          const bool planned = row.Text(3) == "planned";
          return Make(
              "audit", "audit", row.Text(0), row.Text(1),
              (planned ? "Start audit " : "Report audit ") + row.Text(1) + " " + row.Text(2),
              UserOf(row.OptText(4)), *due);
        }));
    all.push_back(RecordSql(
        "audit", "x.id, x.ref, x.name, x.owner_id, x.cycle_start", "audit_programmes x",
        "x.org_id = $1 AND NOT EXISTS (SELECT 1 FROM audits a"
        " WHERE a.org_id = x.org_id AND a.programme_id = x.id)",
        "x.cycle_start", "x.owner_id", [](const storage::Row& row) -> std::optional<Task> {
          auto due = DayOf(row.OptText(4));
          if (!due) return std::nullopt;
          return Make("audit", "audit_programme", row.Text(0), row.Text(1),
                      "Plan the audits of programme " + row.Text(1) + " " + row.Text(2),
                      UserOf(row.OptText(3)), *due, {}, true);
        }));
    all.push_back(RecordSql("evidence_expiry", "x.id, x.ref, x.title, x.owner_id, x.valid_until",
                            "evidence x", "x.org_id = $1 AND x.archived = 0", "x.valid_until",
                            "x.owner_id", [](const storage::Row& row) {
                              auto task =
                                  RecordTask(row, "evidence_expiry", "evidence", "Renew evidence");
                              if (task)
                                task->title += " (valid until " + FormatDate(task->due) + ")";
                              return task;
                            }));
    all.push_back(RecordSql("training", "x.id, x.ref, x.title, x.due_on", "trainings x",
                            "x.org_id = $1 AND x.status = 'open'", "x.due_on", "",
                            [](const storage::Row& row) -> std::optional<Task> {
                              auto due = DayOf(row.OptText(3));
                              if (!due) return std::nullopt;
                              return Make("training", "training", row.Text(0), row.Text(1),
                                          "Complete training " + row.Text(1) + " " + row.Text(2),
                                          std::nullopt, *due);
                            }));
    // The person is the source and the evidence the sub-record: `p` and `a` as for actions.
    all.push_back(
        {.kind = "training",
         .columns = "a.id, a.title, a.expires_on, p.id, p.ref, p.name, p.user_id, c.name",
         .from = "competence_evidence a JOIN people p ON p.id = a.person_id "
                 "JOIN competences c ON c.id = a.competence_id",
         .where = "a.org_id = $1 AND p.org_id = a.org_id AND p.status = 'active' "
                  "AND a.expires_on IS NOT NULL "
                  "AND NOT EXISTS (SELECT 1 FROM competence_evidence n"
                  " WHERE n.person_id = a.person_id AND n.competence_id = a.competence_id"
                  " AND n.id <> a.id AND (n.expires_on IS NULL OR n.expires_on > a.expires_on))",
         .due = "a.expires_on",
         .ref = "COALESCE(p.ref, '')",
         .key = "'training:' || p.id || ':' || a.id || ':' || SUBSTR(a.expires_on, 1, 10)",
         .owner = "p.user_id",
         .make = [](const storage::Row& row) -> std::optional<Task> {
           auto due = DayOf(row.OptText(2));
           if (!due) return std::nullopt;
           return Make("training", "person", row.Text(3), row.Text(4),
                       "Renew competence " + row.Text(7) + " of " + row.Text(5) + " (" +
                           row.Text(1) + " expires)",
                       UserOf(row.OptText(6)), *due, row.Text(0));
         }});
    return all;
  }();
  return sources.at(static_cast<std::size_t>(source));
}

/// Whether `query` can match no task of the source: a range that is empty, or an owner asked
/// of a source whose duties fall to nobody.
bool MatchesNothing(const SourceSql& sql, const SourceQuery& query) {
  return (query.owner && sql.owner.empty()) || query.range.from > query.range.to;
}

/// The WHERE clause of `query` over `sql` and its parameters ($1 the organization).
std::string Where(const SourceSql& sql, const OrgId& org, const SourceQuery& query, bool position,
                  const std::string& collate, std::vector<storage::Value>& params) {
  std::string from = query.range.from;
  if (position && query.after) from = std::max(from, query.after->due);
  params = {org.str(), from, query.range.to};
  std::string where = "WHERE " + sql.where + " AND " + sql.due + " >= $2 AND " + sql.due + " <= $3";
  auto next = [&params](storage::Value value) {
    params.push_back(std::move(value));
    return "$" + std::to_string(params.size());
  };
  if (query.owner) where += " AND " + sql.owner + " = " + next(query.owner->str());
  if (position && query.after) {
    // The list orders by (due, kind, ref, key) and the kind of a source is its own: a source
    // of an earlier kind continues after the cursor's day, a later one on it.
    const TaskPosition& after = *query.after;
    if (sql.kind < after.kind) {
      where += " AND " + sql.due + " > " + next(after.due);
    } else if (sql.kind == after.kind) {
      const std::string due = next(after.due);
      const std::string ref = next(after.ref);
      const std::string key = next(after.key);
      where += " AND (" + sql.due + " > " + due + " OR (" + sql.due + " = " + due + " AND ((" +
               sql.ref + ")" + collate + " > " + ref + " OR ((" + sql.ref + ") = " + ref +
               " AND (" + sql.key + ")" + collate + " > " + key + "))))";
    }
  }
  return where;
}

}  // namespace

Expected<std::vector<Task>> TaskStore::Read(Tx& tx, const OrgId& org, Source source,
                                            const SourceQuery& query) {
  const SourceSql& sql = SqlOf(source);
  if (MatchesNothing(sql, query)) return std::vector<Task>();
  // PostgreSQL compares text by the database's collation; the list compares bytes.
  const std::string collate =
      tx.dialect() == storage::Dialect::kPostgres ? std::string(" COLLATE \"C\"") : std::string();
  std::vector<storage::Value> params;
  std::string text = "SELECT " + sql.columns + " FROM " + sql.from + " " +
                     Where(sql, org, query, true, collate, params) + " ORDER BY " + sql.due +
                     ", (" + sql.ref + ")" + collate + ", (" + sql.key + ")" + collate;
  if (query.limit) {
    params.emplace_back(*query.limit);
    text += " LIMIT $" + std::to_string(params.size());
  }
  auto result = CERTUS_TRY(tx.Execute(text, params));
  std::vector<Task> tasks;
  tasks.reserve(result.rows.size());
  for (const auto& row : result.rows) {
    if (auto task = sql.make(row)) tasks.push_back(std::move(*task));
  }
  return tasks;
}

Expected<std::int64_t> TaskStore::Count(Tx& tx, const OrgId& org, Source source,
                                        const SourceQuery& query) {
  const SourceSql& sql = SqlOf(source);
  if (MatchesNothing(sql, query)) return 0;
  std::vector<storage::Value> params;
  const std::string where = Where(sql, org, query, false, {}, params);
  auto result = CERTUS_TRY(tx.Execute("SELECT COUNT(*) FROM " + sql.from + " " + where, params));
  return result.rows.at(0).Int(0);
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
