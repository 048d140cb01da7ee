#include "cli/app.hpp"

#include "core/embedded_file.hpp"
#include "identity/routes.hpp"
#include "modules/context/routes.hpp"
#include "modules/controls/framework_routes.hpp"
#include "modules/controls/routes.hpp"
#include "modules/platform_routes.hpp"
#include "modules/risk/assessment_routes.hpp"
#include "modules/risk/register_routes.hpp"
#include "modules/risk/routes.hpp"

namespace certus::cli {

std::vector<EmbeddedFile> OpenApiDocument();

App::App(storage::Database& db, const Clock& clock, Random& random, const AppSettings& settings)
    : db_(db),
      audit_log_(clock),
      identity_(db, clock, random, audit_log_, settings.identity),
      authenticator_(identity_),
      context_(db, clock, random, audit_log_),
      risk_(db, clock, random, audit_log_, identity_),
      register_(db, clock, random, audit_log_, identity_, risk_),
      assessments_(db, clock, random, audit_log_, identity_, risk_),
      frameworks_(db, clock, random, audit_log_, identity_),
      controls_(db, clock, random, audit_log_, identity_, frameworks_) {
  http::Router router;
  modules::AddPlatformRoutes(router, db_, audit_log_, OpenApiDocument().at(0).content);
  identity::AddRoutes(router, identity_, {.secure_cookies = settings.http.tls});
  context::AddRoutes(router, context_);
  modules::AddHistoryRoute(router, db_, audit_log_, "members", "membership");
  modules::AddHistoryRoute(router, db_, audit_log_, "context-issues", "context_issue");
  risk::AddRoutes(router, risk_);
  modules::AddHistoryRoute(router, db_, audit_log_, "assets", "asset");
  risk::AddRegisterRoutes(router, register_);
  modules::AddHistoryRoute(router, db_, audit_log_, "risks", "risk");
  modules::AddHistoryRoute(router, db_, audit_log_, "treatments", "treatment");
  risk::AddAssessmentRoutes(router, assessments_);
  controls::AddFrameworkRoutes(router, frameworks_);
  controls::AddRoutes(router, controls_);
  modules::AddHistoryRoute(router, db_, audit_log_, "controls", "control");
  http_ = std::make_unique<http::Application>(std::move(router), authenticator_,
                                              http::StaticFiles::Load(settings.web_dir), random,
                                              settings.http);
}

}  // namespace certus::cli
