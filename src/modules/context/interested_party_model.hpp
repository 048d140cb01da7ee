#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/strong_id.hpp"
#include "core/time.hpp"

namespace certus::context {

using InterestedPartyId = StrongId<struct InterestedPartyTag>;
using RequirementId = StrongId<struct PartyRequirementTag>;

/// Who the party is (ISO 27001 4.2 a). Stored as the lowercase name.
enum class PartyCategory {
  kCustomer,
  kRegulator,
  kSupplier,
  kEmployee,
  kShareholder,
  kPartner,
  kAuthority,
  kOther
};

std::string_view PartyCategoryName(PartyCategory category);
std::optional<PartyCategory> ParsePartyCategory(std::string_view name);
const std::vector<std::string>& PartyCategoryNames();

/// Where a requirement comes from, when known.
enum class RequirementSource {
  kLaw,
  kRegulation,
  kContract,
  kStandard,
  kPolicy,
  kExpectation,
  kOther
};

std::string_view RequirementSourceName(RequirementSource source);
std::optional<RequirementSource> ParseRequirementSource(std::string_view name);
const std::vector<std::string>& RequirementSourceNames();

/// A relevant requirement of an interested party (4.2 b) and whether the ISMS addresses it
/// (4.2 c), and how. Its id stays the same across edits of the party.
struct PartyRequirement {
  RequirementId id;
  std::string text;
  bool addressed_by_isms = false;
  std::string how;  ///< never empty when addressed
  std::optional<RequirementSource> source;
};

/// An interested party relevant to the ISMS (ISO 27001 4.2).
struct InterestedParty {
  InterestedPartyId id;
  OrgId org_id;
  std::string ref;  ///< IP-0001, …
  std::string name;
  PartyCategory category = PartyCategory::kOther;
  std::string contact;
  std::vector<PartyRequirement> requirements;  ///< in the order the client gave
  std::optional<Date> reviewed_on;
  std::int64_t version = 1;
  std::string created_at;
  std::string updated_at;

  std::int64_t UnaddressedCount() const {
    std::int64_t count = 0;
    for (const auto& r : requirements) count += r.addressed_by_isms ? 0 : 1;
    return count;
  }
};

/// A requirement as a client sends it: without `id` it is new; with one, it is that
/// requirement of the party, edited.
struct RequirementInput {
  std::optional<RequirementId> id;
  std::string text;
  bool addressed_by_isms = false;
  std::string how;
  std::optional<RequirementSource> source;
};

/// Create and update alike: an absent field stays as it is. `requirements` replaces the
/// whole list: requirements whose id is not sent are removed.
struct InterestedPartyPatch {
  std::optional<std::string> name;
  std::optional<PartyCategory> category;
  std::optional<std::string> contact;
  std::optional<std::vector<RequirementInput>> requirements;
  std::optional<std::optional<Date>> reviewed_on;  ///< inner nullopt clears the date
};

struct InterestedPartyFilter {
  std::optional<PartyCategory> category;
  /// true: parties with at least one requirement the ISMS does not address; false: none.
  std::optional<bool> has_unaddressed;
  std::optional<std::string> text;  ///< in name, contact or a requirement's text
};

}  // namespace certus::context
