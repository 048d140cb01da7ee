#include "identity/authenticator.hpp"

namespace certus::identity {

std::optional<AuthMethod> SessionMethodOf(const http::Principal& principal) {
  if (principal.via != http::Principal::Via::kSession) return std::nullopt;
  return ParseAuthMethod(principal.auth_method);
}

std::string SessionToken(const http::Request& request) {
  std::string_view cookies = request.Header("cookie");
  while (!cookies.empty()) {
    auto end = cookies.find(';');
    std::string_view pair = cookies.substr(0, end);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    auto equals = pair.find('=');
    if (equals != std::string_view::npos && pair.substr(0, equals) == kSessionCookie) {
      return std::string(pair.substr(equals + 1));
    }
    if (end == std::string_view::npos) break;
    cookies.remove_prefix(end + 1);
  }
  return {};
}

namespace {

/// The request being authenticated on this thread: the Application calls AccessIn right after
/// Authenticate, for the same request, on the same thread (read only for guests).
thread_local const http::Request* t_request = nullptr;

}  // namespace

Expected<std::optional<http::Principal>> SessionAuthenticator::Authenticate(
    const http::Request& request) {
  t_request = &request;
  std::string_view authorization = request.Header("authorization");
  if (authorization.starts_with("Bearer ")) {
    auto owner =
        CERTUS_TRY(identity_.ResolveToken(SecretString(std::string(authorization.substr(7)))));
    if (!owner) return std::nullopt;
    http::Principal principal;
    principal.user_id = owner->user.id;
    principal.email = owner->user.email;
    principal.display_name = owner->user.display_name;
    principal.via = http::Principal::Via::kApiToken;
    principal.token_org = owner->token.org_id;
    principal.token_role = owner->token.role;
    return principal;
  }
  std::string token = SessionToken(request);
  if (token.empty()) return std::nullopt;
  auto session = CERTUS_TRY(identity_.ResolveSession(SecretString(std::move(token))));
  if (!session) return std::nullopt;
  http::Principal principal;
  principal.user_id = session->user.id;
  principal.email = session->user.email;
  principal.display_name = session->user.display_name;
  principal.installation_admin = session->user.installation_admin;
  principal.via = http::Principal::Via::kSession;
  principal.csrf_token = session->csrf_token;
  principal.auth_method = AuthMethodName(session->auth_method);
  return principal;
}

Expected<std::optional<http::OrgAccess>> SessionAuthenticator::AccessIn(
    const http::Principal& principal, const OrgId& org) {
  auto role = CERTUS_TRY(identity_.RoleOf(org, principal.user_id));
  if (role) return http::OrgAccess{org, *role, std::nullopt};
  if (guests_ == nullptr || principal.via != http::Principal::Via::kSession) return std::nullopt;
  auto grant = CERTUS_TRY(guests_->LiveGrant(org, principal.user_id));
  if (!grant) return std::nullopt;
  // Every write of a guest ends 403 (the role check, or WithGuestAccessLog for the few routes
  // every member may write): it is logged once, here.
  if (t_request != nullptr && !http::IsSafe(t_request->method)) {
    CERTUS_CHECK(guests_->RecordAccess(org, principal.user_id, grant->id,
                                       std::string(http::MethodName(t_request->method)),
                                       t_request->path, 403, t_request->request_id));
  }
  return http::OrgAccess{org, Role::kViewer, grant->id};
}

}  // namespace certus::identity
