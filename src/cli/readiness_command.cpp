#include "cli/readiness_command.hpp"

#include <algorithm>

#include <boost/json.hpp>

#include "modules/readiness/json.hpp"

namespace certus::cli {

void PrintReadiness(const readiness::Report& report, std::ostream& out) {
  using readiness::StatusName;
  out << "Readiness as of " << report.as_of << ": " << report.verdict << " (score " << report.score
      << "/100)\n";
  for (const auto& clause : report.clauses) {
    out << "\n" << clause.ref << " " << clause.title << ": " << StatusName(clause.status) << "\n";
    for (const auto& r : clause.requirements) {
      out << "  " << r.ref << " " << r.title << ": " << StatusName(r.status) << "\n";
      for (const auto& c : r.checks) {
        out << "    [" << StatusName(c.status) << "] " << c.id << ": " << c.message << "\n";
        if (!c.remedy.empty()) out << "      remedy: " << c.remedy << "\n";
        for (const auto& l : c.links) {
          out << "      - " << l.type << " " << (l.ref.empty() ? l.id : l.ref) << " (" << l.id
              << ")\n";
        }
      }
    }
  }
}

Expected<int> Readiness(App& app, const std::string& org, const std::string& as_of,
                        const std::string& format, std::ostream& out) {
  std::optional<Date> day;
  if (!as_of.empty()) {
    day = ParseDate(as_of);
    if (!day) return Fail(Error::Field("as_of", "must be a date YYYY-MM-DD"));
  }
  // The operator may name any organization, so the command checks that it exists.
  const auto orgs = CERTUS_TRY(app.identity().ListAllOrgs());
  if (std::none_of(orgs.begin(), orgs.end(), [&](const auto& o) { return o.id.str() == org; })) {
    return Fail(Error::NotFound("Organization"));
  }
  auto report = CERTUS_TRY(app.readiness().Evaluate(Actor::System(), OrgId(org), day));
  if (format == "json") {
    out << boost::json::serialize(readiness::ToJson(report)) << "\n";
  } else {
    PrintReadiness(report, out);
  }
  return report.verdict == "ready_for_stage_2" ? 0 : 1;
}

}  // namespace certus::cli
