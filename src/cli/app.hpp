#pragma once

#include <filesystem>
#include <memory>

#include "auditlog/audit_log.hpp"
#include "blobstore/blob_store.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"
#include "http/application.hpp"
#include "identity/authenticator.hpp"
#include "identity/guest.hpp"
#include "identity/oidc.hpp"
#include "identity/service.hpp"
#include "modules/audits/service.hpp"
#include "modules/certification/service.hpp"
#include "modules/communication/change_service.hpp"
#include "modules/communication/service.hpp"
#include "modules/context/interested_party_service.hpp"
#include "modules/context/service.hpp"
#include "modules/controls/framework_service.hpp"
#include "modules/controls/service.hpp"
#include "modules/documents/service.hpp"
#include "modules/evidence/service.hpp"
#include "modules/improvement/service.hpp"
#include "modules/incidents/service.hpp"
#include "modules/leadership/service.hpp"
#include "modules/notifications/service.hpp"
#include "modules/objectives/service.hpp"
#include "modules/people/document_acknowledgments.hpp"
#include "modules/people/service.hpp"
#include "modules/readiness/service.hpp"
#include "modules/reviews/audit_programme_results.hpp"
#include "modules/reviews/service.hpp"
#include "modules/risk/assessment_service.hpp"
#include "modules/risk/register_service.hpp"
#include "modules/risk/service.hpp"
#include "modules/tasks/service.hpp"
#include "storage/database.hpp"

namespace certus::cli {

struct AppSettings {
  identity::IdentitySettings identity;
  http::ApplicationSettings http;
  std::filesystem::path web_dir = "web/dist";
  std::filesystem::path blob_dir = "data/blobs";  ///< evidence files (<data-dir>/blobs)
  evidence::EvidenceSettings evidence;
  identity::oidc::Settings oidc;  ///< OpenID Connect sign-in (ADR 0019); off when empty
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
  context::InterestedPartyService& interested_parties() { return interested_parties_; }
  leadership::LeadershipService& leadership() { return leadership_; }
  objectives::ObjectivesService& objectives() { return objectives_; }
  risk::RiskService& risk() { return risk_; }
  risk::RegisterService& risk_register() { return register_; }
  risk::AssessmentService& risk_assessments() { return assessments_; }
  controls::FrameworkService& frameworks() { return frameworks_; }
  controls::ControlService& controls() { return controls_; }
  blobstore::DirectoryBlobStore& blobs() { return blobs_; }
  evidence::EvidenceService& evidence() { return evidence_; }
  documents::DocumentService& documents() { return documents_; }
  communication::CommunicationService& communications() { return communications_; }
  communication::ChangeService& changes() { return changes_; }
  improvement::NonconformityService& nonconformities() { return nonconformities_; }
  improvement::ImprovementService& improvements() { return improvements_; }
  audits::AuditService& audits() { return audits_; }
  incidents::IncidentService& incidents() { return incidents_; }
  people::PeopleService& people() { return people_; }
  reviews::ReviewService& reviews() { return reviews_; }
  readiness::ReadinessService& readiness() { return readiness_; }
  certification::PackService& certification_pack() { return certification_pack_; }
  tasks::TaskService& tasks() { return tasks_; }
  notifications::NotificationService& notifications() { return notifications_; }
  identity::GuestService& guests() { return guests_; }
  http::Application& http() { return *http_; }

 private:
  storage::Database& db_;
  auditlog::AuditLog audit_log_;
  identity::IdentityService identity_;
  identity::SessionAuthenticator authenticator_;
  context::ContextService context_;
  context::InterestedPartyService interested_parties_;
  leadership::LeadershipService leadership_;
  objectives::ObjectivesService objectives_;
  risk::RiskService risk_;
  risk::RegisterService register_;
  risk::AssessmentService assessments_;
  controls::FrameworkService frameworks_;
  // Built before controls_, which reads the evidence of each control through it.
  blobstore::DirectoryBlobStore blobs_;
  evidence::ControlEvidence evidence_links_;
  controls::ControlService controls_;
  evidence::EvidenceService evidence_;
  documents::DocumentService documents_;
  communication::CommunicationService communications_;
  communication::ChangeService changes_;
  improvement::NonconformityService nonconformities_;
  improvement::ImprovementService improvements_;
  audits::AuditService audits_;
  incidents::IncidentService incidents_;
  // Reads policy acknowledgments through documents_ for the awareness figures of people_.
  people::DocumentAcknowledgments document_acknowledgments_;
  people::PeopleService people_;
  // Reads internal audit results (9.3.2 d) through audits_ for the input pack of reviews_.
  reviews::AuditProgrammeResults audit_results_;
  reviews::ReviewService reviews_;
  readiness::ReadinessService readiness_;
  certification::PackService certification_pack_;
  tasks::TaskService tasks_;
  notifications::NotificationService notifications_;
  identity::GuestService guests_;  ///< guest auditors (ADR 0018)
  std::unique_ptr<http::Application> http_;
};

}  // namespace certus::cli
