#include "modules/risk/register_store.hpp"

#include <algorithm>
#include <array>
#include <map>

#include "storage/keyset.hpp"

namespace certus::risk {

namespace {

/// Searches a risk's title, description, threat and vulnerability for `text`, as a
/// case-insensitive substring. On SQLite, from three characters on, through the trigram
/// index of migration 0023 (a phrase query: the text between double quotes, its own quotes
/// doubled); otherwise, and on PostgreSQL, with LIKE.
void AddRiskSearch(storage::Query& query, std::string_view text, storage::Dialect dialect) {
  const auto characters = std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U;  // not a UTF-8 continuation byte
  });
  if (dialect == storage::Dialect::kSqlite && characters >= 3) {
    std::string phrase = "\"";
    for (char c : text) phrase += c == '"' ? std::string("\"\"") : std::string(1, c);
    phrase += '"';
    query.sql += " AND risks.rowid IN (SELECT rowid FROM risks_search WHERE risks_search MATCH " +
                 query.Bind(std::move(phrase)) + ")";
    return;
  }
  query.AddTextSearch(text, {"title", "description", "threat", "vulnerability"});
}

storage::Value OptValue(const std::optional<std::string>& text) {
  if (!text) return nullptr;
  return *text;
}

storage::Value OptValue(const std::optional<std::int64_t>& number) {
  if (!number) return nullptr;
  return *number;
}

template <typename Enum, std::size_t N>
std::optional<Enum> ParseByName(std::string_view name, const std::array<Enum, N>& values,
                                std::string_view (*name_of)(Enum)) {
  for (Enum value : values) {
    if (name_of(value) == name) return value;
  }
  return std::nullopt;
}

template <typename Enum, std::size_t N>
std::vector<std::string> NamesOf(const std::array<Enum, N>& values,
                                 std::string_view (*name_of)(Enum)) {
  std::vector<std::string> names;
  names.reserve(N);
  for (Enum value : values) names.emplace_back(name_of(value));
  return names;
}

constexpr std::array kOptions = {TreatmentOption::kUndecided, TreatmentOption::kMitigate,
                                 TreatmentOption::kTransfer, TreatmentOption::kAvoid,
                                 TreatmentOption::kAccept};
constexpr std::array kRiskStatuses = {RiskStatus::kOpen, RiskStatus::kClosed};
constexpr std::array kActionStatuses = {ActionStatus::kPlanned, ActionStatus::kInProgress,
                                        ActionStatus::kDone, ActionStatus::kCancelled};

constexpr std::string_view kOpenStatuses = "('planned', 'in_progress')";

constexpr std::string_view kRiskColumns =
    "id, org_id, ref, title, description, threat, vulnerability, owner_id, likelihood, impact, "
    "inherent_score, inherent_level, treatment, treatment_rationale, transfer_to, "
    "residual_likelihood, residual_impact, residual_score, residual_level, status, "
    "last_assessed_on, next_review_on, accepted_by_id, accepted_by_email, accepted_at, "
    "acceptance_rationale, acceptance_expires_on, version, created_at, updated_at, "
    "(SELECT COUNT(*) FROM risk_treatments t WHERE t.risk_id = risks.id AND t.status IN "
    "('planned', 'in_progress'))";

/// kRiskColumns and the risk's links, one comma-separated text each (assets, controls): read
/// with the row through the links' primary keys, rather than by a second query over the
/// page's ids, which cost a tenth of a register page (ADR 0023).
std::string RiskColumns(storage::Dialect dialect) {
  const auto links = [dialect](std::string_view table, std::string_view column) {
    const std::string c(column);
    const std::string from = " FROM " + std::string(table) + " l WHERE l.risk_id = risks.id";
    if (dialect == storage::Dialect::kPostgres)
      return "(SELECT STRING_AGG(" + c + ", ',' ORDER BY " + c + ")" + from + ")";
    return "(SELECT GROUP_CONCAT(" + c + ", ',')" + from + ")";
  };
  return std::string(kRiskColumns) + ", " + links("risk_assets", "asset_id") + ", " +
         links("risk_controls", "control_id");
}

