#include "modules/risk/register_json.hpp"

#include <boost/json.hpp>

#include "http/json.hpp"

namespace certus::risk {

namespace {

using http::Nullable;

}  // namespace

boost::json::value ToJson(const Risk& risk) {
  boost::json::array assets;
  for (const auto& asset : risk.asset_ids) assets.push_back(boost::json::value(asset.str()));
  boost::json::array controls;
  for (const auto& control : risk.control_ids) controls.emplace_back(control.str());
  boost::json::value acceptance = nullptr;
  if (risk.acceptance) {
    const auto& a = *risk.acceptance;
    acceptance = boost::json::object{{"by_id", a.by_id},
                                     {"by_email", a.by_email},
                                     {"at", a.at},
                                     {"rationale", a.rationale},
                                     {"expires_on", a.expires_on},
                                     {"expired", risk.acceptance_expired}};
  }
  return boost::json::object{{"id", risk.id.str()},
                             {"ref", risk.ref},
                             {"title", risk.title},
                             {"description", risk.description},
                             {"threat", risk.threat},
                             {"vulnerability", risk.vulnerability},
                             {"asset_ids", std::move(assets)},
                             {"control_ids", std::move(controls)},
                             {"owner_id", risk.owner_id.str()},
                             {"likelihood", risk.likelihood},
                             {"impact", risk.impact},
                             {"inherent_score", risk.inherent_score},
                             {"inherent_level", risk.inherent_level},
                             {"treatment", TreatmentOptionName(risk.treatment)},
                             {"treatment_rationale", risk.treatment_rationale},
                             {"transfer_to", risk.transfer_to},
                             {"residual_likelihood", Nullable(risk.residual_likelihood)},
                             {"residual_impact", Nullable(risk.residual_impact)},
                             {"residual_score", Nullable(risk.residual_score)},
                             {"residual_level", Nullable(risk.residual_level)},
                             {"status", RiskStatusName(risk.status)},
                             {"last_assessed_on", Nullable(risk.last_assessed_on)},
                             {"next_review_on", Nullable(risk.next_review_on)},
                             {"above_threshold", risk.above_threshold},
                             {"acceptance", std::move(acceptance)},
                             {"open_treatments", risk.open_treatments},
                             {"version", risk.version},
                             {"created_at", risk.created_at},
                             {"updated_at", risk.updated_at}};
}

boost::json::value ToJson(const Treatment& t) {
  return boost::json::object{
      {"id", t.id.str()},
      {"ref", t.ref},
      {"risk_id", t.risk_id.str()},
      {"title", t.title},
      {"description", t.description},
      {"owner_id", t.owner_id ? boost::json::value(t.owner_id->str()) : nullptr},
      {"due_on", Nullable(t.due_on)},
      {"status", ActionStatusName(t.status)},
      {"completion_note", t.completion_note},
      {"control_id", t.control_id ? boost::json::value(t.control_id->str()) : nullptr},
      {"version", t.version},
      {"created_at", t.created_at},
      {"updated_at", t.updated_at}};
}

}  // namespace certus::risk
