#include "modules/context/routes.hpp"

#include <boost/json.hpp>

#include "http/application.hpp"
#include "http/json.hpp"
#include "http/paging.hpp"
#include "http/problem.hpp"
#include "modules/context/json.hpp"

namespace certus::context {

namespace {

using http::Access;
using http::Method;
using http::Request;
using http::Response;

constexpr std::size_t kTitleMax = 200;
constexpr std::size_t kTextMax = 20000;
const std::vector<std::string> kKinds = {"internal", "external"};

/// Reads the fields shared by create and patch; absent fields stay nullopt. The service's
/// date rule is checked here too, so that one answer names every invalid field.
ContextIssuePatch ReadFields(const ContextService& service, http::FieldReader& fields) {
  ContextIssuePatch patch;
  if (auto kind = fields.OneOf("kind", kKinds)) patch.kind = ParseKind(*kind);
  patch.title = fields.Text("title", 1, kTitleMax);
  patch.description = fields.Text("description", 0, kTextMax);
  patch.effect = fields.Text("effect", 0, kTextMax);
  patch.reviewed_on = fields.NullableDate("reviewed_on");
  if (patch.reviewed_on) {
    if (auto problem = service.ReviewDateProblem(*patch.reviewed_on); !problem.empty()) {
      fields.AddError("reviewed_on", problem);
    }
  }
  return patch;
}

Response List(ContextService& service, Request& request) {
  static const http::PagingRules kRules{ContextStore::SortFields(), "-created_at"};
  auto page = http::ParsePageQuery(request, kRules);
  if (!page) return http::ProblemFor(request, page.error());
  ContextIssueFilter filter;
  if (auto kind = request.Query("kind")) {
    filter.kind = ParseKind(*kind);
    if (!filter.kind) {
      return http::ProblemFor(request, Error::Field("kind", "must be one of: internal, external"));
    }
  }
  if (auto text = request.Query("q"); text && !text->empty()) {
    if (text->size() > 200) {
      return http::ProblemFor(request, Error::Field("q", "must be at most 200 characters"));
    }
    filter.text = *text;
  }
  return http::Respond(
      request, service.List(http::ActorOf(request), request.org->org_id, filter, *page),
      [&](const Page<ContextIssue>& result) {
        return Response::Json(
            200, http::PageJson(result, *page, [](const auto& i) { return ToJson(i); }));
      });
}

Response Create(ContextService& service, Request& request) {
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  http::FieldReader fields(*body);
  auto patch = ReadFields(service, fields);
  fields.Require("kind");
  fields.Require("title");
  if (auto done = fields.Finish(); !done) return http::ProblemFor(request, done.error());
  NewContextIssue input{*patch.kind, *patch.title, patch.description.value_or(""),
                        patch.effect.value_or(""),
                        patch.reviewed_on.value_or(std::optional<Date>())};
  return http::Respond(request, service.Create(http::ActorOf(request), request.org->org_id, input),
                       [&](const ContextIssue& issue) {
                         Response response = http::WithEtag(201, issue);
                         response.SetHeader("Location", "/api/v1/orgs/" + issue.org_id.str() +
                                                            "/context-issues/" + issue.id.str());
                         return response;
                       });
}

Response Get(ContextService& service, Request& request) {
  return http::Respond(
      request,
      service.Get(http::ActorOf(request), request.org->org_id, ContextIssueId(request.Param("id"))),
      [](const ContextIssue& issue) { return http::WithEtag(200, issue); });
}

Response Patch(ContextService& service, Request& request) {
  auto version = http::RequireIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  http::FieldReader fields(*body);
  auto patch = ReadFields(service, fields);
  if (auto done = fields.Finish(); !done) return http::ProblemFor(request, done.error());
  return http::Respond(request,
                       service.Update(http::ActorOf(request), request.org->org_id,
                                      ContextIssueId(request.Param("id")), patch, *version),
                       [](const ContextIssue& issue) { return http::WithEtag(200, issue); });
}

Response Delete(ContextService& service, Request& request) {
  auto version = http::RequireIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  return http::Respond(request,
                       service.Delete(http::ActorOf(request), request.org->org_id,
                                      ContextIssueId(request.Param("id")), *version),
                       [] { return Response::NoContent(); });
}

}  // namespace

void AddRoutes(http::Router& router, ContextService& service) {
  const std::string base = "/api/v1/orgs/{org}/context-issues";
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
