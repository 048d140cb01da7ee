#pragma once

#include <filesystem>
#include <memory>

#include "auditlog/audit_log.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"
#include "http/application.hpp"
#include "identity/authenticator.hpp"
#include "identity/service.hpp"
#include "modules/context/service.hpp"
#include "modules/controls/framework_service.hpp"
#include "modules/controls/service.hpp"
#include "modules/risk/assessment_service.hpp"
#include "modules/risk/register_service.hpp"
#include "modules/risk/service.hpp"
#include "storage/database.hpp"

namespace certus::cli {

struct AppSettings {
  identity::IdentitySettings identity;
  http::ApplicationSettings http;
  std::filesystem::path web_dir = "web/dist";
};

/// The composition root: builds every service over one database and wires the HTTP
/// application. Borrows the database, clock and randomness; owns everything else.
class App final {
 public:
  App(storage::Database& db, const Clock& clock, Random& random, const AppSettings& settings);

  storage::Database& db() { return db_; }
  auditlog::AuditLog& audit_log() { return audit_log_; }
  identity::IdentityService& identity() { return identity_; }
  context::ContextService& context() { return context_; }
  risk::RiskService& risk() { return risk_; }
  risk::RegisterService& risk_register() { return register_; }
  risk::AssessmentService& risk_assessments() { return assessments_; }
  controls::FrameworkService& frameworks() { return frameworks_; }
  controls::ControlService& controls() { return controls_; }
  http::Application& http() { return *http_; }

 private:
  storage::Database& db_;
  auditlog::AuditLog audit_log_;
  identity::IdentityService identity_;
  identity::SessionAuthenticator authenticator_;
  context::ContextService context_;
  risk::RiskService risk_;
  risk::RegisterService register_;
  risk::AssessmentService assessments_;
  controls::FrameworkService frameworks_;
  controls::ControlService controls_;
  std::unique_ptr<http::Application> http_;
};

}  // namespace certus::cli
