#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/actor.hpp"
#include "core/error.hpp"
#include "core/strong_id.hpp"
#include "core/time.hpp"

namespace certus::reviews {

/// One internal audit reported in a review's window, as input d) of 9.3.2 shows it.
struct AuditResult {
  std::string ref;
  std::string title;
  std::string conclusion;
  std::string reported_on;  ///< YYYY-MM-DD
  std::int64_t major_nonconformities = 0;
  std::int64_t minor_nonconformities = 0;
  std::int64_t observations = 0;
  std::int64_t opportunities = 0;
};

/// How the management review learns the results of internal audits (ISO 27001 9.3.2 d 3)
/// without depending on the audits module: that module implements it over its public API
/// and the composition root wires it. Without it the review's input d) says that audit
/// results are unavailable. Implementations are thread-safe and open their own read
/// transactions.
class AuditResults {
 public:
  virtual ~AuditResults() = default;
  /// The audits of `org` reported on a day in [`since`, `as_of`], oldest first, as
  /// `actor` may read them.
  virtual Expected<std::vector<AuditResult>> ReportedBetween(const Actor& actor, const OrgId& org,
                                                             const Date& since,
                                                             const Date& as_of) = 0;
};

}  // namespace certus::reviews
