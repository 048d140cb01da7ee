#pragma once

#include "http/router.hpp"
#include "modules/improvement/service.hpp"

namespace certus::improvement {

/// /api/v1/orgs/{org}/nonconformities[/{id}[/close|/corrective-actions|/effectiveness-reviews]],
/// /corrective-actions[/{id}] and /improvements[/{id}].
void AddRoutes(http::Router& router, NonconformityService& nonconformities,
               ImprovementService& improvements);

}  // namespace certus::improvement
