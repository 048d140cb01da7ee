#pragma once

#include "http/router.hpp"
#include "modules/controls/framework_service.hpp"

namespace certus::controls {

/// /api/v1/frameworks[/{id}[/requirements|/mappings]], /api/v1/frameworks/import and
/// /api/v1/frameworks/mappings. Import bodies are bounded by the engine's body limit
/// (http::ServerSettings::body_limit, 10 MiB), which holds the NIST SP 800-53 MODERATE
/// resolved catalog (3.9 MB) with room to spare.
void AddFrameworkRoutes(http::Router& router, FrameworkService& service);

}  // namespace certus::controls
