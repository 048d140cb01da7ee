#include "modules/risk/assessment_store.hpp"

#include <map>
#include <utility>

#include <boost/json.hpp>

#include "modules/risk/json.hpp"
#include "storage/keyset.hpp"

namespace certus::risk {

namespace {

/// The columns a rated risk has, in `risks` and in `risk_assessment_rows` alike (the latter
/// names the first one risk_id).
constexpr std::string_view kRatedColumns =
    "ref, title, description, threat, vulnerability, owner_id, likelihood, impact, "
    "inherent_score, inherent_level, treatment, treatment_rationale, transfer_to, "
    "residual_likelihood, residual_impact, residual_score, residual_level, status, "
    "last_assessed_on, next_review_on, accepted_by_email, acceptance_expires_on";

RatedRisk RatedFromRow(const storage::Row& row) {
  RatedRisk r;
  r.id = RiskId(row.Text(0));
  r.ref = row.Text(1);
  r.title = row.Text(2);
  r.description = row.Text(3);
  r.threat = row.Text(4);
  r.vulnerability = row.Text(5);
  r.owner_id = UserId(row.Text(6));
  r.likelihood = row.Int(7);
  r.impact = row.Int(8);
  r.inherent_score = row.Int(9);
  r.inherent_level = row.Text(10);
  r.treatment = row.Text(11);
  r.treatment_rationale = row.Text(12);
  r.transfer_to = row.Text(13);
  r.residual_likelihood = row.OptInt(14);
  r.residual_impact = row.OptInt(15);
  r.residual_score = row.OptInt(16);
  r.residual_level = row.OptText(17);
  r.status = row.Text(18);
  r.last_assessed_on = row.OptText(19);
  r.next_review_on = row.OptText(20);
  r.accepted_by_email = row.OptText(21);
  r.acceptance_expires_on = row.OptText(22);
  return r;
}

constexpr std::string_view kAssessmentColumns =
    "id, org_id, ref, name, notes, taken_by_id, taken_by_email, taken_at, methodology_version, "
    "methodology_json, risk_count";

RiskAssessment AssessmentFromRow(const storage::Row& row) {
  RiskAssessment a;
  a.id = AssessmentId(row.Text(0));
  a.org_id = OrgId(row.Text(1));
  a.ref = row.Text(2);
  a.name = row.Text(3);
  a.notes = row.Text(4);
  a.taken_by_id = row.Text(5);
  a.taken_by_email = row.Text(6);
  a.taken_at = row.Text(7);
  a.methodology_version = row.Int(8);
  a.methodology = CriteriaFromJson(boost::json::parse(row.Text(9)));
  a.risk_count = row.Int(10);
  return a;
}

const storage::SortKey<RiskAssessment> kByTakenAt{
    "taken_at", [](const RiskAssessment& a) { return a.taken_at; }};

}  // namespace

Expected<std::int64_t> AssessmentStore::CountRisks(Tx& tx, const OrgId& org) {
  auto result = CERTUS_TRY(tx.Execute("SELECT COUNT(*) FROM risks WHERE org_id = $1", {org.str()}));
  return result.rows.at(0).Int(0);
}

Expected<std::int64_t> AssessmentStore::Insert(Tx& tx, const RiskAssessment& a) {
  CERTUS_TRY(tx.Execute("INSERT INTO risk_assessments (" + std::string(kAssessmentColumns) +
                            ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                        {a.id.str(), a.org_id.str(), a.ref, a.name, a.notes, a.taken_by_id,
                         a.taken_by_email, a.taken_at, a.methodology_version,
                         boost::json::serialize(CriteriaJson(a.methodology)), a.risk_count}));
  auto copied =
      CERTUS_TRY(tx.Execute("INSERT INTO risk_assessment_rows (assessment_id, risk_id, " +
                                std::string(kRatedColumns) + ") SELECT CAST($1 AS TEXT), id, " +
                                std::string(kRatedColumns) + " FROM risks WHERE org_id = $2",
                            {a.id.str(), a.org_id.str()}));
  return copied.affected;
}

Expected<std::optional<RiskAssessment>> AssessmentStore::Find(Tx& tx, const OrgId& org,
                                                              const AssessmentId& id) {
  auto result = CERTUS_TRY(tx.Execute("SELECT " + std::string(kAssessmentColumns) +
                                          " FROM risk_assessments WHERE org_id = $1 AND id = $2",
                                      {org.str(), id.str()}));
  if (result.rows.empty()) return std::nullopt;
  return AssessmentFromRow(result.rows[0]);
}

Expected<Page<RiskAssessment>> AssessmentStore::List(Tx& tx, const OrgId& org,
                                                     const PageQuery& page) {
  storage::Query query{
      "SELECT " + std::string(kAssessmentColumns) + " FROM risk_assessments WHERE org_id = $1",
      {org.str()}};
  return storage::RunKeysetPage(tx, std::move(query), kByTakenAt, page, AssessmentFromRow);
}

Expected<std::vector<RatedRisk>> AssessmentStore::Rows(Tx& tx, const AssessmentId& id,
                                                       const std::optional<std::string>& after_ref,
                                                       int limit) {
  storage::Query query{"SELECT risk_id, " + std::string(kRatedColumns) +
                           " FROM risk_assessment_rows WHERE assessment_id = $1",
                       {id.str()}};
  if (after_ref) query.sql += " AND ref > " + query.Bind(*after_ref);
  query.sql += " ORDER BY ref LIMIT " + query.Bind(static_cast<std::int64_t>(limit));
  auto result = CERTUS_TRY(tx.Execute(query.sql, query.params));
  std::vector<RatedRisk> rows;
  rows.reserve(result.rows.size());
  for (const auto& row : result.rows) rows.push_back(RatedFromRow(row));
  return rows;
}

Expected<std::vector<RatedRisk>> AssessmentStore::AllRows(Tx& tx, const OrgId& org,
                                                          const std::optional<AssessmentId>& id) {
  auto result = CERTUS_TRY(
      id ? tx.Execute("SELECT risk_id, " + std::string(kRatedColumns) +
                          " FROM risk_assessment_rows WHERE assessment_id = $1 ORDER BY ref",
                      {id->str()})
         : tx.Execute("SELECT id, " + std::string(kRatedColumns) +
                          " FROM risks WHERE org_id = $1 ORDER BY ref",
                      {org.str()}));
  std::vector<RatedRisk> rows;
  rows.reserve(result.rows.size());
  for (const auto& row : result.rows) rows.push_back(RatedFromRow(row));
  return rows;
}

Expected<std::vector<AssessmentStore::RatingCount>> AssessmentStore::CountOpenRatings(
    Tx& tx, const OrgId& org, bool residual, bool with_ids) {
  // Grouped by the columns of the index risks_org_status_ratings (migration 0012) in its
  // order, so the database reads the index alone and never sorts; the residual basis merges
  // the groups here. The residual rating is set as a pair (RegisterService): a risk without
  // one counts at its inherent rating.
  std::string ids;
  if (with_ids) {
    // One text per group, split here: far cheaper than a row per risk through the driver.
    ids = tx.dialect() == storage::Dialect::kPostgres ? ", STRING_AGG(id, ',' ORDER BY id)"
                                                      : ", GROUP_CONCAT(id, ',')";
  }
  auto result = CERTUS_TRY(tx.Execute(
      "SELECT likelihood, impact, residual_likelihood, residual_impact, COUNT(*)" + ids +
          " FROM risks WHERE org_id = $1 AND status = 'open' GROUP BY likelihood, impact, "
          "residual_likelihood, residual_impact",
      {org.str()}));
  std::map<std::pair<std::int64_t, std::int64_t>, RatingCount> cells;
  for (const auto& row : result.rows) {
    const bool unrated = row.IsNull(2) || row.IsNull(3);
    const std::int64_t likelihood = residual && !unrated ? row.Int(2) : row.Int(0);
    const std::int64_t impact = residual && !unrated ? row.Int(3) : row.Int(1);
    auto& cell = cells[{likelihood, impact}];
    cell.likelihood = likelihood;
    cell.impact = impact;
    cell.count += row.Int(4);
    if (unrated) cell.without_residual += row.Int(4);
    if (with_ids && !row.IsNull(5)) {
      const auto& text = std::get<std::string>(row.at(5));
      cell.ids.reserve(static_cast<std::size_t>(cell.count));
      std::size_t start = 0;
      while (start <= text.size()) {
        auto comma = text.find(',', start);
        if (comma == std::string::npos) comma = text.size();
        cell.ids.emplace_back(text, start, comma - start);
        start = comma + 1;
      }
    }
  }
  std::vector<RatingCount> counts;
  counts.reserve(cells.size());
  for (auto& [key, cell] : cells) counts.push_back(std::move(cell));
  return counts;
}

Expected<std::vector<RatedRisk>> AssessmentStore::PlanRisks(
    Tx& tx, const OrgId& org, const std::optional<std::string>& after_ref, int limit) {
  storage::Query query{
      "SELECT id, " + std::string(kRatedColumns) +
          " FROM risks WHERE org_id = $1 AND status = 'open' AND (treatment IN ('mitigate', "
          "'transfer', 'avoid') OR EXISTS (SELECT 1 FROM risk_treatments t WHERE t.risk_id = "
          "risks.id))",
      {org.str()}};
  if (after_ref) query.sql += " AND ref > " + query.Bind(*after_ref);
  query.sql += " ORDER BY ref LIMIT " + query.Bind(static_cast<std::int64_t>(limit));
  auto result = CERTUS_TRY(tx.Execute(query.sql, query.params));
  std::vector<RatedRisk> rows;
  rows.reserve(result.rows.size());
  for (const auto& row : result.rows) rows.push_back(RatedFromRow(row));
  return rows;
}

}  // namespace certus::risk
