#include "cli/tasks_command.hpp"

#include <algorithm>

#include <boost/json.hpp>

#include "modules/tasks/json.hpp"

namespace certus::cli {

Expected<int> Tasks(App& app, const std::string& org, const std::string& assignee, bool overdue,
                    const std::string& format, std::ostream& out) {
  // The operator may name any organization, so the command checks that it exists.
  const auto orgs = CERTUS_TRY(app.identity().ListAllOrgs());
  if (std::none_of(orgs.begin(), orgs.end(), [&](const auto& o) { return o.id.str() == org; })) {
    return Fail(Error::NotFound("Organization"));
  }
  tasks::TaskFilter filter;
  if (!assignee.empty()) filter.assignee = UserId(assignee);
  filter.overdue_only = overdue;
  const OrgId org_id(org);
  auto list = CERTUS_TRY(app.tasks().List(Actor::System(), org_id, filter));
  const Date today = app.tasks().Today();
  if (format == "json") {
    boost::json::array items;
    for (const auto& task : list) items.push_back(tasks::ToJson(org_id, task, today));
    out << boost::json::serialize(boost::json::object{{"items", items}, {"total", list.size()}})
        << "\n";
    return 0;
  }
  out << list.size() << (list.size() == 1 ? " task" : " tasks") << " as of " << FormatDate(today)
      << "\n";
  for (const auto& task : list) {
    out << FormatDate(task.due) << (task.due < today ? " OVERDUE " : "         ") << task.kind
        << (task.scheduled ? " (scheduled)" : "") << "  "
        << (task.owner ? task.owner->str() : std::string("-")) << "  " << task.title << "\n";
  }
  return 0;
}

}  // namespace certus::cli
