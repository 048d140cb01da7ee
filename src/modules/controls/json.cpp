#include "modules/controls/json.hpp"

#include <boost/json.hpp>

#include "http/json.hpp"

namespace certus::controls {

namespace {

using http::Nullable;

}  // namespace

boost::json::value ToJson(const Control& c) {
  boost::json::array risk_ids;
  boost::json::array risks;
  for (const auto& risk : c.risks) {
    risk_ids.emplace_back(risk.id);
    risks.push_back(boost::json::object{
        {"id", risk.id}, {"ref", risk.ref}, {"title", risk.title}, {"treatment", risk.treatment}});
  }
  // Current evidence only; `evidence_expired` counts those past their valid_until, so a
  // reader sees a control whose evidence has all expired (equal to the number of ids).
  boost::json::array evidence_ids;
  std::int64_t evidence_expired = 0;
  for (const auto& item : c.CurrentEvidence()) {
    evidence_ids.emplace_back(item.id);
    if (item.expired) ++evidence_expired;
  }
  return boost::json::object{
      {"id", c.id.str()},
      {"org_id", c.org_id.str()},
      {"ref_id", c.ref_id},
      {"title", c.title},
      {"framework_id", Nullable(c.framework_id)},
      {"theme", c.theme},
      {"custom", c.custom},
      {"applicable", Nullable(c.applicable)},
      {"justification", c.justification},
      {"inclusion_reasons", http::StringArray(c.AllInclusionReasons())},
      {"implementation_status", ImplementationStatusName(c.implementation_status)},
      {"owner_id", c.owner_id ? boost::json::value(c.owner_id->str()) : nullptr},
      {"owner_email", Nullable(c.owner_email)},
      {"implementation", c.implementation},
      {"last_reviewed_on", Nullable(c.last_reviewed_on)},
      {"risk_ids", std::move(risk_ids)},
      {"risks", std::move(risks)},
      {"evidence_ids", std::move(evidence_ids)},
      {"evidence_expired", evidence_expired},
      {"version", c.version},
      {"created_at", c.created_at},
      {"updated_at", c.updated_at}};
}

boost::json::value SoaRowJson(const Control& control,
                              const std::vector<MappedRequirement>& requirements) {
  boost::json::value row = ToJson(control);
  boost::json::array mapped;
  mapped.reserve(requirements.size());
  for (const auto& r : requirements) {
    mapped.push_back(boost::json::object{
        {"framework_id", r.framework_id}, {"ref_id", r.ref_id}, {"title", r.title}});
  }
  row.as_object()["requirements"] = std::move(mapped);
  return row;
}

boost::json::object ToJson(const SoaVersion& v) {
  return boost::json::object{{"number", v.number},
                             {"notes", v.notes},
                             {"approved_by_id", v.approved_by_id},
                             {"approved_by_email", v.approved_by_email},
                             {"approved_at", v.approved_at},
                             {"row_count", v.row_count},
                             {"sha256", v.sha256}};
}

boost::json::object ToJson(const SoaSummary& s) {
  return boost::json::object{{"total", s.total},
                             {"applicable", s.applicable},
                             {"excluded", s.excluded},
                             {"undecided", s.undecided},
                             {"implemented", s.implemented},
                             {"partially_implemented", s.partially_implemented},
                             {"planned", s.planned},
                             {"not_started", s.not_started}};
}

boost::json::object ToJson(const SoaDocument& soa) {
  return boost::json::object{
      {"framework_id", soa.framework_id},
      {"rows", soa.rows},
      {"summary", ToJson(soa.summary)},
      {"latest_version",
       soa.latest_version ? boost::json::value(ToJson(*soa.latest_version)) : nullptr},
      {"changed_since_latest_version", soa.changed_since_latest_version}};
}

boost::json::object ToJson(const SoaDiff& diff) {
  boost::json::array changes;
  changes.reserve(diff.changes.size());
  for (const auto& change : diff.changes) {
    boost::json::array fields;
    for (const auto& field : change.fields) {
      fields.push_back(
          boost::json::object{{"field", field.field}, {"from", field.from}, {"to", field.to}});
    }
    changes.push_back(boost::json::object{{"ref_id", change.ref_id},
                                          {"title", change.title},
                                          {"change", change.change},
                                          {"fields", std::move(fields)}});
  }
  return boost::json::object{
      {"from", diff.from}, {"to", Nullable(diff.to)}, {"changes", std::move(changes)}};
}

boost::json::object ToJson(const Coverage& coverage) {
  boost::json::array items;
  items.reserve(coverage.items.size());
  for (const auto& item : coverage.items) {
    boost::json::array controls;
    for (const auto& control : item.controls) {
      controls.push_back(boost::json::object{
          {"ref_id", control.ref_id},
          {"implementation_status", ImplementationStatusName(control.implementation_status)},
          {"applicable", Nullable(control.applicable)}});
    }
    items.push_back(boost::json::object{{"ref_id", item.ref_id},
                                        {"title", item.title},
                                        {"status", item.status},
                                        {"controls", std::move(controls)}});
  }
  return boost::json::object{{"framework_id", coverage.framework_id},
                             {"total", coverage.total},
                             {"covered", coverage.covered},
                             {"partial", coverage.partial},
                             {"not_covered", coverage.not_covered},
                             {"percent", coverage.percent},
                             {"items", std::move(items)}};
}

}  // namespace certus::controls
