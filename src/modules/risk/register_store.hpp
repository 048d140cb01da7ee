#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/page.hpp"
#include "modules/risk/register_model.hpp"
#include "storage/database.hpp"

namespace certus::risk {

/// SQL for risks, their asset links and treatment actions. Every function runs in the
/// caller's transaction. A risk is read with its asset ids, its control ids and its count of
/// open actions; a page of risks reads the links of all its risks in one query.
class RegisterStore final {
 public:
  using Tx = storage::Transaction;

  static const std::vector<std::string>& RiskSortFields();
  static const std::vector<std::string>& TreatmentSortFields();

  Expected<void> InsertRisk(Tx& tx, const Risk& risk);
  /// Inserts many new risks (and their links) with multi-row statements, for imports.
  Expected<void> InsertRisks(Tx& tx, const std::vector<Risk>& risks);
  Expected<std::optional<Risk>> FindRisk(Tx& tx, const OrgId& org, const RiskId& id);
  Expected<Page<Risk>> ListRisks(Tx& tx, const OrgId& org, const RiskFilter& filter,
                                 const PageQuery& page);
  /// Writes `after` over `before` (as read in this transaction) when the row is still at
  /// `before.version`; false otherwise. Link tables are rewritten only when they changed.
  Expected<bool> UpdateRisk(Tx& tx, const Risk& before, const Risk& after);
  Expected<bool> DeleteRisk(Tx& tx, const OrgId& org, const RiskId& id,
                            std::int64_t expected_version);
  /// How many of `ids` are assets of `org`.
  Expected<std::int64_t> CountAssets(Tx& tx, const OrgId& org, const std::vector<AssetId>& ids);
  /// How many of `ids` are SoA controls of `org`.
  Expected<std::int64_t> CountControls(Tx& tx, const OrgId& org,
                                       const std::vector<controls::ControlId>& ids);
  /// The refs of those of `ids` that the SoA excludes (applicable false).
  Expected<std::vector<std::string>> ExcludedControls(Tx& tx, const OrgId& org,
                                                      const std::vector<controls::ControlId>& ids);
  /// Every risk of `org`, ref to id (for imports, which name risks by ref).
  Expected<std::map<std::string, RiskId>> RiskIdsByRef(Tx& tx, const OrgId& org);
  /// Takes `count` consecutive numbers of the organization's risk refs (the counter that
  /// storage::NextCounter advances one at a time) and answers the first.
  Expected<std::int64_t> ReserveRiskNumbers(Tx& tx, const OrgId& org, std::int64_t count);
  /// Every action of the risk, open or not.
  Expected<std::int64_t> CountTreatments(Tx& tx, const OrgId& org, const RiskId& risk,
                                         bool open_only);

  Expected<void> InsertTreatment(Tx& tx, const Treatment& treatment);
  Expected<std::optional<Treatment>> FindTreatment(Tx& tx, const OrgId& org, const TreatmentId& id);
  Expected<Page<Treatment>> ListTreatments(Tx& tx, const OrgId& org, const TreatmentFilter& filter,
                                           const PageQuery& page);
  Expected<bool> UpdateTreatment(Tx& tx, const Treatment& treatment, std::int64_t expected_version);
  Expected<bool> DeleteTreatment(Tx& tx, const OrgId& org, const TreatmentId& id,
                                 std::int64_t expected_version);
  /// Every action of the given risks, by due date (undated last), then ref.
  Expected<std::vector<Treatment>> TreatmentsOf(Tx& tx, const OrgId& org,
                                                const std::vector<RiskId>& risks);

 private:
  /// The links of a risk that has none yet.
  Expected<void> InsertLinks(Tx& tx, const Risk& risk);
};

}  // namespace certus::risk
