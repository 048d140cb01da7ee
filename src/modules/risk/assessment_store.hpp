#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/page.hpp"
#include "modules/risk/assessment_model.hpp"
#include "storage/database.hpp"

namespace certus::risk {

/// SQL for retained assessments and for the register read whole (heat map, plan,
/// re-rating). Every function runs in the caller's transaction.
class AssessmentStore final {
 public:
  using Tx = storage::Transaction;

  /// Writes the assessment and copies every risk of the organization into it with one
  /// INSERT … SELECT, so the copy is one consistent state. Answers how many it copied.
  Expected<std::int64_t> Insert(Tx& tx, const RiskAssessment& assessment);
  Expected<std::int64_t> CountRisks(Tx& tx, const OrgId& org);
  Expected<std::optional<RiskAssessment>> Find(Tx& tx, const OrgId& org, const AssessmentId& id);
  /// Newest first.
  Expected<Page<RiskAssessment>> List(Tx& tx, const OrgId& org, const PageQuery& page);
  /// The risks of an assessment by ref, `limit` of them after `after_ref`.
  Expected<std::vector<RatedRisk>> Rows(Tx& tx, const AssessmentId& id,
                                        const std::optional<std::string>& after_ref, int limit);
  /// Every risk of an assessment, or of the register today when `id` is nullopt, by ref.
  Expected<std::vector<RatedRisk>> AllRows(Tx& tx, const OrgId& org,
                                           const std::optional<AssessmentId>& id);
  /// The open risks counted by rating (the heat map), aggregated by the database over the
  /// index of migration 0012: one entry per rating that has risks. On the residual basis a
  /// risk without a residual rating counts at its inherent one.
  struct RatingCount {
    std::int64_t likelihood = 0;
    std::int64_t impact = 0;
    std::int64_t count = 0;
    std::int64_t without_residual = 0;
    std::vector<std::string> ids;  ///< only when asked for
  };
  Expected<std::vector<RatingCount>> CountOpenRatings(Tx& tx, const OrgId& org, bool residual,
                                                      bool with_ids);
  /// Open risks that need treatment (mitigate, transfer, avoid) or have actions, by ref.
  Expected<std::vector<RatedRisk>> PlanRisks(Tx& tx, const OrgId& org,
                                             const std::optional<std::string>& after_ref,
                                             int limit);
};

}  // namespace certus::risk
