#include "cli/app.hpp"

#include "core/embedded_file.hpp"
#include "identity/guest_routes.hpp"
#include "identity/oidc_routes.hpp"
#include "identity/routes.hpp"
#include "modules/audits/routes.hpp"
#include "modules/certification/routes.hpp"
#include "modules/communication/change_routes.hpp"
#include "modules/communication/routes.hpp"
#include "modules/context/interested_party_routes.hpp"
#include "modules/context/routes.hpp"
#include "modules/controls/framework_routes.hpp"
#include "modules/controls/routes.hpp"
#include "modules/documents/routes.hpp"
#include "modules/evidence/routes.hpp"
#include "modules/improvement/routes.hpp"
#include "modules/incidents/routes.hpp"
#include "modules/leadership/routes.hpp"
#include "modules/notifications/routes.hpp"
#include "modules/objectives/routes.hpp"
#include "modules/people/routes.hpp"
#include "modules/platform_routes.hpp"
#include "modules/readiness/routes.hpp"
#include "modules/reviews/routes.hpp"
#include "modules/risk/assessment_routes.hpp"
#include "modules/risk/register_routes.hpp"
#include "modules/risk/routes.hpp"
#include "modules/tasks/routes.hpp"

namespace certus::cli {

std::vector<EmbeddedFile> OpenApiDocument();

App::App(storage::Database& db, const Clock& clock, Random& random, const AppSettings& settings)
    : db_(db),
      audit_log_(clock),
      identity_(db, clock, random, audit_log_, settings.identity),
      authenticator_(identity_),
      context_(db, clock, random, audit_log_),
      interested_parties_(db, clock, random, audit_log_),
      leadership_(db, clock, random, audit_log_, identity_),
      objectives_(db, clock, random, audit_log_, identity_),
      risk_(db, clock, random, audit_log_, identity_),
      register_(db, clock, random, audit_log_, identity_, risk_),
      assessments_(db, clock, random, audit_log_, identity_, risk_),
      frameworks_(db, clock, random, audit_log_, identity_),
      blobs_(settings.blob_dir),
      evidence_links_(clock),
      controls_(db, clock, random, audit_log_, identity_, frameworks_, &evidence_links_),
      evidence_(db, clock, random, audit_log_, identity_, controls_, blobs_, settings.evidence),
      documents_(db, clock, random, audit_log_, identity_, leadership_, blobs_,
                 {.max_attachment_bytes = settings.evidence.max_file_bytes}),
      communications_(db, clock, random, audit_log_, identity_, interested_parties_, evidence_),
      changes_(db, clock, random, audit_log_, identity_, register_, controls_, documents_),
      nonconformities_(db, clock, random, audit_log_, identity_),
      improvements_(db, clock, random, audit_log_, identity_),
      audits_(db, clock, random, audit_log_, identity_, controls_, register_, documents_, evidence_,
              nonconformities_),
      incidents_(db, clock, random, audit_log_, identity_, risk_, register_, nonconformities_),
      document_acknowledgments_(documents_),
      people_(db, clock, random, audit_log_, identity_, leadership_, evidence_,
              &document_acknowledgments_),
      audit_results_(db, audits_),
      reviews_(db, clock, random, audit_log_, identity_, leadership_,
               {context_, interested_parties_, nonconformities_, improvements_, objectives_,
                communications_, register_, assessments_, &audit_results_}),
      readiness_(db, clock, audit_log_),
      certification_pack_(db, clock, random, audit_log_, identity_, readiness_, controls_,
                          assessments_, documents_, audits_, reviews_, nonconformities_),
      tasks_(db, clock),
      notifications_(db, clock, random, audit_log_),
      guests_(db, clock, random, audit_log_) {
  http::Router router;
  modules::AddPlatformRoutes(router, db_, audit_log_, OpenApiDocument().at(0).content);
  identity::AddRoutes(router, identity_, {.secure_cookies = settings.http.tls});
  identity::AddOidcRoutes(router, identity_,
                          identity::MakeOidcClient(db, clock, random, settings.oidc),
                          {.secure_cookies = settings.http.tls});
  context::AddRoutes(router, context_);
  modules::AddHistoryRoute(router, db_, audit_log_, "members", "membership");
  modules::AddHistoryRoute(router, db_, audit_log_, "context-issues", "context_issue");
  context::AddInterestedPartyRoutes(router, interested_parties_);
  modules::AddHistoryRoute(router, db_, audit_log_, "interested-parties", "interested_party");
  leadership::AddRoutes(router, leadership_);
  modules::AddHistoryRoute(router, db_, audit_log_, "roles", "isms_role");
  modules::AddHistoryRoute(router, db_, audit_log_, "leadership-records", "leadership_record");
  objectives::AddRoutes(router, objectives_);
  modules::AddHistoryRoute(router, db_, audit_log_, "metrics", "metric");
  modules::AddHistoryRoute(router, db_, audit_log_, "objectives", "objective");
  risk::AddRoutes(router, risk_);
  modules::AddHistoryRoute(router, db_, audit_log_, "assets", "asset");
  risk::AddRegisterRoutes(router, register_);
  modules::AddHistoryRoute(router, db_, audit_log_, "risks", "risk");
  modules::AddHistoryRoute(router, db_, audit_log_, "treatments", "treatment");
  risk::AddAssessmentRoutes(router, assessments_);
  controls::AddFrameworkRoutes(router, frameworks_);
  controls::AddRoutes(router, controls_);
  modules::AddHistoryRoute(router, db_, audit_log_, "controls", "control");
  evidence::AddRoutes(router, evidence_);
  modules::AddHistoryRoute(router, db_, audit_log_, "evidence", "evidence");
  documents::AddRoutes(router, documents_);
  modules::AddHistoryRoute(router, db_, audit_log_, "documents", "document");
  communication::AddRoutes(router, communications_);
  modules::AddHistoryRoute(router, db_, audit_log_, "communication-plan",
                           "communication_plan_item");
  modules::AddHistoryRoute(router, db_, audit_log_, "communications", "communication");
  communication::AddChangeRoutes(router, changes_);
  modules::AddHistoryRoute(router, db_, audit_log_, "changes", "isms_change");
  improvement::AddRoutes(router, nonconformities_, improvements_);
  modules::AddHistoryRoute(router, db_, audit_log_, "nonconformities", "nonconformity");
  modules::AddHistoryRoute(router, db_, audit_log_, "corrective-actions", "corrective_action");
  modules::AddHistoryRoute(router, db_, audit_log_, "improvements", "improvement");
  audits::AddRoutes(router, audits_);
  modules::AddHistoryRoute(router, db_, audit_log_, "audits", "audit");
  modules::AddHistoryRoute(router, db_, audit_log_, "audit-programmes", "audit_programme");
  incidents::AddRoutes(router, incidents_);
  modules::AddHistoryRoute(router, db_, audit_log_, "incidents", "incident");
  people::AddRoutes(router, people_);
  modules::AddHistoryRoute(router, db_, audit_log_, "people", "person");
  modules::AddHistoryRoute(router, db_, audit_log_, "competences", "competence");
  modules::AddHistoryRoute(router, db_, audit_log_, "trainings", "training");
  reviews::AddRoutes(router, reviews_);
  modules::AddHistoryRoute(router, db_, audit_log_, "management-reviews", "management_review");
  modules::AddHistoryRoute(router, db_, audit_log_, "review-actions", "management_review_action");
  readiness::AddRoutes(router, readiness_);
  certification::AddRoutes(router, certification_pack_);
  tasks::AddRoutes(router, tasks_);
  notifications::AddRoutes(router, notifications_);
  modules::AddHistoryRoute(router, db_, audit_log_, "webhooks", "webhook");
  identity::AddGuestRoutes(router, guests_);
  authenticator_.SetGuests(&guests_);
  // ISO 27001 A.8.5: organizations that require a second factor (ADR 0015, 0020).
  router = identity::WithSecondFactorGate(router, identity_);
  // ISO 27001 A.8.15: every request of a guest auditor is logged (ADR 0018), the ones the
  // second-factor gate refuses too, so this wrapper is the outer one.
  router = identity::WithGuestAccessLog(router, guests_);
  http_ = std::make_unique<http::Application>(std::move(router), authenticator_,
                                              http::StaticFiles::Load(settings.web_dir), random,
                                              settings.http);
}

}  // namespace certus::cli
