#pragma once

#include "http/router.hpp"
#include "identity/guest.hpp"

namespace certus::identity {

/// /api/v1/orgs/{org}/guests and /api/v1/orgs/{org}/guest-access-log (ADR 0018).
void AddGuestRoutes(http::Router& router, GuestService& guests);

/// `routes` with every route under `/api/v1/orgs/{org}/…` behind the guest hook: a caller
/// who reads the organization as a live guest auditor (only callers with the viewer role are
/// looked up) is refused every write (403), and each of their reads is written to the guest
/// access log with its status (their writes are logged by SessionAuthenticator::AccessIn).
/// Members' requests pass untouched.
http::Router WithGuestAccessLog(const http::Router& routes, GuestService& guests);

}  // namespace certus::identity
