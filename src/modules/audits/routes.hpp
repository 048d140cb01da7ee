#pragma once

#include "http/router.hpp"
#include "modules/audits/service.hpp"

namespace certus::audits {

/// /api/v1/orgs/{org}/audits[/{id}[/start|report|close|report.pdf|auditors[/{user}]|
/// checklist[/{item}]|findings]] and /audit-programmes[/{id}[/coverage]]. Routes that write
/// audit records let auditors write (http::Writers::kAuditors).
void AddRoutes(http::Router& router, AuditService& service);

}  // namespace certus::audits
