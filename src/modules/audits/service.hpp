#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "auditlog/audit_log.hpp"
#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/page.hpp"
#include "core/random.hpp"
#include "identity/service.hpp"
#include "modules/audits/model.hpp"
#include "modules/audits/store.hpp"
#include "modules/controls/service.hpp"
#include "modules/documents/service.hpp"
#include "modules/evidence/service.hpp"
#include "modules/improvement/service.hpp"
#include "modules/risk/register_service.hpp"
#include "storage/database.hpp"

namespace certus::audits {

/// What adding an auditor came to: the auditor, or the conflicts of interest that refused
/// them (ISO 27001 9.2.2 b; the routes answer 409 with the list).
struct AssignOutcome {
  std::optional<Auditor> auditor;
  std::vector<Conflict> conflicts;
};

/// A scope change refused because assigned auditors would audit their own work.
struct AuditorConflict {
  UserId user_id;
  std::string email;
  std::vector<Conflict> conflicts;
};

/// The audit's PATCH: the audit, or the auditors whose independence the new scope breaks.
struct UpdateOutcome {
  std::optional<Audit> audit;
  std::vector<AuditorConflict> conflicts;
};

struct ExportedReport {
  std::string filename;
  std::string body;
};

/// Internal audit (ISO 27001 9.2): audit programmes (9.2.2 a), audits with scope and
/// criteria, auditors who are independent of what they audit (9.2.2 b, or a manager's
/// recorded waiver), the checklist generated from the scope, findings (a nonconformity
/// finding raises a nonconformity through NonconformityService in the same transaction),
/// and the report to relevant management (9.2.2 d).
///
/// Every member reads. Auditors (role auditor), managers and admins write audits,
/// checklists, findings and reports; contributors and viewers do not. Waivers and programmes
/// are for managers and admins. Every change is written with its audit event in one
/// transaction. Borrows everything it is given. Thread-safe.
class AuditService final {
 public:
  AuditService(storage::Database& db, const Clock& clock, Random& random,
               auditlog::AuditLog& audit_log, identity::IdentityService& identity,
               controls::ControlService& controls, risk::RegisterService& risks,
               documents::DocumentService& documents, evidence::EvidenceService& evidence,
               improvement::NonconformityService& nonconformities)
      : db_(db),
        clock_(clock),
        random_(random),
        audit_log_(audit_log),
        identity_(identity),
        controls_(controls),
        risks_(risks),
        documents_(documents),
        evidence_(evidence),
        nonconformities_(nonconformities) {}

  /// kPermissionDenied unless auditor, manager or admin; kNotFound outside the organization.
  static Expected<void> CheckCanWrite(const Actor& actor);
  /// Managers and admins (waivers, programmes).
  static Expected<void> CheckCanManage(const Actor& actor);

  Expected<Page<Audit>> List(const Actor& actor, const OrgId& org, const AuditFilter& filter,
                             const PageQuery& page);
  Expected<Audit> Get(const Actor& actor, const OrgId& org, const AuditId& id);
  /// `input` must carry a title. kValidation for unknown clauses, controls, documents or
  /// programme, or an end before the start.
  Expected<Audit> Create(const Actor& actor, const OrgId& org, const AuditPatch& input);
  /// kConflict once reported; conflicts when the new scope touches an auditor's own work.
  Expected<UpdateOutcome> Update(const Actor& actor, const OrgId& org, const AuditId& id,
                                 const AuditPatch& patch, std::int64_t expected_version);
  /// start, report, close. kConflict naming the rule when the step does not fit.
  Expected<Audit> Step(const Actor& actor, const OrgId& org, const AuditId& id, AuditStep step,
                       std::optional<std::int64_t> expected_version);
  /// Writes the report (9.2.2 d). kValidation for non-members in the distribution.
  Expected<Audit> PutReport(const Actor& actor, const OrgId& org, const AuditId& id,
                            const AuditReport& report,
                            std::optional<std::int64_t> expected_version);

