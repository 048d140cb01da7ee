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

boost::json::value ToJson(const SecondFactorStatus& status) {
  return boost::json::object{{"totp_enabled", status.totp_enabled},
                             {"totp_pending", status.totp_pending},
                             {"recovery_codes_remaining", status.recovery_codes_remaining}};
}

/// How the caller signed in, for /auth/me (ADR 0020): a session's method, or `api_token`.
constexpr std::string_view kApiTokenMethod = "api_token";

boost::json::value MeJson(const User& user, const std::string& csrf,
                          const std::vector<OrgWithRole>& orgs, const SecondFactorStatus& status,
                          std::string_view auth_method) {
  boost::json::array memberships;
  for (const auto& org : orgs) {
    boost::json::object membership{{"org_id", org.org.id.str()},
                                   {"org_name", org.org.name},
                                   {"role", RoleName(org.role)},
                                   {"require_second_factor", org.org.require_second_factor}};
    if (org.guest_until) membership["guest_until"] = *org.guest_until;  // ADR 0018
    memberships.push_back(std::move(membership));
  }
  return boost::json::object{{"user", ToJson(user)},
                             {"csrf_token", csrf},
                             {"memberships", std::move(memberships)},
                             {"second_factor", ToJson(status)},
                             {"auth_method", auth_method}};
}

/// A problem+json response whose type is more specific than its status's: a client tells
/// "enter your code" or "enroll first" apart from other 401s and 403s by it.
Response ProblemOfType(const Request& request, const Error& error, std::string_view slug,
                       std::string_view title) {
  Response response = http::ProblemFor(request, error);
  auto body = boost::json::parse(response.body).as_object();
  body["type"] = "urn:certus:problem:" + std::string(slug);
  body["title"] = title;
  response.body = boost::json::serialize(body);
  return response;
}

/// The 403 of a session without a second factor in an organization that requires one
/// (ADR 0020), with what to do about it: enroll, sign in again with the code, or have the
/// identity provider report a second factor. `auth_method` says how the session was opened.
Response SecondFactorRequired(IdentityService& identity, const Request& request) {
  const auto method = SessionMethodOf(*request.principal);
  const bool enrolled = identity.SecondFactorOf(request.principal->user_id)
                            .value_or(SecondFactorStatus{})
                            .totp_enabled;
  std::string detail = "ISO 27001 A.8.5: this organization requires two-step sign-in";
  if (method && ViaOidc(*method)) {
    detail +=
        ", and your identity provider did not report a second factor for this sign-in. Sign out, "
        "then sign in again with a second factor at your identity provider, or with your "
        "password and authenticator code.";
  } else if (enrolled) {
    detail +=
        ", and this session was opened without your authenticator code. Sign out and sign in "
        "again with your code.";
  } else {
    detail +=
        ". Turn it on for your account on the account security page (/account/security), then "
        "sign out and sign in again with your code.";
  }
  Response response = ProblemOfType(request, Error(ErrorCode::kPermissionDenied, detail),
                                    "second-factor-required", "Second factor required");
  auto body = boost::json::parse(response.body).as_object();
  body["auth_method"] = method ? AuthMethodName(*method) : kApiTokenMethod;
  response.body = boost::json::serialize(body);
  return response;
}

/// An optional secret string field, read as sent (no trimming).
std::optional<SecretString> SecretField(const boost::json::object& body, std::string_view name,
                                        http::FieldReader& fields) {
  if (!fields.Has(name)) return std::nullopt;
  fields.Require(name);  // marks it read; null is refused as missing
  const auto* value = body.if_contains(name);
  if (value->is_null()) return std::nullopt;
  if (!value->is_string() || value->as_string().size() > 1024) {
    fields.AddError(std::string(name), "must be a string of at most 1024 characters");
    return std::nullopt;
  }
  return SecretString(std::string(value->as_string()));
}

