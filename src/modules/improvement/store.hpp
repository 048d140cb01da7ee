#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/page.hpp"
#include "modules/improvement/model.hpp"
#include "storage/database.hpp"

namespace certus::improvement {

/// SQL for nonconformities, corrective actions, effectiveness reviews and improvements.
/// Every function runs in the caller's transaction.
class ImprovementStore final {
 public:
  using Tx = storage::Transaction;

  static const std::vector<std::string>& NonconformitySortFields();
  static const std::vector<std::string>& ActionSortFields();
  static const std::vector<std::string>& ImprovementSortFields();

  Expected<void> InsertNonconformity(Tx& tx, const Nonconformity& nc);
  Expected<std::optional<Nonconformity>> FindNonconformity(Tx& tx, const OrgId& org,
                                                           const NonconformityId& id);
  Expected<Page<Nonconformity>> ListNonconformities(Tx& tx, const OrgId& org,
                                                    const NonconformityFilter& filter,
                                                    const PageQuery& page);
  /// Writes `nc` if the stored version is `expected_version`; false when stale.
  Expected<bool> UpdateNonconformity(Tx& tx, const Nonconformity& nc,
                                     std::int64_t expected_version);

  Expected<void> InsertAction(Tx& tx, const CorrectiveAction& action);
  Expected<std::optional<CorrectiveAction>> FindAction(Tx& tx, const OrgId& org,
                                                       const ActionId& id);
  /// Every action of one nonconformity by ref.
  Expected<std::vector<CorrectiveAction>> ActionsOf(Tx& tx, const OrgId& org,
                                                    const NonconformityId& id);
  /// The actions of several nonconformities (a page of them), by ref.
  Expected<std::vector<CorrectiveAction>> ActionsOfMany(Tx& tx, const OrgId& org,
                                                        const std::vector<NonconformityId>& ids);
  Expected<Page<CorrectiveAction>> ListActions(Tx& tx, const OrgId& org, const ActionFilter& filter,
                                               const PageQuery& page);
  Expected<bool> UpdateAction(Tx& tx, const CorrectiveAction& action,
                              std::int64_t expected_version);

  Expected<void> InsertReview(Tx& tx, const EffectivenessReview& review);
  /// Every review of a nonconformity, oldest first.
  Expected<std::vector<EffectivenessReview>> ReviewsOf(Tx& tx, const OrgId& org,
                                                       const NonconformityId& id);

  Expected<void> InsertImprovement(Tx& tx, const Improvement& improvement);
  Expected<std::optional<Improvement>> FindImprovement(Tx& tx, const OrgId& org,
                                                       const ImprovementId& id);
  Expected<Page<Improvement>> ListImprovements(Tx& tx, const OrgId& org,
                                               const ImprovementFilter& filter,
                                               const PageQuery& page);
  Expected<bool> UpdateImprovement(Tx& tx, const Improvement& improvement,
                                   std::int64_t expected_version);
};

}  // namespace certus::improvement
