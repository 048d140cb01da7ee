#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/page.hpp"
#include "modules/controls/framework_model.hpp"
#include "storage/database.hpp"

namespace certus::controls {

/// A mapping as stored, with the catalog positions of both requirements for ordering.
struct OrderedMapping {
  Mapping mapping;
  std::int64_t source_order = 0;
  std::int64_t target_order = 0;
};

/// SQL for frameworks, their requirements and the mappings between them. Every function
/// runs in the caller's transaction.
class FrameworkStore final {
 public:
  using Tx = storage::Transaction;

  /// Inserts the framework unless one with its id already exists (another process may be
  /// installing the same built-in catalog); true when this call inserted it.
  Expected<bool> InsertFramework(Tx& tx, const Framework& framework);
  Expected<std::optional<Framework>> FindFramework(Tx& tx, const FrameworkId& id);
  Expected<std::optional<Framework>> FindFrameworkByKey(Tx& tx, const std::string& key);
  Expected<std::optional<Framework>> FindFrameworkByOscal(Tx& tx, const std::string& uuid,
                                                          const std::string& version);
  /// Every framework with its requirement count: built-in ones first, then oldest first.
  Expected<std::vector<Framework>> ListFrameworks(Tx& tx);

  /// Inserts rows in batches (a few statements for a whole catalog); rows whose
  /// (framework_id, ref_id) already exists are skipped.
  Expected<void> InsertRequirements(Tx& tx, const std::vector<Requirement>& requirements);
  /// Catalog order: sort_order, then id.
  Expected<Page<Requirement>> ListRequirements(Tx& tx, const FrameworkId& framework,
                                               const RequirementFilter& filter,
                                               const PageQuery& page);
  Expected<std::set<std::string, std::less<>>> RefIds(Tx& tx, const FrameworkId& framework);

  /// Inserts or, for an existing (source, target) pair of requirements, updates the
  /// relationship; in batches.
  Expected<void> UpsertMappings(Tx& tx, const std::vector<Mapping>& mappings);
  /// Mappings as stored whose source or target framework is `framework` (and whose other
  /// side is `other`, when given), in no particular order.
  Expected<std::vector<OrderedMapping>> MappingsTouching(Tx& tx, const FrameworkId& framework,
                                                         const std::optional<FrameworkId>& other);
};

}  // namespace certus::controls
