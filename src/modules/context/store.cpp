#include "modules/context/store.hpp"

#include <map>

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

/// The SQL expression a sort field orders by, and the same value computed from a row, so a
/// cursor continues exactly where the page ended. Nullable columns sort as ''.
struct SortKey {
  std::string_view sql;
  std::string (*of)(const ContextIssue&);
};

const std::map<std::string, SortKey, std::less<>>& SortKeys() {
  static const std::map<std::string, SortKey, std::less<>> kKeys = {
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

std::string EscapeLike(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out;
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
  static const std::vector<std::string> kFields = [] {
    std::vector<std::string> fields;
    for (const auto& [name, key] : SortKeys()) fields.push_back(name);
    return fields;
  }();
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
  const SortKey& key = SortKeys().at(page.sort);
  std::string sql =
      std::string("SELECT ") + std::string(kColumns) + " FROM context_issues WHERE org_id = $1";
  std::vector<storage::Value> params{org.str()};
  auto bind = [&](storage::Value value) {
    params.push_back(std::move(value));
    return "$" + std::to_string(params.size());
  };
  if (filter.kind) sql += " AND kind = " + bind(std::string(KindName(*filter.kind)));
  if (filter.text) {
    auto pattern = bind("%" + EscapeLike(*filter.text) + "%");
    sql += " AND (LOWER(title) LIKE LOWER(" + pattern +
           ") ESCAPE '\\' OR LOWER(description) LIKE LOWER(" + pattern + ") ESCAPE '\\')";
  }
  const char* op = page.descending ? "<" : ">";
  const char* direction = page.descending ? " DESC" : "";
  if (page.after) {
    auto sort_value = bind(page.after->sort_key);
    auto id_value = bind(page.after->id);
    sql += " AND (" + std::string(key.sql) + " " + op + " " + sort_value + " OR (" +
           std::string(key.sql) + " = " + sort_value + " AND id " + op + " " + id_value + "))";
  }
  sql += " ORDER BY " + std::string(key.sql) + direction + ", id" + direction;
  sql += " LIMIT " + bind(static_cast<std::int64_t>(page.limit + 1));

  auto result = CERTUS_TRY(tx.Execute(sql, params));
  Page<ContextIssue> out;
  for (const auto& row : result.rows) out.items.push_back(FromRow(row));
  if (out.items.size() > static_cast<std::size_t>(page.limit)) {
    out.items.pop_back();
    out.next = Cursor{key.of(out.items.back()), out.items.back().id.str()};
  }
  return out;
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
