#pragma once

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

 private:
  Expected<Risk> WriteRisk(const Actor& actor, const OrgId& org, const std::optional<RiskId>& id,
                           const RiskPatch& patch, std::int64_t expected_version);
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
