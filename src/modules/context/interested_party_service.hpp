#pragma once

#include <vector>

#include "auditlog/audit_log.hpp"
#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/page.hpp"
#include "core/random.hpp"
#include "modules/context/interested_party_model.hpp"
#include "modules/context/interested_party_store.hpp"
#include "storage/database.hpp"

namespace certus::context {

/// Interested parties and their requirements (ISO 27001 4.2). Members read; managers and
/// admins write, as for the rest of the organization's context (4.1). Every change is
/// written with its audit event in one transaction. Thread-safe.
class InterestedPartyService final {
 public:
  InterestedPartyService(storage::Database& db, const Clock& clock, Random& random,
                         auditlog::AuditLog& audit_log)
      : db_(db), clock_(clock), random_(random), audit_log_(audit_log) {}

  /// kPermissionDenied unless `actor` may change interested parties (managers and admins),
  /// kNotFound outside the organization: for routes, so that a reader learns that they may
  /// not write before anything about the body they sent.
  static Expected<void> CheckCanWrite(const Actor& actor);

  Expected<Page<InterestedParty>> List(const Actor& actor, const OrgId& org,
                                       const InterestedPartyFilter& filter, const PageQuery& page);
  Expected<InterestedParty> Get(const Actor& actor, const OrgId& org, const InterestedPartyId& id);
  /// `input` must carry name and category. kValidation for requirements that break
  /// RequirementProblems or name ids the party does not have.
  Expected<InterestedParty> Create(const Actor& actor, const OrgId& org,
                                   const InterestedPartyPatch& input);
  /// Fails with kPreconditionFailed when the party is no longer at `expected_version`.
  Expected<InterestedParty> Update(const Actor& actor, const OrgId& org,
                                   const InterestedPartyId& id, const InterestedPartyPatch& patch,
                                   std::int64_t expected_version);
  Expected<void> Delete(const Actor& actor, const OrgId& org, const InterestedPartyId& id,
                        std::int64_t expected_version);

  /// The rules of a requirement list that need no database, as field errors named
  /// `requirements[i].…`: 4.2 c, a requirement the ISMS addresses says how; no id twice.
  static std::vector<FieldError> RequirementProblems(const std::vector<RequirementInput>& inputs);
  /// The rule for `reviewed_on` (not in the future). Empty when the date is fine.
  std::string ReviewDateProblem(const std::optional<Date>& reviewed_on) const;

 private:
  Expected<InterestedParty> Write(const Actor& actor, const OrgId& org,
                                  const std::optional<InterestedPartyId>& id,
                                  const InterestedPartyPatch& patch, std::int64_t expected_version);

  storage::Database& db_;
  const Clock& clock_;
  Random& random_;
  auditlog::AuditLog& audit_log_;
  InterestedPartyStore store_;
};

}  // namespace certus::context
