#include "modules/audits/store.hpp"

#include <algorithm>
#include <array>

#include <boost/json.hpp>

#include "core/enum_names.hpp"
#include "storage/keyset.hpp"
#include "storage/placeholders.hpp"

namespace certus::audits {

// ------------------------------------------------------------------ vocabularies

namespace {

constexpr EnumNames<AuditStatus, 4> kStatuses{{{{AuditStatus::kPlanned, "planned"},
                                                {AuditStatus::kInProgress, "in_progress"},
                                                {AuditStatus::kReported, "reported"},
                                                {AuditStatus::kClosed, "closed"}}}};
constexpr EnumNames<AuditStep, 3> kSteps{
    {{{AuditStep::kStart, "start"}, {AuditStep::kReport, "report"}, {AuditStep::kClose, "close"}}}};
constexpr EnumNames<AuditorRole, 2> kRoles{
    {{{AuditorRole::kLead, "lead"}, {AuditorRole::kMember, "member"}}}};
constexpr EnumNames<CheckResult, 4> kResults{{{{CheckResult::kConforming, "conforming"},
                                               {CheckResult::kNonconforming, "nonconforming"},
                                               {CheckResult::kObservation, "observation"},
                                               {CheckResult::kNotAudited, "not_audited"}}}};
constexpr EnumNames<FindingType, 4> kTypes{
    {{{FindingType::kMajorNonconformity, "major_nonconformity"},
      {FindingType::kMinorNonconformity, "minor_nonconformity"},
      {FindingType::kObservation, "observation"},
      {FindingType::kOpportunityForImprovement, "opportunity_for_improvement"}}}};

}  // namespace

std::string_view AuditStatusName(AuditStatus s) { return kStatuses.Of(s); }
std::optional<AuditStatus> ParseAuditStatus(std::string_view n) { return kStatuses.Parse(n); }
const std::vector<std::string>& AuditStatusNames() {
  static const auto kAll = kStatuses.All();
  return kAll;
}
std::string_view AuditStepName(AuditStep s) { return kSteps.Of(s); }
std::string_view AuditorRoleName(AuditorRole r) { return kRoles.Of(r); }
std::optional<AuditorRole> ParseAuditorRole(std::string_view n) { return kRoles.Parse(n); }
const std::vector<std::string>& AuditorRoleNames() {
  static const auto kAll = kRoles.All();
  return kAll;
}
std::string_view CheckResultName(CheckResult r) { return kResults.Of(r); }
std::optional<CheckResult> ParseCheckResult(std::string_view n) { return kResults.Parse(n); }
const std::vector<std::string>& CheckResultNames() {
  static const auto kAll = kResults.All();
  return kAll;
}
std::string_view FindingTypeName(FindingType t) { return kTypes.Of(t); }
std::optional<FindingType> ParseFindingType(std::string_view n) { return kTypes.Parse(n); }
const std::vector<std::string>& FindingTypeNames() {
  static const auto kAll = kTypes.All();
  return kAll;
}

// ------------------------------------------------------------------ rows

namespace {

storage::Value OptDate(const std::optional<Date>& date) {
  if (!date) return nullptr;
  return FormatDate(*date);
}

std::optional<Date> DateFrom(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  return ParseDate(*text);
}

template <typename T>
storage::Value OptId(const std::optional<T>& id) {
  if (!id) return nullptr;
  return id->str();
}

std::string ToJsonText(const std::vector<std::string>& values) {
  boost::json::array array;
  for (const auto& v : values) array.emplace_back(v);
  return boost::json::serialize(array);
}

std::vector<std::string> FromJsonText(const std::string& text) {
  std::vector<std::string> out;
  boost::system::error_code ec;
  auto value = boost::json::parse(text, ec);
  if (ec || !value.is_array()) return out;
  for (const auto& v : value.as_array()) {
    if (v.is_string()) out.emplace_back(v.as_string());
  }
  return out;
}

std::string ConflictsText(const std::vector<Conflict>& conflicts) {
  boost::json::array array;
  for (const auto& c : conflicts) {
    array.push_back(
        boost::json::object{{"type", c.type}, {"id", c.id}, {"ref", c.ref}, {"reason", c.reason}});
  }
  return boost::json::serialize(array);
}

std::vector<Conflict> ConflictsFrom(const std::string& text) {
  std::vector<Conflict> out;
  boost::system::error_code ec;
  auto value = boost::json::parse(text, ec);
  if (ec || !value.is_array()) return out;
  for (const auto& v : value.as_array()) {
    if (!v.is_object()) continue;
    const auto& o = v.as_object();
    auto text_of = [&](const char* key) -> std::string {
      auto it = o.find(key);
      return it != o.end() && it->value().is_string() ? std::string(it->value().as_string()) : "";
    };
    out.push_back({text_of("type"), text_of("id"), text_of("ref"), text_of("reason")});
  }
  return out;
}

std::string RefNumber(const std::string& ref) {
  auto dash = ref.find('-');
  if (dash == std::string::npos) return "0";
  std::size_t start = dash + 1;
  while (start + 1 < ref.size() && ref[start] == '0') ++start;
  return ref.substr(start);
}

constexpr std::string_view kAuditColumns =
    "id, org_id, ref, title, clause_refs, control_ids, document_ids, departments, criteria, "
    "planned_start, planned_end, status, programme_id, report_summary, report_conclusion, "
    "report_distribution, started_on, reported_on, reported_by, closed_on, created_by, version, "
    "created_at, updated_at";

Audit AuditFromRow(const storage::Row& row) {
  Audit a;
  a.id = AuditId(row.Text(0));
  a.org_id = OrgId(row.Text(1));
  a.ref = row.Text(2);
  a.title = row.Text(3);
  a.clause_refs = FromJsonText(row.Text(4));
  a.control_ids = FromJsonText(row.Text(5));
  a.document_ids = FromJsonText(row.Text(6));
  a.departments = FromJsonText(row.Text(7));
  a.criteria = row.Text(8);
  a.planned_start = DateFrom(row.OptText(9));
  a.planned_end = DateFrom(row.OptText(10));
  a.status = ParseAuditStatus(row.Text(11)).value_or(AuditStatus::kPlanned);
  if (auto p = row.OptText(12)) a.programme_id = ProgrammeId(*p);
  a.report.summary = row.Text(13);
  a.report.conclusion = row.Text(14);
  for (auto& id : FromJsonText(row.Text(15))) a.report.distribution.emplace_back(id);
  a.started_on = DateFrom(row.OptText(16));
  a.reported_on = DateFrom(row.OptText(17));
  if (auto by = row.OptText(18)) a.reported_by = UserId(*by);
  a.closed_on = DateFrom(row.OptText(19));
  a.created_by = UserId(row.Text(20));
  a.version = row.Int(21);
  a.created_at = row.Text(22);
  a.updated_at = row.Text(23);
  return a;
}

std::vector<storage::Value> AuditValues(const Audit& a) {
  std::vector<std::string> distribution;
  for (const auto& id : a.report.distribution) distribution.push_back(id.str());
  return {a.id.str(),
          a.org_id.str(),
          a.ref,
          a.title,
          ToJsonText(a.clause_refs),
          ToJsonText(a.control_ids),
          ToJsonText(a.document_ids),
          ToJsonText(a.departments),
          a.criteria,
          OptDate(a.planned_start),
          OptDate(a.planned_end),
          std::string(AuditStatusName(a.status)),
          OptId(a.programme_id),
          a.report.summary,
          a.report.conclusion,
          ToJsonText(distribution),
          OptDate(a.started_on),
          OptDate(a.reported_on),
          OptId(a.reported_by),
          OptDate(a.closed_on),
          a.created_by.str(),
          a.version,
          a.created_at,
          a.updated_at};
}

const storage::SortKeys<Audit>& AuditSortKeys() {
  static const storage::SortKeys<Audit> kKeys = {
      {"ref",
       {"CAST(SUBSTR(ref, 5) AS INTEGER)", [](const Audit& a) { return RefNumber(a.ref); }, true}},
      {"planned_start",
       {"COALESCE(planned_start, '')",
        [](const Audit& a) { return a.planned_start ? FormatDate(*a.planned_start) : ""; }}},
      {"title", {"title", [](const Audit& a) { return a.title; }}},
      {"created_at", {"created_at", [](const Audit& a) { return a.created_at; }}},
      {"updated_at", {"updated_at", [](const Audit& a) { return a.updated_at; }}},
  };
  return kKeys;
}

constexpr std::string_view kProgrammeColumns =
    "id, org_id, ref, name, cycle_start, cycle_end, objectives, owner_id, version, created_at, "
    "updated_at";

Programme ProgrammeFromRow(const storage::Row& row) {
  Programme p;
  p.id = ProgrammeId(row.Text(0));
  p.org_id = OrgId(row.Text(1));
  p.ref = row.Text(2);
  p.name = row.Text(3);
  if (auto d = ParseDate(row.Text(4))) p.cycle_start = *d;
  if (auto d = ParseDate(row.Text(5))) p.cycle_end = *d;
  p.objectives = row.Text(6);
  if (auto o = row.OptText(7)) p.owner_id = UserId(*o);
  p.version = row.Int(8);
  p.created_at = row.Text(9);
  p.updated_at = row.Text(10);
  return p;
}

const storage::SortKeys<Programme>& ProgrammeSortKeys() {
  static const storage::SortKeys<Programme> kKeys = {
      {"ref",
       {"CAST(SUBSTR(ref, 5) AS INTEGER)", [](const Programme& p) { return RefNumber(p.ref); },
        true}},
      {"cycle_start",
       {"cycle_start", [](const Programme& p) { return FormatDate(p.cycle_start); }}},
      {"name", {"name", [](const Programme& p) { return p.name; }}},
      {"created_at", {"created_at", [](const Programme& p) { return p.created_at; }}},
  };
  return kKeys;
}

constexpr std::string_view kItemColumns =
    "id, org_id, audit_id, position, requirement_ref, kind, control_id, title, question, result, "
    "notes, evidence_links, version, created_at, updated_at";

ChecklistItem ItemFromRow(const storage::Row& row) {
  ChecklistItem i;
  i.id = ChecklistItemId(row.Text(0));
  i.org_id = OrgId(row.Text(1));
  i.audit_id = AuditId(row.Text(2));
  i.position = row.Int(3);
  i.requirement_ref = row.Text(4);
  i.kind = row.Text(5);
  i.control_id = row.OptText(6);
  i.title = row.Text(7);
  i.question = row.Text(8);
  if (auto r = row.OptText(9)) i.result = ParseCheckResult(*r);
  i.notes = row.Text(10);
  i.evidence_links = FromJsonText(row.Text(11));
  i.version = row.Int(12);
  i.created_at = row.Text(13);
  i.updated_at = row.Text(14);
  return i;
}

constexpr std::string_view kFindingColumns =
    "id, org_id, audit_id, number, ref, type, requirement_ref, statement, evidence, "
    "nonconformity_id, nonconformity_ref, created_by, created_at";

Finding FindingFromRow(const storage::Row& row) {
  Finding f;
  f.id = FindingId(row.Text(0));
  f.org_id = OrgId(row.Text(1));
  f.audit_id = AuditId(row.Text(2));
  f.number = row.Int(3);
  f.ref = row.Text(4);
  f.type = ParseFindingType(row.Text(5)).value_or(FindingType::kObservation);
  f.requirement_ref = row.Text(6);
  f.statement = row.Text(7);
  f.evidence = row.Text(8);
  f.nonconformity_id = row.OptText(9);
  f.nonconformity_ref = row.OptText(10);
  f.created_by = UserId(row.Text(11));
  f.created_at = row.Text(12);
  return f;
}

std::string InList(storage::Query& query, const std::vector<AuditId>& ids) {
  std::string out = "(";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i) out += ", ";
    out += query.Bind(ids[i].str());
  }
  return out + ")";
}

}  // namespace

