#pragma once

#include "http/router.hpp"
#include "identity/service.hpp"

namespace certus::identity {

struct RouteSettings {
  bool secure_cookies = false;  ///< mark the session cookie Secure (behind TLS)
};

/// /api/v1/auth/*, /api/v1/orgs, /api/v1/orgs/{org}/members, /api/v1/api-tokens.
void AddRoutes(http::Router& router, IdentityService& identity, RouteSettings settings);

}  // namespace certus::identity
