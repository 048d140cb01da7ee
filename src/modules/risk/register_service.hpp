#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auditlog/audit_log.hpp"
#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/page.hpp"
#include "core/random.hpp"
#include "core/time.hpp"
#include "identity/service.hpp"
#include "modules/risk/register_model.hpp"
#include "modules/risk/register_store.hpp"
#include "modules/risk/service.hpp"
#include "storage/database.hpp"

namespace certus::risk {

/// Whether an import only reports what it would do.
enum class DryRun { kNo, kYes };

/// One problem of an imported file: `line` is the file's line (the header is line 1) and
/// `field` the column name ("header" for the header as a whole, "file" for an unreadable file,
/// "risk" for a rule of ISO 27001 6.1.3 that refuses the row as a whole).
struct ImportProblem {
  std::size_t line = 0;
  std::string field;
  std::string message;
};

/// What an import did, or (dry run) would do.
struct ImportReport {
  bool dry_run = false;
  std::int64_t created = 0;
  std::int64_t updated = 0;
  std::vector<ImportProblem> errors;  ///< only ever non-empty for a dry run
};

/// What a risk write reads once, whether for one risk or for a whole import.
struct RiskWriteScope {
  const MethodologyCriteria& criteria;  ///< of the methodology in force
  std::string today;                    ///< YYYY-MM-DD
};

/// Writes that a bulk change (an import) collects and makes at the end, in few statements:
/// new risks and the audit events of every row, in row order.
struct RiskWriteBatch {
  std::vector<Risk> inserts;
  std::vector<auditlog::Event> events;
};

/// The risk register (ISO 27001 6.1.2), acceptance of risk and the risk treatment plan
/// (6.1.3, 8.3). Scores and levels are computed from the methodology in force (read through
/// RiskService). Members read; managers and admins write any risk and action; contributors
/// write the risks they own and the actions they own or that treat their risks. Every change
/// is written with its audit event in one transaction. Borrows everything it is given.
/// Thread-safe.
class RegisterService final {
 public:
  RegisterService(storage::Database& db, const Clock& clock, Random& random,
                  auditlog::AuditLog& audit_log, identity::IdentityService& identity,
                  RiskService& methodology)
      : db_(db),
        clock_(clock),
        random_(random),
        audit_log_(audit_log),
        identity_(identity),
        methodology_(methodology) {}

  Expected<Page<Risk>> ListRisks(const Actor& actor, const OrgId& org, const RiskFilter& filter,
                                 const PageQuery& page);
  Expected<Risk> GetRisk(const Actor& actor, const OrgId& org, const RiskId& id);
  /// `input` must carry title, owner_id, likelihood and impact (the routes ensure it).
  /// kValidation for ratings outside the scales, foreign assets or a non-member owner;
  /// kConflict when a rule of 6.1.3 refuses the treatment or status.
  Expected<Risk> CreateRisk(const Actor& actor, const OrgId& org, const RiskPatch& input);
  Expected<Risk> UpdateRisk(const Actor& actor, const OrgId& org, const RiskId& id,
                            const RiskPatch& patch, std::int64_t expected_version);
  /// kConflict while the risk has treatment actions.
  Expected<void> DeleteRisk(const Actor& actor, const OrgId& org, const RiskId& id,
                            std::int64_t expected_version);
  /// Imports the register from CSV (the columns of the export; see docs/user-guide.md):
  /// rows with the ref of a risk of `org` update it, rows without a ref create one, all in
  /// one transaction with one audit event per risk, under the same rules as CreateRisk and
  /// UpdateRisk. kPermissionDenied below manager. When any row is invalid nothing is written:
  /// a dry run answers the report with its errors; otherwise kValidation with one field
  /// error per problem, named "line N: column".
  Expected<ImportReport> ImportRisks(const Actor& actor, const OrgId& org, std::string_view csv,
                                     DryRun dry_run);
  /// Records the acceptance of the risk by its owner or a manager; `expires_on` must be
  /// after today.
  Expected<Risk> AcceptRisk(const Actor& actor, const OrgId& org, const RiskId& id,
                            const std::string& rationale, const Date& expires_on);

  /// The ratings of `patch` outside the scales of the methodology in force, as field errors,
  /// so that the routes can name them in the same 422 as every other invalid field.
  Expected<std::vector<FieldError>> RatingProblems(const Actor& actor, const OrgId& org,
                                                   const RiskPatch& patch);

  Expected<Page<Treatment>> ListTreatments(const Actor& actor, const OrgId& org,
                                           TreatmentFilter filter, bool overdue,
                                           const PageQuery& page);
  Expected<Treatment> GetTreatment(const Actor& actor, const OrgId& org, const TreatmentId& id);
  /// `input` must carry risk_id and title.
  Expected<Treatment> CreateTreatment(const Actor& actor, const OrgId& org,
                                      const TreatmentPatch& input);
  Expected<Treatment> UpdateTreatment(const Actor& actor, const OrgId& org, const TreatmentId& id,
                                      const TreatmentPatch& patch, std::int64_t expected_version);
  Expected<void> DeleteTreatment(const Actor& actor, const OrgId& org, const TreatmentId& id,
                                 std::int64_t expected_version);

  /// Every risk of `org` (with its owner and controls), by ref, in the caller's transaction:
  /// for the internal audit's independence check (9.2.2 b). No role check.
  Expected<std::vector<Risk>> RisksIn(storage::Transaction& tx, const OrgId& org);
  /// Every treatment action of `risks`, in the caller's transaction. No role check.
  Expected<std::vector<Treatment>> TreatmentsIn(storage::Transaction& tx, const OrgId& org,
                                                const std::vector<RiskId>& risks);

 private:
  Expected<Risk> WriteRisk(const Actor& actor, const OrgId& org, const std::optional<RiskId>& id,
                           const RiskPatch& patch, std::int64_t expected_version);
  /// The rules and writes of a risk change in the caller's transaction; the caller has
  /// checked that a new owner is a member. `expected_version` nullopt overwrites whatever
  /// version is stored (imports). A new risk takes `reserved_number` as its ref when the
  /// caller reserved one (imports), the next one otherwise. With a `batch`, a new risk and
  /// the audit event are added to it rather than written (the caller writes the batch before
  /// committing); an update is written at once either way.
  Expected<Risk> WriteRiskIn(storage::Transaction& tx, const RiskWriteScope& scope,
                             const Actor& actor, const OrgId& org, const std::optional<RiskId>& id,
                             const RiskPatch& patch, std::optional<std::int64_t> expected_version,
                             std::optional<std::int64_t> reserved_number = std::nullopt,
                             RiskWriteBatch* batch = nullptr);
  /// kValidation unless `control` (if any) is a control of the organization's SoA.
  Expected<void> CheckActionControl(storage::Transaction& tx, const OrgId& org,
                                    const std::optional<controls::ControlId>& control);
  void Decorate(Risk& risk, const MethodologyCriteria& criteria) const;
  Expected<Risk> Decorated(const Actor& actor, const OrgId& org, Risk risk);
  Expected<void> CheckMember(const OrgId& org, const UserId& user, const std::string& field);
  std::string Today() const;

  storage::Database& db_;
  const Clock& clock_;
  Random& random_;
  auditlog::AuditLog& audit_log_;
  identity::IdentityService& identity_;
  RiskService& methodology_;
  RegisterStore store_;
};

}  // namespace certus::risk
