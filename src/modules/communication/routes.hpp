#pragma once

#include "http/router.hpp"
#include "modules/communication/service.hpp"

namespace certus::communication {

/// /api/v1/orgs/{org}/communication-plan[/{id}] and /communications[/{id}].
void AddRoutes(http::Router& router, CommunicationService& service);

}  // namespace certus::communication
