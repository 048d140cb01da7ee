#include "modules/context/store.hpp"

#include "storage/keyset.hpp"

namespace certus::context {

namespace {

constexpr std::string_view kColumns =
    "id, org_id, ref, kind, title, description, effect, reviewed_on, version, created_at, "
    "updated_at";

ContextIssue FromRow(const storage::Row& row) {
  ContextIssue issue;
  issue.id = ContextIssueId(row.Text(0));
  issue.org_id = OrgId(row.Text(1));
  issue.ref = row.Text(2);
  issue.kind = ParseKind(row.Text(3)).value_or(IssueKind::kInternal);
  issue.title = row.Text(4);
  issue.description = row.Text(5);
  issue.effect = row.Text(6);
  if (auto date = row.OptText(7)) issue.reviewed_on = ParseDate(*date);
  issue.version = row.Int(8);
  issue.created_at = row.Text(9);
  issue.updated_at = row.Text(10);
  return issue;
}

storage::Value DateValue(const std::optional<Date>& date) {
  if (!date) return nullptr;
  return FormatDate(*date);
}

const storage::SortKeys<ContextIssue>& SortKeys() {
  static const storage::SortKeys<ContextIssue> kKeys = {
      {"title", {"title", [](const ContextIssue& i) { return i.title; }}},
      {"ref", {"ref", [](const ContextIssue& i) { return i.ref; }}},
      {"kind", {"kind", [](const ContextIssue& i) { return std::string(KindName(i.kind)); }}},
      {"reviewed_on",
       {"COALESCE(reviewed_on, '')",
        [](const ContextIssue& i) { return i.reviewed_on ? FormatDate(*i.reviewed_on) : ""; }}},
      {"created_at", {"created_at", [](const ContextIssue& i) { return i.created_at; }}},
      {"updated_at", {"updated_at", [](const ContextIssue& i) { return i.updated_at; }}},
  };
  return kKeys;
}

}  // namespace

std::string_view KindName(IssueKind kind) {
  return kind == IssueKind::kExternal ? "external" : "internal";
}

std::optional<IssueKind> ParseKind(std::string_view name) {
  if (name == "internal") return IssueKind::kInternal;
  if (name == "external") return IssueKind::kExternal;
  return std::nullopt;
}

const std::vector<std::string>& ContextStore::SortFields() {
  static const std::vector<std::string> kFields = storage::SortFieldsOf(SortKeys());
  return kFields;
}

Expected<void> ContextStore::Insert(Tx& tx, const ContextIssue& issue) {
  CERTUS_TRY(
      tx.Execute("INSERT INTO context_issues (id, org_id, ref, kind, title, description, effect, "
                 "reviewed_on, version, created_at, updated_at) "
                 "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                 {issue.id.str(), issue.org_id.str(), issue.ref, std::string(KindName(issue.kind)),
                  issue.title, issue.description, issue.effect, DateValue(issue.reviewed_on),
                  issue.version, issue.created_at, issue.updated_at}));
  return {};
}

Expected<std::optional<ContextIssue>> ContextStore::Find(Tx& tx, const OrgId& org,
                                                         const ContextIssueId& id) {
  auto result = CERTUS_TRY(tx.Execute(std::string("SELECT ") + std::string(kColumns) +
                                          " FROM context_issues WHERE org_id = $1 AND id = $2",
                                      {org.str(), id.str()}));
  if (result.rows.empty()) return std::nullopt;
  return FromRow(result.rows[0]);
}

Expected<Page<ContextIssue>> ContextStore::List(Tx& tx, const OrgId& org,
                                                const ContextIssueFilter& filter,
                                                const PageQuery& page) {
  storage::Query query{
      std::string("SELECT ") + std::string(kColumns) + " FROM context_issues WHERE org_id = $1",
      {org.str()}};
  if (filter.kind) query.sql += " AND kind = " + query.Bind(std::string(KindName(*filter.kind)));
  if (filter.text) query.AddTextSearch(*filter.text, {"title", "description"});
  return storage::RunKeysetPage(tx, std::move(query), SortKeys(), page, FromRow);
}

Expected<bool> ContextStore::Update(Tx& tx, const ContextIssue& issue,
                                    std::int64_t expected_version) {
  auto result = CERTUS_TRY(
      tx.Execute("UPDATE context_issues SET kind = $3, title = $4, description = $5, effect = $6, "
                 "reviewed_on = $7, version = $8, updated_at = $9 "
                 "WHERE org_id = $1 AND id = $2 AND version = $10",
                 {issue.org_id.str(), issue.id.str(), std::string(KindName(issue.kind)),
                  issue.title, issue.description, issue.effect, DateValue(issue.reviewed_on),
                  issue.version, issue.updated_at, expected_version}));
  return result.affected == 1;
}

Expected<bool> ContextStore::Delete(Tx& tx, const OrgId& org, const ContextIssueId& id,
                                    std::int64_t expected_version) {
  auto result = CERTUS_TRY(
      tx.Execute("DELETE FROM context_issues WHERE org_id = $1 AND id = $2 AND version = $3",
                 {org.str(), id.str(), expected_version}));
  return result.affected == 1;
}

}  // namespace certus::context
