#include "modules/controls/store.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <tuple>
#include <utility>

#include <boost/json.hpp>

#include "storage/keyset.hpp"

namespace certus::controls {

namespace {

constexpr std::array kStatuses = {ImplementationStatus::kNotStarted, ImplementationStatus::kPlanned,
                                  ImplementationStatus::kPartiallyImplemented,
                                  ImplementationStatus::kImplemented};

// The owner's email comes from identity's users table (see the class comment).
constexpr std::string_view kColumns =
    "id, org_id, ref_id, title, framework_id, theme, custom, applicable, justification, "
    "inclusion_reasons, implementation_status, owner_id, implementation, last_reviewed_on, "
    "sort_key, version, created_at, updated_at, "
    "(SELECT u.email FROM users u WHERE u.id = controls.owner_id)";

// Implementation status in the order of progress, for sorting.
constexpr std::string_view kStatusRank =
    "CASE implementation_status WHEN 'not_started' THEN 0 WHEN 'planned' THEN 1 "
    "WHEN 'partially_implemented' THEN 2 ELSE 3 END";

std::vector<std::string> ParseReasons(const std::string& text) {
  std::vector<std::string> reasons;
  boost::system::error_code ec;
  auto value = boost::json::parse(text, ec);
  if (ec || !value.is_array()) return reasons;
  for (const auto& item : value.as_array()) {
    if (item.is_string()) reasons.emplace_back(item.as_string());
  }
  return reasons;
}

std::string ReasonsText(const std::vector<std::string>& reasons) {
  boost::json::array array;
  for (const auto& reason : reasons) array.emplace_back(reason);
  return boost::json::serialize(array);
}

Control FromRow(const storage::Row& row) {
  Control c;
  c.id = ControlId(row.Text(0));
  c.org_id = OrgId(row.Text(1));
  c.ref_id = row.Text(2);
  c.title = row.Text(3);
  c.framework_id = row.OptText(4);
  c.theme = row.Text(5);
  c.custom = row.Bool(6);
  if (auto applicable = row.OptInt(7)) c.applicable = *applicable != 0;
  c.justification = row.Text(8);
  c.inclusion_reasons = ParseReasons(row.Text(9));
  c.implementation_status =
      ParseImplementationStatus(row.Text(10)).value_or(ImplementationStatus::kNotStarted);
  if (auto owner = row.OptText(11)) c.owner_id = UserId(*owner);
  c.implementation = row.Text(12);
  c.last_reviewed_on = row.OptText(13);
  c.sort_key = row.Text(14);
  c.version = row.Int(15);
  c.created_at = row.Text(16);
  c.updated_at = row.Text(17);
  c.owner_email = row.OptText(18);
  return c;
}

std::vector<storage::Value> Values(const Control& c) {
  return {
      c.id.str(),
      c.org_id.str(),
      c.ref_id,
      c.title,
      c.framework_id ? storage::Value(*c.framework_id) : storage::Value(nullptr),
      c.theme,
      std::int64_t{c.custom ? 1 : 0},
      c.applicable ? storage::Value(std::int64_t{*c.applicable ? 1 : 0}) : storage::Value(nullptr),
      c.justification,
      ReasonsText(c.inclusion_reasons),
      std::string(ImplementationStatusName(c.implementation_status)),
      c.owner_id ? storage::Value(c.owner_id->str()) : storage::Value(nullptr),
      c.implementation,
      c.last_reviewed_on ? storage::Value(*c.last_reviewed_on) : storage::Value(nullptr),
      c.sort_key,
      c.version,
      c.created_at,
      c.updated_at};
}

std::int64_t StatusRank(ImplementationStatus status) {
  switch (status) {
    case ImplementationStatus::kNotStarted: return 0;
    case ImplementationStatus::kPlanned: return 1;
    case ImplementationStatus::kPartiallyImplemented: return 2;
    case ImplementationStatus::kImplemented: return 3;
  }
  return 0;
}

const storage::SortKeys<Control>& SortKeys() {
  static const storage::SortKeys<Control> kKeys = {
      {"ref_id", {"sort_key", [](const Control& c) { return c.sort_key; }}},
      {"title", {"title", [](const Control& c) { return c.title; }}},
      {"implementation_status",
       {kStatusRank,
        [](const Control& c) { return std::to_string(StatusRank(c.implementation_status)); },
        true}},
      {"updated_at", {"updated_at", [](const Control& c) { return c.updated_at; }}},
  };
  return kKeys;
}

constexpr std::string_view kVersionColumns =
    "id, org_id, number, notes, approved_by_id, approved_by_email, approved_at, row_count, "
    "sha256";

SoaVersion VersionFromRow(const storage::Row& row) {
  SoaVersion v;
  v.id = SoaVersionId(row.Text(0));
  v.org_id = OrgId(row.Text(1));
  v.number = row.Int(2);
  v.notes = row.Text(3);
  v.approved_by_id = row.Text(4);
  v.approved_by_email = row.Text(5);
  v.approved_at = row.Text(6);
  v.row_count = row.Int(7);
  v.sha256 = row.Text(8);
  if (row.size() > 9) v.rows_json = row.Text(9);
  return v;
}

const storage::SortKeys<SoaVersion>& VersionSortKeys() {
  static const storage::SortKeys<SoaVersion> kKeys = {
      {"number", {"number", [](const SoaVersion& v) { return std::to_string(v.number); }, true}},
  };
  return kKeys;
}

std::string Select() { return "SELECT " + std::string(kColumns) + " FROM controls"; }

}  // namespace

std::string_view ImplementationStatusName(ImplementationStatus status) {
  switch (status) {
    case ImplementationStatus::kNotStarted: return "not_started";
    case ImplementationStatus::kPlanned: return "planned";
    case ImplementationStatus::kPartiallyImplemented: return "partially_implemented";
    case ImplementationStatus::kImplemented: return "implemented";
  }
  return "not_started";
}

std::optional<ImplementationStatus> ParseImplementationStatus(std::string_view name) {
  for (auto status : kStatuses) {
    if (ImplementationStatusName(status) == name) return status;
  }
  return std::nullopt;
}

const std::vector<std::string>& ImplementationStatusNames() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> names;
    names.reserve(kStatuses.size());
    for (auto status : kStatuses) names.emplace_back(ImplementationStatusName(status));
    return names;
  }();
  return kNames;
}

