#pragma once

#include "http/router.hpp"
#include "modules/risk/register_service.hpp"

namespace certus::risk {

/// /api/v1/orgs/{org}/risks[/{id}[/acceptance]] and /api/v1/orgs/{org}/treatments[/{id}].
void AddRegisterRoutes(http::Router& router, RegisterService& service);

}  // namespace certus::risk
