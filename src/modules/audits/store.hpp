#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/page.hpp"
#include "modules/audits/model.hpp"
#include "storage/database.hpp"

namespace certus::audits {

/// SQL for audit programmes, audits, auditors, checklist items and findings. Every function
/// runs in the caller's transaction.
class AuditStore final {
 public:
  using Tx = storage::Transaction;

  static const std::vector<std::string>& AuditSortFields();
  static const std::vector<std::string>& ProgrammeSortFields();

  Expected<void> InsertAudit(Tx& tx, const Audit& audit);
  Expected<std::optional<Audit>> FindAudit(Tx& tx, const OrgId& org, const AuditId& id);
  Expected<Page<Audit>> ListAudits(Tx& tx, const OrgId& org, const AuditFilter& filter,
                                   const PageQuery& page);
  /// Every audit of a programme (or, with nullopt, of the organization), by ref.
  Expected<std::vector<Audit>> AuditsOf(Tx& tx, const OrgId& org,
                                        const std::optional<ProgrammeId>& programme);
  Expected<bool> UpdateAudit(Tx& tx, const Audit& audit, std::int64_t expected_version);

  Expected<void> InsertAuditor(Tx& tx, const Auditor& auditor);
  Expected<std::vector<Auditor>> AuditorsOf(Tx& tx, const OrgId& org,
                                            const std::vector<AuditId>& audits);
  Expected<bool> DeleteAuditor(Tx& tx, const OrgId& org, const AuditId& audit, const UserId& user,
                               std::int64_t expected_version);

  Expected<void> InsertItem(Tx& tx, const ChecklistItem& item);
  Expected<std::vector<ChecklistItem>> ItemsOf(Tx& tx, const OrgId& org, const AuditId& audit);
  Expected<std::optional<ChecklistItem>> FindItem(Tx& tx, const OrgId& org, const AuditId& audit,
                                                  const ChecklistItemId& id);
  Expected<bool> UpdateItem(Tx& tx, const ChecklistItem& item, std::int64_t expected_version);

  Expected<void> InsertFinding(Tx& tx, const Finding& finding);
  Expected<std::vector<Finding>> FindingsOf(Tx& tx, const OrgId& org,
                                            const std::vector<AuditId>& audits);

  Expected<void> InsertProgramme(Tx& tx, const Programme& programme);
  Expected<std::optional<Programme>> FindProgramme(Tx& tx, const OrgId& org, const ProgrammeId& id);
  Expected<Page<Programme>> ListProgrammes(Tx& tx, const OrgId& org, const PageQuery& page);
  Expected<bool> UpdateProgramme(Tx& tx, const Programme& programme, std::int64_t expected_version);
  /// The email of each of `users` (unknown ones absent).
  Expected<std::map<std::string, std::string>> Emails(Tx& tx, const std::vector<UserId>& users);
  /// Audits reported or closed with `reported_on` in [from, to].
  Expected<std::vector<Audit>> ReportedBetween(Tx& tx, const OrgId& org, const std::string& from,
                                               const std::string& to);
};

}  // namespace certus::audits
