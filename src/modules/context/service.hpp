#pragma once

#include "auditlog/audit_log.hpp"
#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/page.hpp"
#include "core/random.hpp"
#include "modules/context/model.hpp"
#include "modules/context/store.hpp"
#include "storage/database.hpp"

namespace certus::context {

/// Context issues (ISO 27001 4.1). Members read; managers and admins write. Every change
/// is written with its audit event in one transaction. Thread-safe.
class ContextService final {
 public:
  ContextService(storage::Database& db, const Clock& clock, Random& random,
                 auditlog::AuditLog& audit_log)
      : db_(db), clock_(clock), random_(random), audit_log_(audit_log) {}

  Expected<Page<ContextIssue>> List(const Actor& actor, const OrgId& org,
                                    const ContextIssueFilter& filter, const PageQuery& page);
  Expected<ContextIssue> Get(const Actor& actor, const OrgId& org, const ContextIssueId& id);
  Expected<ContextIssue> Create(const Actor& actor, const OrgId& org, const NewContextIssue& input);
  /// Creates many issues in one transaction, all or none (imports, seeding).
  Expected<std::vector<ContextIssue>> CreateMany(const Actor& actor, const OrgId& org,
                                                 const std::vector<NewContextIssue>& inputs);
  /// Fails with kPreconditionFailed when the issue is no longer at `expected_version`.
  Expected<ContextIssue> Update(const Actor& actor, const OrgId& org, const ContextIssueId& id,
                                const ContextIssuePatch& patch, std::int64_t expected_version);
  Expected<void> Delete(const Actor& actor, const OrgId& org, const ContextIssueId& id,
                        std::int64_t expected_version);

  /// The rule for `reviewed_on` (a review cannot have happened in the future), for routes
  /// that report it together with their own field errors. Empty when the date is fine.
  std::string ReviewDateProblem(const std::optional<Date>& reviewed_on) const;

 private:
  Expected<void> CheckReviewDate(const std::optional<Date>& reviewed_on) const;
  Expected<ContextIssue> Insert(storage::Transaction& tx, const Actor& actor, const OrgId& org,
                                const NewContextIssue& input);

  storage::Database& db_;
  const Clock& clock_;
  Random& random_;
  auditlog::AuditLog& audit_log_;
  ContextStore store_;
};

}  // namespace certus::context
