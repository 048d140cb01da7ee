#pragma once

#include <optional>
#include <vector>

#include "core/error.hpp"
#include "core/page.hpp"
#include "modules/risk/model.hpp"
#include "storage/database.hpp"

namespace certus::risk {

/// SQL for methodology versions and assets. Every function runs in the caller's
/// transaction. The methodology's criteria are one JSON text column.
class RiskStore final {
 public:
  using Tx = storage::Transaction;

  // Methodology versions.
  /// Inserts a version; false when that version number already exists (a concurrent
  /// writer got there first).
  Expected<bool> InsertMethodology(Tx& tx, const Methodology& methodology);
  /// Every version of the organization's methodology, newest first.
  Expected<std::vector<Methodology>> ListMethodologies(Tx& tx, const OrgId& org);
  /// Sets status (and approval) of one version, if its status is still `expected`.
  Expected<bool> UpdateMethodologyStatus(Tx& tx, const Methodology& methodology,
                                         MethodologyStatus expected);

  // Assets.
  /// Sort fields the store can order assets by (PageQuery::sort).
  static const std::vector<std::string>& AssetSortFields();

  Expected<void> InsertAsset(Tx& tx, const Asset& asset);
  Expected<std::optional<Asset>> FindAsset(Tx& tx, const OrgId& org, const AssetId& id);
  Expected<Page<Asset>> ListAssets(Tx& tx, const OrgId& org, const AssetFilter& filter,
                                   const PageQuery& page);
  /// Writes `asset` if the stored version is `expected_version`; false when stale.
  Expected<bool> UpdateAsset(Tx& tx, const Asset& asset, std::int64_t expected_version);
  Expected<bool> DeleteAsset(Tx& tx, const OrgId& org, const AssetId& id,
                             std::int64_t expected_version);
};

}  // namespace certus::risk
