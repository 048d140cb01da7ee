#pragma once

#include <vector>

#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "modules/tasks/model.hpp"
#include "modules/tasks/store.hpp"
#include "storage/database.hpp"

namespace certus::tasks {

/// Every dated duty of the ISMS (issue 7 item 2), read from the tables of the modules that own
/// them through TaskStore (docs/adr/0010-tasks-read-model.md), never stored, never written.
/// Recurring activities are scheduled here: the risk reassessment per the approved
/// methodology's interval (8.2), the yearly management review (9.3), the audits of a programme
/// that has none yet (9.2) and the measurements of each metric per its frequency (9.1).
/// Thread-safe: it holds no state besides its borrowed references.
class TaskService final {
 public:
  /// Borrows the database and the clock, which must outlive the service.
  TaskService(storage::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  /// The tasks of `org` the actor may see (every member sees all), filtered; sorted by
  /// due date, then kind, then ref. kValidation for from after to.
  Expected<std::vector<Task>> List(const Actor& actor, const OrgId& org, const TaskFilter& filter);
  /// For the scheduler (no actor, no permission check): every open task of `org` due on
  /// or before `to`, overdue ones included.
  Expected<std::vector<Task>> DueBy(const OrgId& org, Date to);

  /// Today by the service's clock (UTC): a task due before it is overdue.
  Date Today() const;

 private:
  Expected<std::vector<Task>> Collect(const OrgId& org, const DueRange& range);

  storage::Database& db_;
  const Clock& clock_;
  TaskStore store_;
};

}  // namespace certus::tasks
