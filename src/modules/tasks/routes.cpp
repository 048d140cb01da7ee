#include "modules/tasks/routes.hpp"

#include <optional>

#include <boost/json.hpp>

#include "http/application.hpp"
#include "http/json.hpp"
#include "http/paging.hpp"
#include "http/problem.hpp"
#include "modules/tasks/json.hpp"

namespace certus::tasks {

namespace {

using http::Access;
using http::Method;
using http::Request;
using http::Response;

/// The widest calendar one request may ask for: a year and about a month either side.
constexpr int kMaxCalendarDays = 400;

/// Ids are UUIDs (core/uuid.hpp): 8-4-4-4-12 hexadecimal digits.
bool IsUuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!std::isxdigit(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return true;
}

/// Reads an optional date parameter; a bad one becomes a field error.
std::optional<Date> DateParam(const Request& request, const char* name,
                              std::vector<FieldError>& errors) {
  auto text = request.Query(name);
  if (!text) return std::nullopt;
  auto date = ParseDate(*text);
  if (!date) errors.push_back({name, "must be a date YYYY-MM-DD"});
  return date;
}

boost::json::array Items(const OrgId& org, const std::vector<Task>& tasks, Date today) {
  boost::json::array items;
  items.reserve(tasks.size());
  for (const auto& task : tasks) items.push_back(ToJson(org, task, today));
  return items;
}

/// Tasks come in due order (TaskService::Page): due date, kind, ref, then the unique key.
const http::PagingRules kTaskPaging{.sorts = {"due"}, .default_sort = "due"};

/// A task's place in that order as a cursor: the key is unique, the rest orders.
Cursor CursorOf(const TaskPosition& at) {
  return {at.due + '\n' + at.kind + '\n' + at.ref, at.key};
}

/// The position a cursor names; nullopt when it cannot be one of CursorOf's.
std::optional<TaskPosition> PositionOf(const Cursor& cursor) {
  const auto first = cursor.sort_key.find('\n');
  if (first == std::string::npos) return std::nullopt;
  const auto second = cursor.sort_key.find('\n', first + 1);
  if (second == std::string::npos) return std::nullopt;
  return TaskPosition{cursor.sort_key.substr(0, first),
                      cursor.sort_key.substr(first + 1, second - first - 1),
                      cursor.sort_key.substr(second + 1), cursor.id};
}

Response List(TaskService& service, Request& request) {
  const Actor actor = http::ActorOf(request);
  auto page = http::ParsePageQuery(request, kTaskPaging);
  if (!page) return http::ProblemFor(request, page.error());
  std::vector<FieldError> errors;
  TaskFilter filter;
  if (auto assignee = request.Query("assignee")) {
    if (*assignee == "me") {
      filter.assignee = actor.user_id;
    } else if (IsUuid(*assignee)) {
      filter.assignee = UserId(*assignee);
    } else {
      errors.push_back({"assignee", "must be \"me\" or a user id"});
    }
  }
  if (auto overdue = request.Query("overdue")) {
    if (*overdue == "true") {
      filter.overdue_only = true;
    } else if (*overdue != "false") {
      errors.push_back({"overdue", "must be true or false"});
    }
  }
  filter.due_before = DateParam(request, "due_before", errors);
  filter.from = DateParam(request, "from", errors);
  filter.to = DateParam(request, "to", errors);
  if (!errors.empty()) return http::ProblemFor(request, Error::Validation(std::move(errors)));
  std::optional<TaskPosition> after;
  if (page->after) {
    after = PositionOf(*page->after);
    if (!after) {
      return http::ProblemFor(
          request, Error::Field("cursor", "is not a cursor of this listing and sort order"));
    }
  }
  const OrgId org = request.org->org_id;
  return http::Respond(
      request, service.Page(actor, org, filter, page->limit, after), [&](const TaskPage& tasks) {
        const Date today = service.Today();
        Page<Task> items{.items = tasks.items};
        if (tasks.next) items.next = CursorOf(*tasks.next);
        auto body = http::PageJson(items, *page,
                                   [&](const Task& task) { return ToJson(org, task, today); });
        body["total"] = tasks.total;
        return Response::Json(200, body);
      });
}

Response Calendar(TaskService& service, Request& request) {
  std::vector<FieldError> errors;
  TaskFilter filter;
  filter.from = DateParam(request, "from", errors);
  filter.to = DateParam(request, "to", errors);
  if (!request.Query("from")) errors.push_back({"from", "is required"});
  if (!request.Query("to")) errors.push_back({"to", "is required"});
  if (errors.empty() && *filter.from <= *filter.to &&
      std::chrono::sys_days(*filter.to) - std::chrono::sys_days(*filter.from) >
          std::chrono::days(kMaxCalendarDays)) {
    errors.push_back(
        {"to", "must be at most " + std::to_string(kMaxCalendarDays) + " days after from"});
  }
  if (!errors.empty()) return http::ProblemFor(request, Error::Validation(std::move(errors)));
  const OrgId org = request.org->org_id;
  return http::Respond(request, service.List(http::ActorOf(request), org, filter),
                       [&](const std::vector<Task>& tasks) {
                         boost::json::object body;
                         body["from"] = FormatDate(*filter.from);
                         body["to"] = FormatDate(*filter.to);
                         body["items"] = Items(org, tasks, service.Today());
                         return Response::Json(200, body);
                       });
}

}  // namespace

void AddRoutes(http::Router& router, TaskService& service) {
  auto& s = service;
  router.Add(Method::kGet, "/api/v1/orgs/{org}/tasks", Access::kUser,
             [&s](Request& r) { return List(s, r); });
  router.Add(Method::kGet, "/api/v1/orgs/{org}/calendar", Access::kUser,
             [&s](Request& r) { return Calendar(s, r); });
}

}  // namespace certus::tasks
