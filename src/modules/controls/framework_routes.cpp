#include "modules/controls/framework_routes.hpp"

#include <algorithm>

#include <boost/json.hpp>

#include "http/json.hpp"
#include "http/paging.hpp"
#include "http/problem.hpp"
#include "interchange/oscal.hpp"
#include "modules/controls/framework_json.hpp"

namespace certus::controls {

namespace {

using http::Access;
using http::Method;
using http::Request;
using http::Response;

constexpr std::size_t kQueryMax = 200;
const std::vector<std::string> kKinds = {"clause",  "requirement", "theme",
                                         "control", "group",       "enhancement"};

std::string KindList() {
  std::string list;
  for (const auto& kind : kKinds) list += (list.empty() ? "" : ", ") + kind;
  return list;
}

boost::json::object Items(boost::json::array items) {
  return boost::json::object{{"items", std::move(items)}, {"next_cursor", nullptr}};
}

/// The role rule of imports, plus the one thing only the request knows: an API token acts
/// with no more than the role it was issued with.
Expected<void> CheckCanImport(FrameworkService& service, const Request& request) {
  if (request.principal && request.principal->token_role &&
      *request.principal->token_role < Role::kManager) {
    return Fail(ErrorCode::kPermissionDenied,
                "This API token's role does not allow importing frameworks or mappings.");
  }
  return service.CheckCanImport(http::ActorOf(request));
}

Response List(FrameworkService& service, Request& request) {
  return http::Respond(request, service.ListFrameworks(http::ActorOf(request)),
                       [](const std::vector<Framework>& frameworks) {
                         boost::json::array items;
                         for (const auto& f : frameworks) items.push_back(ToJson(f));
                         return Response::Json(200, Items(std::move(items)));
                       });
}

Response Get(FrameworkService& service, Request& request) {
  return http::Respond(request, service.GetFramework(http::ActorOf(request), request.Param("id")),
                       [](const Framework& f) { return Response::Json(200, ToJson(f)); });
}

Response Requirements(FrameworkService& service, Request& request) {
  static const http::PagingRules kRules{{"catalog"}, "catalog", 50, 500};
  auto page = http::ParsePageQuery(request, kRules);
  RequirementFilter filter;
  // One answer names every invalid parameter, paging ones included.
  std::vector<FieldError> errors = page ? std::vector<FieldError>() : page.error().fields();
  if (!page && errors.empty()) return http::ProblemFor(request, page.error());
  if (auto kind = request.Query("kind"); kind && !kind->empty()) {
    if (std::find(kKinds.begin(), kKinds.end(), *kind) == kKinds.end()) {
      errors.push_back({"kind", "must be one of: " + KindList()});
    }
    filter.kind = *kind;
  }
  if (auto text = request.Query("q"); text && !text->empty()) {
    if (text->size() > kQueryMax) errors.push_back({"q", "must be at most 200 characters"});
    filter.text = *text;
  }
  if (auto parent = request.Query("parent"); parent && !parent->empty()) filter.parent = *parent;
  if (!errors.empty()) return http::ProblemFor(request, Error::Validation(std::move(errors)));
  return http::Respond(
      request, service.ListRequirements(http::ActorOf(request), request.Param("id"), filter, *page),
      [&](const Page<Requirement>& result) {
        return Response::Json(
            200, http::PageJson(result, *page, [](const auto& r) { return ToJson(r); }));
      });
}

Response Import(FrameworkService& service, Request& request) {
  if (auto allowed = CheckCanImport(service, request); !allowed) {
    return http::ProblemFor(request, allowed.error());
  }
  std::optional<std::string> key;
  if (auto given = request.Query("key")) {
    if (auto problem = FrameworkService::KeyProblem(*given); !problem.empty()) {
      return http::ProblemFor(request, Error::Field("key", problem));
    }
    key = *given;
  }
  auto catalog = interchange::ParseOscalCatalog(request.body);
  if (!catalog) return http::ProblemFor(request, catalog.error());
  return http::Respond(request, service.Import(http::ActorOf(request), *catalog, key),
                       [](const ImportedFramework& imported) {
                         Response response = Response::Json(201, ToJson(imported));
                         response.SetHeader("Location",
                                            "/api/v1/frameworks/" + imported.framework.id.str());
                         return response;
                       });
}

Response ImportMappings(FrameworkService& service, Request& request) {
  if (auto allowed = CheckCanImport(service, request); !allowed) {
    return http::ProblemFor(request, allowed.error());
  }
  auto rows = interchange::ParseMappingCsv(request.body);
  if (!rows) return http::ProblemFor(request, rows.error());
  std::optional<std::string> target;
  if (auto given = request.Query("target_framework"); given && !given->empty()) target = *given;
  const bool skip_missing = request.Query("skip_missing").value_or("") == "true";
  return http::Respond(
      request, service.ImportMappings(http::ActorOf(request), *rows, target, skip_missing),
      [](const FrameworkService::MappingImport& result) {
        return Response::Json(
            201, boost::json::object{{"imported", result.imported}, {"skipped", result.skipped}});
      });
}

Response Mappings(FrameworkService& service, Request& request) {
  std::optional<std::string> target;
  if (auto given = request.Query("target"); given && !given->empty()) target = *given;
  return http::Respond(request,
                       service.ListMappings(http::ActorOf(request), request.Param("id"), target),
                       [](const std::vector<Mapping>& mappings) {
                         boost::json::array items;
                         items.reserve(mappings.size());
                         for (const auto& m : mappings) items.push_back(ToJson(m));
                         return Response::Json(200, Items(std::move(items)));
                       });
}

}  // namespace

void AddFrameworkRoutes(http::Router& router, FrameworkService& service) {
  const std::string base = "/api/v1/frameworks";
  auto& s = service;
  router.Add(Method::kGet, base, Access::kUser, [&s](Request& r) { return List(s, r); });
  router.Add(Method::kPost, base + "/import", Access::kUser,
             [&s](Request& r) { return Import(s, r); });
  router.Add(Method::kPost, base + "/mappings", Access::kUser,
             [&s](Request& r) { return ImportMappings(s, r); });
  router.Add(Method::kGet, base + "/{id}", Access::kUser, [&s](Request& r) { return Get(s, r); });
  router.Add(Method::kGet, base + "/{id}/requirements", Access::kUser,
             [&s](Request& r) { return Requirements(s, r); });
  router.Add(Method::kGet, base + "/{id}/mappings", Access::kUser,
             [&s](Request& r) { return Mappings(s, r); });
}

}  // namespace certus::controls
