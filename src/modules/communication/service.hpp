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
#include "modules/communication/model.hpp"
#include "modules/communication/store.hpp"
#include "modules/context/interested_party_service.hpp"
#include "modules/evidence/service.hpp"
#include "storage/database.hpp"

namespace certus::communication {

/// Communication (ISO 27001 7.4): the plan of what the ISMS communicates, when, with whom,
/// by whom and how, and the log of communications made. Each plan item knows when it was
/// last communicated and when it is next due, derived from the log in the transaction that
/// changes either.
///
/// Permissions: every member reads. Managers and admins write the plan. Contributors,
/// managers and admins record communications; the author or a manager edits an entry; only
/// managers and admins delete one. Audiences name interested parties of the 4.2 register
/// (read through InterestedPartyService) and evidence is checked through EvidenceService.
/// Every change is written with its audit event in one transaction. Borrows everything it
/// is given. Thread-safe.
class CommunicationService final {
 public:
  CommunicationService(storage::Database& db, const Clock& clock, Random& random,
                       auditlog::AuditLog& audit_log, identity::IdentityService& identity,
                       context::InterestedPartyService& parties,
                       evidence::EvidenceService& evidence)
      : db_(db),
        clock_(clock),
        random_(random),
        audit_log_(audit_log),
        identity_(identity),
        parties_(parties),
        evidence_(evidence) {}

  /// kPermissionDenied unless `actor` may change the plan (managers and admins), kNotFound
  /// outside the organization; for routes, before the body is read.
  static Expected<void> CheckCanWritePlan(const Actor& actor);
  /// The same for recording communications (contributors, managers and admins).
  static Expected<void> CheckCanRecord(const Actor& actor);

  // The plan.
  Expected<Page<PlanItem>> ListPlanItems(const Actor& actor, const OrgId& org,
                                         PlanItemFilter filter, bool overdue,
                                         const PageQuery& page);
  Expected<PlanItem> GetPlanItem(const Actor& actor, const OrgId& org, const PlanItemId& id);
  /// `input` must carry subject, frequency and channel; the owner defaults to the actor.
  /// kValidation when the audience is empty (7.4 c), a one-off or recurring item has no
  /// date, an on-event item no trigger, the owner is no member or a party is unknown.
  Expected<PlanItem> CreatePlanItem(const Actor& actor, const OrgId& org,
                                    const PlanItemPatch& input);
  Expected<PlanItem> UpdatePlanItem(const Actor& actor, const OrgId& org, const PlanItemId& id,
                                    const PlanItemPatch& patch, std::int64_t expected_version);
  /// kConflict while communications are recorded under the item (they are records).
  Expected<void> DeletePlanItem(const Actor& actor, const OrgId& org, const PlanItemId& id,
                                std::int64_t expected_version);

  // The log.
  Expected<Page<Communication>> ListCommunications(const Actor& actor, const OrgId& org,
                                                   const CommunicationFilter& filter,
                                                   const PageQuery& page);
  Expected<Communication> GetCommunication(const Actor& actor, const OrgId& org,
                                           const CommunicationId& id);
  /// `input` must carry communicated_on; subject, channel and audience default to the plan
  /// item's when one is named. By defaults to the actor.
  Expected<Communication> CreateCommunication(const Actor& actor, const OrgId& org,
                                              const CommunicationPatch& input);
  /// The author, a manager or an admin.
  Expected<Communication> UpdateCommunication(const Actor& actor, const OrgId& org,
                                              const CommunicationId& id,
                                              const CommunicationPatch& patch,
                                              std::int64_t expected_version);
  /// Managers and admins only.
  Expected<void> DeleteCommunication(const Actor& actor, const OrgId& org,
                                     const CommunicationId& id, std::int64_t expected_version);

  /// The rule for the date of a communication (recorded once made). Empty when fine.
  std::string DateProblem(const Date& date) const;

 private:
  Expected<PlanItem> WritePlanItem(const Actor& actor, const OrgId& org,
                                   const std::optional<PlanItemId>& id, const PlanItemPatch& patch,
                                   std::int64_t expected_version);
  Expected<Communication> WriteCommunication(const Actor& actor, const OrgId& org,
                                             const std::optional<CommunicationId>& id,
                                             const CommunicationPatch& patch,
                                             std::int64_t expected_version);
  /// Field errors for parties that are not in the 4.2 register.
  Expected<void> CheckParties(const Actor& actor, const OrgId& org,
                              const std::vector<std::string>& ids,
                              std::vector<FieldError>& problems);
  Expected<void> CheckMember(const OrgId& org, const UserId& user, const std::string& field,
                             std::vector<FieldError>& problems);
  /// Rewrites the derived dates of `item` from the log.
  Expected<void> RefreshSchedule(storage::Transaction& tx, const OrgId& org,
                                 const PlanItemId& item);
  void Decorate(PlanItem& item) const;
  std::string Today() const;

  storage::Database& db_;
  const Clock& clock_;
  Random& random_;
  auditlog::AuditLog& audit_log_;
  identity::IdentityService& identity_;
  context::InterestedPartyService& parties_;
  evidence::EvidenceService& evidence_;
  CommunicationStore store_;
};

}  // namespace certus::communication
