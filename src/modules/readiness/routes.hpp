#pragma once

#include "http/router.hpp"
#include "modules/readiness/service.hpp"

namespace certus::readiness {

/// /api/v1/orgs/{org}/readiness and /api/v1/orgs/{org}/readiness/settings.
void AddRoutes(http::Router& router, ReadinessService& service);

}  // namespace certus::readiness
