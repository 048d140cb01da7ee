#pragma once

#include "http/router.hpp"
#include "modules/incidents/service.hpp"

namespace certus::incidents {

/// /api/v1/orgs/{org}/incidents[/{id}], /incidents/summary, the steps
/// /incidents/{id}/triage|contain|resolve|close|reopen, the timeline
/// /incidents/{id}/timeline and /incidents/{id}/nonconformity.
void AddRoutes(http::Router& router, IncidentService& service);

}  // namespace certus::incidents
