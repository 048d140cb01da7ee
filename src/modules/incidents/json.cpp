#include "modules/incidents/json.hpp"

#include <boost/json.hpp>

#include "http/json.hpp"

namespace certus::incidents {

namespace {

boost::json::array LinksOf(const Incident& i, LinkKind kind) {
  boost::json::array links;
  for (const auto& link : i.links) {
    if (link.kind != kind) continue;
    // "NC-0002 Backups untested": the ref is the label's first word.
    const auto space = link.label.find(' ');
    links.push_back(boost::json::object{
        {"id", link.id},
        {"ref", link.label.substr(0, space)},
        {"title", space == std::string::npos ? std::string() : link.label.substr(space + 1)}});
  }
  return links;
}

boost::json::object Counts(const std::map<std::string, std::int64_t>& counts) {
  boost::json::object out;
  for (const auto& [name, count] : counts) out[name] = count;
  return out;
}

}  // namespace

boost::json::value ToJson(const Incident& i) {
  return boost::json::object{
      {"id", i.id.str()},
      {"ref", i.ref},
      {"title", i.title},
      {"description", i.description},
      {"category", CategoryName(i.category)},
      {"severity", SeverityName(i.severity)},
      {"detected_at", i.detected_at},
      {"reported_at", i.reported_at},
      {"reported_by", i.reported_by.str()},
      {"reported_by_email", i.reported_by_email},
      {"owner_id", i.owner_id.str()},
      {"status", StatusName(i.status)},
      {"resolution", i.resolution},
      {"lessons_learned", i.lessons_learned},
      {"personal_data_involved", i.personal_data_involved},
      {"notification_notes", i.notification_notes},
      {"triaged_at", http::Nullable(i.triaged_at)},
      {"contained_at", http::Nullable(i.contained_at)},
      {"resolved_at", http::Nullable(i.resolved_at)},
      {"closed_at", http::Nullable(i.closed_at)},
      {"closed_by", i.closed_by ? boost::json::value(i.closed_by->str()) : nullptr},
      {"reopen_count", i.reopen_count},
      {"hours_to_contain", http::Nullable(HoursBetween(i.detected_at, i.contained_at))},
      {"hours_to_resolve", http::Nullable(HoursBetween(i.detected_at, i.resolved_at))},
      {"asset_ids", http::StringArray(i.LinkIds(LinkKind::kAsset))},
      {"risk_ids", http::StringArray(i.LinkIds(LinkKind::kRisk))},
      {"nonconformity_ids", http::StringArray(i.LinkIds(LinkKind::kNonconformity))},
      {"assets", LinksOf(i, LinkKind::kAsset)},
      {"risks", LinksOf(i, LinkKind::kRisk)},
      {"nonconformities", LinksOf(i, LinkKind::kNonconformity)},
      {"version", i.version},
      {"created_at", i.created_at},
      {"updated_at", i.updated_at}};
}

boost::json::value ToJson(const TimelineEntry& e) {
  return boost::json::object{
      {"id", e.id.str()},
      {"incident_id", e.incident_id.str()},
      {"at", e.at},
      {"kind", e.kind},
      {"status", e.status ? boost::json::value(StatusName(*e.status)) : nullptr},
      {"entry", e.entry},
      {"recorded_by", e.recorded_by.str()},
      {"recorded_by_email", e.recorded_by_email},
      {"recorded_at", e.recorded_at}};
}

boost::json::value ToJson(const IncidentSummary& s) {
  return boost::json::object{{"from", s.from},
                             {"to", s.to},
                             {"total", s.total},
                             {"open", s.open},
                             {"by_status", Counts(s.by_status)},
                             {"by_severity", Counts(s.by_severity)},
                             {"by_category", Counts(s.by_category)},
                             {"personal_data_involved", s.personal_data_involved},
                             {"mean_hours_to_contain", http::Nullable(s.mean_hours_to_contain)},
                             {"mean_hours_to_resolve", http::Nullable(s.mean_hours_to_resolve)}};
}

}  // namespace certus::incidents
