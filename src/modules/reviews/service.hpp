#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "auditlog/audit_log.hpp"
#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/page.hpp"
#include "core/random.hpp"
#include "identity/service.hpp"
#include "modules/communication/service.hpp"
#include "modules/context/interested_party_service.hpp"
#include "modules/context/service.hpp"
#include "modules/improvement/service.hpp"
#include "modules/leadership/service.hpp"
#include "modules/objectives/service.hpp"
#include "modules/reviews/audit_results.hpp"
#include "modules/reviews/model.hpp"
#include "modules/reviews/store.hpp"
#include "modules/risk/assessment_service.hpp"
#include "modules/risk/register_service.hpp"
#include "storage/database.hpp"

namespace certus::reviews {

/// The services whose records make up the inputs of a management review (ISO 27001 9.3.2).
/// Borrowed; `audits` may be null (audit results are then reported unavailable).
struct InputSources {
  context::ContextService& context;
  context::InterestedPartyService& interested_parties;
  improvement::NonconformityService& nonconformities;
  improvement::ImprovementService& improvements;
  objectives::ObjectivesService& objectives;
  communication::CommunicationService& communications;
  risk::RegisterService& risk_register;
  risk::AssessmentService& risk_assessments;
  AuditResults* audits = nullptr;
};

/// Management reviews (ISO 27001 9.3): planned, held with top management among the
/// attendees (9.3.1), reviewed against every input of 9.3.2 assembled from the ISMS's own
/// records as of the review's date, and closed once each input has notes and at least one
/// decision is recorded (9.3.3). Actions decided by a review are input a) of the next one.
///
/// Who may do what: every member reads. Managers and admins plan, hold and close reviews
/// and record notes, decisions and actions; the owner of an action (a contributor too)
/// updates its status. Every change is written with its audit event in one transaction.
/// Borrows everything it is given. Thread-safe.
class ReviewService final {
 public:
  ReviewService(storage::Database& db, const Clock& clock, Random& random,
                auditlog::AuditLog& audit_log, identity::IdentityService& identity,
                leadership::LeadershipService& leadership, InputSources sources)
      : db_(db),
        clock_(clock),
        random_(random),
        audit_log_(audit_log),
        identity_(identity),
        leadership_(leadership),
        sources_(sources) {}

  /// kPermissionDenied below manager, kNotFound outside the organization.
  static Expected<void> CheckCanWrite(const Actor& actor);

  Expected<Page<ManagementReview>> List(const Actor& actor, const OrgId& org,
                                        const ReviewFilter& filter, const PageQuery& page);
  Expected<ManagementReview> Get(const Actor& actor, const OrgId& org, const ReviewId& id);
  /// `input` must carry title and planned_on. kValidation for attendees who are not members.
  Expected<ManagementReview> Create(const Actor& actor, const OrgId& org, const ReviewPatch& input);
  /// kConflict when closed, or when a held review would lose its top management attendee.
  Expected<ManagementReview> Update(const Actor& actor, const OrgId& org, const ReviewId& id,
                                    const ReviewPatch& patch, std::int64_t expected_version);
  /// planned → held on `held_on` (default today; not in the future). kConflict (9.3.1) unless
  /// an attendee holds a top management role, or when the review is not planned.
  Expected<ManagementReview> Hold(const Actor& actor, const OrgId& org, const ReviewId& id,
                                  std::optional<Date> held_on,
                                  std::optional<std::int64_t> expected_version);
  /// held → closed. kConflict naming everything missing: held, notes on each input a–g, at
  /// least one decision (9.3.2, 9.3.3).
  Expected<ManagementReview> Close(const Actor& actor, const OrgId& org, const ReviewId& id,
                                   std::optional<std::int64_t> expected_version);
  /// Notes on one input; a version step of the review. kConflict when closed.
  Expected<ManagementReview> SetNotes(const Actor& actor, const OrgId& org, const ReviewId& id,
                                      const std::string& key, const std::string& notes,
                                      std::int64_t expected_version);

  /// The inputs of 9.3.2 a–g, assembled from the records as of the review's date.
  Expected<InputPack> Inputs(const Actor& actor, const OrgId& org, const ReviewId& id);

  Expected<std::vector<ReviewDecision>> Decisions(const Actor& actor, const OrgId& org,
                                                  const ReviewId& id);
  /// kConflict when the review is closed.
  Expected<ReviewDecision> AddDecision(const Actor& actor, const OrgId& org, const ReviewId& id,
                                       const std::string& text, DecisionCategory category);

  Expected<std::vector<ReviewAction>> Actions(const Actor& actor, const OrgId& org,
                                              const ReviewId& id);
  Expected<ReviewAction> GetAction(const Actor& actor, const OrgId& org, const ReviewActionId& id);
  /// `input` must carry title and owner_id (a member). kConflict when the review is closed.
  Expected<ReviewAction> AddAction(const Actor& actor, const OrgId& org, const ReviewId& id,
                                   const ActionPatch& input);
  /// Managers and admins, or the action's owner. Allowed after the review closed: actions
  /// are followed up until the next review (9.3.2 a).
  Expected<ReviewAction> UpdateAction(const Actor& actor, const OrgId& org,
                                      const ReviewActionId& id, const ActionPatch& patch,
                                      std::int64_t expected_version);

  /// Raises a nonconformity found by the review (source management_review, source_ref the
  /// review's ref) through NonconformityService.
  Expected<improvement::Nonconformity> RaiseNonconformity(
      const Actor& actor, const OrgId& org, const ReviewId& id,
      const improvement::NonconformityPatch& details);

  /// The minutes as a PDF: attendees, inputs with their summary and notes, decisions,
  /// actions.
  Expected<std::string> MinutesPdf(const Actor& actor, const OrgId& org, const ReviewId& id,
                                   std::string& filename);

 private:
  Expected<ManagementReview> Load(storage::Transaction& tx, const OrgId& org, const ReviewId& id);
  void Derive(ManagementReview& review, std::int64_t decisions, std::int64_t actions) const;
  Expected<void> CheckAttendees(const OrgId& org, const std::vector<std::string>& ids);
  Expected<bool> HasTopManagement(storage::Transaction& tx, const ManagementReview& review);
  Expected<ManagementReview> Write(storage::Transaction& tx, const Actor& actor,
                                   const ManagementReview& before, ManagementReview after,
                                   const std::string& action);
  Date Today() const;

  storage::Database& db_;
  const Clock& clock_;
  Random& random_;
  auditlog::AuditLog& audit_log_;
  identity::IdentityService& identity_;
  leadership::LeadershipService& leadership_;
  InputSources sources_;
  ReviewStore store_;
};

}  // namespace certus::reviews