const std::vector<std::string>& AuditStore::AuditSortFields() {
  static const auto kFields = storage::SortFieldsOf(AuditSortKeys());
  return kFields;
}

const std::vector<std::string>& AuditStore::ProgrammeSortFields() {
  static const auto kFields = storage::SortFieldsOf(ProgrammeSortKeys());
  return kFields;
}

// ------------------------------------------------------------------ audits

Expected<void> AuditStore::InsertAudit(Tx& tx, const Audit& audit) {
  CERTUS_TRY(tx.Execute(std::string("INSERT INTO audits (") + std::string(kAuditColumns) +
                            ") VALUES (" + storage::Placeholders(1, 24) + ")",
                        AuditValues(audit)));
  return {};
}

Expected<std::optional<Audit>> AuditStore::FindAudit(Tx& tx, const OrgId& org, const AuditId& id) {
  auto result = CERTUS_TRY(tx.Execute(std::string("SELECT ") + std::string(kAuditColumns) +
                                          " FROM audits WHERE org_id = $1 AND id = $2",
                                      {org.str(), id.str()}));
  if (result.rows.empty()) return std::nullopt;
  return AuditFromRow(result.rows[0]);
}

Expected<Page<Audit>> AuditStore::ListAudits(Tx& tx, const OrgId& org, const AuditFilter& filter,
                                             const PageQuery& page) {
  storage::Query query{
      std::string("SELECT ") + std::string(kAuditColumns) + " FROM audits WHERE org_id = $1",
      {org.str()}};
  if (filter.status) {
    query.sql += " AND status = " + query.Bind(std::string(AuditStatusName(*filter.status)));
  }
  if (filter.programme_id) {
    query.sql += " AND programme_id = " + query.Bind(filter.programme_id->str());
  }
  if (filter.text) query.AddTextSearch(*filter.text, {"title", "criteria", "ref"});
  return storage::RunKeysetPage(tx, std::move(query), AuditSortKeys(), page, AuditFromRow);
}

