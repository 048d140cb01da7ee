#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/page.hpp"
#include "modules/reviews/model.hpp"
#include "storage/database.hpp"

namespace certus::reviews {

/// SQL for management reviews, their decisions and actions. Every function runs in the
/// caller's transaction.
class ReviewStore final {
 public:
  using Tx = storage::Transaction;

  static const std::vector<std::string>& SortFields();

  Expected<void> Insert(Tx& tx, const ManagementReview& review);
  Expected<std::optional<ManagementReview>> Find(Tx& tx, const OrgId& org, const ReviewId& id);
  Expected<Page<ManagementReview>> List(Tx& tx, const OrgId& org, const ReviewFilter& filter,
                                        const PageQuery& page);
  /// The held or closed review of `org` with the latest `held_on` before `before` (ties: the
  /// one created last), other than `except`.
  Expected<std::optional<ManagementReview>> PreviousHeld(Tx& tx, const OrgId& org,
                                                         const std::string& before,
                                                         const ReviewId& except);
  /// Writes `review` if the stored version is `expected_version`; false when stale.
  Expected<bool> Update(Tx& tx, const ManagementReview& review, std::int64_t expected_version);

  Expected<void> InsertDecision(Tx& tx, const ReviewDecision& decision);
  Expected<std::vector<ReviewDecision>> DecisionsOf(Tx& tx, const OrgId& org, const ReviewId& id);

  Expected<void> InsertAction(Tx& tx, const ReviewAction& action);
  Expected<std::optional<ReviewAction>> FindAction(Tx& tx, const OrgId& org,
                                                   const ReviewActionId& id);
  Expected<std::vector<ReviewAction>> ActionsOf(Tx& tx, const OrgId& org, const ReviewId& id);
  /// Every action of `org` decided by another review than `except`, by ref.
  Expected<std::vector<ReviewAction>> ActionsOfOthers(Tx& tx, const OrgId& org,
                                                      const ReviewId& except);
  Expected<bool> UpdateAction(Tx& tx, const ReviewAction& action, std::int64_t expected_version);
};

}  // namespace certus::reviews
