#include "modules/context/interested_party_routes.hpp"

#include <boost/json.hpp>

#include "http/application.hpp"
#include "http/json.hpp"
#include "http/paging.hpp"
#include "http/problem.hpp"
#include "modules/context/interested_party_json.hpp"

namespace certus::context {

namespace {

using http::Access;
using http::Method;
using http::Request;
using http::Response;

constexpr std::size_t kNameMax = 200;
constexpr std::size_t kContactMax = 1000;
constexpr std::size_t kTextMax = 20000;
constexpr std::size_t kMaxRequirements = 100;

enum class Purpose { kCreate, kPatch };

/// `requirements`: an array of {id?, text, addressed_by_isms, how?, source?}. Fields a GET
/// answers for the party (unaddressed_count) may be sent back and are ignored.
std::optional<std::vector<RequirementInput>> ReadRequirements(boost::json::object& body,
                                                              std::vector<FieldError>& errors) {
  auto it = body.find("requirements");
  if (it == body.end()) return std::nullopt;
  boost::json::value value = it->value();
  body.erase(it);
  if (!value.is_array()) {
    errors.push_back({"requirements", "must be an array"});
    return std::nullopt;
  }
  const auto& items = value.as_array();
  if (items.size() > kMaxRequirements) {
    errors.push_back({"requirements", "must have at most 100 entries"});
    return std::nullopt;
  }
  std::vector<RequirementInput> inputs;
  const std::size_t errors_before = errors.size();
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string at = "requirements[" + std::to_string(i) + "]";
    if (!items[i].is_object()) {
      errors.push_back({at, "must be an object"});
      continue;
    }
    http::FieldReader fields(items[i].as_object());
    RequirementInput input;
    if (auto id = fields.NullableText("id", 100); id && *id && !(*id)->empty()) {
      input.id = RequirementId(**id);
    }
    fields.Require("text");
    fields.Require("addressed_by_isms");
    input.text = fields.Text("text", 1, kTextMax).value_or("");
    input.addressed_by_isms = fields.Boolean("addressed_by_isms").value_or(false);
    input.how = fields.Text("how", 0, kTextMax).value_or("");
    if (auto source = fields.NullableText("source", 50); source && *source) {
      input.source = ParseRequirementSource(**source);
      if (!input.source) {
        std::string names;
        for (const auto& name : RequirementSourceNames())
          names += (names.empty() ? "" : ", ") + name;
        fields.AddError("source", "must be one of: " + names);
      }
    }
    if (auto done = fields.Finish(); !done) {
      for (const auto& error : done.error().fields())
        errors.push_back({at + "." + error.field, error.message});
    }
    inputs.push_back(std::move(input));
  }
  if (errors.size() != errors_before) return std::nullopt;
  // The service's rules too (4.2 c: how), so that one answer names every invalid field.
  for (auto& problem : InterestedPartyService::RequirementProblems(inputs))
    errors.push_back(std::move(problem));
  return inputs;
}

InterestedPartyPatch ReadFields(const InterestedPartyService& service,
                                const boost::json::object& json, Purpose purpose,
                                std::vector<FieldError>& errors) {
  boost::json::object body = json;
  body.erase("unaddressed_count");
  InterestedPartyPatch patch;
  patch.requirements = ReadRequirements(body, errors);
  http::FieldReader fields(body);
  patch.name = fields.Text("name", 1, kNameMax);
  if (auto category = fields.OneOf("category", PartyCategoryNames())) {
    patch.category = ParsePartyCategory(*category);
  }
  patch.contact = fields.Text("contact", 0, kContactMax);
  patch.reviewed_on = fields.NullableDate("reviewed_on");
  if (patch.reviewed_on) {
    if (auto problem = service.ReviewDateProblem(*patch.reviewed_on); !problem.empty()) {
      fields.AddError("reviewed_on", problem);
    }
  }
  if (purpose == Purpose::kCreate) {
    fields.Require("name");
    fields.Require("category");
  }
  if (auto done = fields.Finish(); !done) {
    for (const auto& error : done.error().fields()) errors.push_back(error);
  }
  return patch;
}

Response List(InterestedPartyService& service, Request& request) {
  static const http::PagingRules kRules{InterestedPartyStore::SortFields(), "name"};
  auto page = http::ParsePageQuery(request, kRules);
  if (!page) return http::ProblemFor(request, page.error());
  std::vector<FieldError> errors;
  InterestedPartyFilter filter;
  if (auto category = request.Query("category")) {
    filter.category = ParsePartyCategory(*category);
    if (!filter.category) errors.push_back({"category", "is not a category of interested party"});
  }
  if (auto unaddressed = request.Query("has_unaddressed")) {
    if (*unaddressed == "true") {
      filter.has_unaddressed = true;
    } else if (*unaddressed == "false") {
      filter.has_unaddressed = false;
    } else {
      errors.push_back({"has_unaddressed", "must be true or false"});
    }
  }
  if (auto text = request.Query("q"); text && !text->empty()) {
    if (text->size() > 200) {
      errors.push_back({"q", "must be at most 200 characters"});
    } else {
      filter.text = *text;
    }
  }
  if (!errors.empty()) return http::ProblemFor(request, Error::Validation(std::move(errors)));
  return http::Respond(
      request, service.List(http::ActorOf(request), request.org->org_id, filter, *page),
      [&](const Page<InterestedParty>& result) {
        return Response::Json(
            200, http::PageJson(result, *page, [](const auto& p) { return ToJson(p); }));
      });
}

Response Create(InterestedPartyService& service, Request& request) {
  if (auto allowed = service.CheckCanWrite(http::ActorOf(request)); !allowed) {
    return http::ProblemFor(request, allowed.error());
  }
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  std::vector<FieldError> errors;
  auto input = ReadFields(service, *body, Purpose::kCreate, errors);
  if (!errors.empty()) return http::ProblemFor(request, Error::Validation(std::move(errors)));
  return http::Respond(request, service.Create(http::ActorOf(request), request.org->org_id, input),
                       [&](const InterestedParty& party) {
                         Response response = http::WithEtag(201, party);
                         response.SetHeader("Location", "/api/v1/orgs/" + party.org_id.str() +
                                                            "/interested-parties/" +
                                                            party.id.str());
                         return response;
                       });
}

Response Get(InterestedPartyService& service, Request& request) {
  return http::Respond(request,
                       service.Get(http::ActorOf(request), request.org->org_id,
                                   InterestedPartyId(request.Param("id"))),
                       [](const InterestedParty& party) { return http::WithEtag(200, party); });
}

Response Patch(InterestedPartyService& service, Request& request) {
  if (auto allowed = service.CheckCanWrite(http::ActorOf(request)); !allowed) {
    return http::ProblemFor(request, allowed.error());
  }
  auto version = http::RequireIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  std::vector<FieldError> errors;
  auto patch = ReadFields(service, *body, Purpose::kPatch, errors);
  if (!errors.empty()) return http::ProblemFor(request, Error::Validation(std::move(errors)));
  return http::Respond(request,
                       service.Update(http::ActorOf(request), request.org->org_id,
                                      InterestedPartyId(request.Param("id")), patch, *version),
                       [](const InterestedParty& party) { return http::WithEtag(200, party); });
}

Response Delete(InterestedPartyService& service, Request& request) {
  auto version = http::RequireIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  return http::Respond(request,
                       service.Delete(http::ActorOf(request), request.org->org_id,
                                      InterestedPartyId(request.Param("id")), *version),
                       [] { return Response::NoContent(); });
}

}  // namespace

void AddInterestedPartyRoutes(http::Router& router, InterestedPartyService& service) {
  const std::string base = "/api/v1/orgs/{org}/interested-parties";
  auto& s = service;
  router.Add(Method::kGet, base, Access::kUser, [&s](Request& r) { return List(s, r); });
  router.Add(Method::kPost, base, Access::kUser, [&s](Request& r) { return Create(s, r); });
  router.Add(Method::kGet, base + "/{id}", Access::kUser, [&s](Request& r) { return Get(s, r); });
  router.Add(Method::kPatch, base + "/{id}", Access::kUser,
             [&s](Request& r) { return Patch(s, r); });
  router.Add(Method::kDelete, base + "/{id}", Access::kUser,
             [&s](Request& r) { return Delete(s, r); });
}

}  // namespace certus::context
