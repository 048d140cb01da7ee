#pragma once

#include "http/router.hpp"
#include "modules/communication/change_service.hpp"

namespace certus::communication {

/// /api/v1/orgs/{org}/changes[/{id}] and the workflow actions
/// /changes/{id}/submit|approve|reject|start|implement|review|cancel.
void AddChangeRoutes(http::Router& router, ChangeService& service);

}  // namespace certus::communication
