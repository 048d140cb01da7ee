#pragma once

#include <memory>

#include "http/router.hpp"
#include "identity/oidc.hpp"
#include "identity/service.hpp"

namespace certus::identity {

struct OidcRouteSettings {
  bool secure_cookies = false;  ///< as RouteSettings: mark the session cookie Secure
};

/// GET /api/v1/auth/methods (public: which sign-in methods are on) and, for OpenID Connect
/// sign-in (ADR 0019), GET /api/v1/auth/oidc/login and /api/v1/auth/oidc/callback (public:
/// they answer 404 when no provider is configured, i.e. when `client` is null).
/// With a provider, also wraps POST /api/v1/auth/logout (AddRoutes must have added it): a
/// session opened through the provider is answered 200 `{"logout_url": …}`, the provider's
/// end_session_endpoint, when it has one (RP-Initiated Logout 1.0; ADR 0020).
void AddOidcRoutes(http::Router& router, IdentityService& identity,
                   const std::shared_ptr<oidc::Client>& client, OidcRouteSettings settings);

/// The client of the configured provider, or null when `settings` names none.
std::shared_ptr<oidc::Client> MakeOidcClient(storage::Database& db, const Clock& clock,
                                             Random& random, const oidc::Settings& settings);

}  // namespace certus::identity