std::vector<std::string> Control::AllInclusionReasons() const {
  std::vector<std::string> reasons;
  reasons.reserve(inclusion_reasons.size() + 1);
  if (!risks.empty()) reasons.emplace_back(kRiskTreatmentReason);
  for (const auto& reason : inclusion_reasons) reasons.push_back(reason);
  return reasons;
}

std::vector<LinkedEvidence> Control::CurrentEvidence() const {
  std::vector<LinkedEvidence> current;
  for (const auto& item : evidence) {
    if (!item.archived) current.push_back(item);
  }
  return current;
}

std::string NaturalSortKey(std::string_view ref) {
  constexpr std::size_t kWidth = 6;
  std::string key;
  key.reserve(ref.size() + 16);
  std::size_t i = 0;
  while (i < ref.size()) {
    if (ref[i] >= '0' && ref[i] <= '9') {
      std::size_t end = i;
      while (end < ref.size() && ref[end] >= '0' && ref[end] <= '9') ++end;
      if (end - i < kWidth) key.append(kWidth - (end - i), '0');
      key.append(ref.substr(i, end - i));
      i = end;
    } else {
      key += ref[i++];
    }
  }
  return key;
}

const std::vector<std::string>& ControlStore::SortFields() {
  static const auto kFields = storage::SortFieldsOf(SortKeys());
  return kFields;
}

Expected<bool> ControlStore::HasFrameworkRows(Tx& tx, const OrgId& org,
                                              const std::string& framework_id) {
  auto result = CERTUS_TRY(
      tx.Execute("SELECT 1 FROM controls WHERE org_id = $1 AND framework_id = $2 LIMIT 1",
                 {org.str(), framework_id}));
  return !result.rows.empty();
}

Expected<bool> ControlStore::InsertIfAbsent(Tx& tx, const Control& control) {
  auto result = CERTUS_TRY(tx.Execute(
      "INSERT INTO controls (id, org_id, ref_id, title, framework_id, theme, custom, applicable, "
      "justification, inclusion_reasons, implementation_status, owner_id, implementation, "
      "last_reviewed_on, sort_key, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, "
      "$6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) "
      "ON CONFLICT (org_id, ref_id) DO NOTHING",
      Values(control)));
  return result.affected == 1;
}

