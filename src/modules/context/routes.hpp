#pragma once

#include "http/router.hpp"
#include "modules/context/service.hpp"

namespace certus::context {

/// /api/v1/orgs/{org}/context-issues[/{id}].
void AddRoutes(http::Router& router, ContextService& service);

}  // namespace certus::context
