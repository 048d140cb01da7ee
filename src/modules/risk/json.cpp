#include "modules/risk/json.hpp"

#include <boost/json.hpp>

#include "http/json.hpp"

namespace certus::risk {

namespace {

boost::json::array ScaleJson(const std::vector<ScaleLevel>& scale) {
  boost::json::array out;
  for (const auto& level : scale) {
    out.push_back(boost::json::object{
        {"value", level.value}, {"label", level.label}, {"description", level.description}});
  }
  return out;
}

std::vector<ScaleLevel> ScaleFrom(const boost::json::value& json) {
  std::vector<ScaleLevel> scale;
  if (!json.is_array()) return scale;
  for (const auto& item : json.as_array()) {
    scale.push_back({item.at("value").to_number<std::int64_t>(),
                     std::string(item.at("label").as_string()),
                     std::string(item.at("description").as_string())});
  }
  return scale;
}

using http::Nullable;

}  // namespace

boost::json::object CriteriaJson(const MethodologyCriteria& criteria) {
  boost::json::array bands;
  for (const auto& band : criteria.bands) {
    bands.push_back(boost::json::object{{"name", band.name},
                                        {"min_score", band.min_score},
                                        {"max_score", band.max_score},
                                        {"colour", band.colour}});
  }
  boost::json::object json{{"likelihood_scale", ScaleJson(criteria.likelihood_scale)},
                           {"impact_scale", ScaleJson(criteria.impact_scale)},
                           {"scoring", ScoringName(criteria.scoring)},
                           {"bands", std::move(bands)},
                           {"acceptance_threshold", criteria.acceptance_threshold},
                           {"reassessment_interval_months", criteria.reassessment_interval_months}};
  if (criteria.scoring == Scoring::kMatrix) {
    boost::json::array matrix;
    for (const auto& row : criteria.matrix) {
      boost::json::array scores;
      for (std::int64_t score : row) scores.emplace_back(score);
      matrix.emplace_back(std::move(scores));
    }
    json["matrix"] = std::move(matrix);
  }
  return json;
}

MethodologyCriteria CriteriaFromJson(const boost::json::value& json) {
  MethodologyCriteria criteria;
  const auto& object = json.as_object();
  criteria.likelihood_scale = ScaleFrom(object.at("likelihood_scale"));
  criteria.impact_scale = ScaleFrom(object.at("impact_scale"));
  criteria.scoring =
      ParseScoring(std::string_view(object.at("scoring").as_string())).value_or(Scoring::kProduct);
  for (const auto& item : object.at("bands").as_array()) {
    criteria.bands.push_back({std::string(item.at("name").as_string()),
                              item.at("min_score").to_number<std::int64_t>(),
                              item.at("max_score").to_number<std::int64_t>(),
                              std::string(item.at("colour").as_string())});
  }
  if (const auto* matrix = object.if_contains("matrix")) {
    for (const auto& row : matrix->as_array()) {
      auto& scores = criteria.matrix.emplace_back();
      for (const auto& score : row.as_array()) scores.push_back(score.to_number<std::int64_t>());
    }
  }
  criteria.acceptance_threshold = object.at("acceptance_threshold").to_number<std::int64_t>();
  criteria.reassessment_interval_months =
      object.at("reassessment_interval_months").to_number<std::int64_t>();
  return criteria;
}

boost::json::value ToJson(const Methodology& methodology) {
  boost::json::object json = CriteriaJson(methodology.criteria);
  json["id"] = methodology.id.str();
  json["version"] = methodology.version;
  json["status"] = StatusName(methodology.status);
  json["max_score"] = methodology.criteria.MaxScore();
  json["created_by_id"] = methodology.created_by_id.empty()
                              ? boost::json::value(nullptr)
                              : boost::json::value(methodology.created_by_id);
  json["created_by_email"] = methodology.created_by_email;
  json["approved_by_id"] = Nullable(methodology.approved_by_id);
  json["approved_by_email"] = Nullable(methodology.approved_by_email);
  json["approved_at"] = Nullable(methodology.approved_at);
  json["created_at"] = methodology.created_at;
  json["updated_at"] = methodology.updated_at;
  return json;
}

boost::json::value ToJson(const MethodologyState& state) {
  boost::json::object json = ToJson(state.in_force).as_object();
  json["draft"] = state.draft ? ToJson(*state.draft) : boost::json::value(nullptr);
  return json;
}

boost::json::value ToJson(const Asset& asset) {
  return boost::json::object{{"id", asset.id.str()},
                             {"ref", asset.ref},
                             {"name", asset.name},
                             {"type", AssetTypeName(asset.type)},
                             {"owner_id", asset.owner_id.str()},
                             {"location", asset.location},
                             {"classification", ClassificationName(asset.classification)},
                             {"confidentiality", Nullable(asset.confidentiality)},
                             {"integrity", Nullable(asset.integrity)},
                             {"availability", Nullable(asset.availability)},
                             {"description", asset.description},
                             {"version", asset.version},
                             {"created_at", asset.created_at},
                             {"updated_at", asset.updated_at}};
}

}  // namespace certus::risk
