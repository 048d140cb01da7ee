#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/strong_id.hpp"
#include "modules/controls/model.hpp"
#include "modules/risk/model.hpp"

namespace certus::risk {

using RiskId = StrongId<struct RiskTag>;
using TreatmentId = StrongId<struct TreatmentTag>;

// ---------------------------------------------------------------------------------------
// The risk register (ISO 27001 6.1.2 c–e) and its treatment (6.1.3, 8.3).

/// ISO 27001 6.1.3 a: the risk treatment option chosen.
enum class TreatmentOption { kUndecided, kMitigate, kTransfer, kAvoid, kAccept };
enum class RiskStatus { kOpen, kClosed };
/// A treatment action's life; done and cancelled actions are no longer open.
enum class ActionStatus { kPlanned, kInProgress, kDone, kCancelled };

std::string_view TreatmentOptionName(TreatmentOption option);
std::optional<TreatmentOption> ParseTreatmentOption(std::string_view name);
const std::vector<std::string>& TreatmentOptionNames();
std::string_view RiskStatusName(RiskStatus status);
std::optional<RiskStatus> ParseRiskStatus(std::string_view name);
const std::vector<std::string>& RiskStatusNames();
std::string_view ActionStatusName(ActionStatus status);
std::optional<ActionStatus> ParseActionStatus(std::string_view name);
const std::vector<std::string>& ActionStatusNames();

/// The risk owner's (or a manager's) formal acceptance of a risk above the threshold.
struct Acceptance {
  std::string by_id;
  std::string by_email;
  std::string at;
  std::string rationale;
  std::string expires_on;  ///< YYYY-MM-DD; after it the acceptance no longer counts
};

struct Risk {
  RiskId id;
  OrgId org_id;
  std::string ref;  ///< R-0001, …
  std::string title;
  std::string description;
  std::string threat;
  std::string vulnerability;
  std::vector<AssetId> asset_ids;
  /// The SoA controls that treat the risk (ISO 27001 6.1.3 b, c), sorted.
  std::vector<controls::ControlId> control_ids;
  UserId owner_id;
  std::int64_t likelihood = 1;
  std::int64_t impact = 1;
  std::int64_t inherent_score = 1;  ///< computed
  std::string inherent_level;       ///< computed
  TreatmentOption treatment = TreatmentOption::kUndecided;
  std::string treatment_rationale;
  std::string transfer_to;
  std::optional<std::int64_t> residual_likelihood;
  std::optional<std::int64_t> residual_impact;
  std::optional<std::int64_t> residual_score;  ///< computed when both residual ratings are set
  std::optional<std::string> residual_level;   ///< computed
  RiskStatus status = RiskStatus::kOpen;
  std::optional<std::string> last_assessed_on;
  std::optional<std::string> next_review_on;
  std::optional<Acceptance> acceptance;
  std::int64_t open_treatments = 0;  ///< read with the risk, not stored
  bool above_threshold = false;      ///< computed on read from the methodology in force
  bool acceptance_expired = false;   ///< computed on read from today's date
  std::int64_t version = 1;
  std::string created_at;
  std::string updated_at;

  /// The score that matters for acceptance: the residual one once rated.
  std::int64_t EffectiveScore() const { return residual_score.value_or(inherent_score); }
};

/// A partial update, also the create input: absent fields stay (or take defaults); an
/// inner nullopt clears a value.
struct RiskPatch {
  std::optional<std::string> title;
  std::optional<std::string> description;
  std::optional<std::string> threat;
  std::optional<std::string> vulnerability;
  std::optional<std::vector<AssetId>> asset_ids;
  std::optional<std::vector<controls::ControlId>> control_ids;
  std::optional<UserId> owner_id;
  std::optional<std::int64_t> likelihood;
  std::optional<std::int64_t> impact;
  std::optional<TreatmentOption> treatment;
  std::optional<std::string> treatment_rationale;
  std::optional<std::string> transfer_to;
  std::optional<std::optional<std::int64_t>> residual_likelihood;
  std::optional<std::optional<std::int64_t>> residual_impact;
  std::optional<RiskStatus> status;
  std::optional<std::optional<std::string>> last_assessed_on;
  std::optional<std::optional<std::string>> next_review_on;
};

struct RiskFilter {
  std::optional<TreatmentOption> treatment;
  std::optional<RiskStatus> status;
  std::optional<UserId> owner_id;
  std::optional<std::string> level;  ///< inherent level name
  std::optional<AssetId> asset_id;
  std::optional<std::string> text;  ///< in title, description, threat or vulnerability
  /// A cell of the heat map: the inherent rating, or with `residual` the residual rating as
  /// the residual heat map places it (the inherent one while a risk has no residual rating).
  std::optional<std::int64_t> likelihood;
  std::optional<std::int64_t> impact;
  bool residual = false;
};

/// One action of the risk treatment plan (ISO 27001 6.1.3 e, 8.3).
struct Treatment {
  TreatmentId id;
  OrgId org_id;
  std::string ref;  ///< T-0001, …
  RiskId risk_id;
  std::string title;
  std::string description;
  std::optional<UserId> owner_id;
  std::optional<std::string> due_on;
  ActionStatus status = ActionStatus::kPlanned;
  std::string completion_note;  ///< what was done, recorded when the action is done
  /// The SoA control the action implements, if any (ISO 27001 6.1.3 b, 8.3).
  std::optional<controls::ControlId> control_id;
  std::int64_t version = 1;
  std::string created_at;
  std::string updated_at;

  bool IsOpen() const {
    return status == ActionStatus::kPlanned || status == ActionStatus::kInProgress;
  }
};

struct TreatmentPatch {
  std::optional<RiskId> risk_id;
  std::optional<std::string> title;
  std::optional<std::string> description;
  std::optional<std::optional<UserId>> owner_id;
  std::optional<std::optional<std::string>> due_on;
  std::optional<ActionStatus> status;
  std::optional<std::string> completion_note;
  std::optional<std::optional<controls::ControlId>> control_id;
};

struct TreatmentFilter {
  std::optional<RiskId> risk_id;
  std::optional<ActionStatus> status;
  std::optional<UserId> owner_id;
  std::optional<std::string> overdue_before;  ///< due before this date and still open
};

}  // namespace certus::risk
