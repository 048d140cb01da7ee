#include "modules/controls/framework_store.hpp"

#include <algorithm>
#include <map>
#include <tuple>

#include <boost/json.hpp>

#include "modules/controls/framework_json.hpp"
#include "storage/keyset.hpp"

namespace certus::controls {

namespace {

// Rows per INSERT: 200 requirements bind 3000 values, far below SQLite's 32766 and
// PostgreSQL's 65535 parameters, and a whole NIST baseline takes two statements.
constexpr std::size_t kBatchRows = 200;

constexpr std::string_view kFrameworkColumns =
    "f.id, f.key, f.title, f.version, f.source, f.oscal_uuid, f.oscal_version, f.created_at, "
    "f.created_by, (SELECT COUNT(*) FROM requirements r WHERE r.framework_id = f.id)";

constexpr std::string_view kRequirementColumns =
    "id, framework_id, ref_id, kind, title, parent_ref, theme, text, guidance, label, withdrawn, "
    "attributes, params, parts, sort_order";

Framework FrameworkFromRow(const storage::Row& row) {
  Framework framework;
  framework.id = FrameworkId(row.Text(0));
  framework.key = row.Text(1);
  framework.title = row.Text(2);
  framework.version = row.Text(3);
  framework.source = row.Text(4) == "oscal" ? FrameworkSource::kOscal : FrameworkSource::kBuiltin;
  framework.oscal_uuid = row.OptText(5);
  framework.oscal_version = row.OptText(6);
  framework.created_at = row.Text(7);
  framework.created_by = row.Text(8);
  framework.requirement_count = row.Int(9);
  return framework;
}

boost::json::value ParseStored(const std::optional<std::string>& text) {
  if (!text) return nullptr;
  boost::system::error_code ec;
  auto value = boost::json::parse(*text, ec);
  // Only this store writes these columns, always from serialized JSON.
  if (ec) throw std::logic_error("requirements column holds text that is not JSON");
  return value;
}

storage::Value StoredJson(const boost::json::value& value) {
  if (value.is_null()) return nullptr;
  return boost::json::serialize(value);
}

Requirement RequirementFromRow(const storage::Row& row) {
  Requirement requirement;
  requirement.id = RequirementId(row.Text(0));
  requirement.framework_id = FrameworkId(row.Text(1));
  requirement.ref_id = row.Text(2);
  requirement.kind = row.Text(3);
  requirement.title = row.Text(4);
  requirement.parent_ref = row.OptText(5);
  requirement.theme = row.Text(6);
  requirement.text = row.Text(7);
  requirement.guidance = row.Text(8);
  requirement.label = row.Text(9);
  requirement.withdrawn = row.Bool(10);
  requirement.attributes = AttributesFromJson(ParseStored(row.OptText(11)));
  requirement.params = ParseStored(row.OptText(12));
  requirement.parts = ParseStored(row.OptText(13));
  requirement.sort_order = row.Int(14);
  return requirement;
}

const storage::SortKey<Requirement>& CatalogOrder() {
  static const storage::SortKey<Requirement> kKey{
      "sort_order", [](const Requirement& r) { return std::to_string(r.sort_order); }, true};
  return kKey;
}

Expected<std::optional<Framework>> FindOne(storage::Transaction& tx, const std::string& where,
                                           const std::vector<storage::Value>& params) {
  auto result = CERTUS_TRY(tx.Execute(
      std::string("SELECT ") + std::string(kFrameworkColumns) + " FROM frameworks f WHERE " + where,
      params));
  if (result.rows.empty()) return std::nullopt;
  return FrameworkFromRow(result.rows[0]);
}

}  // namespace

Expected<bool> FrameworkStore::InsertFramework(Tx& tx, const Framework& framework) {
  auto result = CERTUS_TRY(
      tx.Execute("INSERT INTO frameworks (id, key, title, version, source, oscal_uuid, "
                 "oscal_version, created_at, created_by) "
                 "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING",
                 {framework.id.str(), framework.key, framework.title, framework.version,
                  std::string(SourceName(framework.source)),
                  framework.oscal_uuid ? storage::Value(*framework.oscal_uuid) : nullptr,
                  framework.oscal_version ? storage::Value(*framework.oscal_version) : nullptr,
                  framework.created_at, framework.created_by}));
  return result.affected == 1;
}

Expected<std::optional<Framework>> FrameworkStore::FindFramework(Tx& tx, const FrameworkId& id) {
  return FindOne(tx, "f.id = $1", {id.str()});
}

Expected<std::optional<Framework>> FrameworkStore::FindFrameworkByKey(Tx& tx,
                                                                      const std::string& key) {
  return FindOne(tx, "f.key = $1", {key});
}

Expected<std::optional<Framework>> FrameworkStore::FindFrameworkByOscal(
    Tx& tx, const std::string& uuid, const std::string& version) {
  return FindOne(tx, "f.oscal_uuid = $1 AND f.version = $2", {uuid, version});
}

Expected<std::vector<Framework>> FrameworkStore::ListFrameworks(Tx& tx) {
  auto result = CERTUS_TRY(
      tx.Execute(std::string("SELECT ") + std::string(kFrameworkColumns) +
                 " FROM frameworks f ORDER BY CASE WHEN f.source = 'builtin' THEN 0 ELSE 1 END, "
                 "f.created_at, f.id"));
  std::vector<Framework> frameworks;
  frameworks.reserve(result.rows.size());
  for (const auto& row : result.rows) frameworks.push_back(FrameworkFromRow(row));
  return frameworks;
}

Expected<void> FrameworkStore::InsertRequirements(Tx& tx,
                                                  const std::vector<Requirement>& requirements) {
  for (std::size_t start = 0; start < requirements.size(); start += kBatchRows) {
    const std::size_t end = std::min(requirements.size(), start + kBatchRows);
    storage::Query query{
        std::string("INSERT INTO requirements (") + std::string(kRequirementColumns) + ") VALUES ",
        {}};
    query.params.reserve((end - start) * 15);
    for (std::size_t i = start; i < end; ++i) {
      const Requirement& r = requirements[i];
      query.sql += i == start ? "(" : ", (";
      const std::vector<storage::Value> values = {
          r.id.str(),
          r.framework_id.str(),
          r.ref_id,
          r.kind,
          r.title,
          r.parent_ref ? storage::Value(*r.parent_ref) : nullptr,
          r.theme,
          r.text,
          r.guidance,
          r.label,
          std::int64_t{r.withdrawn ? 1 : 0},
          boost::json::serialize(ToJson(r.attributes)),
          StoredJson(r.params),
          StoredJson(r.parts),
          r.sort_order};
      for (std::size_t v = 0; v < values.size(); ++v) {
        query.sql += (v == 0 ? "" : ", ") + query.Bind(values[v]);
      }
      query.sql += ")";
    }
    query.sql += " ON CONFLICT (framework_id, ref_id) DO NOTHING";
    CERTUS_TRY(tx.Execute(query.sql, query.params));
  }
  return {};
}

Expected<Page<Requirement>> FrameworkStore::ListRequirements(Tx& tx, const FrameworkId& framework,
                                                             const RequirementFilter& filter,
                                                             const PageQuery& page) {
  storage::Query query{std::string("SELECT ") + std::string(kRequirementColumns) +
                           " FROM requirements WHERE framework_id = $1",
                       {framework.str()}};
  if (filter.kind) query.sql += " AND kind = " + query.Bind(*filter.kind);
  if (filter.parent) query.sql += " AND parent_ref = " + query.Bind(*filter.parent);
  if (filter.text) query.AddTextSearch(*filter.text, {"ref_id", "label", "title"});
  return storage::RunKeysetPage(tx, std::move(query), CatalogOrder(), page, RequirementFromRow);
}

Expected<std::set<std::string, std::less<>>> FrameworkStore::RefIds(Tx& tx,
                                                                    const FrameworkId& framework) {
  auto result = CERTUS_TRY(
      tx.Execute("SELECT ref_id FROM requirements WHERE framework_id = $1", {framework.str()}));
  std::set<std::string, std::less<>> refs;
  for (const auto& row : result.rows) refs.insert(row.Text(0));
  return refs;
}

Expected<void> FrameworkStore::UpsertMappings(Tx& tx, const std::vector<Mapping>& mappings) {
  // PostgreSQL refuses an upsert that touches one row twice, so the last line for a pair wins
  // before anything is sent.
  using Key = std::tuple<std::string, std::string, std::string, std::string>;
  std::map<Key, const Mapping*> unique;
  for (const auto& m : mappings) {
    unique[Key{m.source_framework_id.str(), m.source_ref, m.target_framework_id.str(),
               m.target_ref}] = &m;
  }
  std::vector<const Mapping*> rows;
  rows.reserve(unique.size());
  for (const auto& [key, mapping] : unique) rows.push_back(mapping);

  for (std::size_t start = 0; start < rows.size(); start += kBatchRows) {
    const std::size_t end = std::min(rows.size(), start + kBatchRows);
    storage::Query query{
        "INSERT INTO requirement_mappings (source_framework_id, source_ref, target_framework_id, "
        "target_ref, relationship) VALUES ",
        {}};
    for (std::size_t i = start; i < end; ++i) {
      const Mapping& m = *rows[i];
      query.sql += i == start ? "(" : ", (";
      query.sql += query.Bind(m.source_framework_id.str()) + ", " + query.Bind(m.source_ref) +
                   ", " + query.Bind(m.target_framework_id.str()) + ", " +
                   query.Bind(m.target_ref) + ", " + query.Bind(m.relationship) + ")";
    }
    query.sql +=
        " ON CONFLICT (source_framework_id, source_ref, target_framework_id, target_ref) "
        "DO UPDATE SET relationship = excluded.relationship";
    CERTUS_TRY(tx.Execute(query.sql, query.params));
  }
  return {};
}

Expected<std::vector<OrderedMapping>> FrameworkStore::MappingsTouching(
    Tx& tx, const FrameworkId& framework, const std::optional<FrameworkId>& other) {
  storage::Query query{
      "SELECT m.source_framework_id, m.source_ref, m.target_framework_id, m.target_ref, "
      "m.relationship, COALESCE(rs.sort_order, 0), COALESCE(rt.sort_order, 0) "
      "FROM requirement_mappings m "
      "LEFT JOIN requirements rs ON rs.framework_id = m.source_framework_id "
      "AND rs.ref_id = m.source_ref "
      "LEFT JOIN requirements rt ON rt.framework_id = m.target_framework_id "
      "AND rt.ref_id = m.target_ref WHERE ",
      {}};
  const std::string self = query.Bind(framework.str());
  if (other) {
    const std::string them = query.Bind(other->str());
    query.sql += "(m.source_framework_id = " + self + " AND m.target_framework_id = " + them +
                 ") OR (m.target_framework_id = " + self + " AND m.source_framework_id = " + them +
                 ")";
  } else {
    query.sql += "m.source_framework_id = " + self + " OR m.target_framework_id = " + self;
  }
  auto result = CERTUS_TRY(tx.Execute(query.sql, query.params));
  std::vector<OrderedMapping> mappings;
  mappings.reserve(result.rows.size());
  for (const auto& row : result.rows) {
    mappings.push_back({{FrameworkId(row.Text(0)), row.Text(1), FrameworkId(row.Text(2)),
                         row.Text(3), row.Text(4)},
                        row.Int(5),
                        row.Int(6)});
  }
  return mappings;
}

}  // namespace certus::controls