Expected<std::vector<Audit>> AuditStore::AuditsOf(Tx& tx, const OrgId& org,
                                                  const std::optional<ProgrammeId>& programme) {
  storage::Query query{
      std::string("SELECT ") + std::string(kAuditColumns) + " FROM audits WHERE org_id = $1",
      {org.str()}};
  if (programme) query.sql += " AND programme_id = " + query.Bind(programme->str());
  query.sql += " ORDER BY created_at, id";
  auto result = CERTUS_TRY(tx.Execute(query.sql, query.params));
  std::vector<Audit> out;
  for (const auto& row : result.rows) out.push_back(AuditFromRow(row));
  return out;
}

Expected<bool> AuditStore::UpdateAudit(Tx& tx, const Audit& a, std::int64_t expected_version) {
  auto values = AuditValues(a);
  values.push_back(expected_version);
  auto result = CERTUS_TRY(tx.Execute(
      "UPDATE audits SET ref = $3, title = $4, clause_refs = $5, control_ids = $6, "
      "document_ids = $7, departments = $8, criteria = $9, planned_start = $10, "
      "planned_end = $11, status = $12, programme_id = $13, report_summary = $14, "
      "report_conclusion = $15, report_distribution = $16, started_on = $17, reported_on = $18, "
      "reported_by = $19, closed_on = $20, created_by = $21, version = $22, created_at = $23, "
      "updated_at = $24 WHERE org_id = $2 AND id = $1 AND version = $25",
      values));
  return result.affected == 1;
}

