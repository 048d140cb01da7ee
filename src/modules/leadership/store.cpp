#include "modules/leadership/store.hpp"

#include <algorithm>
#include <array>
#include <map>

#include "storage/keyset.hpp"

namespace certus::leadership {

// ------------------------------------------------------------------ model names

std::string_view ResponsibilityLetter(Responsibility responsibility) {
  switch (responsibility) {
    case Responsibility::kResponsible: return "R";
    case Responsibility::kAccountable: return "A";
    case Responsibility::kConsulted: return "C";
    case Responsibility::kInformed: return "I";
  }
  return "R";
}

std::optional<Responsibility> ParseResponsibility(std::string_view letter) {
  for (auto r : {Responsibility::kResponsible, Responsibility::kAccountable,
                 Responsibility::kConsulted, Responsibility::kInformed}) {
    if (ResponsibilityLetter(r) == letter) return r;
  }
  return std::nullopt;
}

const std::vector<IsmsProcess>& IsmsProcesses() {
  static const std::vector<IsmsProcess> kProcesses = {
      {"context", "Context of the organization and interested parties", "4"},
      {"scope", "Scope of the ISMS", "4.3"},
      {"leadership", "Leadership, policy and roles", "5"},
      {"risk_assessment", "Information security risk assessment", "6.1.2"},
      {"risk_treatment", "Information security risk treatment and SoA", "6.1.3"},
      {"objectives", "Information security objectives", "6.2"},
      {"change_planning", "Planning of changes", "6.3"},
      {"resources", "Resources", "7.1"},
      {"competence", "Competence", "7.2"},
      {"awareness", "Awareness", "7.3"},
      {"communication", "Communication", "7.4"},
      {"document_control", "Control of documented information", "7.5"},
      {"operations", "Operational planning and control", "8"},
      {"monitoring", "Monitoring, measurement, analysis and evaluation", "9.1"},
      {"internal_audit", "Internal audit", "9.2"},
      {"management_review", "Management review", "9.3"},
      {"improvement", "Continual improvement", "10.1"},
      {"nonconformity", "Nonconformity and corrective action", "10.2"},
  };
  return kProcesses;
}

const IsmsProcess* FindProcess(std::string_view key) {
  for (const auto& process : IsmsProcesses()) {
    if (process.key == key) return &process;
  }
  return nullptr;
}

namespace {

constexpr std::array kRecordKinds = {RecordKind::kCommitment, RecordKind::kResourceDecision,
                                     RecordKind::kOther};

}  // namespace

std::string_view RecordKindName(RecordKind kind) {
  switch (kind) {
    case RecordKind::kCommitment: return "commitment";
    case RecordKind::kResourceDecision: return "resource_decision";
    case RecordKind::kOther: return "other";
  }
  return "other";
}

std::optional<RecordKind> ParseRecordKind(std::string_view name) {
  for (auto kind : kRecordKinds) {
    if (RecordKindName(kind) == name) return kind;
  }
  return std::nullopt;
}

const std::vector<std::string>& RecordKindNames() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> names;
    names.reserve(kRecordKinds.size());
    for (auto kind : kRecordKinds) names.emplace_back(RecordKindName(kind));
    return names;
  }();
  return kNames;
}

// ------------------------------------------------------------------ rows

