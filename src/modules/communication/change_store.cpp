#include "modules/communication/change_store.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <utility>

#include "storage/keyset.hpp"
#include "storage/placeholders.hpp"

namespace certus::communication {

// ------------------------------------------------------------------ model names

namespace {

constexpr std::array<std::pair<ChangeStatus, std::string_view>, 8> kStatuses = {{
    {ChangeStatus::kPlanned, "planned"},
    {ChangeStatus::kSubmitted, "submitted"},
    {ChangeStatus::kApproved, "approved"},
    {ChangeStatus::kInProgress, "in_progress"},
    {ChangeStatus::kImplemented, "implemented"},
    {ChangeStatus::kReviewed, "reviewed"},
    {ChangeStatus::kRejected, "rejected"},
    {ChangeStatus::kCancelled, "cancelled"},
}};

}  // namespace

std::string_view ChangeStatusName(ChangeStatus status) {
  for (const auto& [s, name] : kStatuses) {
    if (s == status) return name;
  }
  return "planned";
}

std::optional<ChangeStatus> ParseChangeStatus(std::string_view name) {
  for (const auto& [s, n] : kStatuses) {
    if (n == name) return s;
  }
  return std::nullopt;
}

const std::vector<std::string>& ChangeStatusNames() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> names;
    names.reserve(kStatuses.size());
    for (const auto& [s, n] : kStatuses) names.emplace_back(n);
    return names;
  }();
  return kNames;
}

bool IsClosed(ChangeStatus status) {
  return status == ChangeStatus::kReviewed || status == ChangeStatus::kRejected ||
         status == ChangeStatus::kCancelled;
}

bool IsApproved(ChangeStatus status) {
  return status == ChangeStatus::kApproved || status == ChangeStatus::kInProgress ||
         status == ChangeStatus::kImplemented || status == ChangeStatus::kReviewed;
}

std::string_view ChangeStepName(ChangeStep step) {
  switch (step) {
    case ChangeStep::kSubmit: return "submit";
    case ChangeStep::kApprove: return "approve";
    case ChangeStep::kReject: return "reject";
    case ChangeStep::kStart: return "start";
    case ChangeStep::kImplement: return "implement";
    case ChangeStep::kReview: return "review";
    case ChangeStep::kCancel: return "cancel";
  }
  return "submit";
}

std::string_view LinkKindName(LinkKind kind) {
  switch (kind) {
    case LinkKind::kRisk: return "risk";
    case LinkKind::kControl: return "control";
    case LinkKind::kDocument: return "document";
  }
  return "risk";
}

namespace {

std::optional<LinkKind> ParseLinkKind(std::string_view name) {
  for (auto kind : {LinkKind::kRisk, LinkKind::kControl, LinkKind::kDocument}) {
    if (LinkKindName(kind) == name) return kind;
  }
  return std::nullopt;
}

}  // namespace

std::vector<std::string> Change::LinkIds(LinkKind kind) const {
  std::vector<std::string> ids;
  for (const auto& link : links) {
    if (link.kind == kind) ids.push_back(link.id);
  }
  return ids;
}

// ------------------------------------------------------------------ rows

