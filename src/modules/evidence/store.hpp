#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/page.hpp"
#include "modules/evidence/model.hpp"
#include "storage/database.hpp"

namespace certus::evidence {

/// SQL for evidence and its links to controls (`evidence`, `evidence_controls`). Every
/// function runs in the caller's transaction. Evidence is read with its control ids and
/// its owner's email (a read-only join of identity's `users`, as the controls store does).
/// `today` decides what counts as expired.
class EvidenceStore final {
 public:
  using Tx = storage::Transaction;

  /// Sort fields the store can order by (PageQuery::sort).
  static const std::vector<std::string>& SortFields();

  Expected<void> Insert(Tx& tx, const Evidence& evidence);
  Expected<std::optional<Evidence>> Find(Tx& tx, const OrgId& org, const EvidenceId& id,
                                         const Date& today);
  Expected<Page<Evidence>> List(Tx& tx, const OrgId& org, const EvidenceFilter& filter,
                                const Date& today, const PageQuery& page);
  /// Writes `after` over `before` (as read in this transaction) if the stored version is still
  /// `before.version`; false when stale. The links are rewritten only when they changed.
  Expected<bool> Update(Tx& tx, const Evidence& before, const Evidence& after);
  /// The evidence linked to each of `controls`, by evidence ref.
  Expected<std::map<controls::ControlId, std::vector<controls::LinkedEvidence>>> ForControls(
      Tx& tx, const OrgId& org, const std::vector<controls::ControlId>& controls,
      const Date& today);

 private:
  Expected<void> WriteLinks(Tx& tx, const Evidence& evidence);
  Expected<void> LoadLinks(Tx& tx, std::vector<Evidence>& items);
};

}  // namespace certus::evidence