Expected<std::optional<Control>> ControlStore::Find(Tx& tx, const OrgId& org, const ControlId& id) {
  auto result =
      CERTUS_TRY(tx.Execute(Select() + " WHERE org_id = $1 AND id = $2", {org.str(), id.str()}));
  if (result.rows.empty()) return std::nullopt;
  std::vector<Control> found{FromRow(result.rows[0])};
  CERTUS_CHECK(LoadRisks(tx, found));
  return std::move(found[0]);
}

Expected<std::optional<Control>> ControlStore::FindByRef(Tx& tx, const OrgId& org,
                                                         const std::string& ref_id) {
  auto result =
      CERTUS_TRY(tx.Execute(Select() + " WHERE org_id = $1 AND ref_id = $2", {org.str(), ref_id}));
  if (result.rows.empty()) return std::nullopt;
  std::vector<Control> found{FromRow(result.rows[0])};
  CERTUS_CHECK(LoadRisks(tx, found));
  return std::move(found[0]);
}

Expected<Page<Control>> ControlStore::List(Tx& tx, const OrgId& org, const ControlFilter& filter,
                                           const PageQuery& page) {
  storage::Query query{Select() + " WHERE org_id = $1", {org.str()}};
  if (filter.theme) query.sql += " AND theme = " + query.Bind(*filter.theme);
  if (filter.applicable) {
    switch (*filter.applicable) {
      case ApplicabilityFilter::kApplicable: query.sql += " AND applicable = 1"; break;
      case ApplicabilityFilter::kExcluded: query.sql += " AND applicable = 0"; break;
      case ApplicabilityFilter::kUndecided: query.sql += " AND applicable IS NULL"; break;
    }
  }
  if (filter.implementation_status) {
    query.sql += " AND implementation_status = " +
                 query.Bind(std::string(ImplementationStatusName(*filter.implementation_status)));
  }
  if (filter.owner_id) query.sql += " AND owner_id = " + query.Bind(filter.owner_id->str());
  if (filter.text) {
    query.AddTextSearch(*filter.text, {"ref_id", "title", "justification", "implementation"});
  }
  auto out = CERTUS_TRY(storage::RunKeysetPage(tx, std::move(query), SortKeys(), page, FromRow));
  CERTUS_CHECK(LoadRisks(tx, out.items));
  return out;
}

Expected<std::vector<ControlSummary>> ControlStore::Summaries(Tx& tx, const OrgId& org,
                                                              const std::vector<ControlId>& ids) {
  std::vector<ControlSummary> out;
  if (ids.empty()) return out;
  // Looked up by primary key, the organization checked on each row, and sorted here: with
  // `org_id = $1` in the WHERE or an ORDER BY, SQLite walks the organization's whole SoA by
  // an org_id index instead of looking the ids up (ADR 0024).
  storage::Query query{"SELECT id, ref_id, title, sort_key, org_id FROM controls WHERE id IN (",
                       {}};
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i > 0) query.sql += ", ";
    query.sql += query.Bind(ids[i].str());
  }
  query.sql += ")";
  auto result = CERTUS_TRY(tx.Execute(query.sql, query.params));
  std::vector<std::pair<std::string, ControlSummary>> keyed;
  keyed.reserve(result.rows.size());
  for (const auto& row : result.rows) {
    if (row.Text(4) != org.str()) continue;  // another organization's: not one of ours
    keyed.push_back({row.Text(3), {ControlId(row.Text(0)), row.Text(1), row.Text(2)}});
  }
  std::sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) {
    return std::tie(a.first, a.second.id) < std::tie(b.first, b.second.id);
  });
  out.reserve(keyed.size());
  for (auto& [key, summary] : keyed) out.push_back(std::move(summary));
  return out;
}

Expected<std::vector<Control>> ControlStore::ListAll(Tx& tx, const OrgId& org) {
  auto controls = CERTUS_TRY(ListDecisions(tx, org));
  CERTUS_CHECK(LoadRisks(tx, controls));
  return controls;
}

Expected<std::vector<Control>> ControlStore::ListDecisions(Tx& tx, const OrgId& org) {
  auto result =
      CERTUS_TRY(tx.Execute(Select() + " WHERE org_id = $1 ORDER BY sort_key, id", {org.str()}));
  std::vector<Control> controls;
  controls.reserve(result.rows.size());
  for (const auto& row : result.rows) controls.push_back(FromRow(row));
  return controls;
}

