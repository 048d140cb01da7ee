#pragma once

#include <string>

#include "auditlog/audit_log.hpp"
#include "http/router.hpp"
#include "storage/database.hpp"

namespace certus::modules {

/// /healthz, /readyz, /api/v1/openapi.json, the organization's audit log and its
/// verification.
void AddPlatformRoutes(http::Router& router, storage::Database& db, auditlog::AuditLog& audit_log,
                       std::string openapi_document);

/// `GET /api/v1/orgs/{org}/<collection>/{id}/history`: every audit event about one object
/// of `object_type`, oldest first. Any member may read it; unknown objects are 404.
void AddHistoryRoute(http::Router& router, storage::Database& db, auditlog::AuditLog& audit_log,
                     const std::string& collection, const std::string& object_type);

}  // namespace certus::modules
