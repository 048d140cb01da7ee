#pragma once

#include "http/router.hpp"
#include "modules/documents/service.hpp"

namespace certus::documents {

/// The documented-information API (ISO 27001 4.3, 5.2, 7.5) under /api/v1/orgs/{org}/documents.
void AddRoutes(http::Router& router, DocumentService& service);

}  // namespace certus::documents
