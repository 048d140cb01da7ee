#pragma once

#include <optional>
#include <vector>

#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "modules/tasks/model.hpp"
#include "modules/tasks/store.hpp"
#include "storage/database.hpp"

namespace certus::tasks {

/// One page of the tasks list.
struct TaskPage {
  std::vector<Task> items;
  /// Where the next page starts (the last item's position); nullopt on the last page.
  std::optional<TaskPosition> next;
  /// How many tasks the filter matches, on every page.
  std::int64_t total = 0;
};

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
  /// The page of `limit` tasks after `after` (from the start without it) in the order of
  /// List, and the total the filter matches. Reads at most `limit + 1` rows of each stored
  /// source through SQL (ADR 0010), not every task. kValidation as List.
  Expected<TaskPage> Page(const Actor& actor, const OrgId& org, const TaskFilter& filter, int limit,
                          const std::optional<TaskPosition>& after);
  /// A task's place in the list order, for a cursor.
  static TaskPosition PositionOf(const Task& task);
  /// For the scheduler (no actor, no permission check): every open task of `org` due on
  /// or before `to`, overdue ones included.
  Expected<std::vector<Task>> DueBy(const OrgId& org, Date to);

  /// Today by the service's clock (UTC): a task due before it is overdue.
  Date Today() const;

 private:
  /// The range of due dates `filter` asks for; nullopt when it is empty.
  Expected<std::optional<DueRange>> RangeOf(const Actor& actor, const TaskFilter& filter) const;
  /// Every task due within `range` (of `owner` when set), sorted.
  Expected<std::vector<Task>> Collect(const OrgId& org, const DueRange& range,
                                      const std::optional<UserId>& owner);
  /// The recurring duties computed from schedules (a handful per organization), due within
  /// `range`, unsorted.
  Expected<std::vector<Task>> Computed(storage::Transaction& tx, const OrgId& org,
                                       const DueRange& range);

  storage::Database& db_;
  const Clock& clock_;
  TaskStore store_;
};

}  // namespace certus::tasks
