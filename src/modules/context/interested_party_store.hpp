#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/page.hpp"
#include "modules/context/interested_party_model.hpp"
#include "storage/database.hpp"

namespace certus::context {

/// SQL for interested parties and their requirements. Every function runs in the caller's
/// transaction.
class InterestedPartyStore final {
 public:
  using Tx = storage::Transaction;

  static const std::vector<std::string>& SortFields();

  /// Inserts the party and its requirements.
  Expected<void> Insert(Tx& tx, const InterestedParty& party);
  Expected<std::optional<InterestedParty>> Find(Tx& tx, const OrgId& org,
                                                const InterestedPartyId& id);
  Expected<Page<InterestedParty>> List(Tx& tx, const OrgId& org,
                                       const InterestedPartyFilter& filter, const PageQuery& page);
  /// Writes `party` and replaces its requirements if the stored version is
  /// `expected_version`; false when stale.
  Expected<bool> Update(Tx& tx, const InterestedParty& party, std::int64_t expected_version);
  Expected<bool> Delete(Tx& tx, const OrgId& org, const InterestedPartyId& id,
                        std::int64_t expected_version);

 private:
  Expected<void> LoadRequirements(Tx& tx, std::vector<InterestedParty>& parties);
  Expected<void> WriteRequirements(Tx& tx, const InterestedParty& party);
};

}  // namespace certus::context
