#pragma once

#include "http/router.hpp"
#include "modules/objectives/service.hpp"

namespace certus::objectives {

/// /api/v1/orgs/{org}/metrics[/{id}[/measurements[/{measurement_id}]]] and
/// /api/v1/orgs/{org}/objectives[/{id}].
void AddRoutes(http::Router& router, ObjectivesService& service);

}  // namespace certus::objectives
