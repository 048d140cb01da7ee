#include "modules/tasks/service.hpp"

#include <algorithm>
#include <tuple>

#include "modules/objectives/model.hpp"

namespace certus::tasks {

namespace {

/// The default interval of the management review (ISO 27001 9.3.1: "at planned intervals";
/// certification bodies expect at least one a year).
constexpr std::int64_t kReviewIntervalMonths = 12;

Date AddMonths(Date date, std::int64_t months) {
  Date next = date + std::chrono::months(months);
  if (!next.ok()) next = next.year() / next.month() / std::chrono::last;
  return next;
}

Date AddDays(Date date, int days) {
  return Date(std::chrono::sys_days(date) + std::chrono::days(days));
}

/// The day a metric's next measurement is due after `last` (ISO 27001 9.1 b, c), by the
/// objectives module's own rule, so that the task and the metric's `due_on` agree.
Date NextMeasurement(Date last, const std::string& frequency) {
  return objectives::NextDue(
      last, objectives::ParseFrequency(frequency).value_or(objectives::Frequency::kMonthly));
}

Task Scheduled(std::string kind, std::string source_type, std::string source_id, std::string ref,
               std::string title, std::optional<UserId> owner, Date due) {
  Task task;
  task.kind = std::move(kind);
  task.source_type = std::move(source_type);
  task.source_id = std::move(source_id);
  task.ref = std::move(ref);
  task.title = std::move(title);
  task.owner = std::move(owner);
  task.due = due;
  task.scheduled = true;
  task.key = task.kind + ":" + task.source_id + ":" + FormatDate(due);
  return task;
}

/// The list order: due date, kind, ref, then the unique key (TaskStore orders each source
/// the same way in SQL).
void SortTasks(std::vector<Task>& tasks) {
  std::sort(tasks.begin(), tasks.end(), [](const Task& a, const Task& b) {
    return std::tie(a.due, a.kind, a.ref, a.key) < std::tie(b.due, b.kind, b.ref, b.key);
  });
}

void Append(std::vector<Task>& into, std::vector<Task>&& more) {
  into.insert(into.end(), std::make_move_iterator(more.begin()),
              std::make_move_iterator(more.end()));
}

}  // namespace

Date TaskService::Today() const { return DateOf(clock_.Now()); }

Expected<std::optional<DueRange>> TaskService::RangeOf(const Actor& actor,
                                                       const TaskFilter& filter) const {
  if (!actor.role && !actor.installation_admin) return Fail(Error::NotFound("Organization"));
  if (filter.from && filter.to && *filter.from > *filter.to) {
    return Fail(Error::Field("from", "must not be after to"));
  }
  DueRange range;
  if (filter.from) range.from = FormatDate(*filter.from);
  auto lower_to = [&range](Date date) { range.to = std::min(range.to, FormatDate(date)); };
  if (filter.to) lower_to(*filter.to);
  if (filter.due_before) lower_to(*filter.due_before);
  if (filter.overdue_only) lower_to(AddDays(Today(), -1));
  if (range.from > range.to) return std::optional<DueRange>();
  return std::optional<DueRange>(range);
}

Expected<std::vector<Task>> TaskService::List(const Actor& actor, const OrgId& org,
                                              const TaskFilter& filter) {
  auto range = CERTUS_TRY(RangeOf(actor, filter));
  if (!range) return std::vector<Task>();
  return Collect(org, *range, filter.assignee);
}

TaskPosition TaskService::PositionOf(const Task& task) {
  return {FormatDate(task.due), task.kind, task.ref, task.key};
}

Expected<TaskPage> TaskService::Page(const Actor& actor, const OrgId& org, const TaskFilter& filter,
                                     int limit, const std::optional<TaskPosition>& after) {
  auto range = CERTUS_TRY(RangeOf(actor, filter));
  TaskPage page;
  if (!range) return page;
  auto tx = CERTUS_TRY(db_.Begin(storage::TxMode::kRead));
  // One more row than the page from each source tells whether another page follows: if any
  // source has more than `limit` left, the merge holds more than `limit`.
  const SourceQuery query{
      .range = *range, .owner = filter.assignee, .after = after, .limit = limit + 1};
  std::vector<Task> tasks;
  for (const Source source : kSources) {
    Append(tasks, CERTUS_TRY(store_.Read(*tx, org, source, query)));
    page.total += CERTUS_TRY(store_.Count(*tx, org, source, query));
  }
  for (auto& task : CERTUS_TRY(Computed(*tx, org, *range))) {
    if (filter.assignee && task.owner != filter.assignee) continue;
    ++page.total;
    if (after && PositionOf(task) <= *after) continue;
    tasks.push_back(std::move(task));
  }
  SortTasks(tasks);
  const auto count = static_cast<std::size_t>(limit);
  if (tasks.size() > count) {
    tasks.resize(count);
    page.next = PositionOf(tasks.back());
  }
  page.items = std::move(tasks);
  return page;
}

Expected<std::vector<Task>> TaskService::DueBy(const OrgId& org, Date to) {
  DueRange range;
  range.to = FormatDate(to);
  return Collect(org, range, std::nullopt);
}

Expected<std::vector<Task>> TaskService::Collect(const OrgId& org, const DueRange& range,
                                                 const std::optional<UserId>& owner) {
  auto tx = CERTUS_TRY(db_.Begin(storage::TxMode::kRead));
  const SourceQuery query{.range = range, .owner = owner};
  std::vector<Task> tasks;
  for (const Source source : kSources) {
    Append(tasks, CERTUS_TRY(store_.Read(*tx, org, source, query)));
  }
  for (auto& task : CERTUS_TRY(Computed(*tx, org, range))) {
    if (!owner || task.owner == owner) tasks.push_back(std::move(task));
  }
  SortTasks(tasks);
  return tasks;
}

Expected<std::vector<Task>> TaskService::Computed(storage::Transaction& tx, const OrgId& org,
                                                  const DueRange& range) {
  std::vector<Task> tasks;
  // ISO 27001 8.2: risk assessments at planned intervals, the interval being the approved
  // methodology's; the first one is due as soon as a methodology is approved.
  if (auto basis = CERTUS_TRY(store_.Reassessment(tx, org))) {
    Task task =
        basis->assessed_on
            ? Scheduled("risk_reassessment", "risk_assessment", *basis->assessment_id,
                        basis->assessment_ref,
                        "Reassess the risks (every " + std::to_string(basis->interval_months) +
                            " months; last retained assessment " + basis->assessment_ref + ")",
                        std::nullopt, AddMonths(*basis->assessed_on, basis->interval_months))
            : Scheduled("risk_reassessment", "risk_methodology", basis->methodology_id, "",
                        "Retain the first risk assessment under the approved methodology",
                        std::nullopt, basis->approved_on);
    if (range.Contains(task.due)) tasks.push_back(std::move(task));
  }

  // ISO 27001 9.3.1: management reviews at planned intervals. A planned review is the duty;
  // without one, the next is scheduled an interval after the last held one (or after the
  // organization started).
  auto reviews = CERTUS_TRY(store_.Reviews(tx, org));
  bool planned = false;
  const ReviewRow* last_held = nullptr;
  for (const auto& review : reviews) {
    if (review.status == "planned") {
      planned = true;
      if (range.Contains(review.planned_on)) {
        Task task = Scheduled("management_review", "management_review", review.id, review.ref,
                              "Hold management review " + review.ref + " " + review.title,
                              std::nullopt, review.planned_on);
        task.scheduled = false;
        tasks.push_back(std::move(task));
      }
    } else if (review.held_on && (!last_held || *review.held_on > *last_held->held_on)) {
      last_held = &review;
    }
  }
  if (!planned) {
    const auto months =
        CERTUS_TRY(store_.ReviewIntervalMonths(tx, org)).value_or(kReviewIntervalMonths);
    std::optional<Task> next;
    if (last_held) {
      next = Scheduled("management_review", "management_review", last_held->id, last_held->ref,
                       "Hold the next management review (" + std::to_string(months) +
                           " months after " + last_held->ref + ")",
                       std::nullopt, AddMonths(*last_held->held_on, months));
    } else if (auto started = CERTUS_TRY(store_.OrgCreatedOn(tx, org))) {
      next =
          Scheduled("management_review", "organization", org.str(), "",
                    "Hold the first management review", std::nullopt, AddMonths(*started, months));
    }
    if (next && range.Contains(next->due)) tasks.push_back(std::move(*next));
  }

  // ISO 27001 9.1: each metric measured at its frequency.
  for (auto& metric : CERTUS_TRY(store_.ActiveMetrics(tx, org))) {
    const Date due =
        NextMeasurement(metric.last_measured_on.value_or(metric.created_on), metric.frequency);
    if (!range.Contains(due)) continue;
    tasks.push_back(Scheduled(
        "measurement", "metric", metric.id, metric.ref,
        "Measure metric " + metric.ref + " " + metric.name + " (" + metric.frequency + ")",
        UserId(metric.owner_id), due));
  }

  return tasks;
}

}  // namespace certus::tasks
