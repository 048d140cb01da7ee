#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/strong_id.hpp"

namespace certus::risk {

using MethodologyId = StrongId<struct MethodologyTag>;
using AssetId = StrongId<struct AssetTag>;

// ---------------------------------------------------------------------------------------
// Risk methodology (ISO 27001 6.1.2 a–b: risk acceptance criteria and criteria for
// performing assessments that produce consistent, valid and comparable results).

/// One level of a likelihood or impact scale: `value` runs 1..n in order.
struct ScaleLevel {
  std::int64_t value = 0;
  std::string label;
  std::string description;
};

/// A named range of scores, e.g. "High" for 10–16, with its display colour (#rrggbb).
struct Band {
  std::string name;
  std::int64_t min_score = 0;
  std::int64_t max_score = 0;
  std::string colour;
};

/// How a likelihood and an impact combine into a score: their product, or an explicit
/// matrix of scores chosen by the organization.
enum class Scoring { kProduct, kMatrix };

std::string_view ScoringName(Scoring scoring);
std::optional<Scoring> ParseScoring(std::string_view name);

/// A version's life: a draft awaits approval; the approved one is in force; a superseded
/// one was in force before; a discarded draft was replaced by a newer draft unapproved.
enum class MethodologyStatus { kDraft, kApproved, kSuperseded, kDiscarded };

std::string_view StatusName(MethodologyStatus status);
std::optional<MethodologyStatus> ParseStatus(std::string_view name);

/// The criteria a client sets (PUT).
struct MethodologyCriteria {
  std::vector<ScaleLevel> likelihood_scale;
  std::vector<ScaleLevel> impact_scale;
  Scoring scoring = Scoring::kProduct;
  std::vector<Band> bands;
  std::int64_t acceptance_threshold = 0;
  std::int64_t reassessment_interval_months = 12;
  /// With Scoring::kMatrix: matrix[likelihood - 1][impact - 1] is the score.
  std::vector<std::vector<std::int64_t>> matrix;

  /// The score of a rating; both values must lie on their scales.
  std::int64_t Score(std::int64_t likelihood, std::int64_t impact) const {
    if (scoring == Scoring::kMatrix) {
      return matrix.at(static_cast<std::size_t>(likelihood - 1))
          .at(static_cast<std::size_t>(impact - 1));
    }
    return likelihood * impact;
  }

  /// The highest score the scales can produce.
  std::int64_t MaxScore() const {
    if (scoring == Scoring::kMatrix) {
      std::int64_t max = 0;
      for (const auto& row : matrix) {
        for (std::int64_t score : row) max = std::max(max, score);
      }
      return max;
    }
    return static_cast<std::int64_t>(likelihood_scale.size() * impact_scale.size());
  }
};

/// One stored version of an organization's methodology. Versions are numbered 1, 2, …
/// per organization; `version` is that number.
struct Methodology {
  MethodologyId id;
  OrgId org_id;
  std::int64_t version = 1;
  MethodologyStatus status = MethodologyStatus::kDraft;
  MethodologyCriteria criteria;
  std::string created_by_id;  ///< empty when the system created it
  std::string created_by_email;
  std::optional<std::string> approved_by_id;
  std::optional<std::string> approved_by_email;
  std::optional<std::string> approved_at;
  std::string created_at;
  std::string updated_at;
};

/// What GET answers: the version in force and the draft awaiting approval, if any.
struct MethodologyState {
  Methodology in_force;
  std::optional<Methodology> draft;

  /// The newest version number: what a PUT must name in If-Match.
  std::int64_t LatestVersion() const { return draft ? draft->version : in_force.version; }
};

// ---------------------------------------------------------------------------------------
// Assets (ISO 27001 6.1.2 c: risks are identified for the information and assets in scope).

enum class AssetType { kInformation, kSoftware, kHardware, kService, kPeople, kSite, kSupplier };
enum class Classification { kPublic, kInternal, kConfidential, kRestricted };

std::string_view AssetTypeName(AssetType type);
std::optional<AssetType> ParseAssetType(std::string_view name);
const std::vector<std::string>& AssetTypeNames();
std::string_view ClassificationName(Classification classification);
std::optional<Classification> ParseClassification(std::string_view name);
const std::vector<std::string>& ClassificationNames();

struct Asset {
  AssetId id;
  OrgId org_id;
  std::string ref;  ///< AST-0001, …
  std::string name;
  AssetType type = AssetType::kInformation;
  UserId owner_id;
  std::string location;
  Classification classification = Classification::kInternal;
  std::optional<std::int64_t> confidentiality;  ///< 1–5
  std::optional<std::int64_t> integrity;        ///< 1–5
  std::optional<std::int64_t> availability;     ///< 1–5
  std::string description;
  std::int64_t version = 1;
  std::string created_at;
  std::string updated_at;
};

struct NewAsset {
  std::string name;
  AssetType type = AssetType::kInformation;
  UserId owner_id;
  std::string location;
  Classification classification = Classification::kInternal;
  std::optional<std::int64_t> confidentiality;
  std::optional<std::int64_t> integrity;
  std::optional<std::int64_t> availability;
  std::string description;
};

/// A partial update: an absent field stays as it is; an inner nullopt clears a value.
struct AssetPatch {
  std::optional<std::string> name;
  std::optional<AssetType> type;
  std::optional<UserId> owner_id;
  std::optional<std::string> location;
  std::optional<Classification> classification;
  std::optional<std::optional<std::int64_t>> confidentiality;
  std::optional<std::optional<std::int64_t>> integrity;
  std::optional<std::optional<std::int64_t>> availability;
  std::optional<std::string> description;
};

struct AssetFilter {
  std::optional<AssetType> type;
  std::optional<Classification> classification;
  std::optional<UserId> owner_id;
  std::optional<std::string> text;  ///< in name or description, case-insensitive
};

}  // namespace certus::risk