namespace {

constexpr std::string_view kColumns =
    "id, org_id, ref, title, purpose, consequences, integrity_considerations, resources, "
    "owner_id, responsibilities, planned_on, status, nonconformity_id, notes, requested_by, "
    "requested_by_email, submitted_at, decision_by, decision_email, decision_at, "
    "decision_comment, started_at, implemented_on, implementation_by, implementation_email, "
    "implementation_at, implementation_comment, review_by, review_email, review_at, "
    "review_comment, achieved_purpose, cancellation_by, cancellation_email, cancellation_at, "
    "cancellation_comment, version, created_at, updated_at";

storage::Value OptText(const std::optional<std::string>& text) {
  if (!text) return nullptr;
  return *text;
}

storage::Value OptDate(const std::optional<Date>& date) {
  if (!date) return nullptr;
  return FormatDate(*date);
}

std::optional<Date> DateFrom(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  return ParseDate(*text);
}

std::optional<Signature> SignatureFrom(const storage::Row& row, std::size_t at) {
  auto user = row.OptText(at);
  if (!user) return std::nullopt;
  return Signature{UserId(*user), row.OptText(at + 1).value_or(""),
                   row.OptText(at + 2).value_or(""), row.OptText(at + 3).value_or("")};
}

void AppendSignature(std::vector<storage::Value>& values, const std::optional<Signature>& s) {
  if (!s) {
    for (int i = 0; i < 4; ++i) values.emplace_back(nullptr);
    return;
  }
  values.emplace_back(s->user_id.str());
  values.emplace_back(s->email);
  values.emplace_back(s->at);
  values.emplace_back(s->comment);
}

Change FromRow(const storage::Row& row) {
  Change c;
  c.id = ChangeId(row.Text(0));
  c.org_id = OrgId(row.Text(1));
  c.ref = row.Text(2);
  c.title = row.Text(3);
  c.purpose = row.Text(4);
  c.consequences = row.Text(5);
  c.integrity_considerations = row.Text(6);
  c.resources = row.Text(7);
  c.owner_id = UserId(row.Text(8));
  c.responsibilities = row.Text(9);
  c.planned_on = DateFrom(row.OptText(10));
  c.status = ParseChangeStatus(row.Text(11)).value_or(ChangeStatus::kPlanned);
  c.nonconformity_id = row.OptText(12);
  c.notes = row.Text(13);
  c.requested_by = UserId(row.Text(14));
  c.requested_by_email = row.Text(15);
  c.submitted_at = row.OptText(16);
  c.decision = SignatureFrom(row, 17);
  c.started_at = row.OptText(21);
  c.implemented_on = DateFrom(row.OptText(22));
  c.implementation = SignatureFrom(row, 23);
  c.review = SignatureFrom(row, 27);
  if (auto achieved = row.OptInt(31)) c.achieved_purpose = *achieved != 0;
  c.cancellation = SignatureFrom(row, 32);
  c.version = row.Int(36);
  c.created_at = row.Text(37);
  c.updated_at = row.Text(38);
  return c;
}

/// Every column of kColumns but the first two, in order, after id and org_id.
std::vector<storage::Value> Values(const Change& c) {
  std::vector<storage::Value> v = {c.id.str(),
                                   c.org_id.str(),
                                   c.ref,
                                   c.title,
                                   c.purpose,
                                   c.consequences,
                                   c.integrity_considerations,
                                   c.resources,
                                   c.owner_id.str(),
                                   c.responsibilities,
                                   OptDate(c.planned_on),
                                   std::string(ChangeStatusName(c.status)),
                                   OptText(c.nonconformity_id),
                                   c.notes,
                                   c.requested_by.str(),
                                   c.requested_by_email,
                                   OptText(c.submitted_at)};
  AppendSignature(v, c.decision);
  v.emplace_back(OptText(c.started_at));
  v.emplace_back(OptDate(c.implemented_on));
  AppendSignature(v, c.implementation);
  AppendSignature(v, c.review);
  v.emplace_back(c.achieved_purpose ? storage::Value(std::int64_t{*c.achieved_purpose ? 1 : 0})
                                    : storage::Value(nullptr));
  AppendSignature(v, c.cancellation);
  v.emplace_back(c.version);
  v.emplace_back(c.created_at);
  v.emplace_back(c.updated_at);
  return v;
}

const storage::SortKeys<Change>& SortKeys() {
  static const storage::SortKeys<Change> kKeys = {
      {"ref", {"ref", [](const Change& c) { return c.ref; }}},
      {"title", {"title", [](const Change& c) { return c.title; }}},
      {"status",
       {"status", [](const Change& c) { return std::string(ChangeStatusName(c.status)); }}},
      {"planned_on",
       {"COALESCE(planned_on, '9999-12-31')",
        [](const Change& c) {
          return c.planned_on ? FormatDate(*c.planned_on) : std::string("9999-12-31");
        }}},
      {"created_at", {"created_at", [](const Change& c) { return c.created_at; }}},
      {"updated_at", {"updated_at", [](const Change& c) { return c.updated_at; }}},
  };
  return kKeys;
}

}  // namespace

const std::vector<std::string>& ChangeStore::SortFields() {
  static const auto kFields = storage::SortFieldsOf(SortKeys());
  return kFields;
}

Expected<void> ChangeStore::WriteLinks(Tx& tx, const Change& change) {
  CERTUS_TRY(tx.Execute("DELETE FROM isms_change_links WHERE change_id = $1", {change.id.str()}));
  for (const auto& link : change.links) {
    CERTUS_TRY(tx.Execute(
        "INSERT INTO isms_change_links (change_id, kind, target_id, label) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT DO NOTHING",
        {change.id.str(), std::string(LinkKindName(link.kind)), link.id, link.label}));
  }
  return {};
}