/// The ids of a comma-separated text, sorted (the API lists links in id order).
template <typename Id>
std::vector<Id> SplitIds(const std::optional<std::string>& text) {
  std::vector<Id> ids;
  if (!text || text->empty()) return ids;
  std::size_t start = 0;
  while (start <= text->size()) {
    auto comma = text->find(',', start);
    if (comma == std::string::npos) comma = text->size();
    ids.emplace_back(text->substr(start, comma - start));
    start = comma + 1;
  }
  std::sort(ids.begin(), ids.end(), [](const Id& a, const Id& b) { return a.str() < b.str(); });
  return ids;
}

Risk RiskFromRow(const storage::Row& row) {
  Risk r;
  r.id = RiskId(row.Text(0));
  r.org_id = OrgId(row.Text(1));
  r.ref = row.Text(2);
  r.title = row.Text(3);
  r.description = row.Text(4);
  r.threat = row.Text(5);
  r.vulnerability = row.Text(6);
  r.owner_id = UserId(row.Text(7));
  r.likelihood = row.Int(8);
  r.impact = row.Int(9);
  r.inherent_score = row.Int(10);
  r.inherent_level = row.Text(11);
  r.treatment = ParseTreatmentOption(row.Text(12)).value_or(TreatmentOption::kUndecided);
  r.treatment_rationale = row.Text(13);
  r.transfer_to = row.Text(14);
  r.residual_likelihood = row.OptInt(15);
  r.residual_impact = row.OptInt(16);
  r.residual_score = row.OptInt(17);
  r.residual_level = row.OptText(18);
  r.status = ParseRiskStatus(row.Text(19)).value_or(RiskStatus::kOpen);
  r.last_assessed_on = row.OptText(20);
  r.next_review_on = row.OptText(21);
  if (auto by = row.OptText(22)) {
    r.acceptance = Acceptance{*by, row.OptText(23).value_or(""), row.OptText(24).value_or(""),
                              row.OptText(25).value_or(""), row.OptText(26).value_or("")};
  }
  r.version = row.Int(27);
  r.created_at = row.Text(28);
  r.updated_at = row.Text(29);
  r.open_treatments = row.Int(30);
  r.asset_ids = SplitIds<AssetId>(row.OptText(31));
  r.control_ids = SplitIds<controls::ControlId>(row.OptText(32));
  return r;
}

constexpr std::string_view kTreatmentColumns =
    "id, org_id, ref, risk_id, title, description, owner_id, due_on, status, version, "
    "created_at, updated_at, completion_note, control_id";

Treatment TreatmentFromRow(const storage::Row& row) {
  Treatment t;
  t.id = TreatmentId(row.Text(0));
  t.org_id = OrgId(row.Text(1));
  t.ref = row.Text(2);
  t.risk_id = RiskId(row.Text(3));
  t.title = row.Text(4);
  t.description = row.Text(5);
  if (auto owner = row.OptText(6)) t.owner_id = UserId(*owner);
  t.due_on = row.OptText(7);
  t.status = ParseActionStatus(row.Text(8)).value_or(ActionStatus::kPlanned);
  t.version = row.Int(9);
  t.created_at = row.Text(10);
  t.updated_at = row.Text(11);
  t.completion_note = row.Text(12);
  if (auto control = row.OptText(13)) t.control_id = controls::ControlId(*control);
  return t;
}

/// The number of a ref such as R-0042, as text.
std::string RefNumber(const std::string& ref) {
  const auto dash = ref.find('-');
  if (dash == std::string::npos) return "0";
  std::size_t start = dash + 1;
  while (start + 1 < ref.size() && ref[start] == '0') ++start;
  return ref.substr(start);
}

const storage::SortKeys<Risk>& RiskSortKeys() {
  static const storage::SortKeys<Risk> kKeys = {
      // Refs sort by their number (R-9999 before R-10000): the number after "R-", which
      // migration 0012 indexes.
      {"ref",
       {"CAST(SUBSTR(ref, 3) AS INTEGER)", [](const Risk& r) { return RefNumber(r.ref); }, true}},
      {"title", {"title", [](const Risk& r) { return r.title; }}},
      {"inherent_score",
       {"inherent_score", [](const Risk& r) { return std::to_string(r.inherent_score); }, true}},
      {"residual_score",
       {"COALESCE(residual_score, 0)",
        [](const Risk& r) { return std::to_string(r.residual_score.value_or(0)); }, true}},
      {"next_review_on",
       {"COALESCE(next_review_on, '')",
        [](const Risk& r) { return r.next_review_on.value_or(""); }}},
      {"created_at", {"created_at", [](const Risk& r) { return r.created_at; }}},
      {"updated_at", {"updated_at", [](const Risk& r) { return r.updated_at; }}},
  };
  return kKeys;
}

