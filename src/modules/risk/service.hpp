#pragma once

#include <vector>

#include "auditlog/audit_log.hpp"
#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/page.hpp"
#include "core/random.hpp"
#include "identity/service.hpp"
#include "modules/risk/model.hpp"
#include "modules/risk/store.hpp"
#include "storage/database.hpp"

namespace certus::risk {

/// The risk module: the risk methodology (ISO 27001 6.1.2) and the asset register. Members
/// read; managers and admins change the methodology and any asset; contributors change
/// the assets they own. Every change is written with its audit event in one transaction.
/// Borrows the database, clock, randomness, audit log and identity service. Thread-safe.
class RiskService final {
 public:
  RiskService(storage::Database& db, const Clock& clock, Random& random,
              auditlog::AuditLog& audit_log, identity::IdentityService& identity)
      : db_(db), clock_(clock), random_(random), audit_log_(audit_log), identity_(identity) {}

  /// The 5×5 methodology every organization starts with.
  static MethodologyCriteria DefaultCriteria();
  /// Every problem with `criteria` as field errors (empty when valid).
  static std::vector<FieldError> CriteriaProblems(const MethodologyCriteria& criteria);

  // Methodology. The first read or write creates the approved default when there is none.
  Expected<MethodologyState> GetMethodology(const Actor& actor, const OrgId& org);
  /// The criteria in force, read in the caller's transaction (a read needs no second one);
  /// the default's before the first write creates it.
  Expected<MethodologyCriteria> CriteriaIn(storage::Transaction& tx, const OrgId& org);
  /// Every version, newest first.
  Expected<std::vector<Methodology>> ListMethodologyVersions(const Actor& actor, const OrgId& org);
  /// Stores `criteria` as a new draft version; a previous draft is discarded. Fails with
  /// kPreconditionFailed unless `expected_version` is the newest version.
  Expected<MethodologyState> PutMethodology(const Actor& actor, const OrgId& org,
                                            const MethodologyCriteria& criteria,
                                            std::int64_t expected_version);
  /// Puts the draft in force; kConflict when there is none, kPreconditionFailed unless
  /// `expected_version` is the draft's version.
  Expected<MethodologyState> ApproveMethodology(const Actor& actor, const OrgId& org,
                                                std::int64_t expected_version);

  // Assets.
  Expected<Page<Asset>> ListAssets(const Actor& actor, const OrgId& org, const AssetFilter& filter,
                                   const PageQuery& page);
  Expected<Asset> GetAsset(const Actor& actor, const OrgId& org, const AssetId& id);
  Expected<Asset> CreateAsset(const Actor& actor, const OrgId& org, const NewAsset& input);
  /// Fails with kPreconditionFailed when the asset is no longer at `expected_version`.
  Expected<Asset> UpdateAsset(const Actor& actor, const OrgId& org, const AssetId& id,
                              const AssetPatch& patch, std::int64_t expected_version);
  Expected<void> DeleteAsset(const Actor& actor, const OrgId& org, const AssetId& id,
                             std::int64_t expected_version);

 private:
  Expected<MethodologyState> LoadOrCreate(storage::Transaction& tx, const OrgId& org);
  static Expected<MethodologyState> StateOf(const std::vector<Methodology>& versions);
  Expected<void> CheckOwnerIsMember(const OrgId& org, const UserId& owner);

  storage::Database& db_;
  const Clock& clock_;
  Random& random_;
  auditlog::AuditLog& audit_log_;
  identity::IdentityService& identity_;
  RiskStore store_;
};

}  // namespace certus::risk
