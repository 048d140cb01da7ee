#pragma once

#include "http/router.hpp"
#include "modules/evidence/service.hpp"

namespace certus::evidence {

/// /api/v1/orgs/{org}/evidence[/{id}[/file]] and /evidence/files (uploads, which get a body
/// limit of the service's max_file_bytes). The history route is added by the composition
/// root like every module's.
void AddRoutes(http::Router& router, EvidenceService& service);

}  // namespace certus::evidence
