#include "modules/risk/routes.hpp"

#include <algorithm>

#include <boost/json.hpp>

#include "http/application.hpp"
#include "http/json.hpp"
#include "http/paging.hpp"
#include "http/problem.hpp"
#include "modules/risk/json.hpp"

namespace certus::risk {

namespace {

using http::Access;
using http::Method;
using http::Request;
using http::Response;

constexpr std::size_t kNameMax = 200;
constexpr std::size_t kLabelMax = 100;
constexpr std::size_t kTextMax = 20000;
const std::vector<std::string> kScorings = {"product", "matrix"};

// ------------------------------------------------------------------ methodology

Response MethodologyResponse(unsigned status, const MethodologyState& state) {
  Response response = Response::Json(status, ToJson(state));
  response.SetHeader("ETag", http::Etag(state.LatestVersion()));
  return response;
}

/// Reads one nested object with `read`, naming its fields `prefix.field` in errors.
template <typename Read>
void ReadNested(const boost::json::value& json, const std::string& prefix,
                std::vector<FieldError>& errors, Read&& read) {
  if (!json.is_object()) {
    errors.push_back({prefix, "must be an object"});
    return;
  }
  http::FieldReader fields(json.as_object());
  read(fields);
  if (auto done = fields.Finish(); !done) {
    for (const auto& error : done.error().fields())
      errors.push_back({prefix + "." + error.field, error.message});
  }
}

template <typename Read>
void ReadArray(const boost::json::object& body, const std::string& name,
               std::vector<FieldError>& errors, Read&& read) {
  auto it = body.find(name);
  if (it == body.end()) {
    errors.push_back({name, "is required"});
    return;
  }
  if (!it->value().is_array()) {
    errors.push_back({name, "must be an array"});
    return;
  }
  const auto& items = it->value().as_array();
  if (items.size() > 100) {
    errors.push_back({name, "must have at most 100 entries"});
    return;
  }
  for (std::size_t i = 0; i < items.size(); ++i)
    ReadNested(items[i], name + "[" + std::to_string(i) + "]", errors, read);
}

std::vector<ScaleLevel> ReadScale(const boost::json::object& body, const std::string& name,
                                  std::vector<FieldError>& errors) {
  std::vector<ScaleLevel> scale;
  ReadArray(body, name, errors, [&](http::FieldReader& fields) {
    ScaleLevel level;
    fields.Require("value");
    fields.Require("label");
    level.value = fields.Integer("value", 1, 10).value_or(0);
    level.label = fields.Text("label", 1, kLabelMax).value_or("");
    level.description = fields.Text("description", 0, 1000).value_or("");
    scale.push_back(std::move(level));
  });
  return scale;
}

/// `matrix`: an array of rows, one per likelihood level, each an array of integer scores,
/// one per impact level. Its dimensions are checked by the service's rules.
std::vector<std::vector<std::int64_t>> ReadMatrix(const boost::json::object& body,
                                                  std::vector<FieldError>& errors) {
  std::vector<std::vector<std::int64_t>> matrix;
  const auto* value = body.if_contains("matrix");
  if (value == nullptr || value->is_null()) return matrix;
  const auto fail = [&] {
    errors.push_back({"matrix", "must be an array of arrays of integer scores from 1 to 100"});
    return std::vector<std::vector<std::int64_t>>{};
  };
  if (!value->is_array()) return fail();
  for (const auto& row : value->as_array()) {
    if (!row.is_array()) return fail();
    auto& scores = matrix.emplace_back();
    for (const auto& score : row.as_array()) {
      if (!score.is_int64() || score.as_int64() < 1 || score.as_int64() > 100) return fail();
      scores.push_back(score.as_int64());
    }
  }
  return matrix;
}

/// The PUT body: the whole criteria. Fields a GET answers and the server manages may be
/// sent back unchanged and are ignored.
Expected<MethodologyCriteria> ReadCriteria(const boost::json::object& body) {
  static const std::vector<std::string> kIgnored = {
      "status",         "max_score",         "draft",      "created_by_id", "created_by_email",
      "approved_by_id", "approved_by_email", "approved_at"};
  std::vector<FieldError> errors;
  MethodologyCriteria criteria;
  criteria.likelihood_scale = ReadScale(body, "likelihood_scale", errors);
  criteria.impact_scale = ReadScale(body, "impact_scale", errors);
  ReadArray(body, "bands", errors, [&](http::FieldReader& fields) {
    Band band;
    for (auto name : {"name", "min_score", "max_score", "colour"}) fields.Require(name);
    band.name = fields.Text("name", 1, kLabelMax).value_or("");
    band.min_score = fields.Integer("min_score", 1, 100).value_or(0);
    band.max_score = fields.Integer("max_score", 1, 100).value_or(0);
    band.colour = fields.Text("colour", 7, 7).value_or("#000000");
    criteria.bands.push_back(std::move(band));
  });

  criteria.matrix = ReadMatrix(body, errors);

  boost::json::object rest = body;
  for (auto name : {"likelihood_scale", "impact_scale", "bands", "matrix"}) rest.erase(name);
  for (const auto& name : kIgnored) rest.erase(name);
  http::FieldReader fields(rest);
  if (auto scoring = fields.OneOf("scoring", kScorings)) {
    criteria.scoring = ParseScoring(*scoring).value_or(Scoring::kProduct);
  }
  fields.Require("acceptance_threshold");
  fields.Require("reassessment_interval_months");
  criteria.acceptance_threshold = fields.Integer("acceptance_threshold", 1, 100).value_or(0);
  criteria.reassessment_interval_months =
      fields.Integer("reassessment_interval_months", 1, 60).value_or(0);
  if (auto done = fields.Finish(); !done) {
    for (const auto& error : done.error().fields()) errors.push_back(error);
  }
  // The rules of the service too, so that one answer names every invalid field; a field
  // with a shape problem already says enough.
  for (auto& problem : RiskService::CriteriaProblems(criteria)) {
    bool named = std::any_of(errors.begin(), errors.end(),
                             [&](const FieldError& e) { return e.field == problem.field; });
    if (!named) errors.push_back(std::move(problem));
  }
  if (!errors.empty()) return Fail(Error::Validation(std::move(errors)));
  return criteria;
}

Response GetMethodology(RiskService& service, Request& request) {
  return http::Respond(
      request, service.GetMethodology(http::ActorOf(request), request.org->org_id),
      [](const MethodologyState& state) { return MethodologyResponse(200, state); });
}

Response PutMethodology(RiskService& service, Request& request) {
  auto version = http::RequireIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  auto criteria = ReadCriteria(*body);
  if (!criteria) return http::ProblemFor(request, criteria.error());
  return http::Respond(
      request,
      service.PutMethodology(http::ActorOf(request), request.org->org_id, *criteria, *version),
      [](const MethodologyState& state) { return MethodologyResponse(200, state); });
}

Response ApproveMethodology(RiskService& service, Request& request) {
  // If-Match names the draft's version: the approver approves what they read.
  auto version = http::RequireIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  return http::Respond(
      request, service.ApproveMethodology(http::ActorOf(request), request.org->org_id, *version),
      [](const MethodologyState& state) { return MethodologyResponse(200, state); });
}

Response ListMethodologyVersions(RiskService& service, Request& request) {
  return http::Respond(
      request, service.ListMethodologyVersions(http::ActorOf(request), request.org->org_id),
      [](const std::vector<Methodology>& versions) {
        boost::json::array items;
        for (const auto& version : versions) items.push_back(ToJson(version));
        return Response::Json(
            200, boost::json::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
      });
}

// ------------------------------------------------------------------ assets

/// Reads the fields shared by create and patch; absent fields stay nullopt.
enum class Purpose { kCreate, kPatch };

AssetPatch ReadAssetFields(const boost::json::object& body, Purpose purpose,
                           std::vector<FieldError>& errors) {
  static const char* const kRatings[] = {"confidentiality", "integrity", "availability"};
  AssetPatch patch;
  // Ratings may be null (not rated); FieldReader reads integers, so nulls are taken here.
  boost::json::object rest = body;
  std::optional<std::optional<std::int64_t>>* targets[] = {&patch.confidentiality, &patch.integrity,
                                                           &patch.availability};
  for (std::size_t i = 0; i < 3; ++i) {
    auto it = rest.find(kRatings[i]);
    if (it != rest.end() && it->value().is_null()) {
      *targets[i] = std::optional<std::int64_t>();
      rest.erase(kRatings[i]);
    }
  }
  http::FieldReader fields(rest);
  patch.name = fields.Text("name", 1, kNameMax);
  if (auto type = fields.OneOf("type", AssetTypeNames())) patch.type = ParseAssetType(*type);
  if (auto owner = fields.Text("owner_id", 1, 100)) patch.owner_id = UserId(*owner);
  patch.location = fields.Text("location", 0, kNameMax);
  if (auto classification = fields.OneOf("classification", ClassificationNames())) {
    patch.classification = ParseClassification(*classification);
  }
  for (std::size_t i = 0; i < 3; ++i) {
    if (auto value = fields.Integer(kRatings[i], 1, 5)) *targets[i] = *value;
  }
  patch.description = fields.Text("description", 0, kTextMax);
  if (purpose == Purpose::kCreate) {
    for (auto name : {"name", "type", "owner_id"}) fields.Require(name);
  }
  if (auto done = fields.Finish(); !done) {
    for (const auto& error : done.error().fields()) errors.push_back(error);
  }
  return patch;
}

Response ListAssets(RiskService& service, Request& request) {
  static const http::PagingRules kRules{RiskStore::AssetSortFields(), "ref"};
  auto page = http::ParsePageQuery(request, kRules);
  if (!page) return http::ProblemFor(request, page.error());
  AssetFilter filter;
  if (auto type = request.Query("type")) {
    filter.type = ParseAssetType(*type);
    if (!filter.type)
      return http::ProblemFor(request, Error::Field("type", "is not an asset type"));
  }
  if (auto classification = request.Query("classification")) {
    filter.classification = ParseClassification(*classification);
    if (!filter.classification) {
      return http::ProblemFor(request, Error::Field("classification", "is not a classification"));
    }
  }
  if (auto owner = request.Query("owner_id"); owner && !owner->empty()) {
    filter.owner_id = UserId(*owner);
  }
  if (auto text = request.Query("q"); text && !text->empty()) {
    if (text->size() > 200) {
      return http::ProblemFor(request, Error::Field("q", "must be at most 200 characters"));
    }
    filter.text = *text;
  }
  return http::Respond(
      request, service.ListAssets(http::ActorOf(request), request.org->org_id, filter, *page),
      [&](const Page<Asset>& result) {
        return Response::Json(
            200, http::PageJson(result, *page, [](const auto& a) { return ToJson(a); }));
      });
}

Response CreateAsset(RiskService& service, Request& request) {
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  std::vector<FieldError> errors;
  auto patch = ReadAssetFields(*body, Purpose::kCreate, errors);
  if (!errors.empty()) return http::ProblemFor(request, Error::Validation(std::move(errors)));
  NewAsset input;
  input.name = *patch.name;
  input.type = *patch.type;
  input.owner_id = *patch.owner_id;
  input.location = patch.location.value_or("");
  input.classification = patch.classification.value_or(Classification::kInternal);
  input.confidentiality = patch.confidentiality.value_or(std::nullopt);
  input.integrity = patch.integrity.value_or(std::nullopt);
  input.availability = patch.availability.value_or(std::nullopt);
  input.description = patch.description.value_or("");
  return http::Respond(request,
                       service.CreateAsset(http::ActorOf(request), request.org->org_id, input),
                       [&](const Asset& asset) {
                         Response response = http::WithEtag(201, asset);
                         response.SetHeader("Location", "/api/v1/orgs/" + asset.org_id.str() +
                                                            "/assets/" + asset.id.str());
                         return response;
                       });
}

Response GetAsset(RiskService& service, Request& request) {
  return http::Respond(
      request,
      service.GetAsset(http::ActorOf(request), request.org->org_id, AssetId(request.Param("id"))),
      [](const Asset& asset) { return http::WithEtag(200, asset); });
}

Response PatchAsset(RiskService& service, Request& request) {
  auto version = http::RequireIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  std::vector<FieldError> errors;
  auto patch = ReadAssetFields(*body, Purpose::kPatch, errors);
  if (!errors.empty()) return http::ProblemFor(request, Error::Validation(std::move(errors)));
  return http::Respond(request,
                       service.UpdateAsset(http::ActorOf(request), request.org->org_id,
                                           AssetId(request.Param("id")), patch, *version),
                       [](const Asset& asset) { return http::WithEtag(200, asset); });
}

Response DeleteAsset(RiskService& service, Request& request) {
  auto version = http::RequireIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  return http::Respond(request,
                       service.DeleteAsset(http::ActorOf(request), request.org->org_id,
                                           AssetId(request.Param("id")), *version),
                       [] { return Response::NoContent(); });
}

}  // namespace

void AddRoutes(http::Router& router, RiskService& service) {
  auto& s = service;
  const std::string methodology = "/api/v1/orgs/{org}/risk-methodology";
  router.Add(Method::kGet, methodology, Access::kUser,
             [&s](Request& r) { return GetMethodology(s, r); });
  router.Add(Method::kPut, methodology, Access::kUser,
             [&s](Request& r) { return PutMethodology(s, r); });
  router.Add(Method::kPost, methodology + "/approve", Access::kUser,
             [&s](Request& r) { return ApproveMethodology(s, r); });
  router.Add(Method::kGet, methodology + "/versions", Access::kUser,
             [&s](Request& r) { return ListMethodologyVersions(s, r); });

  const std::string assets = "/api/v1/orgs/{org}/assets";
  router.Add(Method::kGet, assets, Access::kUser, [&s](Request& r) { return ListAssets(s, r); });
  router.Add(Method::kPost, assets, Access::kUser, [&s](Request& r) { return CreateAsset(s, r); });
  router.Add(Method::kGet, assets + "/{id}", Access::kUser,
             [&s](Request& r) { return GetAsset(s, r); });
  router.Add(Method::kPatch, assets + "/{id}", Access::kUser,
             [&s](Request& r) { return PatchAsset(s, r); });
  router.Add(Method::kDelete, assets + "/{id}", Access::kUser,
             [&s](Request& r) { return DeleteAsset(s, r); });
}

}  // namespace certus::risk
