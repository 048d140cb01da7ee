#pragma once

#include "http/router.hpp"
#include "modules/controls/service.hpp"

namespace certus::controls {

/// /api/v1/orgs/{org}/controls[/{id}], …/soa, …/soa/versions[/{number}], …/soa/diff,
/// …/soa/export and …/coverage.
void AddRoutes(http::Router& router, ControlService& service);

}  // namespace certus::controls
