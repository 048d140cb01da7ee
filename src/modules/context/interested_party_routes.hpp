#pragma once

#include "http/router.hpp"
#include "modules/context/interested_party_service.hpp"

namespace certus::context {

/// /api/v1/orgs/{org}/interested-parties[/{id}].
void AddInterestedPartyRoutes(http::Router& router, InterestedPartyService& service);

}  // namespace certus::context
