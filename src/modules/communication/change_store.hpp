#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/page.hpp"
#include "modules/communication/change_model.hpp"
#include "storage/database.hpp"

namespace certus::communication {

/// SQL for planned changes of the ISMS and their links. Every function runs in the
/// caller's transaction.
class ChangeStore final {
 public:
  using Tx = storage::Transaction;

  static const std::vector<std::string>& SortFields();

  Expected<void> Insert(Tx& tx, const Change& change);
  Expected<std::optional<Change>> Find(Tx& tx, const OrgId& org, const ChangeId& id);
  Expected<Page<Change>> List(Tx& tx, const OrgId& org, const ChangeFilter& filter,
                              const PageQuery& page);
  /// Writes `change` and its links if the stored version is `expected_version`.
  Expected<bool> Update(Tx& tx, const Change& change, std::int64_t expected_version);
  Expected<bool> Delete(Tx& tx, const OrgId& org, const ChangeId& id,
                        std::int64_t expected_version);

 private:
  Expected<void> LoadLinks(Tx& tx, std::vector<Change>& changes);
  Expected<void> WriteLinks(Tx& tx, const Change& change);
};

}  // namespace certus::communication