Expected<std::vector<Audit>> AuditStore::ReportedBetween(Tx& tx, const OrgId& org,
                                                         const std::string& from,
                                                         const std::string& to) {
  auto result = CERTUS_TRY(
      tx.Execute(std::string("SELECT ") + std::string(kAuditColumns) +
                     " FROM audits WHERE org_id = $1 AND status IN ('reported', 'closed') AND "
                     "reported_on >= $2 AND reported_on <= $3 ORDER BY reported_on, ref",
                 {org.str(), from, to}));
  std::vector<Audit> out;
  for (const auto& row : result.rows) out.push_back(AuditFromRow(row));
  return out;
}

// ------------------------------------------------------------------ auditors

Expected<void> AuditStore::InsertAuditor(Tx& tx, const Auditor& a) {
  CERTUS_TRY(tx.Execute(
      "INSERT INTO audit_auditors (id, org_id, audit_id, user_id, role, waiver_justification, "
      "waiver_by, waiver_at, waived_conflicts, added_by, added_at, version) VALUES ($1, $2, $3, "
      "$4, $5, $6, $7, $8, $9, $10, $11, $12)",
      {a.id, a.org_id.str(), a.audit_id.str(), a.user_id.str(),
       std::string(AuditorRoleName(a.role)),
       a.waiver ? storage::Value(a.waiver->justification) : storage::Value(nullptr),
       a.waiver ? storage::Value(a.waiver->by.str()) : storage::Value(nullptr),
       a.waiver ? storage::Value(a.waiver->at) : storage::Value(nullptr),
       ConflictsText(a.waiver ? a.waiver->conflicts : std::vector<Conflict>{}), a.added_by.str(),
       a.added_at, a.version}));
  return {};
}

