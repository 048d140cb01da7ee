#include "identity/oidc_routes.hpp"

#include <algorithm>
#include <stdexcept>

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "http/application.hpp"
#include "http/problem.hpp"
#include "identity/authenticator.hpp"

namespace certus::identity {

namespace {

using http::Access;
using http::Method;
using http::Request;
using http::Response;

constexpr std::string_view kSignInPage = "/signin";

std::string SessionCookie(const std::string& value, std::int64_t max_age, bool secure) {
  return std::string(kSessionCookie) + "=" + value +
         "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" + std::to_string(max_age) +
         (secure ? "; Secure" : "");
}

Response Redirect(std::string location) {
  Response response;
  response.status = 302;
  response.SetHeader("Location", std::move(location));
  response.SetHeader("Cache-Control", "no-store");
  return response;
}

/// Back to the sign-in page with a reason the page explains (a fixed code: no text of the
/// provider's or an attacker's reaches the page).
Response SignInFailed(const Request& request, std::string_view reason, std::string_view detail) {
  // The detail may quote the provider or the query string: one printable line in the log.
  std::string line(detail.substr(0, 400));
  for (char& c : line) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  spdlog::warn("OpenID Connect sign-in refused ({}) for {} [request {}]: {}", reason,
               request.remote_address, request.request_id, line);
  return Redirect(std::string(kSignInPage) + "?oidc_error=" + std::string(reason));
}

Response NotConfigured(const Request& request) {
  return http::ProblemFor(request, Error(ErrorCode::kNotFound,
                                         "OpenID Connect sign-in is not configured on this "
                                         "installation."));
}

Response Methods(const std::shared_ptr<oidc::Client>& client) {
  boost::json::value oidc = nullptr;
  if (client) {
    oidc = boost::json::object{{"label", client->settings().label},
                               {"login_url", "/api/v1/auth/oidc/login"}};
  }
  return Response::Json(200, boost::json::object{{"password", true}, {"oidc", std::move(oidc)}});
}

Response Login(oidc::Client& client, Request& request) {
  std::string next = request.Query("next").value_or("/");
  if (!oidc::SafeNextPath(next)) next = "/";
  auto url = client.Begin(next);
  if (!url) return SignInFailed(request, "unavailable", url.error().log_detail());
  return Redirect(std::move(*url));
}

std::string_view ReasonOf(const Error& error) {
  switch (error.code()) {
    case ErrorCode::kNotFound: return "unknown_user";
    case ErrorCode::kPermissionDenied: return "locked";
    case ErrorCode::kConflict: return "linked_elsewhere";
    default: return "unavailable";
  }
}

Response Callback(IdentityService& identity, oidc::Client& client,
                  const OidcRouteSettings& settings, Request& request) {
  if (auto error = request.Query("error")) {
    // The provider's error code (e.g. access_denied), trimmed: it is the provider's text.
    return SignInFailed(request, "denied", "the provider answered " + error->substr(0, 64));
  }
  const auto code = request.Query("code");
  const auto state = request.Query("state");
  if (!code || !state || code->empty() || state->empty() || code->size() > 4096 ||
      state->size() > 256) {
    return SignInFailed(request, "state", "the callback lacks code or state");
  }
  auto completed = client.Complete(*code, *state);
  if (!completed) {
    return SignInFailed(request, completed.error().reason, completed.error().detail);
  }
  const auto& claims = completed->claims;
  const bool mfa = std::any_of(claims.amr.begin(), claims.amr.end(), [](const std::string& m) {
    return m == "mfa" || m == "otp" || m == "hwk" || m == "swk";
  });
  auto result = identity.SignInWithOidc({claims.issuer, claims.subject, claims.email, mfa},
                                        request.remote_address);
  if (!result) return SignInFailed(request, ReasonOf(result.error()), result.error().message());
  if (!result->sign_in) {
    return SignInFailed(request, "second_factor", result->second_factor_problem);
  }
  spdlog::info("OpenID Connect sign-in of user {} [request {}]", result->sign_in->user.id.str(),
               request.request_id);
  Response response = Redirect(completed->next_path);
  response.SetHeader("Set-Cookie",
                     SessionCookie(result->sign_in->session_token.Expose(),
                                   result->sign_in->max_age_seconds, settings.secure_cookies));
  return response;
}

/// POST /api/v1/auth/logout as AddRoutes answers it, except for a session opened through the
/// provider whose discovery names an end_session_endpoint: 200 with the `logout_url` to send
/// the browser to, so that it signs out at the provider too (RP-Initiated Logout 1.0; ADR 0020).
http::Handler WithProviderLogout(http::Handler inner, std::shared_ptr<oidc::Client> client) {
  return [inner = std::move(inner), client = std::move(client)](Request& request) {
    const auto method = SessionMethodOf(*request.principal);
    Response response = inner(request);
    if (response.status != 204 || !method || !ViaOidc(*method)) return response;
    auto url = client->LogoutUrl();
    if (!url) {
      // Signed out of Certus all the same; the provider's session stays.
      spdlog::warn("OpenID Connect: no provider logout [request {}]: {}", request.request_id,
                   url.error().log_detail());
      return response;
    }
    if (!*url) return response;
    Response answer = Response::Json(200, boost::json::object{{"logout_url", **url}});
    answer.SetHeader("Set-Cookie", std::string(response.Header("set-cookie")));
    answer.SetHeader("Cache-Control", "no-store");
    return answer;
  };
}

}  // namespace

std::shared_ptr<oidc::Client> MakeOidcClient(storage::Database& db, const Clock& clock,
                                             Random& random, const oidc::Settings& settings) {
  if (!settings.enabled()) return nullptr;
  return std::make_shared<oidc::Client>(db, clock, random, settings);
}

void AddOidcRoutes(http::Router& router, IdentityService& identity,
                   const std::shared_ptr<oidc::Client>& client, OidcRouteSettings settings) {
  router.Add(Method::kGet, "/api/v1/auth/methods", Access::kPublic,
             [client](Request&) { return Methods(client); });
  router.Add(Method::kGet, "/api/v1/auth/oidc/login", Access::kPublic,
             [client](Request& r) { return client ? Login(*client, r) : NotConfigured(r); });
  router.Add(Method::kGet, "/api/v1/auth/oidc/callback", Access::kPublic,
             [&identity, client, settings](Request& r) {
               return client ? Callback(identity, *client, settings, r) : NotConfigured(r);
             });
  if (!client) return;
  http::Router wrapped;
  bool found = false;
  for (const auto& route : router.routes()) {
    http::Handler handler = route.handler;
    if (route.method == Method::kPost && route.pattern == "/api/v1/auth/logout") {
      handler = WithProviderLogout(std::move(handler), client);
      found = true;
    }
    wrapped.Add(route.method, route.pattern, route.access, std::move(handler), route.options);
  }
  if (!found) throw std::logic_error("AddOidcRoutes must follow AddRoutes (sign-out route)");
  router = std::move(wrapped);
}

}  // namespace certus::identity