const storage::SortKeys<Treatment>& TreatmentSortKeys() {
  static const storage::SortKeys<Treatment> kKeys = {
      {"ref", {"ref", [](const Treatment& t) { return t.ref; }}},
      {"title", {"title", [](const Treatment& t) { return t.title; }}},
      {"due_on",
       {"COALESCE(due_on, '')", [](const Treatment& t) { return t.due_on.value_or(""); }}},
      {"created_at", {"created_at", [](const Treatment& t) { return t.created_at; }}},
      {"updated_at", {"updated_at", [](const Treatment& t) { return t.updated_at; }}},
  };
  return kKeys;
}

}  // namespace

std::string_view TreatmentOptionName(TreatmentOption option) {
  switch (option) {
    case TreatmentOption::kUndecided: return "undecided";
    case TreatmentOption::kMitigate: return "mitigate";
    case TreatmentOption::kTransfer: return "transfer";
    case TreatmentOption::kAvoid: return "avoid";
    case TreatmentOption::kAccept: return "accept";
  }
  return "undecided";
}

std::optional<TreatmentOption> ParseTreatmentOption(std::string_view name) {
  return ParseByName(name, kOptions, &TreatmentOptionName);
}

const std::vector<std::string>& TreatmentOptionNames() {
  static const auto kNames = NamesOf(kOptions, &TreatmentOptionName);
  return kNames;
}

std::string_view RiskStatusName(RiskStatus status) {
  return status == RiskStatus::kClosed ? "closed" : "open";
}

std::optional<RiskStatus> ParseRiskStatus(std::string_view name) {
  return ParseByName(name, kRiskStatuses, &RiskStatusName);
}

const std::vector<std::string>& RiskStatusNames() {
  static const auto kNames = NamesOf(kRiskStatuses, &RiskStatusName);
  return kNames;
}

std::string_view ActionStatusName(ActionStatus status) {
  switch (status) {
    case ActionStatus::kPlanned: return "planned";
    case ActionStatus::kInProgress: return "in_progress";
    case ActionStatus::kDone: return "done";
    case ActionStatus::kCancelled: return "cancelled";
  }
  return "planned";
}

std::optional<ActionStatus> ParseActionStatus(std::string_view name) {
  return ParseByName(name, kActionStatuses, &ActionStatusName);
}

const std::vector<std::string>& ActionStatusNames() {
  static const auto kNames = NamesOf(kActionStatuses, &ActionStatusName);
  return kNames;
}

const std::vector<std::string>& RegisterStore::RiskSortFields() {
  static const auto kFields = storage::SortFieldsOf(RiskSortKeys());
  return kFields;
}

const std::vector<std::string>& RegisterStore::TreatmentSortFields() {
  static const auto kFields = storage::SortFieldsOf(TreatmentSortKeys());
  return kFields;
}

// ------------------------------------------------------------------ risks

