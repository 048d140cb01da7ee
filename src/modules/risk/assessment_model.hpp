#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/strong_id.hpp"
#include "modules/risk/model.hpp"
#include "modules/risk/register_model.hpp"

namespace certus::risk {

using AssessmentId = StrongId<struct AssessmentTag>;

// ---------------------------------------------------------------------------------------
// What the register says as a whole: retained assessments (ISO 27001 8.2), the heat map,
// the treatment plan (6.1.3 e, 8.3) and the ratings a new methodology no longer fits.

/// One risk as rated: a row of a retained assessment, or of the register today.
struct RatedRisk {
  RiskId id;
  std::string ref;
  std::string title;
  std::string description;
  std::string threat;
  std::string vulnerability;
  UserId owner_id;
  std::int64_t likelihood = 0;
  std::int64_t impact = 0;
  std::int64_t inherent_score = 0;
  std::string inherent_level;
  std::string treatment;
  std::string treatment_rationale;
  std::string transfer_to;
  std::optional<std::int64_t> residual_likelihood;
  std::optional<std::int64_t> residual_impact;
  std::optional<std::int64_t> residual_score;
  std::optional<std::string> residual_level;
  std::string status;
  std::optional<std::string> last_assessed_on;
  std::optional<std::string> next_review_on;
  std::optional<std::string> accepted_by_email;
  std::optional<std::string> acceptance_expires_on;
};

/// A retained, immutable copy of the register and of the methodology in force (8.2).
struct RiskAssessment {
  AssessmentId id;
  OrgId org_id;
  std::string ref;  ///< RA-0001, …
  std::string name;
  std::string notes;
  std::string taken_by_id;
  std::string taken_by_email;
  std::string taken_at;
  std::int64_t methodology_version = 0;
  MethodologyCriteria methodology;
  std::int64_t risk_count = 0;
};

/// One field that differs between two states of a risk.
struct FieldChange {
  std::string field;
  std::string from;
  std::string to;
};

/// A risk present in both states of a comparison whose rating or decisions changed.
struct RiskChange {
  RatedRisk from;
  RatedRisk to;
  bool rerated = false;  ///< a rating (likelihood, impact, residual) changed
  std::vector<FieldChange> fields;
};

/// Two states of the register compared: a retained assessment with another one, or with
/// the register today (`to` empty).
struct AssessmentComparison {
  RiskAssessment from;
  std::optional<RiskAssessment> to;
  std::vector<RatedRisk> added;
  std::vector<RatedRisk> removed;
  std::vector<RiskChange> changed;
};

enum class HeatmapBasis { kInherent, kResidual };

/// Whether a heat map names the risks of each cell or only counts them.
enum class HeatmapIds { kInclude, kOmit };

struct HeatmapCell {
  std::int64_t likelihood = 0;
  std::int64_t impact = 0;
  std::int64_t score = 0;
  std::string level;
  std::string colour;
  std::int64_t count = 0;
  std::vector<std::string> risk_ids;  ///< empty with HeatmapIds::kOmit
};

/// Open risks counted by rating: every cell of the scales, empty ones included. On the
/// residual basis a risk without a residual rating counts at its inherent rating.
struct Heatmap {
  HeatmapBasis basis = HeatmapBasis::kInherent;
  HeatmapIds ids = HeatmapIds::kInclude;
  MethodologyCriteria criteria;
  std::vector<HeatmapCell> cells;  ///< likelihood-major, both ascending
  std::int64_t without_residual = 0;
};

/// A risk whose stored rating the methodology in force no longer fits: a value beyond a
/// scale, or a score or level that the methodology would now compute differently.
struct ReRating {
  RatedRisk risk;
  std::vector<std::string> reasons;
};

/// A treatment action as the plan shows it.
struct PlannedAction {
  Treatment action;
  bool overdue = false;
};

struct PlanEntry {
  RatedRisk risk;
  std::vector<PlannedAction> actions;
};

/// The risk treatment plan: the open risks that need treatment or have actions, by ref.
struct TreatmentPlan {
  std::string as_of;
  std::vector<PlanEntry> entries;
  std::optional<std::string> next_ref;  ///< where the next page starts
};

}  // namespace certus::risk
