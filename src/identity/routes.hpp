#pragma once

#include "http/router.hpp"
#include "identity/service.hpp"

namespace certus::identity {

struct RouteSettings {
  bool secure_cookies = false;  ///< mark the session cookie Secure (behind TLS)
};

/// /api/v1/auth/*, /api/v1/orgs, /api/v1/orgs/{org}/members, /api/v1/api-tokens.
void AddRoutes(http::Router& router, IdentityService& identity, RouteSettings settings);

/// `routes` with every route under `/api/v1/orgs/{org}/…` behind the second-factor gate: a
/// member or guest auditor whose session was opened without a second factor, in an
/// organization that requires one, gets 403 (problem type `second-factor-required`, with the
/// session's `auth_method`; ADR 0020). API tokens pass (ADR 0015).
http::Router WithSecondFactorGate(const http::Router& routes, IdentityService& identity);

}  // namespace certus::identity
