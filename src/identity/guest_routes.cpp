#include "identity/guest_routes.hpp"

#include <boost/json.hpp>

#include "http/application.hpp"
#include "http/json.hpp"
#include "http/paging.hpp"
#include "http/problem.hpp"

namespace certus::identity {

namespace {

using http::Access;
using http::Method;
using http::Request;
using http::Response;

Response List(GuestService& guests, Request& request) {
  return http::Respond(
      request, guests.List(http::ActorOf(request), request.org->org_id),
      [](const std::vector<GuestGrant>& grants) {
        boost::json::array items;
        for (const auto& grant : grants) items.push_back(ToJson(grant));
        return Response::Json(200, boost::json::object{{"items", std::move(items)}});
      });
}

Response Get(GuestService& guests, Request& request) {
  return http::Respond(request,
                       guests.Get(http::ActorOf(request), request.org->org_id, request.Param("id")),
                       [](const GuestGrant& grant) { return http::WithEtag(200, grant); });
}

Response Invite(GuestService& guests, Request& request) {
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  http::FieldReader fields(*body);
  NewGuest guest;
  auto email = fields.Text("email", 1, 254);
  auto firm = fields.Text("firm", 1, 200);
  auto note = fields.Text("note", 0, 2000);
  auto starts = fields.Text("starts_at", 1, 64);
  auto ends = fields.Text("ends_at", 1, 64);
  for (auto field : {"email", "firm", "ends_at"}) fields.Require(field);
  if (auto done = fields.Finish(); !done) return http::ProblemFor(request, done.error());
  guest.email = *email;
  guest.firm = *firm;
  guest.note = note.value_or("");
  guest.starts_at = starts;
  guest.ends_at = *ends;
  return http::Respond(request, guests.Invite(http::ActorOf(request), request.org->org_id, guest),
                       [](const GuestGrant& grant) {
                         Response response = http::WithEtag(201, grant);
                         response.SetHeader("Location", "/api/v1/orgs/" + grant.org_id.str() +
                                                            "/guests/" + grant.id);
                         return response;
                       });
}

Response Extend(GuestService& guests, Request& request) {
  auto version = http::RequireIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  http::FieldReader fields(*body);
  auto ends = fields.Text("ends_at", 1, 64);
  auto note = fields.Text("note", 0, 2000);
  fields.Require("ends_at");
  if (auto done = fields.Finish(); !done) return http::ProblemFor(request, done.error());
  return http::Respond(request,
                       guests.Extend(http::ActorOf(request), request.org->org_id,
                                     request.Param("id"), *ends, note, *version),
                       [](const GuestGrant& grant) { return http::WithEtag(200, grant); });
}

Response Revoke(GuestService& guests, Request& request) {
  auto version = http::OptionalIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  return http::Respond(
      request,
      guests.Revoke(http::ActorOf(request), request.org->org_id, request.Param("id"), *version),
      [](const GuestGrant& grant) { return http::WithEtag(200, grant); });
}

Response AccessLog(GuestService& guests, Request& request) {
  static const http::PagingRules kRules{GuestStore::AccessSortFields(), "-at"};
  auto page = http::ParsePageQuery(request, kRules);
  if (!page) return http::ProblemFor(request, page.error());
  std::optional<UserId> guest;
  if (auto value = request.Query("guest"); value && !value->empty()) guest = UserId(*value);
  return http::Respond(
      request, guests.AccessLog(http::ActorOf(request), request.org->org_id, guest, *page),
      [&](const Page<GuestAccess>& result) {
        return Response::Json(
            200, http::PageJson(result, *page, [](const auto& a) { return ToJson(a); }));
      });
}

}  // namespace

http::Router WithGuestAccessLog(const http::Router& routes, GuestService& guests) {
  http::Router wrapped;
  for (const auto& route : routes.routes()) {
    http::Handler handler = route.handler;
    if (route.access == Access::kUser && route.pattern.starts_with("/api/v1/orgs/{org}")) {
      handler = [&guests, inner = std::move(handler)](Request& request) -> Response {
        // The authenticator found the grant, if the caller is a guest: members pass untouched.
        if (!request.org || !request.org->guest_grant) return inner(request);
        // The authenticator logged this write already (SessionAuthenticator::AccessIn).
        if (!http::IsSafe(request.method)) {
          return http::ProblemFor(request, Error(ErrorCode::kPermissionDenied,
                                                 "Guest auditor access is read-only (ADR 0018)."));
        }
        Response response = inner(request);
        auto logged = guests.RecordAccess(request.org->org_id, request.principal->user_id,
                                          *request.org->guest_grant,
                                          std::string(http::MethodName(request.method)),
                                          request.path, response.status, request.request_id);
        // A guest's request that cannot be logged is not answered (A.8.15).
        if (!logged) return http::ProblemFor(request, logged.error());
        return response;
      };
    }
    wrapped.Add(route.method, route.pattern, route.access, std::move(handler), route.options);
  }
  return wrapped;
}

void AddGuestRoutes(http::Router& router, GuestService& guests) {
  auto& g = guests;
  router.Add(Method::kGet, "/api/v1/orgs/{org}/guests", Access::kUser,
             [&g](Request& r) { return List(g, r); });
  router.Add(Method::kPost, "/api/v1/orgs/{org}/guests", Access::kUser,
             [&g](Request& r) { return Invite(g, r); });
  router.Add(Method::kGet, "/api/v1/orgs/{org}/guests/{id}", Access::kUser,
             [&g](Request& r) { return Get(g, r); });
  router.Add(Method::kPatch, "/api/v1/orgs/{org}/guests/{id}", Access::kUser,
             [&g](Request& r) { return Extend(g, r); });
  router.Add(Method::kPost, "/api/v1/orgs/{org}/guests/{id}/revoke", Access::kUser,
             [&g](Request& r) { return Revoke(g, r); });
  router.Add(Method::kGet, "/api/v1/orgs/{org}/guest-access-log", Access::kUser,
             [&g](Request& r) { return AccessLog(g, r); });
}

}  // namespace certus::identity
