#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include "core/strong_id.hpp"
#include "core/time.hpp"

namespace certus::reviews {

using ReviewId = StrongId<struct ManagementReviewTag>;
using DecisionId = StrongId<struct ReviewDecisionTag>;
using ReviewActionId = StrongId<struct ReviewActionTag>;

/// planned → held (top management took part, 9.3.1) → closed (every input covered and at
/// least one decision recorded, 9.3.2, 9.3.3).
enum class ReviewStatus { kPlanned, kHeld, kClosed };
std::string_view ReviewStatusName(ReviewStatus status);
std::optional<ReviewStatus> ParseReviewStatus(std::string_view name);
const std::vector<std::string>& ReviewStatusNames();

/// What a decision of the review is about (9.3.3: opportunities for improvement and any
/// need for changes to the ISMS; resources are part of 9.3's intent).
enum class DecisionCategory { kImprovement, kChange, kResources, kOther };
std::string_view CategoryName(DecisionCategory category);
std::optional<DecisionCategory> ParseCategory(std::string_view name);
const std::vector<std::string>& CategoryNames();

enum class ActionStatus { kOpen, kInProgress, kDone, kCancelled };
std::string_view ActionStatusName(ActionStatus status);
std::optional<ActionStatus> ParseActionStatus(std::string_view name);
const std::vector<std::string>& ActionStatusNames();

/// The inputs of ISO 27001 9.3.2, keys "a" … "g", with their titles.
struct InputSpec {
  std::string_view key;
  std::string_view title;
};
const std::vector<InputSpec>& InputSpecs();
bool IsInputKey(std::string_view key);

/// What keeps a review from being held or closed: a stable code and a sentence naming what
/// is missing and the clause that asks for it.
struct Blocker {
  std::string code;
  std::string message;
};

/// A management review (ISO 27001 9.3).
struct ManagementReview {
  ReviewId id;
  OrgId org_id;
  std::string ref;  ///< MR-0001, …
  std::string title;
  Date planned_on;
  std::optional<Date> held_on;
  ReviewStatus status = ReviewStatus::kPlanned;
  std::vector<std::string> attendee_ids;     ///< user ids, sorted
  std::map<std::string, std::string> notes;  ///< by input key; absent = no notes yet
  std::optional<UserId> closed_by;
  std::optional<Date> closed_on;
  std::int64_t version = 1;
  std::string created_at;
  std::string updated_at;

  // Derived on read, not stored.
  std::int64_t decision_count = 0;
  std::int64_t action_count = 0;
  std::vector<Blocker> closure_blockers;
};

/// Create and update alike: an absent field stays as it is.
struct ReviewPatch {
  std::optional<std::string> title;
  std::optional<Date> planned_on;
  std::optional<std::vector<std::string>> attendee_ids;
};

struct ReviewFilter {
  std::optional<ReviewStatus> status;
  std::optional<std::string> text;  ///< in title or ref
};

/// A decision of the review (ISO 27001 9.3.3). Immutable.
struct ReviewDecision {
  DecisionId id;
  OrgId org_id;
  ReviewId review_id;
  std::string ref;  ///< MRD-0001, …
  std::string text;
  DecisionCategory category = DecisionCategory::kOther;
  UserId recorded_by;
  std::string created_at;
  std::int64_t version = 1;  ///< always 1
};

/// An action decided by a review (9.3.3); open ones are input a) of the next review.
struct ReviewAction {
  ReviewActionId id;
  OrgId org_id;
  ReviewId review_id;
  std::string ref;  ///< MRA-0001, …
  std::string title;
  UserId owner_id;
  std::optional<Date> due_on;
  ActionStatus status = ActionStatus::kOpen;
  std::optional<Date> done_on;
  std::int64_t version = 1;
  std::string created_at;
  std::string updated_at;

  std::string review_ref;  ///< derived: the review's ref
  bool overdue = false;    ///< derived: due before today and not finished
};

struct ActionPatch {
  std::optional<std::string> title;
  std::optional<UserId> owner_id;
  std::optional<std::optional<Date>> due_on;
  std::optional<ActionStatus> status;
};

/// One input of 9.3.2 as assembled for a review: what the ISMS's records say (`data`, a
/// JSON object per input), a few readable sentences of it (`summary`) and the reviewers'
/// notes.
struct ReviewInput {
  std::string key;
  std::string title;
  boost::json::value data;
  std::vector<std::string> summary;
  std::string notes;
};

/// The input pack: records as of `as_of` (the review's date, never later than today),
/// changes since `since` (the previous held review, else twelve months earlier).
struct InputPack {
  Date as_of;
  Date since;
  std::optional<std::string> previous_review_ref;
  std::vector<ReviewInput> inputs;
};

}  // namespace certus::reviews