namespace {

constexpr std::string_view kRoleColumns =
    "id, org_id, ref, name, description, responsibilities, authorities, top_management, "
    "isms_owner, version, created_at, updated_at";

IsmsRole RoleFromRow(const storage::Row& row) {
  IsmsRole role;
  role.id = RoleId(row.Text(0));
  role.org_id = OrgId(row.Text(1));
  role.ref = row.Text(2);
  role.name = row.Text(3);
  role.description = row.Text(4);
  role.responsibilities = row.Text(5);
  role.authorities = row.Text(6);
  role.top_management = row.Bool(7);
  role.isms_owner = row.Bool(8);
  role.version = row.Int(9);
  role.created_at = row.Text(10);
  role.updated_at = row.Text(11);
  return role;
}

const storage::SortKeys<IsmsRole>& RoleSortKeys() {
  static const storage::SortKeys<IsmsRole> kKeys = {
      {"name", {"name", [](const IsmsRole& r) { return r.name; }}},
      {"ref", {"ref", [](const IsmsRole& r) { return r.ref; }}},
      {"created_at", {"created_at", [](const IsmsRole& r) { return r.created_at; }}},
      {"updated_at", {"updated_at", [](const IsmsRole& r) { return r.updated_at; }}},
  };
  return kKeys;
}

constexpr std::string_view kRecordColumns =
    "id, org_id, ref, kind, decided_on, decision, budget_minor, budget_currency, decided_by, "
    "management_review_id, notes, version, created_at, updated_at";

LeadershipRecord RecordFromRow(const storage::Row& row) {
  LeadershipRecord r;
  r.id = RecordId(row.Text(0));
  r.org_id = OrgId(row.Text(1));
  r.ref = row.Text(2);
  r.kind = ParseRecordKind(row.Text(3)).value_or(RecordKind::kOther);
  if (auto date = ParseDate(row.Text(4))) r.date = *date;
  r.decision = row.Text(5);
  if (auto amount = row.OptInt(6)) r.budget = Budget{*amount, row.Text(7)};
  r.decided_by = UserId(row.Text(8));
  r.management_review_id = row.OptText(9);
  r.notes = row.Text(10);
  r.version = row.Int(11);
  r.created_at = row.Text(12);
  r.updated_at = row.Text(13);
  return r;
}

const storage::SortKeys<LeadershipRecord>& RecordSortKeys() {
  static const storage::SortKeys<LeadershipRecord> kKeys = {
      {"date", {"decided_on", [](const LeadershipRecord& r) { return FormatDate(r.date); }}},
      {"ref", {"ref", [](const LeadershipRecord& r) { return r.ref; }}},
      {"created_at", {"created_at", [](const LeadershipRecord& r) { return r.created_at; }}},
      {"updated_at", {"updated_at", [](const LeadershipRecord& r) { return r.updated_at; }}},
  };
  return kKeys;
}

storage::Value OptValue(const std::optional<std::string>& text) {
  if (!text) return nullptr;
  return *text;
}

std::vector<storage::Value> RecordValues(const LeadershipRecord& r) {
  return {r.id.str(),
          r.org_id.str(),
          r.ref,
          std::string(RecordKindName(r.kind)),
          FormatDate(r.date),
          r.decision,
          r.budget ? storage::Value(r.budget->amount_minor) : storage::Value(nullptr),
          r.budget ? storage::Value(r.budget->currency) : storage::Value(nullptr),
          r.decided_by.str(),
          OptValue(r.management_review_id),
          r.notes,
          r.version,
          r.created_at,
          r.updated_at};
}

}  // namespace

const std::vector<std::string>& LeadershipStore::RoleSortFields() {
  static const auto kFields = storage::SortFieldsOf(RoleSortKeys());
  return kFields;
}

const std::vector<std::string>& LeadershipStore::RecordSortFields() {
  static const auto kFields = storage::SortFieldsOf(RecordSortKeys());
  return kFields;
}

// ------------------------------------------------------------------ roles

Expected<bool> LeadershipStore::HoldsTopManagementRole(Tx& tx, const OrgId& org,
                                                       const UserId& user) {
  auto result = CERTUS_TRY(
      tx.Execute("SELECT COUNT(*) FROM isms_role_assignees a JOIN isms_roles r ON r.id = a.role_id "
                 "WHERE r.org_id = $1 AND a.user_id = $2 AND r.top_management = 1",
                 {org.str(), user.str()}));
  return !result.rows.empty() && result.rows[0].Int(0) > 0;
}