namespace {

std::vector<storage::Value> RiskValues(const Risk& r) {
  const auto& a = r.acceptance;
  auto accepted = [&](std::string Acceptance::*field) -> storage::Value {
    if (!a) return nullptr;
    return (*a).*field;
  };
  return {r.id.str(),
          r.org_id.str(),
          r.ref,
          r.title,
          r.description,
          r.threat,
          r.vulnerability,
          r.owner_id.str(),
          r.likelihood,
          r.impact,
          r.inherent_score,
          r.inherent_level,
          std::string(TreatmentOptionName(r.treatment)),
          r.treatment_rationale,
          r.transfer_to,
          OptValue(r.residual_likelihood),
          OptValue(r.residual_impact),
          OptValue(r.residual_score),
          OptValue(r.residual_level),
          std::string(RiskStatusName(r.status)),
          OptValue(r.last_assessed_on),
          OptValue(r.next_review_on),
          accepted(&Acceptance::by_id),
          accepted(&Acceptance::by_email),
          accepted(&Acceptance::at),
          accepted(&Acceptance::rationale),
          accepted(&Acceptance::expires_on),
          r.version,
          r.created_at,
          r.updated_at};
}

constexpr std::string_view kInsertRisk =
    "INSERT INTO risks (id, org_id, ref, title, description, threat, vulnerability, owner_id, "
    "likelihood, impact, inherent_score, inherent_level, treatment, treatment_rationale, "
    "transfer_to, residual_likelihood, residual_impact, residual_score, residual_level, status, "
    "last_assessed_on, next_review_on, accepted_by_id, accepted_by_email, accepted_at, "
    "acceptance_rationale, acceptance_expires_on, version, created_at, updated_at) VALUES ";
constexpr std::size_t kRiskParams = 30;
/// Rows of one multi-row INSERT: 30 * 200 parameters stay far below the limits of both
/// engines (SQLite 32766, PostgreSQL 65535); full batches share one prepared statement.
constexpr std::size_t kRiskInsertBatch = 200;

std::string InsertRiskSql(std::size_t rows) {
  std::string sql(kInsertRisk);
  sql.reserve(kInsertRisk.size() + rows * kRiskParams * 6);
  for (std::size_t row = 0; row < rows; ++row) {
    sql += row == 0 ? "(" : ", (";
    for (std::size_t column = 0; column < kRiskParams; ++column) {
      if (column > 0) sql += ", ";
      sql += "$" + std::to_string(row * kRiskParams + column + 1);
    }
    sql += ")";
  }
  return sql;
}

}  // namespace

Expected<void> RegisterStore::InsertRisk(Tx& tx, const Risk& risk) {
  static const std::string kSql = InsertRiskSql(1);
  CERTUS_TRY(tx.Execute(kSql, RiskValues(risk)));
  return InsertLinks(tx, risk);
}

Expected<void> RegisterStore::InsertRisks(Tx& tx, const std::vector<Risk>& risks) {
  // SQLite runs in process: one prepared single-row statement is as fast as a multi-row one
  // (measured a little faster). PostgreSQL saves a round trip per row.
  if (tx.dialect() == storage::Dialect::kSqlite) {
    for (const auto& risk : risks) CERTUS_CHECK(InsertRisk(tx, risk));
    return {};
  }
  static const std::string kFullBatch = InsertRiskSql(kRiskInsertBatch);
  std::vector<storage::Value> params;
  for (std::size_t begin = 0; begin < risks.size(); begin += kRiskInsertBatch) {
    const std::size_t count = std::min(kRiskInsertBatch, risks.size() - begin);
    params.clear();
    params.reserve(count * kRiskParams);
    for (std::size_t i = begin; i < begin + count; ++i) {
      for (auto& value : RiskValues(risks[i])) params.push_back(std::move(value));
    }
    CERTUS_TRY(tx.Execute(count == kRiskInsertBatch ? kFullBatch : InsertRiskSql(count), params));
  }
  for (const auto& risk : risks) CERTUS_CHECK(InsertLinks(tx, risk));
  return {};
}