  Expected<std::vector<Auditor>> ListAuditors(const Actor& actor, const OrgId& org,
                                              const AuditId& id);
  /// Conflicts refuse the auditor unless `waiver_justification` is given by a manager.
  Expected<AssignOutcome> AddAuditor(const Actor& actor, const OrgId& org, const AuditId& id,
                                     const UserId& user, AuditorRole role,
                                     const std::optional<std::string>& waiver_justification);
  Expected<void> RemoveAuditor(const Actor& actor, const OrgId& org, const AuditId& id,
                               const UserId& user, std::int64_t expected_version);

  Expected<std::vector<ChecklistItem>> Checklist(const Actor& actor, const OrgId& org,
                                                 const AuditId& id);
  /// Adds an item for each requirement and control of the scope that has none yet.
  Expected<std::vector<ChecklistItem>> GenerateChecklist(const Actor& actor, const OrgId& org,
                                                         const AuditId& id);
  Expected<ChecklistItem> UpdateItem(const Actor& actor, const OrgId& org, const AuditId& id,
                                     const ChecklistItemId& item, const ChecklistPatch& patch,
                                     std::int64_t expected_version);

  Expected<std::vector<Finding>> Findings(const Actor& actor, const OrgId& org, const AuditId& id);
  /// kConflict unless the audit is in progress.
  Expected<Finding> AddFinding(const Actor& actor, const OrgId& org, const AuditId& id,
                               const NewFinding& input);

  Expected<ExportedReport> ReportPdf(const Actor& actor, const OrgId& org, const AuditId& id);

  Expected<Page<Programme>> ListProgrammes(const Actor& actor, const OrgId& org,
                                           const PageQuery& page);
  Expected<Programme> GetProgramme(const Actor& actor, const OrgId& org, const ProgrammeId& id);
  Expected<Programme> CreateProgramme(const Actor& actor, const OrgId& org,
                                      const ProgrammePatch& input);
  Expected<Programme> UpdateProgramme(const Actor& actor, const OrgId& org, const ProgrammeId& id,
                                      const ProgrammePatch& patch, std::int64_t expected_version);
  /// Every requirement of clauses 4–10 and every applicable Annex A control: audited,
  /// planned or unaudited within the programme.
  Expected<ProgrammeCoverage> Coverage(const Actor& actor, const OrgId& org, const ProgrammeId& id);

  /// Audits reported or closed with their report dated in [from_date, to_date] (YYYY-MM-DD),
  /// for the management review (9.3.2 d). In the caller's transaction; no role check.
  Expected<std::vector<AuditResult>> ResultsBetween(storage::Transaction& tx, const OrgId& org,
                                                    const std::string& from_date,
                                                    const std::string& to_date);

 private:
  Expected<Audit> Load(storage::Transaction& tx, const OrgId& org, const AuditId& id);
  /// Problems of a scope that need the database, as field errors.
  Expected<std::vector<FieldError>> ScopeProblems(storage::Transaction& tx, const OrgId& org,
                                                  const Audit& audit);
  /// The conflicts of interest of `user` with the scope of `audit` (9.2.2 b).
  Expected<std::vector<Conflict>> ConflictsOf(storage::Transaction& tx, const Audit& audit,
                                              const UserId& user);
  Expected<Audit> WriteAudit(storage::Transaction& tx, const Actor& actor, const Audit& before,
                             Audit after, const std::string& action);
  std::string Now() const;

  storage::Database& db_;
  const Clock& clock_;
  Random& random_;
  auditlog::AuditLog& audit_log_;
  identity::IdentityService& identity_;
  controls::ControlService& controls_;
  risk::RegisterService& risks_;
  documents::DocumentService& documents_;
  evidence::EvidenceService& evidence_;
  improvement::NonconformityService& nonconformities_;
  AuditStore store_;
};

}  // namespace certus::audits
