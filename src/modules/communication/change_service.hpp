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
#include "modules/communication/change_model.hpp"
#include "modules/communication/change_store.hpp"
#include "modules/controls/service.hpp"
#include "modules/documents/service.hpp"
#include "modules/risk/register_service.hpp"
#include "storage/database.hpp"

namespace certus::communication {

/// Planning of changes (ISO 27001 6.3): changes of the ISMS with their purpose and potential
/// consequences, the integrity of the ISMS, resources and responsibilities, approved before
/// they are implemented and reviewed afterwards.
///
/// Permissions: every member reads. Contributors, managers and admins propose changes;
/// the requester or owner (a contributor) or a manager edits, submits, starts, implements
/// and cancels one. Managers and admins approve, reject and review; approval never by the
/// requester (segregation of duties). Linked risks, controls and documents are checked
/// through their modules' services. Every change is written with its audit event in one
/// transaction. Borrows everything it is given. Thread-safe.
class ChangeService final {
 public:
  ChangeService(storage::Database& db, const Clock& clock, Random& random,
                auditlog::AuditLog& audit_log, identity::IdentityService& identity,
                risk::RegisterService& risks, controls::ControlService& controls,
                documents::DocumentService& documents)
      : db_(db),
        clock_(clock),
        random_(random),
        audit_log_(audit_log),
        identity_(identity),
        risks_(risks),
        controls_(controls),
        documents_(documents) {}

  /// kPermissionDenied unless `actor` may propose changes (contributors and up), kNotFound
  /// outside the organization; for routes, before the body is read.
  static Expected<void> CheckCanPropose(const Actor& actor);

  Expected<Page<Change>> List(const Actor& actor, const OrgId& org, const ChangeFilter& filter,
                              const PageQuery& page);
  Expected<Change> Get(const Actor& actor, const OrgId& org, const ChangeId& id);
  /// `input` must carry a title; the owner defaults to the actor, who is the requester.
  /// kValidation when the owner is no member or a link names nothing of the organization.
  Expected<Change> Create(const Actor& actor, const OrgId& org, const ChangePatch& input);
  /// kConflict when the change is closed, or when the approved plan (title, purpose,
  /// consequences, integrity, resources, responsibilities, owner) would change after
  /// approval (6.3).
  Expected<Change> Update(const Actor& actor, const OrgId& org, const ChangeId& id,
                          const ChangePatch& patch, std::int64_t expected_version);
  /// Only while planned: a submitted change is a record and is cancelled instead.
  Expected<void> Delete(const Actor& actor, const OrgId& org, const ChangeId& id,
                        std::int64_t expected_version);
  /// Moves the change one step; kConflict naming the state or the rule when the step does
  /// not apply, the plan is incomplete (submit, 6.3 a–d), the requester approves, or the
  /// change was not approved (implement).
  Expected<Change> Transition(const Actor& actor, const OrgId& org, const ChangeId& id,
                              ChangeStep step, const StepInput& input,
                              std::optional<std::int64_t> expected_version);

  /// The rule for implemented_on (not in the future). Empty when fine.
  std::string DateProblem(const Date& date) const;

 private:
  /// The links of the kinds `patch` names, labelled; field errors for ids that name nothing
  /// of the organization.
  Expected<std::vector<ChangeLink>> ResolveLinks(const Actor& actor, const OrgId& org,
                                                 const ChangePatch& patch,
                                                 std::vector<FieldError>& problems);
  static bool Involved(const Actor& actor, const Change& change);

  storage::Database& db_;
  const Clock& clock_;
  Random& random_;
  auditlog::AuditLog& audit_log_;
  identity::IdentityService& identity_;
  risk::RegisterService& risks_;
  controls::ControlService& controls_;
  documents::DocumentService& documents_;
  ChangeStore store_;
};

}  // namespace certus::communication