Expected<void> ControlStore::LoadRisks(Tx& tx, std::vector<Control>& controls) {
  if (controls.empty()) return {};
  // One query for the whole page: the risk register's links to these controls.
  storage::Query query{
      // CROSS JOIN: SQLite takes the links of these controls first, then each risk by its
      // key; with JOIN it walked the organization's every risk (PostgreSQL plans both alike).
      "SELECT rc.control_id, r.id, r.ref, r.title, r.treatment FROM risk_controls rc "
      "CROSS JOIN risks r WHERE r.id = rc.risk_id AND r.org_id = $1 AND rc.control_id IN (",
      {controls.front().org_id.str()}};
  std::map<std::string, Control*> by_id;
  for (auto& control : controls) {
    if (!by_id.empty()) query.sql += ", ";
    query.sql += query.Bind(control.id.str());
    by_id[control.id.str()] = &control;
    control.risks.clear();
  }
  query.sql += ") ORDER BY r.ref, r.id";
  auto result = CERTUS_TRY(tx.Execute(query.sql, query.params));
  for (const auto& row : result.rows) {
    auto it = by_id.find(row.Text(0));
    if (it == by_id.end()) continue;
    it->second->risks.push_back({row.Text(1), row.Text(2), row.Text(3), row.Text(4)});
  }
  return {};
}

Expected<bool> ControlStore::Update(Tx& tx, const Control& control, std::int64_t expected_version) {
  auto values = Values(control);
  values.push_back(expected_version);
  auto result = CERTUS_TRY(tx.Execute(
      "UPDATE controls SET title = $4, applicable = $8, justification = $9, "
      "inclusion_reasons = $10, implementation_status = $11, owner_id = $12, "
      "implementation = $13, last_reviewed_on = $14, version = $16, updated_at = $18 "
      "WHERE id = $1 AND org_id = $2 AND ref_id = $3 AND COALESCE(framework_id, '') = "
      "COALESCE($5, '') AND theme = $6 AND custom = $7 AND sort_key = $15 AND created_at = $17 "
      "AND version = $19",
      values));
  return result.affected == 1;
}

Expected<bool> ControlStore::Delete(Tx& tx, const OrgId& org, const ControlId& id,
                                    std::int64_t expected_version) {
  auto result =
      CERTUS_TRY(tx.Execute("DELETE FROM controls WHERE org_id = $1 AND id = $2 AND version = $3",
                            {org.str(), id.str(), expected_version}));
  return result.affected == 1;
}

Expected<void> ControlStore::InsertVersion(Tx& tx, const SoaVersion& v) {
  CERTUS_TRY(tx.Execute(
      "INSERT INTO soa_versions (id, org_id, number, notes, approved_by_id, approved_by_email, "
      "approved_at, row_count, sha256, rows_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
      "$10)",
      {v.id.str(), v.org_id.str(), v.number, v.notes, v.approved_by_id, v.approved_by_email,
       v.approved_at, v.row_count, v.sha256, v.rows_json}));
  return {};
}

Expected<Page<SoaVersion>> ControlStore::ListVersions(Tx& tx, const OrgId& org,
                                                      const PageQuery& page) {
  storage::Query query{
      "SELECT " + std::string(kVersionColumns) + " FROM soa_versions WHERE org_id = $1",
      {org.str()}};
  return storage::RunKeysetPage(tx, std::move(query), VersionSortKeys(), page, VersionFromRow);
}

Expected<std::optional<SoaVersion>> ControlStore::FindVersion(Tx& tx, const OrgId& org,
                                                              std::int64_t number) {
  auto result = CERTUS_TRY(tx.Execute("SELECT " + std::string(kVersionColumns) +
                                          ", rows_json FROM soa_versions WHERE org_id = $1 "
                                          "AND number = $2",
                                      {org.str(), number}));
  if (result.rows.empty()) return std::nullopt;
  return VersionFromRow(result.rows[0]);
}

Expected<std::optional<SoaVersion>> ControlStore::LatestVersion(Tx& tx, const OrgId& org) {
  auto result = CERTUS_TRY(tx.Execute("SELECT " + std::string(kVersionColumns) +
                                          ", rows_json FROM soa_versions WHERE org_id = $1 "
                                          "ORDER BY number DESC LIMIT 1",
                                      {org.str()}));
  if (result.rows.empty()) return std::nullopt;
  return VersionFromRow(result.rows[0]);
}

}  // namespace certus::controls
