#include "modules/readiness/json.hpp"

#include <boost/json.hpp>

namespace certus::readiness {

boost::json::value ToJson(const Check& check) {
  boost::json::array links;
  for (const auto& l : check.links) {
    links.push_back(boost::json::object{{"type", l.type}, {"id", l.id}, {"ref", l.ref}});
  }
  return boost::json::object{{"id", check.id},
                             {"status", StatusName(check.status)},
                             {"message", check.message},
                             {"remedy", check.remedy},
                             {"links", std::move(links)}};
}

boost::json::value ToJson(const Report& report) {
  boost::json::array clauses;
  for (const auto& clause : report.clauses) {
    boost::json::array requirements;
    for (const auto& r : clause.requirements) {
      boost::json::array checks;
      for (const auto& c : r.checks) checks.push_back(ToJson(c));
      requirements.push_back(boost::json::object{{"ref", r.ref},
                                                 {"title", r.title},
                                                 {"status", StatusName(r.status)},
                                                 {"checks", std::move(checks)}});
    }
    clauses.push_back(boost::json::object{{"ref", clause.ref},
                                          {"title", clause.title},
                                          {"status", StatusName(clause.status)},
                                          {"requirements", std::move(requirements)}});
  }
  return boost::json::object{{"verdict", report.verdict},
                             {"score", report.score},
                             {"as_of", report.as_of},
                             {"clauses", std::move(clauses)}};
}

boost::json::value ToJson(const Settings& s, const OrgId& org) {
  boost::json::object json{{"policy_ack_percent", s.policy_ack_percent},
                           {"awareness_percent", s.awareness_percent},
                           {"overdue_tolerance_days", s.overdue_tolerance_days},
                           {"recent_months", s.recent_months},
                           {"version", s.version},
                           {"updated_at", s.updated_at.empty() ? boost::json::value(nullptr)
                                                               : boost::json::value(s.updated_at)}};
  if (!org.str().empty()) json["id"] = org.str();
  return json;
}

boost::json::value ToJson(const Sample& sample) {
  return {{"date", sample.day}, {"verdict", sample.verdict}, {"score", sample.score}};
}

}  // namespace certus::readiness
