#include "modules/evidence/store.hpp"

#include <array>

#include "storage/keyset.hpp"

namespace certus::evidence {

namespace {

constexpr std::array kKinds = {EvidenceKind::kFile, EvidenceKind::kLink, EvidenceKind::kNote};

// The owner's email comes from identity's users table (see the class comment).
constexpr std::string_view kColumns =
    "id, org_id, ref, kind, title, description, url, note, file_sha256, file_size, file_name, "
    "file_content_type, owner_id, collected_on, valid_until, archived, version, created_at, "
    "updated_at, (SELECT u.email FROM users u WHERE u.id = evidence.owner_id)";

std::string Select() { return "SELECT " + std::string(kColumns) + " FROM evidence"; }

bool IsExpired(const std::optional<Date>& valid_until, const Date& today) {
  return valid_until && std::chrono::sys_days(*valid_until) < std::chrono::sys_days(today);
}

Evidence FromRow(const storage::Row& row, const Date& today) {
  Evidence e;
  e.id = EvidenceId(row.Text(0));
  e.org_id = OrgId(row.Text(1));
  e.ref = row.Text(2);
  e.kind = ParseKind(row.Text(3)).value_or(EvidenceKind::kNote);
  e.title = row.Text(4);
  e.description = row.Text(5);
  e.url = row.OptText(6);
  e.note = row.OptText(7);
  if (auto sha = row.OptText(8)) {
    e.file = EvidenceFile{*sha, row.Int(9), row.Text(10), row.Text(11)};
  }
  if (auto owner = row.OptText(12)) e.owner_id = UserId(*owner);
  if (auto date = row.OptText(13)) e.collected_on = ParseDate(*date);
  if (auto date = row.OptText(14)) e.valid_until = ParseDate(*date);
  e.archived = row.Bool(15);
  e.version = row.Int(16);
  e.created_at = row.Text(17);
  e.updated_at = row.Text(18);
  e.owner_email = row.OptText(19);
  e.expired = IsExpired(e.valid_until, today);
  return e;
}

storage::Value DateValue(const std::optional<Date>& date) {
  if (!date) return nullptr;
  return FormatDate(*date);
}

storage::Value TextValue(const std::optional<std::string>& text) {
  if (!text) return nullptr;
  return *text;
}

/// Every column but the owner's email, in kColumns order.
std::vector<storage::Value> Values(const Evidence& e) {
  return {e.id.str(),
          e.org_id.str(),
          e.ref,
          std::string(KindName(e.kind)),
          e.title,
          e.description,
          TextValue(e.url),
          TextValue(e.note),
          e.file ? storage::Value(e.file->sha256) : storage::Value(nullptr),
          e.file ? storage::Value(e.file->size) : storage::Value(nullptr),
          e.file ? storage::Value(e.file->filename) : storage::Value(nullptr),
          e.file ? storage::Value(e.file->content_type) : storage::Value(nullptr),
          e.owner_id ? storage::Value(e.owner_id->str()) : storage::Value(nullptr),
          DateValue(e.collected_on),
          DateValue(e.valid_until),
          std::int64_t{e.archived ? 1 : 0},
          e.version,
          e.created_at,
          e.updated_at};
}

std::string DateKey(const std::optional<Date>& date) { return date ? FormatDate(*date) : ""; }

const storage::SortKeys<Evidence>& SortKeys() {
  static const storage::SortKeys<Evidence> kKeys = {
      {"ref", {"ref", [](const Evidence& e) { return e.ref; }}},
      {"title", {"title", [](const Evidence& e) { return e.title; }}},
      {"kind", {"kind", [](const Evidence& e) { return std::string(KindName(e.kind)); }}},
      {"valid_until",
       {"COALESCE(valid_until, '')", [](const Evidence& e) { return DateKey(e.valid_until); }}},
      {"collected_on",
       {"COALESCE(collected_on, '')", [](const Evidence& e) { return DateKey(e.collected_on); }}},
      {"created_at", {"created_at", [](const Evidence& e) { return e.created_at; }}},
      {"updated_at", {"updated_at", [](const Evidence& e) { return e.updated_at; }}},
  };
  return kKeys;
}

}  // namespace

std::string_view KindName(EvidenceKind kind) {
  switch (kind) {
    case EvidenceKind::kFile: return "file";
    case EvidenceKind::kLink: return "link";
    case EvidenceKind::kNote: return "note";
  }
  return "note";
}

std::optional<EvidenceKind> ParseKind(std::string_view name) {
  for (auto kind : kKinds) {
    if (KindName(kind) == name) return kind;
  }
  return std::nullopt;
}

const std::vector<std::string>& KindNames() {
  static const std::vector<std::string> kNames = {"file", "link", "note"};
  return kNames;
}

const std::vector<std::string>& EvidenceStore::SortFields() {
  static const auto kFields = storage::SortFieldsOf(SortKeys());
  return kFields;
}

Expected<void> EvidenceStore::Insert(Tx& tx, const Evidence& evidence) {
  CERTUS_TRY(tx.Execute(
      "INSERT INTO evidence (id, org_id, ref, kind, title, description, url, note, file_sha256, "
      "file_size, file_name, file_content_type, owner_id, collected_on, valid_until, archived, "
      "version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
      "$12, $13, $14, $15, $16, $17, $18, $19)",
      Values(evidence)));
  return WriteLinks(tx, evidence);
}

Expected<void> EvidenceStore::WriteLinks(Tx& tx, const Evidence& evidence) {
  CERTUS_TRY(
      tx.Execute("DELETE FROM evidence_controls WHERE evidence_id = $1", {evidence.id.str()}));
  for (const auto& control : evidence.control_ids) {
    CERTUS_TRY(
        tx.Execute("INSERT INTO evidence_controls (evidence_id, control_id) VALUES ($1, $2) "
                   "ON CONFLICT DO NOTHING",
                   {evidence.id.str(), control.str()}));
  }
  return {};
}

Expected<void> EvidenceStore::LoadLinks(Tx& tx, std::vector<Evidence>& items) {
  if (items.empty()) return {};
  // One query for the links of the whole page.
  storage::Query query{
      "SELECT evidence_id, control_id FROM evidence_controls WHERE evidence_id IN (", {}};
  std::map<std::string, Evidence*> by_id;
  for (auto& item : items) {
    if (!by_id.empty()) query.sql += ", ";
    query.sql += query.Bind(item.id.str());
    by_id[item.id.str()] = &item;
    item.control_ids.clear();
  }
  query.sql += ") ORDER BY evidence_id, control_id";
  auto result = CERTUS_TRY(tx.Execute(query.sql, query.params));
  for (const auto& row : result.rows) {
    auto it = by_id.find(row.Text(0));
    if (it != by_id.end()) it->second->control_ids.emplace_back(row.Text(1));
  }
  return {};
}

Expected<std::optional<Evidence>> EvidenceStore::Find(Tx& tx, const OrgId& org,
                                                      const EvidenceId& id, const Date& today) {
  auto result =
      CERTUS_TRY(tx.Execute(Select() + " WHERE org_id = $1 AND id = $2", {org.str(), id.str()}));
  if (result.rows.empty()) return std::nullopt;
  std::vector<Evidence> found{FromRow(result.rows[0], today)};
  CERTUS_CHECK(LoadLinks(tx, found));
  return std::move(found[0]);
}

Expected<Page<Evidence>> EvidenceStore::List(Tx& tx, const OrgId& org, const EvidenceFilter& filter,
                                             const Date& today, const PageQuery& page) {
  // A control's evidence is found from its links (CROSS JOIN makes SQLite start there) and
  // sorted apart, rather than by walking every record of the organization.
  storage::Query query{
      "SELECT " + std::string(kColumns) + " FROM " +
          (filter.control_id ? "evidence_controls ec CROSS JOIN evidence" : "evidence") +
          " WHERE org_id = $1",
      {org.str()}};
  query.sql += " AND archived = " + query.Bind(std::int64_t{filter.archived ? 1 : 0});
  if (filter.kind) query.sql += " AND kind = " + query.Bind(std::string(KindName(*filter.kind)));
  if (filter.owner_id) query.sql += " AND owner_id = " + query.Bind(filter.owner_id->str());
  if (filter.control_id) {
    query.sql += " AND ec.control_id = " + query.Bind(filter.control_id->str()) +
                 " AND evidence.id = ec.evidence_id";
  }
  if (filter.expired) {
    const auto today_value = query.Bind(FormatDate(today));
    query.sql += *filter.expired
                     ? " AND valid_until IS NOT NULL AND valid_until < " + today_value
                     : " AND (valid_until IS NULL OR valid_until >= " + today_value + ")";
  }
  if (filter.expiring_before) {
    query.sql += " AND valid_until IS NOT NULL AND valid_until < " +
                 query.Bind(FormatDate(*filter.expiring_before));
  }
  if (filter.text) query.AddTextSearch(*filter.text, {"ref", "title", "description"});
  auto out = CERTUS_TRY(
      storage::RunKeysetPage(tx, std::move(query), SortKeys(), page,
                             [&today](const storage::Row& row) { return FromRow(row, today); }));
  CERTUS_CHECK(LoadLinks(tx, out.items));
  return out;
}

Expected<bool> EvidenceStore::Update(Tx& tx, const Evidence& before, const Evidence& after) {
  const Evidence& evidence = after;
  auto values = Values(evidence);
  values.push_back(before.version);
  auto result = CERTUS_TRY(tx.Execute(
      "UPDATE evidence SET title = $5, description = $6, url = $7, note = $8, file_sha256 = $9, "
      "file_size = $10, file_name = $11, file_content_type = $12, owner_id = $13, "
      "collected_on = $14, valid_until = $15, archived = $16, version = $17, updated_at = $19 "
      "WHERE id = $1 AND org_id = $2 AND ref = $3 AND kind = $4 AND created_at = $18 "
      "AND version = $20",
      values));
  if (result.affected != 1) return false;
  if (before.control_ids != after.control_ids) CERTUS_CHECK(WriteLinks(tx, evidence));
  return true;
}

Expected<std::map<controls::ControlId, std::vector<controls::LinkedEvidence>>>
EvidenceStore::ForControls(Tx& tx, const OrgId& org,
                           const std::vector<controls::ControlId>& controls, const Date& today) {
  std::map<controls::ControlId, std::vector<controls::LinkedEvidence>> out;
  if (controls.empty()) return out;
  storage::Query query{
      "SELECT ec.control_id, e.id, e.ref, e.title, e.kind, e.valid_until, e.archived "
      "FROM evidence_controls ec JOIN evidence e ON e.id = ec.evidence_id "
      "WHERE e.org_id = $1 AND ec.control_id IN (",
      {org.str()}};
  for (std::size_t i = 0; i < controls.size(); ++i) {
    if (i > 0) query.sql += ", ";
    query.sql += query.Bind(controls[i].str());
  }
  query.sql += ") ORDER BY ec.control_id, e.ref, e.id";
  auto result = CERTUS_TRY(tx.Execute(query.sql, query.params));
  for (const auto& row : result.rows) {
    controls::LinkedEvidence linked;
    linked.id = row.Text(1);
    linked.ref = row.Text(2);
    linked.title = row.Text(3);
    linked.kind = row.Text(4);
    linked.valid_until = row.OptText(5);
    std::optional<Date> valid_until;
    if (linked.valid_until) valid_until = ParseDate(*linked.valid_until);
    linked.expired = IsExpired(valid_until, today);
    linked.archived = row.Bool(6);
    out[controls::ControlId(row.Text(0))].push_back(std::move(linked));
  }
  return out;
}

}  // namespace certus::evidence
