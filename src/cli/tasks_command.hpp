#pragma once

#include <ostream>
#include <string>

#include "cli/app.hpp"
#include "core/error.hpp"

namespace certus::cli {

/// `certus tasks --org ID [--assignee USER] [--overdue] [--format text|json]`: the tasks of
/// GET /api/v1/orgs/{org}/tasks, as the installation operator. `assignee` is a user id. Prints
/// the same JSON as the API, or one line per task (due date, overdue mark, kind, owner,
/// title). Exit status 0.
Expected<int> Tasks(App& app, const std::string& org, const std::string& assignee, bool overdue,
                    const std::string& format, std::ostream& out);

}  // namespace certus::cli
