#include "modules/people/json.hpp"

#include <cmath>

#include <boost/json.hpp>

#include "http/json.hpp"

namespace certus::people {

namespace {

boost::json::value OptDate(const std::optional<Date>& date) {
  if (!date) return nullptr;
  return boost::json::value(FormatDate(*date));
}

template <typename Id>
boost::json::array Ids(const std::vector<Id>& ids) {
  boost::json::array out;
  for (const auto& id : ids) out.emplace_back(id.str());
  return out;
}

boost::json::value Rate(std::int64_t part, std::int64_t whole) {
  if (whole <= 0) return nullptr;
  // A share rounded to four decimals: 5 of 6 → 0.8333.
  return std::round(static_cast<double>(part) * 10000.0 / static_cast<double>(whole)) / 10000.0;
}

boost::json::object Progress(const TrainingProgress& progress) {
  return {{"audience_size", progress.audience},
          {"completed", progress.completed},
          {"overdue", progress.overdue},
          {"completion_rate", Rate(progress.completed, progress.audience)}};
}

boost::json::object DepartmentJson(const DepartmentAwareness& d, bool policy_known) {
  boost::json::array overdue_people;
  for (const auto& person : d.overdue_people) {
    boost::json::array trainings;
    for (const auto& t : person.trainings) {
      trainings.push_back(boost::json::object{{"id", t.id.str()},
                                              {"ref", t.ref},
                                              {"title", t.title},
                                              {"due_on", FormatDate(t.due_on)}});
    }
    overdue_people.push_back(boost::json::object{{"id", person.id.str()},
                                                 {"ref", person.ref},
                                                 {"name", person.name},
                                                 {"trainings", std::move(trainings)}});
  }
  boost::json::object json{{"department", d.department},
                           {"people", d.people},
                           {"assigned", d.assigned},
                           {"completed", d.completed},
                           {"overdue", d.overdue},
                           {"training_completion_rate", Rate(d.completed, d.assigned)},
                           {"overdue_people", std::move(overdue_people)}};
  if (policy_known) {
    json["policy_readers"] = d.policy_readers;
    json["policy_acknowledged"] = d.policy_acknowledged;
    json["policy_acknowledgment_rate"] = Rate(d.policy_acknowledged, d.policy_readers);
  } else {
    json["policy_readers"] = nullptr;
    json["policy_acknowledged"] = nullptr;
    json["policy_acknowledgment_rate"] = nullptr;
  }
  return json;
}

}  // namespace

boost::json::value ToJson(const Person& p) {
  return boost::json::object{
      {"id", p.id.str()},
      {"ref", p.ref},
      {"name", p.name},
      {"email", p.email},
      {"job_role", p.job_role},
      {"department", p.department},
      {"in_scope", p.in_scope},
      {"user_id", p.user_id ? boost::json::value(p.user_id->str()) : boost::json::value(nullptr)},
      {"status", PersonStatusName(p.status)},
      {"start_date", OptDate(p.start_date)},
      {"left_on", OptDate(p.left_on)},
      {"version", p.version},
      {"created_at", p.created_at},
      {"updated_at", p.updated_at}};
}

boost::json::value ToJson(const RequiredCompetence& r) {
  return boost::json::object{{"competence_id", r.competence_id.str()},
                             {"ref", r.ref},
                             {"name", r.name},
                             {"required_by", http::StringArray(r.required_by)},
                             {"state", GapStateName(r.state)},
                             {"valid_until", OptDate(r.valid_until)}};
}

boost::json::value ToJson(const PersonDetail& detail) {
  boost::json::object json = ToJson(detail.person).as_object();
  json["isms_role_ids"] = http::StringArray(detail.isms_role_ids);
  boost::json::array competences;
  std::int64_t met = 0;
  for (const auto& r : detail.competences) {
    if (r.state == GapState::kMet) ++met;
    competences.push_back(ToJson(r));
  }
  json["competences"] = std::move(competences);
  json["competences_met"] = met;
  json["competences_required"] = static_cast<std::int64_t>(detail.competences.size());
  return json;
}

boost::json::value ToJson(const PersonGaps& gaps) {
  const auto& p = gaps.person;
  boost::json::array items;
  for (const auto& r : gaps.gaps) items.push_back(ToJson(r));
  return boost::json::object{{"person_id", p.id.str()},
                             {"ref", p.ref},
                             {"name", p.name},
                             {"job_role", p.job_role},
                             {"department", p.department},
                             {"gaps", std::move(items)}};
}

boost::json::value ToJson(const Competence& c) {
  std::vector<std::string> kinds;
  for (auto kind : c.evidence_kinds) kinds.emplace_back(EvidenceKindName(kind));
  return boost::json::object{{"id", c.id.str()},
                             {"ref", c.ref},
                             {"name", c.name},
                             {"description", c.description},
                             {"job_roles", http::StringArray(c.job_roles)},
                             {"isms_role_ids", http::StringArray(c.isms_role_ids)},
                             {"evidence_kinds", http::StringArray(kinds)},
                             {"version", c.version},
                             {"created_at", c.created_at},
                             {"updated_at", c.updated_at}};
}

boost::json::value ToJson(const CompetenceEvidence& e) {
  return boost::json::object{
      {"id", e.id.str()},
      {"person_id", e.person_id.str()},
      {"competence_id", e.competence_id.str()},
      {"kind", EvidenceKindName(e.kind)},
      {"title", e.title},
      {"obtained_on", FormatDate(e.obtained_on)},
      {"expires_on", OptDate(e.expires_on)},
      {"evidence_id", http::Nullable(e.evidence_id)},
      {"training_id",
       e.training_id ? boost::json::value(e.training_id->str()) : boost::json::value(nullptr)},
      {"recorded_by", e.recorded_by},
      {"version", e.version},
      {"created_at", e.created_at},
      {"updated_at", e.updated_at}};
}

boost::json::value ToJson(const Training& t) {
  return boost::json::object{
      {"id", t.id.str()},
      {"ref", t.ref},
      {"title", t.title},
      {"description", t.description},
      {"audience", AudienceKindName(t.audience)},
      {"departments", http::StringArray(t.departments)},
      {"person_ids", Ids(t.person_ids)},
      {"due_on", FormatDate(t.due_on)},
      {"status", TrainingStatusName(t.status)},
      {"competence_id",
       t.competence_id ? boost::json::value(t.competence_id->str()) : boost::json::value(nullptr)},
      {"validity_months", http::Nullable(t.validity_months)},
      {"version", t.version},
      {"created_at", t.created_at},
      {"updated_at", t.updated_at}};
}

boost::json::value ToJson(const TrainingWithProgress& t) {
  boost::json::object json = ToJson(t.training).as_object();
  for (auto& [key, value] : Progress(t.progress)) json[key] = value;
  return json;
}

boost::json::value ToJson(const Completion& c) {
  return boost::json::object{{"training_id", c.training_id.str()},
                             {"person_id", c.person_id.str()},
                             {"completed_on", FormatDate(c.completed_on)},
                             {"note", c.note},
                             {"recorded_by", c.recorded_by},
                             {"created_at", c.created_at}};
}

boost::json::value ToJson(const TrainingDetail& detail) {
  boost::json::object json = ToJson(detail.training).as_object();
  for (auto& [key, value] : Progress(detail.progress)) json[key] = value;
  boost::json::array audience;
  for (const auto& m : detail.audience) {
    audience.push_back(boost::json::object{
        {"person_id", m.person_id.str()},
        {"ref", m.ref},
        {"name", m.name},
        {"department", m.department},
        {"completion", m.completion ? ToJson(*m.completion) : boost::json::value(nullptr)},
        {"overdue", m.overdue}});
  }
  json["members"] = std::move(audience);
  boost::json::array others;
  for (const auto& c : detail.other_completions) others.push_back(ToJson(c));
  json["other_completions"] = std::move(others);
  return json;
}

boost::json::value ToJson(const Awareness& awareness) {
  boost::json::array departments;
  for (const auto& d : awareness.departments) {
    departments.push_back(DepartmentJson(d, awareness.policy_known));
  }
  return boost::json::object{{"as_of", FormatDate(awareness.as_of)},
                             {"policy_acknowledgments_known", awareness.policy_known},
                             {"departments", std::move(departments)},
                             {"total", DepartmentJson(awareness.total, awareness.policy_known)}};
}

}  // namespace certus::people
