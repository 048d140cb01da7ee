#include "modules/risk/assessment_json.hpp"

#include <algorithm>

#include <boost/json.hpp>

#include "http/json.hpp"
#include "http/json_writer.hpp"
#include "modules/risk/json.hpp"
#include "modules/risk/register_json.hpp"

namespace certus::risk {

namespace {

using http::Nullable;

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

std::string HeatmapJsonText(const Heatmap& h) {
  // Written by hand rather than through a boost::json tree: with ids, a heat map of 100,000
  // risks is 100,000 strings, and building the tree cost more than the query.
  boost::json::object criteria = CriteriaJson(h.criteria);
  std::size_t ids = 0;
  for (const auto& cell : h.cells) ids += cell.risk_ids.size();
  std::string out;
  out.reserve(1024 + h.cells.size() * 128 + ids * 39);
  out += R"({"basis":)";
  out += h.basis == HeatmapBasis::kResidual ? R"("residual")" : R"("inherent")";
  out += R"(,"likelihood_scale":)";
  out += boost::json::serialize(criteria.at("likelihood_scale"));
  out += R"(,"impact_scale":)";
  out += boost::json::serialize(criteria.at("impact_scale"));
  out += R"(,"bands":)";
  out += boost::json::serialize(criteria.at("bands"));
  out += R"(,"without_residual":)";
  out += std::to_string(h.without_residual);
  out += R"(,"cells":[)";
  bool first_cell = true;
  for (const auto& cell : h.cells) {
    if (!first_cell) out += ',';
    first_cell = false;
    out += R"({"likelihood":)" + std::to_string(cell.likelihood);
    out += R"(,"impact":)" + std::to_string(cell.impact);
    out += R"(,"score":)" + std::to_string(cell.score);
    out += R"(,"level":)";
    http::AppendJsonString(out, cell.level);
    out += R"(,"colour":)";
    http::AppendJsonString(out, cell.colour);
    out += R"(,"count":)" + std::to_string(cell.count);
    if (h.ids == HeatmapIds::kInclude) {
      out += R"(,"risk_ids":[)";
      bool first_id = true;
      for (const auto& id : cell.risk_ids) {
        if (!first_id) out += ',';
        first_id = false;
        http::AppendJsonString(out, id);
      }
      out += ']';
    }
    out += '}';
  }
  out += "]}";
  return out;
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
