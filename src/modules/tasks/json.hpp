#pragma once

#include <string>

#include <boost/json.hpp>

#include "core/strong_id.hpp"
#include "core/time.hpp"
#include "modules/tasks/model.hpp"

namespace certus::tasks {

/// The web UI path of a task's source (web/src/lib/router.ts), for links.
std::string LinkOf(const OrgId& org, const Task& task);

/// `{"kind", "source_type", "source_id", "ref", "title", "owner", "due", "overdue",
/// "scheduled", "key", "link"}`; overdue means due before `today`.
boost::json::object ToJson(const OrgId& org, const Task& task, Date today);

}  // namespace certus::tasks
