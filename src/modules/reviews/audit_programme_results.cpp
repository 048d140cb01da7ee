#include "modules/reviews/audit_programme_results.hpp"

namespace certus::reviews {

Expected<std::vector<AuditResult>> AuditProgrammeResults::ReportedBetween(const Actor& actor,
                                                                          const OrgId& org,
                                                                          const Date& since,
                                                                          const Date& as_of) {
  if (!actor.role) return Fail(Error::NotFound("Organization"));
  auto found = CERTUS_TRY(storage::InReadTransaction(db_, [&](storage::Transaction& tx) {
    return audits_.ResultsBetween(tx, org, FormatDate(since), FormatDate(as_of));
  }));
  auto count = [](const audits::AuditResult& r, const char* type) -> std::int64_t {
    auto it = r.findings_by_type.find(type);
    return it == r.findings_by_type.end() ? 0 : it->second;
  };
  std::vector<AuditResult> results;
  results.reserve(found.size());
  for (const auto& r : found) {
    results.push_back({r.ref, r.title, r.conclusion,
                       r.reported_on ? FormatDate(*r.reported_on) : std::string(),
                       count(r, "major_nonconformity"), count(r, "minor_nonconformity"),
                       count(r, "observation"), count(r, "opportunity_for_improvement")});
  }
  return results;
}

}  // namespace certus::reviews
