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
#include "modules/leadership/model.hpp"
#include "modules/leadership/store.hpp"
#include "storage/database.hpp"

namespace certus::leadership {

/// Leadership (ISO 27001 5.1, 5.3): the roles of the ISMS with their responsibilities,
/// authorities and holders, the RACI matrix over the ISMS processes, and the records of top
/// management's commitments and resource decisions. Members read; managers and admins write.
/// Every change is written with its audit event in one transaction. Borrows the database,
/// clock, randomness, audit log and identity service. Thread-safe.
class LeadershipService final {
 public:
  LeadershipService(storage::Database& db, const Clock& clock, Random& random,
                    auditlog::AuditLog& audit_log, identity::IdentityService& identity)
      : db_(db), clock_(clock), random_(random), audit_log_(audit_log), identity_(identity) {}

  /// For other modules (documents: 5.2, the security policy's approver): whether `user` holds
  /// a role of `org` flagged top management. No permission check: the caller has made its
  /// own. Assignees are members when assigned; a user who left the organization afterwards
  /// still answers true here, but can no longer act in it. Opens its own read transaction.
  Expected<bool> HoldsTopManagementRole(const OrgId& org, const UserId& user);
  /// The same inside the caller's transaction (e.g. a write transaction that approves).
  Expected<bool> HoldsTopManagementRole(storage::Transaction& tx, const OrgId& org,
                                        const UserId& user);

  /// kPermissionDenied unless `actor` may change roles, the RACI matrix and leadership records
  /// (managers and admins), kNotFound outside the organization: for routes, so that a reader
  /// learns that they may not write before anything about the body they sent.
  static Expected<void> CheckCanWrite(const Actor& actor);

  // Roles.
  Expected<Page<IsmsRole>> ListRoles(const Actor& actor, const OrgId& org, const RoleFilter& filter,
                                     const PageQuery& page);
  Expected<IsmsRole> GetRole(const Actor& actor, const OrgId& org, const RoleId& id);
  /// `input` must carry a name. kValidation when an assignee is not a member; kConflict
  /// when the name is taken or another role is the ISMS owner (the message names it).
  Expected<IsmsRole> CreateRole(const Actor& actor, const OrgId& org, const RolePatch& input);
  Expected<IsmsRole> UpdateRole(const Actor& actor, const OrgId& org, const RoleId& id,
                                const RolePatch& patch, std::int64_t expected_version);
  /// Removes the role and its cells of the RACI matrix (a new matrix version when it had any).
  Expected<void> DeleteRole(const Actor& actor, const OrgId& org, const RoleId& id,
                            std::int64_t expected_version);

  // The RACI matrix.
  Expected<RaciMatrix> GetRaci(const Actor& actor, const OrgId& org);
  /// Replaces every cell. kValidation for unknown processes or roles, a role twice in one
  /// process, or more than one A in a process; kPreconditionFailed unless `expected_version`
  /// is the matrix's version.
  Expected<RaciMatrix> PutRaci(const Actor& actor, const OrgId& org,
                               const std::vector<RaciCell>& cells, std::int64_t expected_version);
  /// The problems of `cells` that need no database, as field errors named
  /// `assignments[i].…` by the cell's index: unknown processes, a role twice in one process,
  /// more than one A in a process.
  static std::vector<FieldError> RaciProblems(const std::vector<RaciCell>& cells);

  // Leadership records.
  Expected<Page<LeadershipRecord>> ListRecords(const Actor& actor, const OrgId& org,
                                               const RecordFilter& filter, const PageQuery& page);
  Expected<LeadershipRecord> GetRecord(const Actor& actor, const OrgId& org, const RecordId& id);
  /// `input` must carry kind, date, decision and decided_by. kValidation when the date is in
  /// the future or decided_by is not a member.
  Expected<LeadershipRecord> CreateRecord(const Actor& actor, const OrgId& org,
                                          const RecordPatch& input);
  Expected<LeadershipRecord> UpdateRecord(const Actor& actor, const OrgId& org, const RecordId& id,
                                          const RecordPatch& patch, std::int64_t expected_version);

  /// The rule for a record's date (decisions are recorded once taken), for routes that report
  /// it with their own field errors. Empty when the date is fine.
  std::string DateProblem(const Date& date) const;

 private:
  Expected<IsmsRole> WriteRole(const Actor& actor, const OrgId& org,
                               const std::optional<RoleId>& id, const RolePatch& patch,
                               std::int64_t expected_version);
  Expected<void> CheckAssignees(const OrgId& org, const std::vector<UserId>& assignees);
  Expected<LeadershipRecord> WriteRecord(const Actor& actor, const OrgId& org,
                                         const std::optional<RecordId>& id,
                                         const RecordPatch& patch, std::int64_t expected_version);

  storage::Database& db_;
  const Clock& clock_;
  Random& random_;
  auditlog::AuditLog& audit_log_;
  identity::IdentityService& identity_;
  LeadershipStore store_;
};

}  // namespace certus::leadership
