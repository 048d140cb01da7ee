#pragma once

#include <optional>
#include <string>

#include "auditlog/audit_log.hpp"
#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/page.hpp"
#include "core/random.hpp"
#include "identity/service.hpp"
#include "modules/risk/assessment_model.hpp"
#include "modules/risk/assessment_store.hpp"
#include "modules/risk/register_store.hpp"
#include "modules/risk/service.hpp"
#include "reports/table.hpp"
#include "storage/database.hpp"

namespace certus::risk {

/// The register seen whole: retained risk assessments (ISO 27001 8.2) and their
/// comparison, the heat map, the risk treatment plan (6.1.3 e, 8.3), the ratings that a
/// new methodology no longer fits, and the register and plan as tables for export.
/// Members read; managers and admins take assessments. Borrows everything. Thread-safe.
class AssessmentService final {
 public:
  AssessmentService(storage::Database& db, const Clock& clock, Random& random,
                    auditlog::AuditLog& audit_log, identity::IdentityService& identity,
                    RiskService& methodology)
      : db_(db),
        clock_(clock),
        random_(random),
        audit_log_(audit_log),
        identity_(identity),
        methodology_(methodology) {}

  /// Copies the register and the methodology in force; `name` must not be empty.
  Expected<RiskAssessment> TakeAssessment(const Actor& actor, const OrgId& org,
                                          const std::string& name, const std::string& notes);
  Expected<Page<RiskAssessment>> ListAssessments(const Actor& actor, const OrgId& org,
                                                 const PageQuery& page);
  Expected<RiskAssessment> GetAssessment(const Actor& actor, const OrgId& org,
                                         const AssessmentId& id);
  /// The register as the assessment retained it, by ref; `limit` + 1 rows tell the caller
  /// whether more follow.
  Expected<std::vector<RatedRisk>> AssessedRisks(const Actor& actor, const OrgId& org,
                                                 const AssessmentId& id,
                                                 const std::optional<std::string>& after_ref,
                                                 int limit);
  /// `to` nullopt compares with the register today.
  Expected<AssessmentComparison> Compare(const Actor& actor, const OrgId& org,
                                         const AssessmentId& from,
                                         const std::optional<AssessmentId>& to);

  Expected<Heatmap> GetHeatmap(const Actor& actor, const OrgId& org, HeatmapBasis basis,
                               HeatmapIds ids = HeatmapIds::kInclude);
  Expected<std::vector<ReRating>> ReRatings(const Actor& actor, const OrgId& org);
  Expected<TreatmentPlan> GetTreatmentPlan(const Actor& actor, const OrgId& org,
                                           const std::optional<std::string>& after_ref, int limit,
                                           bool overdue_only);

  /// The whole register, one row per risk with the owner's email (the CSV columns of the
  /// user guide), and the whole treatment plan, one row per action.
  Expected<reports::TableDocument> RegisterTable(const Actor& actor, const OrgId& org);
  Expected<reports::TableDocument> TreatmentPlanTable(const Actor& actor, const OrgId& org);

 private:
  std::string Today() const;

  storage::Database& db_;
  const Clock& clock_;
  Random& random_;
  auditlog::AuditLog& audit_log_;
  identity::IdentityService& identity_;
  RiskService& methodology_;
  AssessmentStore store_;
  RegisterStore register_;
};

}  // namespace certus::risk
