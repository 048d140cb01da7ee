#pragma once

#include <set>

#include "core/actor.hpp"
#include "core/error.hpp"
#include "core/strong_id.hpp"

namespace certus::people {

/// Who must read published documents and who still owes an acknowledgment (ISO 27001 5.2 f,
/// 7.3 a): every user in the distribution of at least one published document, and those of
/// them who have not acknowledged some document's current published version.
struct PolicyReading {
  std::set<UserId> readers;
  std::set<UserId> pending;
};

/// The seam through which the people module learns about policy acknowledgments without
/// depending on the documents module's store: an implementation over DocumentService lives
/// in document_acknowledgments.hpp and the composition root wires it. Implementations must be
/// thread-safe; errors are those of the reads they make (kNotFound outside the organization).
class PolicyAcknowledgments {
 public:
  virtual ~PolicyAcknowledgments() = default;
  /// The readers and pending readers of `org`'s published documents, as `actor` may see them.
  virtual Expected<PolicyReading> Reading(const Actor& actor, const OrgId& org) = 0;
};

}  // namespace certus::people
