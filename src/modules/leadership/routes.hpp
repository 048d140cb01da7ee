#pragma once

#include "http/router.hpp"
#include "modules/leadership/service.hpp"

namespace certus::leadership {

/// /api/v1/orgs/{org}/roles[/{id}], /raci and /leadership-records[/{id}].
void AddRoutes(http::Router& router, LeadershipService& service);

}  // namespace certus::leadership
