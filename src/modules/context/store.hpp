#pragma once

#include <optional>

#include "core/error.hpp"
#include "core/page.hpp"
#include "modules/context/model.hpp"
#include "storage/database.hpp"

namespace certus::context {

/// SQL for context issues. Every function runs in the caller's transaction.
class ContextStore final {
 public:
  using Tx = storage::Transaction;

  /// Sort fields the store can order by (PageQuery::sort).
  static const std::vector<std::string>& SortFields();

  Expected<void> Insert(Tx& tx, const ContextIssue& issue);
  Expected<std::optional<ContextIssue>> Find(Tx& tx, const OrgId& org, const ContextIssueId& id);
  Expected<Page<ContextIssue>> List(Tx& tx, const OrgId& org, const ContextIssueFilter& filter,
                                    const PageQuery& page);
  /// Writes `issue` if the stored version is `expected_version`; false when stale.
  Expected<bool> Update(Tx& tx, const ContextIssue& issue, std::int64_t expected_version);
  Expected<bool> Delete(Tx& tx, const OrgId& org, const ContextIssueId& id,
                        std::int64_t expected_version);
};

}  // namespace certus::context
