#include "modules/risk/assessment_json.hpp"

#include <boost/json.hpp>

#include "modules/risk/json.hpp"
#include "modules/risk/register_json.hpp"

namespace certus::risk {

namespace {

template <typename T>
boost::json::value Nullable(const std::optional<T>& value) {
  if (!value) return nullptr;
  return boost::json::value(*value);
}

template <typename T>
boost::json::array ArrayOf(const std::vector<T>& items) {
  boost::json::array array;
  array.reserve(items.size());
  for (const auto& item : items) array.push_back(ToJson(item));
  return array;
}

}  // namespace

boost::json::value ToJson(const RatedRisk& r) {
  return boost::json::object{{"id", r.id.str()},
                             {"ref", r.ref},
                             {"title", r.title},
                             {"description", r.description},
                             {"threat", r.threat},
                             {"vulnerability", r.vulnerability},
                             {"owner_id", r.owner_id.str()},
                             {"likelihood", r.likelihood},
                             {"impact", r.impact},
                             {"inherent_score", r.inherent_score},
                             {"inherent_level", r.inherent_level},
                             {"treatment", r.treatment},
                             {"treatment_rationale", r.treatment_rationale},
                             {"transfer_to", r.transfer_to},
                             {"residual_likelihood", Nullable(r.residual_likelihood)},
                             {"residual_impact", Nullable(r.residual_impact)},
                             {"residual_score", Nullable(r.residual_score)},
                             {"residual_level", Nullable(r.residual_level)},
                             {"status", r.status},
                             {"last_assessed_on", Nullable(r.last_assessed_on)},
                             {"next_review_on", Nullable(r.next_review_on)},
                             {"accepted_by_email", Nullable(r.accepted_by_email)},
                             {"acceptance_expires_on", Nullable(r.acceptance_expires_on)}};
}

boost::json::value ToJson(const RiskAssessment& a) {
  boost::json::object methodology = CriteriaJson(a.methodology);
  methodology["version"] = a.methodology_version;
  return boost::json::object{{"id", a.id.str()},
                             {"ref", a.ref},
                             {"name", a.name},
                             {"notes", a.notes},
                             {"taken_by_id", a.taken_by_id},
                             {"taken_by_email", a.taken_by_email},
                             {"taken_at", a.taken_at},
                             {"risk_count", a.risk_count},
                             {"methodology", std::move(methodology)}};
}

boost::json::value ToJson(const AssessmentComparison& c) {
  boost::json::array rerated;
  boost::json::array changed;
  for (const auto& change : c.changed) {
    boost::json::array fields;
    for (const auto& field : change.fields) {
      fields.push_back({{"field", field.field}, {"from", field.from}, {"to", field.to}});
    }
    boost::json::object item{{"id", change.to.id.str()}, {"ref", change.to.ref},
                             {"title", change.to.title}, {"from", ToJson(change.from)},
                             {"to", ToJson(change.to)},  {"fields", std::move(fields)}};
    (change.rerated ? rerated : changed).push_back(std::move(item));
  }
  return boost::json::object{
      {"from", ToJson(c.from)},        {"to", c.to ? ToJson(*c.to) : boost::json::value(nullptr)},
      {"added", ArrayOf(c.added)},     {"removed", ArrayOf(c.removed)},
      {"rerated", std::move(rerated)}, {"changed", std::move(changed)}};
}

boost::json::value ToJson(const Heatmap& h) {
  boost::json::array cells;
  cells.reserve(h.cells.size());
  for (const auto& cell : h.cells) {
    boost::json::array ids;
    ids.reserve(cell.risk_ids.size());
    for (const auto& id : cell.risk_ids) ids.emplace_back(id);
    cells.push_back({{"likelihood", cell.likelihood},
                     {"impact", cell.impact},
                     {"score", cell.score},
                     {"level", cell.level},
                     {"colour", cell.colour},
                     {"count", cell.risk_ids.size()},
                     {"risk_ids", std::move(ids)}});
  }
  boost::json::object criteria = CriteriaJson(h.criteria);
  return boost::json::object{
      {"basis", h.basis == HeatmapBasis::kResidual ? "residual" : "inherent"},
      {"likelihood_scale", criteria.at("likelihood_scale")},
      {"impact_scale", criteria.at("impact_scale")},
      {"bands", criteria.at("bands")},
      {"without_residual", h.without_residual},
      {"cells", std::move(cells)}};
}

boost::json::value ToJson(const ReRating& r) {
  boost::json::array reasons;
  for (const auto& reason : r.reasons) reasons.emplace_back(reason);
  return boost::json::object{{"id", r.risk.id.str()},
                             {"ref", r.risk.ref},
                             {"title", r.risk.title},
                             {"likelihood", r.risk.likelihood},
                             {"impact", r.risk.impact},
                             {"inherent_score", r.risk.inherent_score},
                             {"inherent_level", r.risk.inherent_level},
                             {"residual_likelihood", Nullable(r.risk.residual_likelihood)},
                             {"residual_impact", Nullable(r.risk.residual_impact)},
                             {"reasons", std::move(reasons)}};
}

boost::json::value ToJson(const TreatmentPlan& plan) {
  boost::json::array entries;
  std::int64_t actions = 0;
  std::int64_t open = 0;
  std::int64_t overdue = 0;
  for (const auto& entry : plan.entries) {
    boost::json::array planned;
    for (const auto& p : entry.actions) {
      boost::json::object action = ToJson(p.action).as_object();
      action["overdue"] = p.overdue;
      planned.push_back(std::move(action));
      ++actions;
      open += p.action.IsOpen() ? 1 : 0;
      overdue += p.overdue ? 1 : 0;
    }
    entries.push_back({{"risk", ToJson(entry.risk)}, {"actions", std::move(planned)}});
  }
  return boost::json::object{
      {"as_of", plan.as_of},
      {"items", std::move(entries)},
      {"summary", {{"actions", actions}, {"open", open}, {"overdue", overdue}}},
      {"next_cursor", plan.next_ref ? boost::json::value(*plan.next_ref) : nullptr}};
}

}  // namespace certus::risk
