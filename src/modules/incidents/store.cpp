#include "modules/incidents/store.hpp"

#include <algorithm>
#include <map>
#include <utility>

#include "storage/keyset.hpp"
#include "storage/placeholders.hpp"

namespace certus::incidents {

namespace {

constexpr std::string_view kColumns =
    "id, org_id, ref, title, description, category, severity, detected_at, reported_at, "
    "reported_by, reported_by_email, owner_id, status, resolution, lessons_learned, "
    "personal_data_involved, notification_notes, triaged_at, contained_at, resolved_at, "
    "closed_at, closed_by, reopen_count, version, created_at, updated_at";

constexpr std::string_view kEntryColumns =
    "id, org_id, incident_id, at, kind, status, entry, recorded_by, recorded_by_email, "
    "recorded_at";

storage::Value OptText(const std::optional<std::string>& text) {
  if (!text) return nullptr;
  return *text;
}

Incident FromRow(const storage::Row& row) {
  Incident i;
  i.id = IncidentId(row.Text(0));
  i.org_id = OrgId(row.Text(1));
  i.ref = row.Text(2);
  i.title = row.Text(3);
  i.description = row.Text(4);
  i.category = ParseCategory(row.Text(5)).value_or(Category::kOther);
  i.severity = ParseSeverity(row.Text(6)).value_or(Severity::kMedium);
  i.detected_at = row.Text(7);
  i.reported_at = row.Text(8);
  i.reported_by = UserId(row.Text(9));
  i.reported_by_email = row.Text(10);
  i.owner_id = UserId(row.Text(11));
  i.status = ParseStatus(row.Text(12)).value_or(Status::kNew);
  i.resolution = row.Text(13);
  i.lessons_learned = row.Text(14);
  i.personal_data_involved = row.Bool(15);
  i.notification_notes = row.Text(16);
  i.triaged_at = row.OptText(17);
  i.contained_at = row.OptText(18);
  i.resolved_at = row.OptText(19);
  i.closed_at = row.OptText(20);
  if (auto by = row.OptText(21)) i.closed_by = UserId(*by);
  i.reopen_count = row.Int(22);
  i.version = row.Int(23);
  i.created_at = row.Text(24);
  i.updated_at = row.Text(25);
  return i;
}

/// Every column of kColumns, in order.
std::vector<storage::Value> Values(const Incident& i) {
  return {i.id.str(),
          i.org_id.str(),
          i.ref,
          i.title,
          i.description,
          std::string(CategoryName(i.category)),
          std::string(SeverityName(i.severity)),
          i.detected_at,
          i.reported_at,
          i.reported_by.str(),
          i.reported_by_email,
          i.owner_id.str(),
          std::string(StatusName(i.status)),
          i.resolution,
          i.lessons_learned,
          std::int64_t{i.personal_data_involved ? 1 : 0},
          i.notification_notes,
          OptText(i.triaged_at),
          OptText(i.contained_at),
          OptText(i.resolved_at),
          OptText(i.closed_at),
          i.closed_by ? storage::Value(i.closed_by->str()) : storage::Value(nullptr),
          i.reopen_count,
          i.version,
          i.created_at,
          i.updated_at};
}

std::vector<std::string> ColumnNames(std::string_view columns) {
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
  return names;
}

TimelineEntry EntryFromRow(const storage::Row& row) {
  TimelineEntry e;
  e.id = TimelineEntryId(row.Text(0));
  e.org_id = OrgId(row.Text(1));
  e.incident_id = IncidentId(row.Text(2));
  e.at = row.Text(3);
  e.kind = row.Text(4);
  if (auto status = row.OptText(5)) e.status = ParseStatus(*status);
  e.entry = row.Text(6);
  e.recorded_by = UserId(row.Text(7));
  e.recorded_by_email = row.Text(8);
  e.recorded_at = row.Text(9);
  return e;
}

std::string SeverityRank(const Incident& i) { return std::to_string(static_cast<int>(i.severity)); }

const storage::SortKeys<Incident>& SortKeys() {
  static const storage::SortKeys<Incident> kKeys = {
      {"ref", {"ref", [](const Incident& i) { return i.ref; }}},
      {"title", {"title", [](const Incident& i) { return i.title; }}},
      {"status", {"status", [](const Incident& i) { return std::string(StatusName(i.status)); }}},
      {"severity",
       {"CASE severity WHEN 'low' THEN 0 WHEN 'medium' THEN 1 WHEN 'high' THEN 2 ELSE 3 END",
        SeverityRank, true}},
      {"detected_at", {"detected_at", [](const Incident& i) { return i.detected_at; }}},
      {"reported_at", {"reported_at", [](const Incident& i) { return i.reported_at; }}},
      {"created_at", {"created_at", [](const Incident& i) { return i.created_at; }}},
      {"updated_at", {"updated_at", [](const Incident& i) { return i.updated_at; }}},
  };
  return kKeys;
}

}  // namespace

const std::vector<std::string>& IncidentStore::SortFields() {
  static const auto kFields = storage::SortFieldsOf(SortKeys());
  return kFields;
}

Expected<void> IncidentStore::WriteLinks(Tx& tx, const Incident& incident) {
  CERTUS_TRY(tx.Execute("DELETE FROM incident_links WHERE incident_id = $1", {incident.id.str()}));
  for (const auto& link : incident.links) {
    CERTUS_TRY(tx.Execute(
        "INSERT INTO incident_links (incident_id, kind, target_id, label) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT DO NOTHING",
        {incident.id.str(), std::string(LinkKindName(link.kind)), link.id, link.label}));
  }
  return {};
}

Expected<void> IncidentStore::LoadLinks(Tx& tx, std::vector<Incident>& incidents) {
  if (incidents.empty()) return {};
  std::map<std::string, Incident*> by_id;
  std::vector<storage::Value> params;
  std::string in;
  for (auto& incident : incidents) {
    incident.links.clear();
    by_id[incident.id.str()] = &incident;
    params.emplace_back(incident.id.str());
    if (!in.empty()) in += ", ";
    in += "$" + std::to_string(params.size());
  }
  auto result = CERTUS_TRY(tx.Execute(
      "SELECT incident_id, kind, target_id, label FROM incident_links WHERE incident_id IN (" + in +
          ")",
      params));
  for (const auto& row : result.rows) {
    auto kind = ParseLinkKind(row.Text(1));
    if (!kind) continue;
    if (auto it = by_id.find(row.Text(0)); it != by_id.end()) {
      it->second->links.push_back({*kind, row.Text(2), row.Text(3)});
    }
  }
  // Kind by kind, then by label (refs sort by number: AST-0002 before AST-0010), in byte
  // order whatever the engine's collation.
  for (auto& incident : incidents) {
    std::sort(incident.links.begin(), incident.links.end(),
              [](const IncidentLink& a, const IncidentLink& b) {
                if (a.kind != b.kind) return a.kind < b.kind;
                if (a.label != b.label) return a.label < b.label;
                return a.id < b.id;
              });
  }
  return {};
}

Expected<void> IncidentStore::Insert(Tx& tx, const Incident& incident) {
  auto values = Values(incident);
  CERTUS_TRY(tx.Execute("INSERT INTO incidents (" + std::string(kColumns) + ") VALUES (" +
                            storage::Placeholders(1, values.size()) + ")",
                        values));
  return WriteLinks(tx, incident);
}

Expected<std::optional<Incident>> IncidentStore::Find(Tx& tx, const OrgId& org,
                                                      const IncidentId& id) {
  auto result = CERTUS_TRY(tx.Execute(
      "SELECT " + std::string(kColumns) + " FROM incidents WHERE org_id = $1 AND id = $2",
      {org.str(), id.str()}));
  if (result.rows.empty()) return std::nullopt;
  std::vector<Incident> incidents{FromRow(result.rows[0])};
  CERTUS_CHECK(LoadLinks(tx, incidents));
  return incidents[0];
}

Expected<Page<Incident>> IncidentStore::List(Tx& tx, const OrgId& org, const IncidentFilter& filter,
                                             const PageQuery& page) {
  storage::Query query{"SELECT " + std::string(kColumns) + " FROM incidents WHERE org_id = $1",
                       {org.str()}};
  if (!filter.statuses.empty()) {
    std::string in;
    for (auto status : filter.statuses) {
      if (!in.empty()) in += ", ";
      in += query.Bind(std::string(StatusName(status)));
    }
    query.sql += " AND status IN (" + in + ")";
  }
  if (filter.open_only) {
    query.sql += " AND status <> " + query.Bind(std::string(StatusName(Status::kClosed)));
  }
  if (filter.severity) {
    query.sql += " AND severity = " + query.Bind(std::string(SeverityName(*filter.severity)));
  }
  if (filter.category) {
    query.sql += " AND category = " + query.Bind(std::string(CategoryName(*filter.category)));
  }
  if (filter.owner_id) query.sql += " AND owner_id = " + query.Bind(filter.owner_id->str());
  for (auto [value, kind] : {std::pair{&filter.asset_id, LinkKind::kAsset},
                             std::pair{&filter.risk_id, LinkKind::kRisk}}) {
    if (!*value) continue;
    query.sql += " AND id IN (SELECT incident_id FROM incident_links WHERE kind = " +
                 query.Bind(std::string(LinkKindName(kind))) +
                 " AND target_id = " + query.Bind(**value) + ")";
  }
  if (filter.text) query.AddTextSearch(*filter.text, {"ref", "title", "description"});
  auto result = CERTUS_TRY(storage::RunKeysetPage(tx, std::move(query), SortKeys(), page, FromRow));
  CERTUS_CHECK(LoadLinks(tx, result.items));
  return result;
}

Expected<bool> IncidentStore::Update(Tx& tx, const Incident& incident,
                                     std::int64_t expected_version) {
  static const auto kNames = ColumnNames(kColumns);
  auto values = Values(incident);
  // SET every column after id and org_id ($3 … $n); the key is $1, $2; the version last.
  std::string set;
  for (std::size_t i = 2; i < kNames.size(); ++i) {
    if (!set.empty()) set += ", ";
    set += kNames[i] + " = $" + std::to_string(i + 1);
  }
  values.emplace_back(expected_version);
  auto result = CERTUS_TRY(tx.Execute("UPDATE incidents SET " + set +
                                          " WHERE id = $1 AND org_id = $2 AND version = $" +
                                          std::to_string(values.size()),
                                      values));
  if (result.affected != 1) return false;
  CERTUS_CHECK(WriteLinks(tx, incident));
  return true;
}

Expected<void> IncidentStore::InsertEntry(Tx& tx, const TimelineEntry& e) {
  CERTUS_TRY(tx.Execute(
      "INSERT INTO incident_timeline (" + std::string(kEntryColumns) + ") VALUES (" +
          storage::Placeholders(1, 10) + ")",
      {e.id.str(), e.org_id.str(), e.incident_id.str(), e.at, e.kind,
       e.status ? storage::Value(std::string(StatusName(*e.status))) : storage::Value(nullptr),
       e.entry, e.recorded_by.str(), e.recorded_by_email, e.recorded_at}));
  return {};
}

Expected<std::vector<TimelineEntry>> IncidentStore::ListEntries(Tx& tx, const OrgId& org,
                                                                const IncidentId& id) {
  auto result = CERTUS_TRY(tx.Execute("SELECT " + std::string(kEntryColumns) +
                                          " FROM incident_timeline WHERE org_id = $1 AND "
                                          "incident_id = $2 ORDER BY at, recorded_at, id",
                                      {org.str(), id.str()}));
  std::vector<TimelineEntry> entries;
  entries.reserve(result.rows.size());
  for (const auto& row : result.rows) entries.push_back(EntryFromRow(row));
  return entries;
}

Expected<std::vector<Incident>> IncidentStore::DetectedBetween(Tx& tx, const OrgId& org,
                                                               const std::string& from,
                                                               const std::string& until) {
  auto result = CERTUS_TRY(tx.Execute("SELECT " + std::string(kColumns) +
                                          " FROM incidents WHERE org_id = $1 AND detected_at >= "
                                          "$2 AND detected_at < $3",
                                      {org.str(), from, until}));
  std::vector<Incident> incidents;
  incidents.reserve(result.rows.size());
  for (const auto& row : result.rows) incidents.push_back(FromRow(row));
  return incidents;
}

}  // namespace certus::incidents
