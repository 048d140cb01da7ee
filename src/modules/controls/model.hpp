#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/strong_id.hpp"

namespace certus::controls {

using ControlId = StrongId<struct ControlTag>;
using SoaVersionId = StrongId<struct SoaVersionTag>;

/// How far a control is implemented. Persisted as its name.
enum class ImplementationStatus { kNotStarted, kPlanned, kPartiallyImplemented, kImplemented };

std::string_view ImplementationStatusName(ImplementationStatus status);
std::optional<ImplementationStatus> ParseImplementationStatus(std::string_view name);
const std::vector<std::string>& ImplementationStatusNames();

/// The inclusion reason the service derives from linked risks; clients never send it.
inline constexpr std::string_view kRiskTreatmentReason = "risk_treatment";
/// The reasons for including a control that a person gives (ISO 27001 6.1.3 d asks why
/// each control is included): legal or regulatory, contractual, business requirements,
/// best practice.
inline constexpr std::array<std::string_view, 4> kInclusionReasons = {
    "legal_regulatory", "contractual", "business", "best_practice"};

/// A risk that links a control (read with the control, from the risk register).
struct LinkedRisk {
  std::string id;
  std::string ref;  ///< R-0001
  std::string title;
  std::string treatment;
};

/// Evidence linked to a control (read with the control through EvidenceLinks).
struct LinkedEvidence {
  std::string id;
  std::string ref;  ///< EV-0001
  std::string title;
  std::string kind;                        ///< file, link or note
  std::optional<std::string> valid_until;  ///< YYYY-MM-DD
  bool expired = false;                    ///< valid_until is before today
  bool archived = false;                   ///< no longer current; kept for the record
};

/// A control as other modules name it: its id, reference and title.
struct ControlSummary {
  ControlId id;
  std::string ref_id;
  std::string title;
};

/// One row of the Statement of Applicability (ISO 27001 6.1.3 d): an Annex A control
/// (framework_id "iso27001-2022") or a custom one of the organization.
struct Control {
  ControlId id;
  OrgId org_id;
  std::string ref_id;  ///< "A.5.1", or the organization's own reference
  std::string title;
  std::optional<std::string> framework_id;  ///< nullopt for custom controls
  std::string theme;                        ///< "Organizational controls"; custom: ""
  bool custom = false;
  std::optional<bool> applicable;  ///< nullopt: not decided yet
  std::string justification;
  std::vector<std::string> inclusion_reasons;  ///< the reasons given by hand
  ImplementationStatus implementation_status = ImplementationStatus::kNotStarted;
  std::optional<UserId> owner_id;
  std::optional<std::string> owner_email;  ///< read with the control
  std::string implementation;
  std::optional<std::string> last_reviewed_on;  ///< YYYY-MM-DD
  std::vector<LinkedRisk> risks;                ///< read with the control, by risk ref
  std::vector<LinkedEvidence> evidence;         ///< read with the control, by evidence ref
  std::string sort_key;                         ///< natural order of ref_id
  std::int64_t version = 1;
  std::string created_at;
  std::string updated_at;

  /// The hand-given reasons, with "risk_treatment" first when a risk links the control.
  std::vector<std::string> AllInclusionReasons() const;
  /// The evidence that is not archived.
  std::vector<LinkedEvidence> CurrentEvidence() const;
};

/// A partial update (absent fields stay), also the input of a custom control.
struct ControlPatch {
  std::optional<std::string> ref_id;  ///< create only
  std::optional<std::string> title;
  std::optional<std::optional<bool>> applicable;
  std::optional<std::string> justification;
  std::optional<std::vector<std::string>> inclusion_reasons;
  std::optional<ImplementationStatus> implementation_status;
  std::optional<std::optional<UserId>> owner_id;
  std::optional<std::string> implementation;
  std::optional<std::optional<std::string>> last_reviewed_on;
};

enum class ApplicabilityFilter { kApplicable, kExcluded, kUndecided };

struct ControlFilter {
  std::optional<std::string> text;  ///< in ref_id, title, justification or implementation
  std::optional<std::string> theme;
  std::optional<ApplicabilityFilter> applicable;
  std::optional<ImplementationStatus> implementation_status;
  std::optional<UserId> owner_id;
};

/// An approved, immutable version of the SoA (ISO 27001 6.1.3 d, 7.5.3).
struct SoaVersion {
  SoaVersionId id;
  OrgId org_id;
  std::int64_t number = 0;  ///< 1, 2, 3 per organization
  std::string notes;
  std::string approved_by_id;
  std::string approved_by_email;
  std::string approved_at;
  std::int64_t row_count = 0;
  std::string sha256;     ///< of rows_json
  std::string rows_json;  ///< the canonical JSON array of the rows as they were
};

/// `ref` with every run of digits zero-padded, so that text order is natural order:
/// "A.5.2" sorts before "A.5.10".
std::string NaturalSortKey(std::string_view ref);

}  // namespace certus::controls