Expected<void> LeadershipStore::WriteAssignees(Tx& tx, const IsmsRole& role) {
  CERTUS_TRY(tx.Execute("DELETE FROM isms_role_assignees WHERE role_id = $1", {role.id.str()}));
  for (const auto& user : role.assignee_ids) {
    CERTUS_TRY(tx.Execute(
        "INSERT INTO isms_role_assignees (role_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        {role.id.str(), user.str()}));
  }
  return {};
}

Expected<void> LeadershipStore::LoadAssignees(Tx& tx, std::vector<IsmsRole>& roles) {
  if (roles.empty()) return {};
  std::map<std::string, IsmsRole*> by_id;
  std::vector<storage::Value> params;
  std::string in;
  for (auto& role : roles) {
    role.assignee_ids.clear();
    by_id[role.id.str()] = &role;
    params.emplace_back(role.id.str());
    if (!in.empty()) in += ", ";
    in += "$" + std::to_string(params.size());
  }
  auto result =
      CERTUS_TRY(tx.Execute("SELECT role_id, user_id FROM isms_role_assignees WHERE role_id IN (" +
                                in + ") ORDER BY role_id, user_id",
                            params));
  for (const auto& row : result.rows) {
    if (auto it = by_id.find(row.Text(0)); it != by_id.end()) {
      it->second->assignee_ids.emplace_back(row.Text(1));
    }
  }
  return {};
}

Expected<void> LeadershipStore::InsertRole(Tx& tx, const IsmsRole& role) {
  CERTUS_TRY(tx.Execute(
      "INSERT INTO isms_roles (id, org_id, ref, name, description, responsibilities, authorities, "
      "top_management, isms_owner, version, created_at, updated_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
      {role.id.str(), role.org_id.str(), role.ref, role.name, role.description,
       role.responsibilities, role.authorities, std::int64_t{role.top_management},
       std::int64_t{role.isms_owner}, role.version, role.created_at, role.updated_at}));
  return WriteAssignees(tx, role);
}

Expected<std::optional<IsmsRole>> LeadershipStore::FindRole(Tx& tx, const OrgId& org,
                                                            const RoleId& id) {
  auto result = CERTUS_TRY(tx.Execute(std::string("SELECT ") + std::string(kRoleColumns) +
                                          " FROM isms_roles WHERE org_id = $1 AND id = $2",
                                      {org.str(), id.str()}));
  if (result.rows.empty()) return std::nullopt;
  std::vector<IsmsRole> roles{RoleFromRow(result.rows[0])};
  CERTUS_CHECK(LoadAssignees(tx, roles));
  return roles[0];
}

Expected<std::optional<IsmsRole>> LeadershipStore::FindRoleByName(Tx& tx, const OrgId& org,
                                                                  const std::string& name) {
  auto result = CERTUS_TRY(tx.Execute(std::string("SELECT ") + std::string(kRoleColumns) +
                                          " FROM isms_roles WHERE org_id = $1 AND name = $2",
                                      {org.str(), name}));
  if (result.rows.empty()) return std::nullopt;
  return RoleFromRow(result.rows[0]);
}

Expected<std::optional<IsmsRole>> LeadershipStore::FindIsmsOwner(
    Tx& tx, const OrgId& org, const std::optional<RoleId>& except) {
  auto result = CERTUS_TRY(
      tx.Execute(std::string("SELECT ") + std::string(kRoleColumns) +
                     " FROM isms_roles WHERE org_id = $1 AND isms_owner = 1 AND id <> $2",
                 {org.str(), except ? except->str() : std::string()}));
  if (result.rows.empty()) return std::nullopt;
  return RoleFromRow(result.rows[0]);
}

Expected<Page<IsmsRole>> LeadershipStore::ListRoles(Tx& tx, const OrgId& org,
                                                    const RoleFilter& filter,
                                                    const PageQuery& page) {
  storage::Query query{
      std::string("SELECT ") + std::string(kRoleColumns) + " FROM isms_roles WHERE org_id = $1",
      {org.str()}};
  if (filter.top_management) {
    query.sql +=
        " AND top_management = " + query.Bind(std::int64_t{*filter.top_management ? 1 : 0});
  }
  if (filter.assignee_id) {
    query.sql += " AND id IN (SELECT role_id FROM isms_role_assignees WHERE user_id = " +
                 query.Bind(filter.assignee_id->str()) + ")";
  }
  if (filter.text) query.AddTextSearch(*filter.text, {"name", "responsibilities", "authorities"});
  auto result =
      CERTUS_TRY(storage::RunKeysetPage(tx, std::move(query), RoleSortKeys(), page, RoleFromRow));
  CERTUS_CHECK(LoadAssignees(tx, result.items));
  return result;
}

Expected<std::vector<IsmsRole>> LeadershipStore::AllRoles(Tx& tx, const OrgId& org) {
  auto result = CERTUS_TRY(tx.Execute(std::string("SELECT ") + std::string(kRoleColumns) +
                                          " FROM isms_roles WHERE org_id = $1 ORDER BY name, id",
                                      {org.str()}));
  std::vector<IsmsRole> roles;
  roles.reserve(result.rows.size());
  for (const auto& row : result.rows) roles.push_back(RoleFromRow(row));
  CERTUS_CHECK(LoadAssignees(tx, roles));
  return roles;
}

Expected<bool> LeadershipStore::UpdateRole(Tx& tx, const IsmsRole& role,
                                           std::int64_t expected_version) {
  auto result = CERTUS_TRY(tx.Execute(
      "UPDATE isms_roles SET name = $3, description = $4, responsibilities = $5, authorities = $6, "
      "top_management = $7, isms_owner = $8, version = $9, updated_at = $10 "
      "WHERE org_id = $1 AND id = $2 AND version = $11",
      {role.org_id.str(), role.id.str(), role.name, role.description, role.responsibilities,
       role.authorities, std::int64_t{role.top_management}, std::int64_t{role.isms_owner},
       role.version, role.updated_at, expected_version}));
  if (result.affected != 1) return false;
  CERTUS_CHECK(WriteAssignees(tx, role));
  return true;
}

Expected<bool> LeadershipStore::DeleteRole(Tx& tx, const OrgId& org, const RoleId& id,
                                           std::int64_t expected_version) {
  // ON DELETE CASCADE would do; explicit deletes keep the statement order obvious.
  CERTUS_TRY(tx.Execute("DELETE FROM isms_role_assignees WHERE role_id = $1", {id.str()}));
  CERTUS_TRY(tx.Execute("DELETE FROM raci_assignments WHERE org_id = $1 AND role_id = $2",
                        {org.str(), id.str()}));
  auto result =
      CERTUS_TRY(tx.Execute("DELETE FROM isms_roles WHERE org_id = $1 AND id = $2 AND version = $3",
                            {org.str(), id.str(), expected_version}));
  return result.affected == 1;
}

// ------------------------------------------------------------------ RACI

Expected<RaciMatrix> LeadershipStore::LoadRaci(Tx& tx, const OrgId& org) {
  RaciMatrix matrix;
  matrix.org_id = org;
  auto head = CERTUS_TRY(tx.Execute(
      "SELECT version, updated_by_email, updated_at FROM raci_matrices WHERE org_id = $1",
      {org.str()}));
  if (!head.rows.empty()) {
    matrix.version = head.rows[0].Int(0);
    matrix.updated_by_email = head.rows[0].Text(1);
    matrix.updated_at = head.rows[0].Text(2);
  }
  auto cells = CERTUS_TRY(
      tx.Execute("SELECT process, role_id, responsibility FROM raci_assignments WHERE org_id = $1",
                 {org.str()}));
  for (const auto& row : cells.rows) {
    auto responsibility = ParseResponsibility(row.Text(2));
    if (!responsibility || !FindProcess(row.Text(0))) continue;
    matrix.cells.push_back({row.Text(0), RoleId(row.Text(1)), *responsibility});
  }
  // Process order, as the matrix is read, then role.
  auto rank = [](const std::string& key) {
    const auto& all = IsmsProcesses();
    return std::find_if(all.begin(), all.end(), [&](const auto& p) { return p.key == key; }) -
           all.begin();
  };
  std::sort(matrix.cells.begin(), matrix.cells.end(), [&](const RaciCell& a, const RaciCell& b) {
    auto ra = rank(a.process);
    auto rb = rank(b.process);
    return ra != rb ? ra < rb : a.role_id < b.role_id;
  });
  return matrix;
}

Expected<bool> LeadershipStore::SaveRaci(Tx& tx, const RaciMatrix& matrix,
                                         std::int64_t expected_version) {
  const std::string updated_at = matrix.updated_at.value_or("");
  storage::Result head;
  if (expected_version == 1) {
    // A matrix nobody saved is version 1 without a row (saved ones are 2 and up); two
    // first saves race on the key and one of them is stale.
    head = CERTUS_TRY(
        tx.Execute("INSERT INTO raci_matrices (org_id, version, updated_by_email, updated_at) "
                   "VALUES ($1, $2, $3, $4) ON CONFLICT (org_id) DO NOTHING",
                   {matrix.org_id.str(), matrix.version, matrix.updated_by_email, updated_at}));
  } else {
    head = CERTUS_TRY(
        tx.Execute("UPDATE raci_matrices SET version = $2, updated_by_email = $3, updated_at = $4 "
                   "WHERE org_id = $1 AND version = $5",
                   {matrix.org_id.str(), matrix.version, matrix.updated_by_email, updated_at,
                    expected_version}));
  }
  if (head.affected != 1) return false;
  CERTUS_TRY(tx.Execute("DELETE FROM raci_assignments WHERE org_id = $1", {matrix.org_id.str()}));
  for (const auto& cell : matrix.cells) {
    CERTUS_TRY(
        tx.Execute("INSERT INTO raci_assignments (org_id, process, role_id, responsibility) "
                   "VALUES ($1, $2, $3, $4)",
                   {matrix.org_id.str(), cell.process, cell.role_id.str(),
                    std::string(ResponsibilityLetter(cell.responsibility))}));
  }
  return true;
}

// ------------------------------------------------------------------ records

Expected<void> LeadershipStore::InsertRecord(Tx& tx, const LeadershipRecord& record) {
  CERTUS_TRY(tx.Execute(
      "INSERT INTO leadership_records (id, org_id, ref, kind, decided_on, decision, budget_minor, "
      "budget_currency, decided_by, management_review_id, notes, version, created_at, updated_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
      RecordValues(record)));
  return {};
}

Expected<std::optional<LeadershipRecord>> LeadershipStore::FindRecord(Tx& tx, const OrgId& org,
                                                                      const RecordId& id) {
  auto result = CERTUS_TRY(tx.Execute(std::string("SELECT ") + std::string(kRecordColumns) +
                                          " FROM leadership_records WHERE org_id = $1 AND id = $2",
                                      {org.str(), id.str()}));
  if (result.rows.empty()) return std::nullopt;
  return RecordFromRow(result.rows[0]);
}

Expected<Page<LeadershipRecord>> LeadershipStore::ListRecords(Tx& tx, const OrgId& org,
                                                              const RecordFilter& filter,
                                                              const PageQuery& page) {
  storage::Query query{std::string("SELECT ") + std::string(kRecordColumns) +
                           " FROM leadership_records WHERE org_id = $1",
                       {org.str()}};
  if (filter.kind) {
    query.sql += " AND kind = " + query.Bind(std::string(RecordKindName(*filter.kind)));
  }
  if (filter.decided_by) query.sql += " AND decided_by = " + query.Bind(filter.decided_by->str());
  if (filter.text) query.AddTextSearch(*filter.text, {"decision", "notes"});
  return storage::RunKeysetPage(tx, std::move(query), RecordSortKeys(), page, RecordFromRow);
}

Expected<bool> LeadershipStore::UpdateRecord(Tx& tx, const LeadershipRecord& r,
                                             std::int64_t expected_version) {
  auto result = CERTUS_TRY(tx.Execute(
      "UPDATE leadership_records SET kind = $3, decided_on = $4, decision = $5, "
      "budget_minor = $6, budget_currency = $7, decided_by = $8, management_review_id = $9, "
      "notes = $10, version = $11, updated_at = $12 "
      "WHERE org_id = $1 AND id = $2 AND version = $13",
      {r.org_id.str(), r.id.str(), std::string(RecordKindName(r.kind)), FormatDate(r.date),
       r.decision, r.budget ? storage::Value(r.budget->amount_minor) : storage::Value(nullptr),
       r.budget ? storage::Value(r.budget->currency) : storage::Value(nullptr), r.decided_by.str(),
       OptValue(r.management_review_id), r.notes, r.version, r.updated_at, expected_version}));
  return result.affected == 1;
}

}  // namespace certus::leadership
