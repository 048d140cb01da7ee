#include "modules/risk/register_routes.hpp"

#include <algorithm>
#include <charconv>

#include <boost/json.hpp>

#include "http/application.hpp"
#include "http/json.hpp"
#include "http/paging.hpp"
#include "http/problem.hpp"
#include "modules/risk/register_json.hpp"

namespace certus::risk {

namespace {

using http::Access;
using http::Method;
using http::Request;
using http::Response;

constexpr std::size_t kTitleMax = 200;
constexpr std::size_t kTextMax = 20000;
// Ratings are checked against the methodology's scales by the service; here only the type.
constexpr std::int64_t kRatingLimit = 1000000;

enum class Purpose { kCreate, kPatch };

void MoveErrors(http::FieldReader& fields, std::vector<FieldError>& errors) {
  if (auto done = fields.Finish(); !done) {
    for (const auto& error : done.error().fields()) errors.push_back(error);
  }
}

std::optional<std::optional<std::string>> DateText(http::FieldReader& fields,
                                                   std::string_view name) {
  auto date = fields.NullableDate(name);
  if (!date) return std::nullopt;
  if (!*date) return std::optional<std::string>();
  return std::optional<std::string>(FormatDate(**date));
}

// ------------------------------------------------------------------ risks

/// An array of at most 500 ids; nullopt (and a field error) otherwise.
template <typename Id>
std::optional<std::vector<Id>> ReadIds(const boost::json::value& value, const char* field,
                                       const char* what, std::vector<FieldError>& errors) {
  std::vector<Id> ids;
  bool ok = value.is_array() && value.as_array().size() <= 500;
  if (ok) {
    for (const auto& id : value.as_array()) {
      if (!id.is_string() || id.as_string().empty() || id.as_string().size() > 100) {
        ok = false;
        break;
      }
      ids.emplace_back(std::string(id.as_string()));
    }
  }
  if (!ok) {
    errors.push_back({field, std::string("must be an array of at most 500 ") + what});
    return std::nullopt;
  }
  return ids;
}

RiskPatch ReadRiskFields(RegisterService& service, const Request& request,
                         const boost::json::object& body, Purpose purpose,
                         std::vector<FieldError>& errors) {
  // Computed fields a client may echo back from a GET; they are never taken from it.
  static const char* const kComputed[] = {"inherent_score", "inherent_level",  "residual_score",
                                          "residual_level", "above_threshold", "acceptance",
                                          "open_treatments"};
  RiskPatch patch;
  boost::json::object rest = body;
  for (auto name : kComputed) rest.erase(name);
  // Residual ratings may be null (not rated); asset_ids is an array of ids.
  std::optional<std::optional<std::int64_t>>* residual[] = {&patch.residual_likelihood,
                                                            &patch.residual_impact};
  const char* const kResidual[] = {"residual_likelihood", "residual_impact"};
  for (std::size_t i = 0; i < 2; ++i) {
    auto it = rest.find(kResidual[i]);
    if (it != rest.end() && it->value().is_null()) {
      *residual[i] = std::optional<std::int64_t>();
      rest.erase(kResidual[i]);
    }
  }
  if (auto it = rest.find("asset_ids"); it != rest.end()) {
    patch.asset_ids = ReadIds<AssetId>(it->value(), "asset_ids", "asset ids", errors);
    rest.erase("asset_ids");
  }
  if (auto it = rest.find("control_ids"); it != rest.end()) {
    patch.control_ids =
        ReadIds<controls::ControlId>(it->value(), "control_ids", "control ids", errors);
    rest.erase("control_ids");
  }
  http::FieldReader fields(rest);
  patch.title = fields.Text("title", 1, kTitleMax);
  patch.description = fields.Text("description", 0, kTextMax);
  patch.threat = fields.Text("threat", 0, kTextMax);
  patch.vulnerability = fields.Text("vulnerability", 0, kTextMax);
  if (auto owner = fields.Text("owner_id", 1, 100)) patch.owner_id = UserId(*owner);
  patch.likelihood = fields.Integer("likelihood", -kRatingLimit, kRatingLimit);
  patch.impact = fields.Integer("impact", -kRatingLimit, kRatingLimit);
  for (std::size_t i = 0; i < 2; ++i) {
    if (auto value = fields.Integer(kResidual[i], -kRatingLimit, kRatingLimit)) {
      *residual[i] = *value;
    }
  }
  if (auto option = fields.OneOf("treatment", TreatmentOptionNames())) {
    patch.treatment = ParseTreatmentOption(*option);
  }
  patch.treatment_rationale = fields.Text("treatment_rationale", 0, kTextMax);
  patch.transfer_to = fields.Text("transfer_to", 0, kTitleMax);
  if (auto status = fields.OneOf("status", RiskStatusNames())) {
    patch.status = ParseRiskStatus(*status);
  }
  patch.last_assessed_on = DateText(fields, "last_assessed_on");
  patch.next_review_on = DateText(fields, "next_review_on");
  if (purpose == Purpose::kCreate) {
    for (auto name : {"title", "owner_id", "likelihood", "impact"}) fields.Require(name);
  }
  MoveErrors(fields, errors);
  const bool residual_likelihood = patch.residual_likelihood && *patch.residual_likelihood;
  const bool residual_impact = patch.residual_impact && *patch.residual_impact;
  if (purpose == Purpose::kCreate && residual_likelihood != residual_impact) {
    errors.push_back({residual_likelihood ? "residual_impact" : "residual_likelihood",
                      "must be set together with the other residual rating"});
  }
  // Ratings outside the methodology's scales in the same answer as every other field.
  if (auto problems = service.RatingProblems(http::ActorOf(request), request.org->org_id, patch)) {
    for (auto& problem : *problems) {
      bool named = std::any_of(errors.begin(), errors.end(),
                               [&](const FieldError& e) { return e.field == problem.field; });
      if (!named) errors.push_back(std::move(problem));
    }
  }
  return patch;
}

Expected<RiskFilter> ReadRiskFilter(const Request& request) {
  RiskFilter filter;
  std::vector<FieldError> errors;
  if (auto value = request.Query("treatment")) {
    filter.treatment = ParseTreatmentOption(*value);
    if (!filter.treatment) errors.push_back({"treatment", "is not a treatment option"});
  }
  if (auto value = request.Query("status")) {
    filter.status = ParseRiskStatus(*value);
    if (!filter.status) errors.push_back({"status", "must be open or closed"});
  }
  if (auto value = request.Query("owner_id"); value && !value->empty()) {
    filter.owner_id = UserId(*value);
  }
  if (auto value = request.Query("level"); value && !value->empty()) filter.level = *value;
  if (auto value = request.Query("asset_id"); value && !value->empty()) {
    filter.asset_id = AssetId(*value);
  }
  if (auto text = request.Query("q"); text && !text->empty()) {
    if (text->size() > 200) errors.push_back({"q", "must be at most 200 characters"});
    filter.text = *text;
  }
  // A heat-map cell: likelihood and impact on the basis of the heat map it was read from.
  for (auto [name, target] :
       {std::pair{"likelihood", &filter.likelihood}, std::pair{"impact", &filter.impact}}) {
    auto value = request.Query(name);
    if (!value || value->empty()) continue;
    std::int64_t number = 0;
    const auto* end = value->data() + value->size();
    auto [ptr, ec] = std::from_chars(value->data(), end, number);
    if (ec != std::errc() || ptr != end || number < 1 || number > 100) {
      errors.push_back({name, "must be a whole number from 1 (a level of the scale)"});
    } else {
      *target = number;
    }
  }
  if (auto value = request.Query("basis"); value && !value->empty()) {
    if (*value == "residual") {
      filter.residual = true;
    } else if (*value != "inherent") {
      errors.push_back({"basis", "must be inherent or residual"});
    }
  }
  if (!errors.empty()) return Fail(Error::Validation(std::move(errors)));
  return filter;
}

Response ListRisks(RegisterService& service, Request& request) {
  static const http::PagingRules kRules{RegisterStore::RiskSortFields(), "-inherent_score"};
  auto page = http::ParsePageQuery(request, kRules);
  if (!page) return http::ProblemFor(request, page.error());
  auto filter = ReadRiskFilter(request);
  if (!filter) return http::ProblemFor(request, filter.error());
  return http::Respond(
      request, service.ListRisks(http::ActorOf(request), request.org->org_id, *filter, *page),
      [&](const Page<Risk>& result) {
        return Response::JsonText(
            200, http::PageJsonText(result, *page, [](http::JsonWriter& json, const Risk& r) {
              WriteJson(json, r);
            }));
      });
}

Response CreateRisk(RegisterService& service, Request& request) {
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  std::vector<FieldError> errors;
  auto input = ReadRiskFields(service, request, *body, Purpose::kCreate, errors);
  if (!errors.empty()) return http::ProblemFor(request, Error::Validation(std::move(errors)));
  return http::Respond(request,
                       service.CreateRisk(http::ActorOf(request), request.org->org_id, input),
                       [&](const Risk& risk) {
                         Response response = http::WithEtag(201, risk);
                         response.SetHeader("Location", "/api/v1/orgs/" + risk.org_id.str() +
                                                            "/risks/" + risk.id.str());
                         return response;
                       });
}

Response GetRisk(RegisterService& service, Request& request) {
  return http::Respond(
      request,
      service.GetRisk(http::ActorOf(request), request.org->org_id, RiskId(request.Param("id"))),
      [](const Risk& risk) { return http::WithEtag(200, risk); });
}

Response PatchRisk(RegisterService& service, Request& request) {
  auto version = http::RequireIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  std::vector<FieldError> errors;
  auto patch = ReadRiskFields(service, request, *body, Purpose::kPatch, errors);
  if (!errors.empty()) return http::ProblemFor(request, Error::Validation(std::move(errors)));
  return http::Respond(request,
                       service.UpdateRisk(http::ActorOf(request), request.org->org_id,
                                          RiskId(request.Param("id")), patch, *version),
                       [](const Risk& risk) { return http::WithEtag(200, risk); });
}

Response DeleteRisk(RegisterService& service, Request& request) {
  auto version = http::RequireIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  return http::Respond(request,
                       service.DeleteRisk(http::ActorOf(request), request.org->org_id,
                                          RiskId(request.Param("id")), *version),
                       [] { return Response::NoContent(); });
}

Response AcceptRisk(RegisterService& service, Request& request) {
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  http::FieldReader fields(*body);
  fields.Require("rationale");
  fields.Require("expires_on");
  auto rationale = fields.Text("rationale", 1, kTextMax);
  auto expires_on = fields.NullableDate("expires_on");
  if (expires_on && !*expires_on) fields.AddError("expires_on", "must be a date");
  if (auto done = fields.Finish(); !done) return http::ProblemFor(request, done.error());
  return http::Respond(request,
                       service.AcceptRisk(http::ActorOf(request), request.org->org_id,
                                          RiskId(request.Param("id")), *rationale, **expires_on),
                       [](const Risk& risk) { return http::WithEtag(200, risk); });
}

Response ImportRisks(RegisterService& service, Request& request) {
  const std::string_view type = request.Header("content-type");
  if (!type.starts_with("text/csv")) {
    return http::ProblemFor(
        request,
        Error(ErrorCode::kMalformed, "Send the file as the body with Content-Type text/csv."));
  }
  auto dry_run = request.Query("dry_run").value_or("false");
  if (dry_run != "true" && dry_run != "false") {
    return http::ProblemFor(request, Error::Field("dry_run", "must be true or false"));
  }
  return http::Respond(
      request,
      service.ImportRisks(http::ActorOf(request), request.org->org_id, request.body,
                          dry_run == "true" ? DryRun::kYes : DryRun::kNo),
      [](const ImportReport& report) {
        boost::json::array errors;
        for (const auto& problem : report.errors) {
          errors.push_back(boost::json::object{
              {"line", problem.line}, {"field", problem.field}, {"message", problem.message}});
        }
        return Response::Json(200, boost::json::object{{"dry_run", report.dry_run},
                                                       {"created", report.created},
                                                       {"updated", report.updated},
                                                       {"errors", std::move(errors)}});
      });
}

// ------------------------------------------------------------------ treatments

TreatmentPatch ReadTreatmentFields(const boost::json::object& body, Purpose purpose,
                                   std::vector<FieldError>& errors) {
  TreatmentPatch patch;
  http::FieldReader fields(body);
  if (auto risk = fields.Text("risk_id", 1, 100)) patch.risk_id = RiskId(*risk);
  patch.title = fields.Text("title", 1, kTitleMax);
  patch.description = fields.Text("description", 0, kTextMax);
  if (auto owner = fields.NullableText("owner_id", 100)) {
    patch.owner_id = *owner && !(*owner)->empty() ? std::optional<UserId>(UserId(**owner))
                                                  : std::optional<UserId>();
  }
  patch.due_on = DateText(fields, "due_on");
  if (auto status = fields.OneOf("status", ActionStatusNames())) {
    patch.status = ParseActionStatus(*status);
  }
  patch.completion_note = fields.Text("completion_note", 0, kTextMax);
  if (auto control = fields.NullableText("control_id", 100)) {
    patch.control_id = *control && !(*control)->empty()
                           ? std::optional<controls::ControlId>(controls::ControlId(**control))
                           : std::optional<controls::ControlId>();
  }
  if (purpose == Purpose::kCreate) {
    for (auto name : {"risk_id", "title"}) fields.Require(name);
  }
  MoveErrors(fields, errors);
  return patch;
}

Response ListTreatments(RegisterService& service, Request& request) {
  static const http::PagingRules kRules{RegisterStore::TreatmentSortFields(), "ref"};
  auto page = http::ParsePageQuery(request, kRules);
  if (!page) return http::ProblemFor(request, page.error());
  TreatmentFilter filter;
  std::vector<FieldError> errors;
  if (auto value = request.Query("risk_id"); value && !value->empty()) {
    filter.risk_id = RiskId(*value);
  }
  if (auto value = request.Query("status")) {
    filter.status = ParseActionStatus(*value);
    if (!filter.status) errors.push_back({"status", "is not a treatment action status"});
  }
  if (auto value = request.Query("owner_id"); value && !value->empty()) {
    filter.owner_id = UserId(*value);
  }
  bool overdue = false;
  if (auto value = request.Query("overdue")) {
    if (*value == "true") {
      overdue = true;
    } else if (*value != "false") {
      errors.push_back({"overdue", "must be true or false"});
    }
  }
  if (!errors.empty()) return http::ProblemFor(request, Error::Validation(std::move(errors)));
  return http::Respond(
      request,
      service.ListTreatments(http::ActorOf(request), request.org->org_id, filter, overdue, *page),
      [&](const Page<Treatment>& result) {
        return Response::Json(
            200, http::PageJson(result, *page, [](const auto& t) { return ToJson(t); }));
      });
}

Response CreateTreatment(RegisterService& service, Request& request) {
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  std::vector<FieldError> errors;
  auto input = ReadTreatmentFields(*body, Purpose::kCreate, errors);
  if (!errors.empty()) return http::ProblemFor(request, Error::Validation(std::move(errors)));
  return http::Respond(request,
                       service.CreateTreatment(http::ActorOf(request), request.org->org_id, input),
                       [&](const Treatment& t) {
                         Response response = http::WithEtag(201, t);
                         response.SetHeader("Location", "/api/v1/orgs/" + t.org_id.str() +
                                                            "/treatments/" + t.id.str());
                         return response;
                       });
}

Response GetTreatment(RegisterService& service, Request& request) {
  return http::Respond(request,
                       service.GetTreatment(http::ActorOf(request), request.org->org_id,
                                            TreatmentId(request.Param("id"))),
                       [](const Treatment& t) { return http::WithEtag(200, t); });
}

Response PatchTreatment(RegisterService& service, Request& request) {
  auto version = http::RequireIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  std::vector<FieldError> errors;
  auto patch = ReadTreatmentFields(*body, Purpose::kPatch, errors);
  if (!errors.empty()) return http::ProblemFor(request, Error::Validation(std::move(errors)));
  return http::Respond(request,
                       service.UpdateTreatment(http::ActorOf(request), request.org->org_id,
                                               TreatmentId(request.Param("id")), patch, *version),
                       [](const Treatment& t) { return http::WithEtag(200, t); });
}

Response DeleteTreatment(RegisterService& service, Request& request) {
  auto version = http::RequireIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  return http::Respond(request,
                       service.DeleteTreatment(http::ActorOf(request), request.org->org_id,
                                               TreatmentId(request.Param("id")), *version),
                       [] { return Response::NoContent(); });
}

}  // namespace

void AddRegisterRoutes(http::Router& router, RegisterService& service) {
  auto& s = service;
  const std::string risks = "/api/v1/orgs/{org}/risks";
  router.Add(Method::kGet, risks, Access::kUser, [&s](Request& r) { return ListRisks(s, r); });
  router.Add(Method::kPost, risks, Access::kUser, [&s](Request& r) { return CreateRisk(s, r); });
  router.Add(Method::kGet, risks + "/{id}", Access::kUser,
             [&s](Request& r) { return GetRisk(s, r); });
  router.Add(Method::kPatch, risks + "/{id}", Access::kUser,
             [&s](Request& r) { return PatchRisk(s, r); });
  router.Add(Method::kDelete, risks + "/{id}", Access::kUser,
             [&s](Request& r) { return DeleteRisk(s, r); });
  router.Add(Method::kPost, risks + "/import", Access::kUser,
             [&s](Request& r) { return ImportRisks(s, r); });
  router.Add(Method::kPost, risks + "/{id}/acceptance", Access::kUser,
             [&s](Request& r) { return AcceptRisk(s, r); });

  const std::string treatments = "/api/v1/orgs/{org}/treatments";
  router.Add(Method::kGet, treatments, Access::kUser,
             [&s](Request& r) { return ListTreatments(s, r); });
  router.Add(Method::kPost, treatments, Access::kUser,
             [&s](Request& r) { return CreateTreatment(s, r); });
  router.Add(Method::kGet, treatments + "/{id}", Access::kUser,
             [&s](Request& r) { return GetTreatment(s, r); });
  router.Add(Method::kPatch, treatments + "/{id}", Access::kUser,
             [&s](Request& r) { return PatchTreatment(s, r); });
  router.Add(Method::kDelete, treatments + "/{id}", Access::kUser,
             [&s](Request& r) { return DeleteTreatment(s, r); });
}

}  // namespace certus::risk
