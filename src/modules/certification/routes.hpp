#pragma once

#include "http/router.hpp"
#include "modules/certification/service.hpp"

namespace certus::certification {

/// GET /api/v1/orgs/{org}/certification-pack[?as_of=YYYY-MM-DD]: the pack as a ZIP download.
void AddRoutes(http::Router& router, PackService& service);

}  // namespace certus::certification
