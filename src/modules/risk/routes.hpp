#pragma once

#include "http/router.hpp"
#include "modules/risk/service.hpp"

namespace certus::risk {

/// /api/v1/orgs/{org}/risk-methodology[/approve|/versions] and
/// /api/v1/orgs/{org}/assets[/{id}].
void AddRoutes(http::Router& router, RiskService& service);

}  // namespace certus::risk
