#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/page.hpp"
#include "modules/leadership/model.hpp"
#include "storage/database.hpp"

namespace certus::leadership {

/// SQL for roles, the RACI matrix and leadership records. Every function runs in the
/// caller's transaction.
class LeadershipStore final {
 public:
  using Tx = storage::Transaction;

  static const std::vector<std::string>& RoleSortFields();
  static const std::vector<std::string>& RecordSortFields();

  Expected<bool> HoldsTopManagementRole(Tx& tx, const OrgId& org, const UserId& user);

  Expected<void> InsertRole(Tx& tx, const IsmsRole& role);
  Expected<std::optional<IsmsRole>> FindRole(Tx& tx, const OrgId& org, const RoleId& id);
  Expected<std::optional<IsmsRole>> FindRoleByName(Tx& tx, const OrgId& org,
                                                   const std::string& name);
  /// The role other than `except` flagged ISMS owner, if any.
  Expected<std::optional<IsmsRole>> FindIsmsOwner(Tx& tx, const OrgId& org,
                                                  const std::optional<RoleId>& except);
  Expected<Page<IsmsRole>> ListRoles(Tx& tx, const OrgId& org, const RoleFilter& filter,
                                     const PageQuery& page);
  /// Every role of the organization by name (the RACI matrix's columns).
  Expected<std::vector<IsmsRole>> AllRoles(Tx& tx, const OrgId& org);
  /// Writes `role` and its assignees if the stored version is `expected_version`.
  Expected<bool> UpdateRole(Tx& tx, const IsmsRole& role, std::int64_t expected_version);
  Expected<bool> DeleteRole(Tx& tx, const OrgId& org, const RoleId& id,
                            std::int64_t expected_version);

  Expected<RaciMatrix> LoadRaci(Tx& tx, const OrgId& org);
  /// Replaces the cells and sets the matrix to `matrix.version` if it is still at
  /// `expected_version`; false when stale.
  Expected<bool> SaveRaci(Tx& tx, const RaciMatrix& matrix, std::int64_t expected_version);

  Expected<void> InsertRecord(Tx& tx, const LeadershipRecord& record);
  Expected<std::optional<LeadershipRecord>> FindRecord(Tx& tx, const OrgId& org,
                                                       const RecordId& id);
  Expected<Page<LeadershipRecord>> ListRecords(Tx& tx, const OrgId& org, const RecordFilter& filter,
                                               const PageQuery& page);
  Expected<bool> UpdateRecord(Tx& tx, const LeadershipRecord& record,
                              std::int64_t expected_version);

 private:
  Expected<void> LoadAssignees(Tx& tx, std::vector<IsmsRole>& roles);
  Expected<void> WriteAssignees(Tx& tx, const IsmsRole& role);
};

}  // namespace certus::leadership
