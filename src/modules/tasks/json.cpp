#include "modules/tasks/json.hpp"

namespace certus::tasks {

std::string LinkOf(const OrgId& org, const Task& task) {
  std::string base = "/orgs/" + org.str();
  const std::string& id = task.source_id;
  const std::string& type = task.source_type;
  if (type == "risk") return base + "/risks?risk=" + id;
  if (type == "nonconformity") return base + "/nonconformities/" + id;
  if (type == "management_review") {
    // A scheduled review has no record yet: the register is where one plans it.
    return task.scheduled ? base + "/management-reviews" : base + "/management-reviews/" + id;
  }
  if (type == "organization") return base + "/management-reviews";
  if (type == "document") return base + "/documents/" + id;
  if (type == "audit") return base + "/audits/" + id;
  if (type == "audit_programme") return base + "/audit-programmes/" + id;
  if (type == "evidence") return base + "/evidence/" + id;
  if (type == "training") return base + "/trainings/" + id;
  if (type == "person") return base + "/people/" + id;
  if (type == "metric") return base + "/metrics/" + id;
  if (type == "risk_assessment" || type == "risk_methodology") return base + "/risk-assessments";
  return base;
}

boost::json::object ToJson(const OrgId& org, const Task& task, Date today) {
  return {{"kind", task.kind},
          {"source_type", task.source_type},
          {"source_id", task.source_id},
          {"ref", task.ref},
          {"title", task.title},
          {"owner", task.owner ? boost::json::value(task.owner->str()) : boost::json::value()},
          {"due", FormatDate(task.due)},
          {"overdue", task.due < today},
          {"scheduled", task.scheduled},
          {"key", task.key},
          {"link", LinkOf(org, task)}};
}

}  // namespace certus::tasks