Expected<std::vector<Auditor>> AuditStore::AuditorsOf(Tx& tx, const OrgId& org,
                                                      const std::vector<AuditId>& audits) {
  std::vector<Auditor> out;
  if (audits.empty()) return out;
  storage::Query query{
      "SELECT a.id, a.org_id, a.audit_id, a.user_id, a.role, a.waiver_justification, "
      "a.waiver_by, a.waiver_at, a.waived_conflicts, a.added_by, a.added_at, a.version, u.email "
      "FROM audit_auditors a JOIN users u ON u.id = a.user_id WHERE a.org_id = $1",
      {org.str()}};
  query.sql += " AND a.audit_id IN " + InList(query, audits);
  query.sql += " ORDER BY a.role, u.email";
  auto result = CERTUS_TRY(tx.Execute(query.sql, query.params));
  for (const auto& row : result.rows) {
    Auditor a;
    a.id = row.Text(0);
    a.org_id = OrgId(row.Text(1));
    a.audit_id = AuditId(row.Text(2));
    a.user_id = UserId(row.Text(3));
    a.role = ParseAuditorRole(row.Text(4)).value_or(AuditorRole::kMember);
    if (auto justification = row.OptText(5)) {
      a.waiver =
          Waiver{*justification, UserId(row.Text(6)), row.Text(7), ConflictsFrom(row.Text(8))};
    }
    a.added_by = UserId(row.Text(9));
    a.added_at = row.Text(10);
    a.version = row.Int(11);
    a.email = row.Text(12);
    out.push_back(std::move(a));
  }
  return out;
}

Expected<bool> AuditStore::DeleteAuditor(Tx& tx, const OrgId& org, const AuditId& audit,
                                         const UserId& user, std::int64_t expected_version) {
  auto result = CERTUS_TRY(tx.Execute(
      "DELETE FROM audit_auditors WHERE org_id = $1 AND audit_id = $2 AND user_id = $3 AND "
      "version = $4",
      {org.str(), audit.str(), user.str(), expected_version}));
  return result.affected == 1;
}

// ------------------------------------------------------------------ checklist

Expected<void> AuditStore::InsertItem(Tx& tx, const ChecklistItem& i) {
  CERTUS_TRY(tx.Execute(
      std::string("INSERT INTO audit_checklist_items (") + std::string(kItemColumns) +
          ") VALUES (" + storage::Placeholders(1, 15) + ")",
      {i.id.str(), i.org_id.str(), i.audit_id.str(), i.position, i.requirement_ref, i.kind,
       i.control_id ? storage::Value(*i.control_id) : storage::Value(nullptr), i.title, i.question,
       i.result ? storage::Value(std::string(CheckResultName(*i.result))) : storage::Value(nullptr),
       i.notes, ToJsonText(i.evidence_links), i.version, i.created_at, i.updated_at}));
  return {};
}

Expected<std::vector<ChecklistItem>> AuditStore::ItemsOf(Tx& tx, const OrgId& org,
                                                         const AuditId& audit) {
  auto result = CERTUS_TRY(tx.Execute(
      std::string("SELECT ") + std::string(kItemColumns) +
          " FROM audit_checklist_items WHERE org_id = $1 AND audit_id = $2 ORDER BY position, id",
      {org.str(), audit.str()}));
  std::vector<ChecklistItem> out;
  for (const auto& row : result.rows) out.push_back(ItemFromRow(row));
  return out;
}

Expected<std::optional<ChecklistItem>> AuditStore::FindItem(Tx& tx, const OrgId& org,
                                                            const AuditId& audit,
                                                            const ChecklistItemId& id) {
  auto result = CERTUS_TRY(
      tx.Execute(std::string("SELECT ") + std::string(kItemColumns) +
                     " FROM audit_checklist_items WHERE org_id = $1 AND audit_id = $2 AND id = $3",
                 {org.str(), audit.str(), id.str()}));
  if (result.rows.empty()) return std::nullopt;
  return ItemFromRow(result.rows[0]);
}

Expected<bool> AuditStore::UpdateItem(Tx& tx, const ChecklistItem& i,
                                      std::int64_t expected_version) {
  auto result = CERTUS_TRY(tx.Execute(
      "UPDATE audit_checklist_items SET result = $3, notes = $4, evidence_links = $5, "
      "version = $6, updated_at = $7 WHERE org_id = $1 AND id = $2 AND version = $8",
      {i.org_id.str(), i.id.str(),
       i.result ? storage::Value(std::string(CheckResultName(*i.result))) : storage::Value(nullptr),
       i.notes, ToJsonText(i.evidence_links), i.version, i.updated_at, expected_version}));
  return result.affected == 1;
}

// ------------------------------------------------------------------ findings

