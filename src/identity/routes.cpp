#include "identity/routes.hpp"

#include <boost/json.hpp>

#include "http/application.hpp"
#include "http/json.hpp"
#include "http/problem.hpp"
#include "identity/authenticator.hpp"
#include "identity/json.hpp"

namespace certus::identity {

namespace {

using http::Access;
using http::Method;
using http::Request;
using http::Response;

const std::vector<std::string> kRoleNames = {"admin", "manager", "contributor", "auditor",
                                             "viewer"};

std::string SessionCookie(const std::string& value, std::int64_t max_age, bool secure) {
  return std::string(kSessionCookie) + "=" + value +
         "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" + std::to_string(max_age) +
         (secure ? "; Secure" : "");
}

boost::json::value MeJson(const User& user, const std::string& csrf,
                          const std::vector<OrgWithRole>& orgs) {
  boost::json::array memberships;
  for (const auto& org : orgs) {
    memberships.push_back(boost::json::object{
        {"org_id", org.org.id.str()}, {"org_name", org.org.name}, {"role", RoleName(org.role)}});
  }
  return boost::json::object{
      {"user", ToJson(user)}, {"csrf_token", csrf}, {"memberships", std::move(memberships)}};
}

Response Login(IdentityService& identity, const RouteSettings& settings, Request& request) {
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  http::FieldReader fields(*body);
  auto email = fields.Text("email", 1, 254);
  fields.Require("email");
  // The password is read as sent: no trimming, any characters.
  std::string password;
  if (const auto* value = body->if_contains("password"); value && value->is_string()) {
    password = std::string(value->as_string());
  } else {
    fields.AddError("password", "is required");
  }
  fields.Require("password");
  if (auto done = fields.Finish(); !done) return http::ProblemFor(request, done.error());

  auto sign_in = identity.Login(*email, SecretString(std::move(password)), request.remote_address);
  if (!sign_in) return http::ProblemFor(request, sign_in.error());
  auto orgs = identity.OrgsOf(sign_in->user.id);
  if (!orgs) return http::ProblemFor(request, orgs.error());
  Response response = Response::Json(200, MeJson(sign_in->user, sign_in->csrf_token, *orgs));
  response.SetHeader("Set-Cookie",
                     SessionCookie(sign_in->session_token.Expose(), sign_in->max_age_seconds,
                                   settings.secure_cookies));
  return response;
}

Response Logout(IdentityService& identity, const RouteSettings& settings, Request& request) {
  std::string token = SessionToken(request);
  if (!token.empty()) {
    if (auto done = identity.Logout(SecretString(std::move(token))); !done) {
      return http::ProblemFor(request, done.error());
    }
  }
  Response response = Response::NoContent();
  response.SetHeader("Set-Cookie", SessionCookie("", 0, settings.secure_cookies));
  return response;
}

Response Me(IdentityService& identity, Request& request) {
  const auto& principal = *request.principal;
  auto orgs = identity.OrgsOf(principal.user_id);
  if (!orgs) return http::ProblemFor(request, orgs.error());
  User user;
  user.id = principal.user_id;
  user.email = principal.email;
  user.display_name = principal.display_name;
  user.installation_admin = principal.installation_admin;
  auto json = MeJson(user, principal.csrf_token, *orgs);
  // A token's caller sees the one organization the token is for.
  if (principal.token_org) {
    auto& memberships = json.as_object()["memberships"].as_array();
    boost::json::array kept;
    for (auto& m : memberships) {
      if (m.as_object()["org_id"].as_string() == principal.token_org->str()) kept.push_back(m);
    }
    memberships = std::move(kept);
  }
  auto& user_json = json.as_object()["user"].as_object();
  user_json.erase("version");
  user_json.erase("created_at");
  user_json.erase("updated_at");
  return Response::Json(200, json);
}

Response ListOrgs(IdentityService& identity, Request& request) {
  return http::Respond(request, identity.OrgsOf(request.principal->user_id), [&](const auto& orgs) {
    boost::json::array items;
    for (const auto& org : orgs) {
      if (request.principal->token_org && *request.principal->token_org != org.org.id) continue;
      items.push_back(ToJson(org));
    }
    return Response::Json(200, boost::json::object{{"items", std::move(items)}});
  });
}

Response CreateOrg(IdentityService& identity, Request& request) {
  if (request.principal->token_org) {
    return http::ProblemFor(
        request, Error(ErrorCode::kPermissionDenied, "An API token cannot create organizations."));
  }
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  http::FieldReader fields(*body);
  auto name = fields.Text("name", 1, 200);
  fields.Require("name");
  if (auto done = fields.Finish(); !done) return http::ProblemFor(request, done.error());
  auto actor = http::ActorOf(request);
  return http::Respond(
      request, identity.CreateOrg(actor, *name, actor.user_id), [&](const Organization& org) {
        Response response = Response::Json(201, ToJson(OrgWithRole{org, Role::kAdmin}));
        response.SetHeader("Location", "/api/v1/orgs/" + org.id.str());
        response.SetHeader("ETag", http::Etag(org.version));
        return response;
      });
}

Response ListMembers(IdentityService& identity, Request& request) {
  return http::Respond(
      request, identity.ListMembers(http::ActorOf(request), request.org->org_id),
      [](const auto& members) {
        boost::json::array items;
        for (const auto& member : members) items.push_back(ToJson(member));
        return Response::Json(200, boost::json::object{{"items", std::move(items)}});
      });
}

Response AddMember(IdentityService& identity, Request& request) {
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  http::FieldReader fields(*body);
  auto email = fields.Text("email", 1, 254);
  auto role = fields.OneOf("role", kRoleNames);
  fields.Require("email");
  fields.Require("role");
  if (auto done = fields.Finish(); !done) return http::ProblemFor(request, done.error());
  return http::Respond(
      request,
      identity.AddMember(http::ActorOf(request), request.org->org_id, *email, *ParseRole(*role)),
      [&](const Member& member) {
        Response response = http::WithEtag(201, member);
        response.SetHeader(
            "Location", "/api/v1/orgs/" + member.org_id.str() + "/members/" + member.user_id.str());
        return response;
      });
}

Response ChangeRole(IdentityService& identity, Request& request) {
  auto version = http::RequireIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  http::FieldReader fields(*body);
  auto role = fields.OneOf("role", kRoleNames);
  fields.Require("role");
  if (auto done = fields.Finish(); !done) return http::ProblemFor(request, done.error());
  return http::Respond(
      request,
      identity.ChangeRole(http::ActorOf(request), request.org->org_id,
                          UserId(request.Param("user_id")), *ParseRole(*role), *version),
      [](const Member& member) { return http::WithEtag(200, member); });
}

Response RemoveMember(IdentityService& identity, Request& request) {
  auto version = http::RequireIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  return http::Respond(request,
                       identity.RemoveMember(http::ActorOf(request), request.org->org_id,
                                             UserId(request.Param("user_id")), *version),
                       [] { return Response::NoContent(); });
}

Response CreateToken(IdentityService& identity, Request& request) {
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  http::FieldReader fields(*body);
  auto name = fields.Text("name", 1, 100);
  auto org = fields.Text("org_id", 1, 64);
  auto role = fields.OneOf("role", kRoleNames);
  for (auto field : {"name", "org_id", "role"}) fields.Require(field);
  if (auto done = fields.Finish(); !done) return http::ProblemFor(request, done.error());
  if (request.principal->token_org) {
    return http::ProblemFor(
        request, Error(ErrorCode::kPermissionDenied, "An API token cannot create API tokens."));
  }
  return http::Respond(
      request, identity.CreateToken(http::ActorOf(request), *name, OrgId(*org), *ParseRole(*role)),
      [](const IdentityService::IssuedToken& issued) {
        auto json = ToJson(issued.token);
        // The only time the token is ever shown.
        json.as_object()["token"] = issued.secret.Expose();
        Response response = Response::Json(201, json);
        response.SetHeader("Location", "/api/v1/api-tokens/" + issued.token.id);
        return response;
      });
}

Response ListTokens(IdentityService& identity, Request& request) {
  return http::Respond(
      request, identity.ListTokens(http::ActorOf(request)), [](const auto& tokens) {
        boost::json::array items;
        for (const auto& token : tokens) items.push_back(ToJson(token));
        return Response::Json(200, boost::json::object{{"items", std::move(items)}});
      });
}

Response RevokeToken(IdentityService& identity, Request& request) {
  return http::Respond(request, identity.RevokeToken(http::ActorOf(request), request.Param("id")),
                       [] { return Response::NoContent(); });
}

}  // namespace

void AddRoutes(http::Router& router, IdentityService& identity, RouteSettings settings) {
  auto& s = identity;
  router.Add(Method::kPost, "/api/v1/auth/login", Access::kPublic,
             [&s, settings](Request& r) { return Login(s, settings, r); });
  router.Add(Method::kPost, "/api/v1/auth/logout", Access::kUser,
             [&s, settings](Request& r) { return Logout(s, settings, r); });
  router.Add(Method::kGet, "/api/v1/auth/me", Access::kUser, [&s](Request& r) { return Me(s, r); });
  router.Add(Method::kGet, "/api/v1/orgs", Access::kUser,
             [&s](Request& r) { return ListOrgs(s, r); });
  router.Add(Method::kPost, "/api/v1/orgs", Access::kUser,
             [&s](Request& r) { return CreateOrg(s, r); });
  router.Add(Method::kGet, "/api/v1/orgs/{org}/members", Access::kUser,
             [&s](Request& r) { return ListMembers(s, r); });
  router.Add(Method::kPost, "/api/v1/orgs/{org}/members", Access::kUser,
             [&s](Request& r) { return AddMember(s, r); });
  router.Add(Method::kPatch, "/api/v1/orgs/{org}/members/{user_id}", Access::kUser,
             [&s](Request& r) { return ChangeRole(s, r); });
  router.Add(Method::kDelete, "/api/v1/orgs/{org}/members/{user_id}", Access::kUser,
             [&s](Request& r) { return RemoveMember(s, r); });
  router.Add(Method::kPost, "/api/v1/api-tokens", Access::kUser,
             [&s](Request& r) { return CreateToken(s, r); });
  router.Add(Method::kGet, "/api/v1/api-tokens", Access::kUser,
             [&s](Request& r) { return ListTokens(s, r); });
  router.Add(Method::kDelete, "/api/v1/api-tokens/{id}", Access::kUser,
             [&s](Request& r) { return RevokeToken(s, r); });
}

}  // namespace certus::identity