Expected<void> ChangeStore::LoadLinks(Tx& tx, std::vector<Change>& changes) {
  if (changes.empty()) return {};
  std::map<std::string, Change*> by_id;
  std::vector<storage::Value> params;
  std::string in;
  for (auto& change : changes) {
    change.links.clear();
    by_id[change.id.str()] = &change;
    params.emplace_back(change.id.str());
    if (!in.empty()) in += ", ";
    in += "$" + std::to_string(params.size());
  }
  auto result = CERTUS_TRY(
      tx.Execute("SELECT change_id, kind, target_id, label FROM isms_change_links WHERE change_id "
                 "IN (" +
                     in + ") ORDER BY change_id, kind, target_id",
                 params));
  for (const auto& row : result.rows) {
    auto kind = ParseLinkKind(row.Text(1));
    if (!kind) continue;
    if (auto it = by_id.find(row.Text(0)); it != by_id.end()) {
      it->second->links.push_back({*kind, row.Text(2), row.Text(3)});
    }
  }
  // Kind by kind (risks, controls, documents), as the service writes them; byte order of
  // ids, whatever the engine's collation.
  for (auto& change : changes) {
    std::sort(change.links.begin(), change.links.end(),
              [](const ChangeLink& a, const ChangeLink& b) {
                return a.kind != b.kind ? a.kind < b.kind : a.id < b.id;
              });
  }
  return {};
}

Expected<void> ChangeStore::Insert(Tx& tx, const Change& change) {
  auto values = Values(change);
  CERTUS_TRY(tx.Execute("INSERT INTO isms_changes (" + std::string(kColumns) + ") VALUES (" +
                            storage::Placeholders(1, values.size()) + ")",
                        values));
  return WriteLinks(tx, change);
}

Expected<std::optional<Change>> ChangeStore::Find(Tx& tx, const OrgId& org, const ChangeId& id) {
  auto result = CERTUS_TRY(tx.Execute(
      "SELECT " + std::string(kColumns) + " FROM isms_changes WHERE org_id = $1 AND id = $2",
      {org.str(), id.str()}));
  if (result.rows.empty()) return std::nullopt;
  std::vector<Change> changes{FromRow(result.rows[0])};
  CERTUS_CHECK(LoadLinks(tx, changes));
  return changes[0];
}

Expected<Page<Change>> ChangeStore::List(Tx& tx, const OrgId& org, const ChangeFilter& filter,
                                         const PageQuery& page) {
  storage::Query query{"SELECT " + std::string(kColumns) + " FROM isms_changes WHERE org_id = $1",
                       {org.str()}};
  if (!filter.statuses.empty()) {
    std::string in;
    for (auto status : filter.statuses) {
      if (!in.empty()) in += ", ";
      in += query.Bind(std::string(ChangeStatusName(status)));
    }
    query.sql += " AND status IN (" + in + ")";
  }
  if (filter.owner_id) query.sql += " AND owner_id = " + query.Bind(filter.owner_id->str());
  for (auto [value, kind] :
       {std::pair{&filter.risk_id, "risk"}, std::pair{&filter.control_id, "control"},
        std::pair{&filter.document_id, "document"}}) {
    if (!*value) continue;
    query.sql += " AND id IN (SELECT change_id FROM isms_change_links WHERE kind = " +
                 query.Bind(std::string(kind)) + " AND target_id = " + query.Bind(**value) + ")";
  }
  if (filter.nonconformity_id) {
    query.sql += " AND nonconformity_id = " + query.Bind(*filter.nonconformity_id);
  }
  if (filter.text) query.AddTextSearch(*filter.text, {"title", "purpose", "notes"});
  auto result = CERTUS_TRY(storage::RunKeysetPage(tx, std::move(query), SortKeys(), page, FromRow));
  CERTUS_CHECK(LoadLinks(tx, result.items));
  return result;
}

Expected<bool> ChangeStore::Update(Tx& tx, const Change& change, std::int64_t expected_version) {
  auto values = Values(change);
  // SET every column after id and org_id ($3 … $n); the key is $1, $2; the version last.
  std::string set;
  std::string_view columns = kColumns;
  std::vector<std::string> names;
  std::size_t start = 0;
  while (start < columns.size()) {
    auto comma = columns.find(',', start);
    auto name = columns.substr(start, comma == std::string_view::npos ? comma : comma - start);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    names.emplace_back(name);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  for (std::size_t i = 2; i < names.size(); ++i) {
    if (!set.empty()) set += ", ";
    set += names[i] + " = $" + std::to_string(i + 1);
  }
  values.emplace_back(expected_version);
  auto result = CERTUS_TRY(tx.Execute("UPDATE isms_changes SET " + set +
                                          " WHERE id = $1 AND org_id = $2 AND version = $" +
                                          std::to_string(values.size()),
                                      values));
  if (result.affected != 1) return false;
  CERTUS_CHECK(WriteLinks(tx, change));
  return true;
}

Expected<bool> ChangeStore::Delete(Tx& tx, const OrgId& org, const ChangeId& id,
                                   std::int64_t expected_version) {
  CERTUS_TRY(tx.Execute("DELETE FROM isms_change_links WHERE change_id = $1", {id.str()}));
  auto result = CERTUS_TRY(
      tx.Execute("DELETE FROM isms_changes WHERE org_id = $1 AND id = $2 AND version = $3",
                 {org.str(), id.str(), expected_version}));
  return result.affected == 1;
}

}  // namespace certus::communication