Expected<void> AuditStore::InsertFinding(Tx& tx, const Finding& f) {
  CERTUS_TRY(tx.Execute(
      std::string("INSERT INTO audit_findings (") + std::string(kFindingColumns) + ") VALUES (" +
          storage::Placeholders(1, 13) + ")",
      {f.id.str(), f.org_id.str(), f.audit_id.str(), f.number, f.ref,
       std::string(FindingTypeName(f.type)), f.requirement_ref, f.statement, f.evidence,
       f.nonconformity_id ? storage::Value(*f.nonconformity_id) : storage::Value(nullptr),
       f.nonconformity_ref ? storage::Value(*f.nonconformity_ref) : storage::Value(nullptr),
       f.created_by.str(), f.created_at}));
  return {};
}

Expected<std::vector<Finding>> AuditStore::FindingsOf(Tx& tx, const OrgId& org,
                                                      const std::vector<AuditId>& audits) {
  std::vector<Finding> out;
  if (audits.empty()) return out;
  storage::Query query{std::string("SELECT ") + std::string(kFindingColumns) +
                           " FROM audit_findings WHERE org_id = $1",
                       {org.str()}};
  query.sql += " AND audit_id IN " + InList(query, audits) + " ORDER BY audit_id, number";
  auto result = CERTUS_TRY(tx.Execute(query.sql, query.params));
  for (const auto& row : result.rows) out.push_back(FindingFromRow(row));
  return out;
}

// ------------------------------------------------------------------ programmes

Expected<void> AuditStore::InsertProgramme(Tx& tx, const Programme& p) {
  CERTUS_TRY(tx.Execute(std::string("INSERT INTO audit_programmes (") +
                            std::string(kProgrammeColumns) + ") VALUES (" +
                            storage::Placeholders(1, 11) + ")",
                        {p.id.str(), p.org_id.str(), p.ref, p.name, FormatDate(p.cycle_start),
                         FormatDate(p.cycle_end), p.objectives, OptId(p.owner_id), p.version,
                         p.created_at, p.updated_at}));
  return {};
}

Expected<std::optional<Programme>> AuditStore::FindProgramme(Tx& tx, const OrgId& org,
                                                             const ProgrammeId& id) {
  auto result = CERTUS_TRY(tx.Execute(std::string("SELECT ") + std::string(kProgrammeColumns) +
                                          " FROM audit_programmes WHERE org_id = $1 AND id = $2",
                                      {org.str(), id.str()}));
  if (result.rows.empty()) return std::nullopt;
  return ProgrammeFromRow(result.rows[0]);
}

Expected<Page<Programme>> AuditStore::ListProgrammes(Tx& tx, const OrgId& org,
                                                     const PageQuery& page) {
  storage::Query query{std::string("SELECT ") + std::string(kProgrammeColumns) +
                           " FROM audit_programmes WHERE org_id = $1",
                       {org.str()}};
  return storage::RunKeysetPage(tx, std::move(query), ProgrammeSortKeys(), page, ProgrammeFromRow);
}

Expected<bool> AuditStore::UpdateProgramme(Tx& tx, const Programme& p,
                                           std::int64_t expected_version) {
  auto result = CERTUS_TRY(tx.Execute(
      "UPDATE audit_programmes SET name = $3, cycle_start = $4, cycle_end = $5, objectives = $6, "
      "owner_id = $7, version = $8, updated_at = $9 WHERE org_id = $1 AND id = $2 AND "
      "version = $10",
      {p.org_id.str(), p.id.str(), p.name, FormatDate(p.cycle_start), FormatDate(p.cycle_end),
       p.objectives, OptId(p.owner_id), p.version, p.updated_at, expected_version}));
  return result.affected == 1;
}

Expected<std::map<std::string, std::string>> AuditStore::Emails(Tx& tx,
                                                                const std::vector<UserId>& users) {
  std::map<std::string, std::string> out;
  if (users.empty()) return out;
  storage::Query query{"SELECT id, email FROM users WHERE id IN (", {}};
  for (std::size_t i = 0; i < users.size(); ++i) {
    if (i) query.sql += ", ";
    query.sql += query.Bind(users[i].str());
  }
  query.sql += ")";
  auto result = CERTUS_TRY(tx.Execute(query.sql, query.params));
  for (const auto& row : result.rows) out[row.Text(0)] = row.Text(1);
  return out;
}

}  // namespace certus::audits
