#pragma once

#include <vector>

#include "modules/audits/service.hpp"
#include "modules/reviews/audit_results.hpp"
#include "storage/database.hpp"

namespace certus::reviews {

/// The management review's view of internal audit results (9.3.2 d), over the audits
/// module's public API (`AuditService::ResultsBetween`). Built and wired by the composition
/// root, like people::DocumentAcknowledgments. Borrows the database and the service.
/// Thread-safe.
class AuditProgrammeResults final : public AuditResults {
 public:
  AuditProgrammeResults(storage::Database& db, audits::AuditService& audits)
      : db_(db), audits_(audits) {}

  Expected<std::vector<AuditResult>> ReportedBetween(const Actor& actor, const OrgId& org,
                                                     const Date& since, const Date& as_of) override;

 private:
  storage::Database& db_;
  audits::AuditService& audits_;
};

}  // namespace certus::reviews