Expected<void> RegisterStore::InsertLinks(Tx& tx, const Risk& risk) {
  for (const auto& asset : risk.asset_ids) {
    CERTUS_TRY(tx.Execute(
        "INSERT INTO risk_assets (risk_id, asset_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        {risk.id.str(), asset.str()}));
  }
  // risk_controls belongs to the register: a risk names the controls that treat it; the
  // controls module only reads these links.
  for (const auto& control : risk.control_ids) {
    CERTUS_TRY(tx.Execute(
        "INSERT INTO risk_controls (risk_id, control_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        {risk.id.str(), control.str()}));
  }
  return {};
}

Expected<std::optional<Risk>> RegisterStore::FindRisk(Tx& tx, const OrgId& org, const RiskId& id) {
  auto result = CERTUS_TRY(tx.Execute(
      "SELECT " + RiskColumns(tx.dialect()) + " FROM risks WHERE org_id = $1 AND id = $2",
      {org.str(), id.str()}));
  if (result.rows.empty()) return std::nullopt;
  return RiskFromRow(result.rows[0]);
}

Expected<Page<Risk>> RegisterStore::ListRisks(Tx& tx, const OrgId& org, const RiskFilter& filter,
                                              const PageQuery& page) {
  // The risks of one asset are few: they are found from the asset's links (CROSS JOIN makes
  // SQLite start there) and sorted apart, rather than by walking the whole register in the
  // sort's index until a page of them turns up.
  storage::Query query{"SELECT " + RiskColumns(tx.dialect()) + " FROM " +
                           (filter.asset_id ? "risk_assets ra CROSS JOIN risks" : "risks") +
                           " WHERE org_id = $1",
                       {org.str()}};
  if (filter.treatment) {
    query.sql +=
        " AND treatment = " + query.Bind(std::string(TreatmentOptionName(*filter.treatment)));
  }
  if (filter.status) {
    query.sql += " AND status = " + query.Bind(std::string(RiskStatusName(*filter.status)));
  }
  if (filter.owner_id) query.sql += " AND owner_id = " + query.Bind(filter.owner_id->str());
  if (filter.level) query.sql += " AND inherent_level = " + query.Bind(*filter.level);
  if (filter.asset_id) {
    query.sql +=
        " AND ra.asset_id = " + query.Bind(filter.asset_id->str()) + " AND risks.id = ra.risk_id";
  }
  if (filter.text) AddRiskSearch(query, *filter.text, tx.dialect());
  // The expressions of the indexes of migration 0012, so that a cell is a range of one.
  if (filter.likelihood) {
    query.sql += std::string(filter.residual ? " AND COALESCE(residual_likelihood, likelihood) = "
                                             : " AND likelihood = ") +
                 query.Bind(*filter.likelihood);
  }
  if (filter.impact) {
    query.sql += std::string(filter.residual ? " AND COALESCE(residual_impact, impact) = "
                                             : " AND impact = ") +
                 query.Bind(*filter.impact);
  }
  return storage::RunKeysetPage(tx, std::move(query), RiskSortKeys(), page, RiskFromRow);
}

Expected<bool> RegisterStore::UpdateRisk(Tx& tx, const Risk& before, const Risk& after) {
  const Risk& risk = after;
  auto values = RiskValues(risk);
  values.push_back(before.version);
  auto result = CERTUS_TRY(tx.Execute(
      "UPDATE risks SET title = $4, description = $5, threat = $6, vulnerability = $7, "
      "owner_id = $8, likelihood = $9, impact = $10, inherent_score = $11, inherent_level = $12, "
      "treatment = $13, treatment_rationale = $14, transfer_to = $15, residual_likelihood = $16, "
      "residual_impact = $17, residual_score = $18, residual_level = $19, status = $20, "
      "last_assessed_on = $21, next_review_on = $22, accepted_by_id = $23, "
      "accepted_by_email = $24, accepted_at = $25, acceptance_rationale = $26, "
      "acceptance_expires_on = $27, version = $28, updated_at = $30 "
      "WHERE id = $1 AND org_id = $2 AND ref = $3 AND created_at = $29 AND version = $31",
      values));
  if (result.affected != 1) return false;
  // Most edits (a re-rating, a treatment decided) leave the links alone.
  Risk links = after;
  if (before.asset_ids == after.asset_ids) {
    links.asset_ids.clear();
  } else {
    CERTUS_TRY(tx.Execute("DELETE FROM risk_assets WHERE risk_id = $1", {risk.id.str()}));
  }
  if (before.control_ids == after.control_ids) {
    links.control_ids.clear();
  } else {
    CERTUS_TRY(tx.Execute("DELETE FROM risk_controls WHERE risk_id = $1", {risk.id.str()}));
  }
  CERTUS_CHECK(InsertLinks(tx, links));
  return true;
}

Expected<bool> RegisterStore::DeleteRisk(Tx& tx, const OrgId& org, const RiskId& id,
                                         std::int64_t expected_version) {
  CERTUS_TRY(tx.Execute("DELETE FROM risk_assets WHERE risk_id = $1", {id.str()}));
  CERTUS_TRY(tx.Execute("DELETE FROM risk_controls WHERE risk_id = $1", {id.str()}));
  auto result =
      CERTUS_TRY(tx.Execute("DELETE FROM risks WHERE org_id = $1 AND id = $2 AND version = $3",
                            {org.str(), id.str(), expected_version}));
  return result.affected == 1;
}

Expected<std::int64_t> RegisterStore::CountAssets(Tx& tx, const OrgId& org,
                                                  const std::vector<AssetId>& ids) {
  std::int64_t found = 0;
  for (const auto& id : ids) {
    auto result = CERTUS_TRY(
        tx.Execute("SELECT 1 FROM assets WHERE org_id = $1 AND id = $2", {org.str(), id.str()}));
    found += result.rows.empty() ? 0 : 1;
  }
  return found;
}

namespace {

/// The organization's controls among `ids`: (ref_id, excluded), excluded meaning decided not
/// applicable (undecided is not excluded). A read of the controls
/// module's table, to validate links in the same transaction. Looked up by primary key, the
/// organization checked on each row: with `org_id = $1` in the WHERE, SQLite walks the whole
/// SoA by its org_id index as soon as a dozen ids are asked for (ADR 0024).
Expected<std::vector<std::pair<std::string, bool>>> ControlsAmong(
    storage::Transaction& tx, const OrgId& org, const std::vector<controls::ControlId>& ids) {
  std::vector<std::pair<std::string, bool>> found;
  if (ids.empty()) return found;
  storage::Query query{"SELECT org_id, ref_id, applicable FROM controls WHERE id IN (", {}};
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i > 0) query.sql += ", ";
    query.sql += query.Bind(ids[i].str());
  }
  query.sql += ")";
  auto result = CERTUS_TRY(tx.Execute(query.sql, query.params));
  for (const auto& row : result.rows) {
    if (row.Text(0) != org.str()) continue;  // another organization's: not one of ours
    found.emplace_back(row.Text(1), row.OptInt(2) == std::optional<std::int64_t>(0));
  }
  return found;
}

}  // namespace

Expected<std::int64_t> RegisterStore::CountControls(Tx& tx, const OrgId& org,
                                                    const std::vector<controls::ControlId>& ids) {
  return static_cast<std::int64_t>(CERTUS_TRY(ControlsAmong(tx, org, ids)).size());
}

Expected<std::vector<std::string>> RegisterStore::ExcludedControls(
    Tx& tx, const OrgId& org, const std::vector<controls::ControlId>& ids) {
  const auto found = CERTUS_TRY(ControlsAmong(tx, org, ids));
  std::vector<std::string> refs;
  for (const auto& [ref, excluded] : found) {
    if (excluded) refs.push_back(ref);
  }
  std::sort(refs.begin(), refs.end());
  return refs;
}

Expected<std::int64_t> RegisterStore::CountTreatments(Tx& tx, const OrgId& org, const RiskId& risk,
                                                      bool open_only) {
  std::string sql = "SELECT COUNT(*) FROM risk_treatments WHERE org_id = $1 AND risk_id = $2";
  if (open_only) sql += " AND status IN " + std::string(kOpenStatuses);
  auto result = CERTUS_TRY(tx.Execute(sql, {org.str(), risk.str()}));
  return result.rows[0].Int(0);
}

// ------------------------------------------------------------------ treatments

Expected<void> RegisterStore::InsertTreatment(Tx& tx, const Treatment& t) {
  CERTUS_TRY(tx.Execute(
      "INSERT INTO risk_treatments (id, org_id, ref, risk_id, title, description, owner_id, "
      "due_on, status, version, created_at, updated_at, completion_note, control_id) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
      {t.id.str(), t.org_id.str(), t.ref, t.risk_id.str(), t.title, t.description,
       t.owner_id ? storage::Value(t.owner_id->str()) : storage::Value(nullptr), OptValue(t.due_on),
       std::string(ActionStatusName(t.status)), t.version, t.created_at, t.updated_at,
       t.completion_note,
       t.control_id ? storage::Value(t.control_id->str()) : storage::Value(nullptr)}));
  return {};
}

Expected<std::optional<Treatment>> RegisterStore::FindTreatment(Tx& tx, const OrgId& org,
                                                                const TreatmentId& id) {
  auto result = CERTUS_TRY(tx.Execute(std::string("SELECT ") + std::string(kTreatmentColumns) +
                                          " FROM risk_treatments WHERE org_id = $1 AND id = $2",
                                      {org.str(), id.str()}));
  if (result.rows.empty()) return std::nullopt;
  return TreatmentFromRow(result.rows[0]);
}

Expected<Page<Treatment>> RegisterStore::ListTreatments(Tx& tx, const OrgId& org,
                                                        const TreatmentFilter& filter,
                                                        const PageQuery& page) {
  storage::Query query{std::string("SELECT ") + std::string(kTreatmentColumns) +
                           " FROM risk_treatments WHERE org_id = $1",
                       {org.str()}};
  if (filter.risk_id) query.sql += " AND risk_id = " + query.Bind(filter.risk_id->str());
  if (filter.status) {
    query.sql += " AND status = " + query.Bind(std::string(ActionStatusName(*filter.status)));
  }
  if (filter.owner_id) query.sql += " AND owner_id = " + query.Bind(filter.owner_id->str());
  if (filter.overdue_before) {
    query.sql += " AND due_on IS NOT NULL AND due_on < " + query.Bind(*filter.overdue_before) +
                 " AND status IN " + std::string(kOpenStatuses);
  }
  return storage::RunKeysetPage(tx, std::move(query), TreatmentSortKeys(), page, TreatmentFromRow);
}

Expected<bool> RegisterStore::UpdateTreatment(Tx& tx, const Treatment& t,
                                              std::int64_t expected_version) {
  auto result = CERTUS_TRY(tx.Execute(
      "UPDATE risk_treatments SET risk_id = $3, title = $4, description = $5, owner_id = $6, "
      "due_on = $7, status = $8, version = $9, updated_at = $10, completion_note = $12, "
      "control_id = $13 WHERE org_id = $1 AND id = $2 AND version = $11",
      {t.org_id.str(), t.id.str(), t.risk_id.str(), t.title, t.description,
       t.owner_id ? storage::Value(t.owner_id->str()) : storage::Value(nullptr), OptValue(t.due_on),
       std::string(ActionStatusName(t.status)), t.version, t.updated_at, expected_version,
       t.completion_note,
       t.control_id ? storage::Value(t.control_id->str()) : storage::Value(nullptr)}));
  return result.affected == 1;
}

Expected<bool> RegisterStore::DeleteTreatment(Tx& tx, const OrgId& org, const TreatmentId& id,
                                              std::int64_t expected_version) {
  auto result = CERTUS_TRY(
      tx.Execute("DELETE FROM risk_treatments WHERE org_id = $1 AND id = $2 AND version = $3",
                 {org.str(), id.str(), expected_version}));
  return result.affected == 1;
}

Expected<std::vector<Treatment>> RegisterStore::TreatmentsOf(Tx& tx, const OrgId& org,
                                                             const std::vector<RiskId>& risks) {
  std::vector<Treatment> actions;
  if (risks.empty()) return actions;
  storage::Query query{std::string("SELECT ") + std::string(kTreatmentColumns) +
                           " FROM risk_treatments WHERE org_id = $1 AND risk_id IN (",
                       {org.str()}};
  for (std::size_t i = 0; i < risks.size(); ++i) {
    query.sql += (i == 0 ? "" : ", ") + query.Bind(risks[i].str());
  }
  query.sql += ") ORDER BY COALESCE(due_on, '9999-12-31'), ref";
  auto result = CERTUS_TRY(tx.Execute(query.sql, query.params));
  actions.reserve(result.rows.size());
  for (const auto& row : result.rows) actions.push_back(TreatmentFromRow(row));
  return actions;
}

Expected<std::map<std::string, RiskId>> RegisterStore::RiskIdsByRef(Tx& tx, const OrgId& org) {
  auto result = CERTUS_TRY(tx.Execute("SELECT ref, id FROM risks WHERE org_id = $1", {org.str()}));
  std::map<std::string, RiskId> ids;
  for (const auto& row : result.rows) ids.emplace(row.Text(0), RiskId(row.Text(1)));
  return ids;
}

Expected<std::int64_t> RegisterStore::ReserveRiskNumbers(Tx& tx, const OrgId& org,
                                                         std::int64_t count) {
  // The row storage::NextCounter keeps (org_counters), advanced by `count` in one statement.
  CERTUS_TRY(
      tx.Execute("INSERT INTO org_counters (org_id, name, value) VALUES ($1, 'risk', 0) "
                 "ON CONFLICT (org_id, name) DO NOTHING",
                 {org.str()}));
  auto updated = CERTUS_TRY(
      tx.Execute("UPDATE org_counters SET value = value + $2 WHERE org_id = $1 AND name = 'risk' "
                 "RETURNING value",
                 {org.str(), count}));
  return updated.rows.at(0).Int(0) - count + 1;
}

}  // namespace certus::risk