boost::json::array CodesJson(const std::vector<SecretString>& codes) {
  boost::json::array items;
  for (const auto& code : codes) items.emplace_back(code.Expose());
  return items;
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
  auto otp = SecretField(*body, "otp", fields);
  if (auto done = fields.Finish(); !done) return http::ProblemFor(request, done.error());

  auto result =
      identity.Login(*email, SecretString(std::move(password)), request.remote_address, otp);
  if (!result) return http::ProblemFor(request, result.error());
  if (!result->sign_in) {
    return ProblemOfType(request, Error(ErrorCode::kUnauthenticated, result->second_factor_problem),
                         "otp-required", "Second factor required");
  }
  const SignIn* sign_in = &*result->sign_in;
  auto orgs = identity.OrgsOf(sign_in->user.id);
  if (!orgs) return http::ProblemFor(request, orgs.error());
  auto status = identity.SecondFactorOf(sign_in->user.id);
  if (!status) return http::ProblemFor(request, status.error());
  Response response = Response::Json(200, MeJson(sign_in->user, sign_in->csrf_token, *orgs, *status,
                                                 AuthMethodName(sign_in->auth_method)));
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
  auto status = identity.SecondFactorOf(principal.user_id);
  if (!status) return http::ProblemFor(request, status.error());
  User user;
  user.id = principal.user_id;
  user.email = principal.email;
  user.display_name = principal.display_name;
  user.installation_admin = principal.installation_admin;
  const auto session = SessionMethodOf(principal);
  const std::string_view method = session ? AuthMethodName(*session) : kApiTokenMethod;
  auto json = MeJson(user, principal.csrf_token, *orgs, *status, method);
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
        Response response =
            Response::Json(201, ToJson(OrgWithRole{org, Role::kAdmin, std::nullopt}));
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
  // A token must not be the way around an organization's second-factor rule (ADR 0015): it
  // is issued only by a session that meets it (ADR 0020). Outsiders learn nothing of the
  // rule: the service refuses them as non-members.
  auto member = identity.RoleOf(OrgId(*org), request.principal->user_id);
  if (!member) return http::ProblemFor(request, member.error());
  if (*member) {
    auto missing = identity.SecondFactorMissing(
        OrgId(*org), SessionMethodOf(*request.principal).value_or(AuthMethod::kPassword));
    if (!missing) return http::ProblemFor(request, missing.error());
    if (*missing) return SecondFactorRequired(identity, request);
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

Response GetOrg(IdentityService& identity, Request& request) {
  return http::Respond(request, identity.GetOrg(http::ActorOf(request), request.org->org_id),
                       [&](const Organization& org) {
                         Response response = Response::Json(
                             200, ToJson(OrgWithRole{org, request.org->role, std::nullopt}));
                         response.SetHeader("ETag", http::Etag(org.version));
                         return response;
                       });
}

Response UpdateOrg(IdentityService& identity, Request& request) {
  auto version = http::RequireIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  http::FieldReader fields(*body);
  IdentityService::OrgChanges changes;
  if (body->contains("name")) changes.name = fields.Text("name", 1, 200);
  changes.require_second_factor = fields.Boolean("require_second_factor");
  if (auto done = fields.Finish(); !done) return http::ProblemFor(request, done.error());
  const auto session = SessionMethodOf(*request.principal);
  return http::Respond(
      request,
      identity.UpdateOrg(http::ActorOf(request), request.org->org_id, changes, *version, session),
      [&](const Organization& org) {
        Response response =
            Response::Json(200, ToJson(OrgWithRole{org, request.org->role, std::nullopt}));
        response.SetHeader("ETag", http::Etag(org.version));
        return response;
      });
}

/// Second-factor management is for people signed in themselves, never for API tokens.
std::optional<Response> RefuseTokens(const Request& request) {
  if (!request.principal->token_org) return std::nullopt;
  return http::ProblemFor(request,
                          Error(ErrorCode::kPermissionDenied,
                                "An API token cannot manage a second factor; sign in to do this."));
}

Response StartTotp(IdentityService& identity, Request& request) {
  if (auto refused = RefuseTokens(request)) return std::move(*refused);
  return http::Respond(request, identity.StartTotpEnrollment(http::ActorOf(request)),
                       [](const TotpEnrollment& enrollment) {
                         return Response::Json(
                             200,
                             boost::json::object{{"secret", enrollment.secret_base32.Expose()},
                                                 {"otpauth_uri", enrollment.otpauth_uri.Expose()},
                                                 {"issuer", "Certus"},
                                                 {"digits", 6},
                                                 {"period", 30},
                                                 {"algorithm", "SHA1"}});
                       });
}

/// The required `code` of a request body.
Expected<SecretString> CodeOf(const Request& request) {
  auto body = CERTUS_TRY(http::ParseJsonObject(request.body));
  http::FieldReader fields(body);
  auto code = SecretField(body, "code", fields);
  fields.Require("code");
  CERTUS_CHECK(fields.Finish());
  return std::move(*code);
}

Response ConfirmTotp(IdentityService& identity, Request& request) {
  if (auto refused = RefuseTokens(request)) return std::move(*refused);
  auto code = CodeOf(request);
  if (!code) return http::ProblemFor(request, code.error());
  auto actor = http::ActorOf(request);
  return http::Respond(request, identity.ConfirmTotp(actor, *code), [&](const auto& codes) {
    auto status = identity.SecondFactorOf(actor.user_id).value_or(SecondFactorStatus{});
    // The only time these codes are ever shown.
    return Response::Json(200, boost::json::object{{"recovery_codes", CodesJson(codes)},
                                                   {"second_factor", ToJson(status)}});
  });
}

Response RegenerateRecoveryCodes(IdentityService& identity, Request& request) {
  if (auto refused = RefuseTokens(request)) return std::move(*refused);
  auto code = CodeOf(request);
  if (!code) return http::ProblemFor(request, code.error());
  auto actor = http::ActorOf(request);
  return http::Respond(
      request, identity.RegenerateRecoveryCodes(actor, *code), [&](const auto& codes) {
        auto status = identity.SecondFactorOf(actor.user_id).value_or(SecondFactorStatus{});
        return Response::Json(200, boost::json::object{{"recovery_codes", CodesJson(codes)},
                                                       {"second_factor", ToJson(status)}});
      });
}

Response DisableTotp(IdentityService& identity, Request& request) {
  if (auto refused = RefuseTokens(request)) return std::move(*refused);
  auto body = http::ParseJsonObject(request.body.empty() ? std::string("{}") : request.body);
  if (!body) return http::ProblemFor(request, body.error());
  http::FieldReader fields(*body);
  auto password = SecretField(*body, "password", fields);
  auto code = SecretField(*body, "code", fields);
  if (auto done = fields.Finish(); !done) return http::ProblemFor(request, done.error());
  return http::Respond(request, identity.DisableTotp(http::ActorOf(request), password, code),
                       [] { return Response::NoContent(); });
}

Response ResetTotp(IdentityService& identity, Request& request) {
  if (auto refused = RefuseTokens(request)) return std::move(*refused);
  return http::Respond(request,
                       identity.ResetTotp(http::ActorOf(request), UserId(request.Param("user_id"))),
                       [] { return Response::NoContent(); });
}

}  // namespace

http::Router WithSecondFactorGate(const http::Router& routes, IdentityService& identity) {
  http::Router gated;
  for (const auto& route : routes.routes()) {
    http::Handler handler = route.handler;
    if (route.access == Access::kUser && route.pattern.starts_with("/api/v1/orgs/{org}")) {
      handler = [&identity, inner = std::move(handler)](Request& request) -> Response {
        // API tokens are issued by someone who signed in (ADR 0015); sessions are gated by
        // how they were opened, members' and guest auditors' alike (ADR 0020).
        const auto session = SessionMethodOf(*request.principal);
        if (session && request.org) {
          auto missing = identity.SecondFactorMissing(request.org->org_id, *session);
          if (!missing) return http::ProblemFor(request, missing.error());
          if (*missing) return SecondFactorRequired(identity, request);
        }
        return inner(request);
      };
    }
    gated.Add(route.method, route.pattern, route.access, std::move(handler), route.options);
  }
  return gated;
}

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
  // Organization settings, and the second factor (ISO 27001 A.5.17, A.8.5; ADR 0015).
  router.Add(Method::kGet, "/api/v1/orgs/{org}", Access::kUser,
             [&s](Request& r) { return GetOrg(s, r); });
  router.Add(Method::kPatch, "/api/v1/orgs/{org}", Access::kUser,
             [&s](Request& r) { return UpdateOrg(s, r); });
  router.Add(Method::kPost, "/api/v1/me/totp", Access::kUser,
             [&s](Request& r) { return StartTotp(s, r); });
  router.Add(Method::kDelete, "/api/v1/me/totp", Access::kUser,
             [&s](Request& r) { return DisableTotp(s, r); });
  router.Add(Method::kPost, "/api/v1/me/totp/confirm", Access::kUser,
             [&s](Request& r) { return ConfirmTotp(s, r); });
  router.Add(Method::kPost, "/api/v1/me/recovery-codes", Access::kUser,
             [&s](Request& r) { return RegenerateRecoveryCodes(s, r); });
  router.Add(Method::kDelete, "/api/v1/users/{user_id}/totp", Access::kUser,
             [&s](Request& r) { return ResetTotp(s, r); });
}

}  // namespace certus::identity
