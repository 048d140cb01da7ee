#include "modules/leadership/routes.hpp"

#include <cmath>

#include <boost/json.hpp>

#include "http/application.hpp"
#include "http/json.hpp"
#include "http/paging.hpp"
#include "http/problem.hpp"
#include "modules/leadership/json.hpp"

namespace certus::leadership {

namespace {

using http::Access;
using http::Method;
using http::Request;
using http::Response;

constexpr std::size_t kNameMax = 200;
constexpr std::size_t kIdMax = 100;
constexpr std::size_t kTextMax = 20000;
constexpr std::size_t kMaxAssignees = 200;
constexpr std::size_t kMaxCells = 5000;
// A budget of up to ten trillion in minor units fits an int64 many times over.
constexpr std::int64_t kMaxAmountMinor = 1'000'000'000'000'000;

enum class Purpose { kCreate, kPatch };

/// Moves the problems of a finished FieldReader into `errors`.
void Collect(http::FieldReader& fields, std::vector<FieldError>& errors) {
  if (auto done = fields.Finish(); !done) {
    for (const auto& error : done.error().fields()) errors.push_back(error);
  }
}

std::optional<std::string> TextQuery(const Request& request, std::vector<FieldError>& errors) {
  auto text = request.Query("q");
  if (!text || text->empty()) return std::nullopt;
  if (text->size() > 200) {
    errors.push_back({"q", "must be at most 200 characters"});
    return std::nullopt;
  }
  return text;
}

std::optional<bool> BoolQuery(const Request& request, const std::string& name,
                              std::vector<FieldError>& errors) {
  auto value = request.Query(name);
  if (!value) return std::nullopt;
  if (*value == "true") return true;
  if (*value == "false") return false;
  errors.push_back({name, "must be true or false"});
  return std::nullopt;
}

// ------------------------------------------------------------------ roles

/// `assignee_ids`: an array of user ids (membership is the service's rule).
std::optional<std::vector<UserId>> ReadAssignees(boost::json::object& body,
                                                 std::vector<FieldError>& errors) {
  auto it = body.find("assignee_ids");
  if (it == body.end()) return std::nullopt;
  boost::json::value value = it->value();
  body.erase(it);
  std::vector<UserId> ids;
  if (value.is_null()) return ids;
  if (!value.is_array()) {
    errors.push_back({"assignee_ids", "must be an array of user ids"});
    return std::nullopt;
  }
  const auto& items = value.as_array();
  if (items.size() > kMaxAssignees) {
    errors.push_back({"assignee_ids", "must have at most 200 entries"});
    return std::nullopt;
  }
  bool ok = true;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (!items[i].is_string() || items[i].as_string().empty() ||
        items[i].as_string().size() > kIdMax) {
      errors.push_back({"assignee_ids[" + std::to_string(i) + "]", "must be a user id"});
      ok = false;
      continue;
    }
    ids.emplace_back(std::string(items[i].as_string()));
  }
  if (!ok) return std::nullopt;
  return ids;
}

RolePatch ReadRole(const boost::json::object& json, Purpose purpose,
                   std::vector<FieldError>& errors) {
  boost::json::object body = json;
  RolePatch patch;
  patch.assignee_ids = ReadAssignees(body, errors);
  http::FieldReader fields(body);
  patch.name = fields.Text("name", 1, kNameMax);
  patch.description = fields.Text("description", 0, kTextMax);
  patch.responsibilities = fields.Text("responsibilities", 0, kTextMax);
  patch.authorities = fields.Text("authorities", 0, kTextMax);
  patch.top_management = fields.Boolean("top_management");
  patch.isms_owner = fields.Boolean("isms_owner");
  if (purpose == Purpose::kCreate) fields.Require("name");
  Collect(fields, errors);
  return patch;
}

Response ListRoles(LeadershipService& service, Request& request) {
  static const http::PagingRules kRules{LeadershipStore::RoleSortFields(), "name"};
  auto page = http::ParsePageQuery(request, kRules);
  if (!page) return http::ProblemFor(request, page.error());
  std::vector<FieldError> errors;
  RoleFilter filter;
  filter.top_management = BoolQuery(request, "top_management", errors);
  if (auto assignee = request.Query("assignee_id"); assignee && !assignee->empty()) {
    filter.assignee_id = UserId(*assignee);
  }
  filter.text = TextQuery(request, errors);
  if (!errors.empty()) return http::ProblemFor(request, Error::Validation(std::move(errors)));
  return http::Respond(
      request, service.ListRoles(http::ActorOf(request), request.org->org_id, filter, *page),
      [&](const Page<IsmsRole>& result) {
        return Response::Json(
            200, http::PageJson(result, *page, [](const auto& r) { return ToJson(r); }));
      });
}

Response CreateRole(LeadershipService& service, Request& request) {
  if (auto allowed = service.CheckCanWrite(http::ActorOf(request)); !allowed) {
    return http::ProblemFor(request, allowed.error());
  }
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  std::vector<FieldError> errors;
  auto input = ReadRole(*body, Purpose::kCreate, errors);
  if (!errors.empty()) return http::ProblemFor(request, Error::Validation(std::move(errors)));
  return http::Respond(request,
                       service.CreateRole(http::ActorOf(request), request.org->org_id, input),
                       [&](const IsmsRole& role) {
                         Response response = http::WithEtag(201, role);
                         response.SetHeader("Location", "/api/v1/orgs/" + role.org_id.str() +
                                                            "/roles/" + role.id.str());
                         return response;
                       });
}

Response GetRole(LeadershipService& service, Request& request) {
  return http::Respond(
      request,
      service.GetRole(http::ActorOf(request), request.org->org_id, RoleId(request.Param("id"))),
      [](const IsmsRole& role) { return http::WithEtag(200, role); });
}

Response PatchRole(LeadershipService& service, Request& request) {
  if (auto allowed = service.CheckCanWrite(http::ActorOf(request)); !allowed) {
    return http::ProblemFor(request, allowed.error());
  }
  auto version = http::RequireIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  std::vector<FieldError> errors;
  auto patch = ReadRole(*body, Purpose::kPatch, errors);
  if (!errors.empty()) return http::ProblemFor(request, Error::Validation(std::move(errors)));
  return http::Respond(request,
                       service.UpdateRole(http::ActorOf(request), request.org->org_id,
                                          RoleId(request.Param("id")), patch, *version),
                       [](const IsmsRole& role) { return http::WithEtag(200, role); });
}

Response DeleteRole(LeadershipService& service, Request& request) {
  auto version = http::RequireIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  return http::Respond(request,
                       service.DeleteRole(http::ActorOf(request), request.org->org_id,
                                          RoleId(request.Param("id")), *version),
                       [] { return Response::NoContent(); });
}

// ------------------------------------------------------------------ RACI

/// The PUT body: `{"assignments": [{"process", "role_id", "responsibility"}]}`, the whole
/// matrix. What a GET answers besides (processes, roles, version, …) may be sent back and
/// is ignored.
Expected<std::vector<RaciCell>> ReadRaci(const boost::json::object& body) {
  static const std::vector<std::string> kLetters = {"R", "A", "C", "I"};
  std::vector<FieldError> errors;
  std::vector<RaciCell> cells;
  const auto* assignments = body.if_contains("assignments");
  if (assignments == nullptr || assignments->is_null()) {
    errors.push_back({"assignments", "is required"});
  } else if (!assignments->is_array()) {
    errors.push_back({"assignments", "must be an array"});
  } else if (assignments->as_array().size() > kMaxCells) {
    errors.push_back({"assignments", "must have at most 5000 entries"});
  } else {
    const auto& items = assignments->as_array();
    for (std::size_t i = 0; i < items.size(); ++i) {
      const std::string at = "assignments[" + std::to_string(i) + "]";
      if (!items[i].is_object()) {
        errors.push_back({at, "must be an object"});
        continue;
      }
      http::FieldReader fields(items[i].as_object());
      for (auto name : {"process", "role_id", "responsibility"}) fields.Require(name);
      RaciCell cell;
      cell.process = fields.Text("process", 1, kIdMax).value_or("");
      cell.role_id = RoleId(fields.Text("role_id", 1, kIdMax).value_or(""));
      if (auto letter = fields.OneOf("responsibility", kLetters)) {
        cell.responsibility = *ParseResponsibility(*letter);
      }
      if (auto done = fields.Finish(); !done) {
        for (const auto& error : done.error().fields())
          errors.push_back({at + "." + error.field, error.message});
      }
      cells.push_back(std::move(cell));
    }
  }
  for (const auto& [key, value] : body) {
    if (key != "assignments" && key != "processes" && key != "roles" && key != "version" &&
        key != "updated_at" && key != "updated_by_email") {
      errors.push_back({std::string(key), "is not a known field"});
    }
  }
  if (errors.empty()) {
    for (auto& problem : LeadershipService::RaciProblems(cells)) errors.push_back(problem);
  }
  if (!errors.empty()) return Fail(Error::Validation(std::move(errors)));
  return cells;
}

Response GetRaci(LeadershipService& service, Request& request) {
  return http::Respond(request, service.GetRaci(http::ActorOf(request), request.org->org_id),
                       [](const RaciMatrix& matrix) { return http::WithEtag(200, matrix); });
}

Response PutRaci(LeadershipService& service, Request& request) {
  if (auto allowed = service.CheckCanWrite(http::ActorOf(request)); !allowed) {
    return http::ProblemFor(request, allowed.error());
  }
  auto version = http::RequireIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  auto cells = ReadRaci(*body);
  if (!cells) return http::ProblemFor(request, cells.error());
  return http::Respond(
      request, service.PutRaci(http::ActorOf(request), request.org->org_id, *cells, *version),
      [](const RaciMatrix& matrix) { return http::WithEtag(200, matrix); });
}

// ------------------------------------------------------------------ records

/// `budget`: null, or `{"amount": "1234.56" | 1234.56, "currency": "EUR"}`.
std::optional<std::optional<Budget>> ReadBudget(boost::json::object& body,
                                                std::vector<FieldError>& errors) {
  auto it = body.find("budget");
  if (it == body.end()) return std::nullopt;
  boost::json::value value = it->value();
  body.erase(it);
  if (value.is_null()) return std::optional<Budget>();
  if (!value.is_object()) {
    errors.push_back({"budget", "must be an object with amount and currency, or null"});
    return std::nullopt;
  }
  boost::json::object object = value.as_object();
  Budget budget;
  bool ok = true;
  const auto amount_error = [&] {
    errors.push_back({"budget.amount", "must be a non-negative amount with at most two decimals"});
    ok = false;
  };
  if (auto* amount = object.if_contains("amount"); amount == nullptr || amount->is_null()) {
    errors.push_back({"budget.amount", "is required"});
    ok = false;
  } else if (amount->is_int64() || amount->is_uint64()) {
    const auto whole = amount->is_int64() ? amount->as_int64()
                                          : static_cast<std::int64_t>(std::min<std::uint64_t>(
                                                amount->as_uint64(), kMaxAmountMinor));
    if (whole < 0 || whole > kMaxAmountMinor / 100) {
      amount_error();
    } else {
      budget.amount_minor = whole * 100;
    }
  } else if (amount->is_double()) {
    const double cents = amount->as_double() * 100.0;
    const double rounded = std::round(cents);
    if (!std::isfinite(cents) || cents < 0 || rounded > static_cast<double>(kMaxAmountMinor) ||
        std::abs(cents - rounded) > 1e-6 * std::max(1.0, rounded)) {
      amount_error();
    } else {
      budget.amount_minor = static_cast<std::int64_t>(rounded);
    }
  } else if (amount->is_string()) {
    const std::string text(amount->as_string());
    const auto dot = text.find('.');
    const std::string whole = text.substr(0, dot);
    const std::string fraction = dot == std::string::npos ? "" : text.substr(dot + 1);
    const auto digits = [](const std::string& s) {
      return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    if (whole.empty() || whole.size() > 15 || !digits(whole) || !digits(fraction) ||
        fraction.size() > 2 || (dot != std::string::npos && fraction.empty())) {
      amount_error();
    } else {
      budget.amount_minor = std::stoll(whole) * 100 +
                            (fraction.empty() ? 0 : std::stoll((fraction + "0").substr(0, 2)));
    }
  } else {
    amount_error();
  }
  object.erase("amount");
  http::FieldReader fields(object);
  fields.Require("currency");
  if (auto currency = fields.Text("currency", 3, 3)) {
    if (std::all_of(currency->begin(), currency->end(),
                    [](char c) { return c >= 'A' && c <= 'Z'; })) {
      budget.currency = *currency;
    } else {
      fields.AddError("currency", "must be an ISO 4217 code of three capital letters (EUR)");
    }
  }
  if (auto done = fields.Finish(); !done) {
    for (const auto& error : done.error().fields())
      errors.push_back({"budget." + error.field, error.message});
    ok = false;
  }
  if (!ok) return std::nullopt;
  return std::optional<Budget>(budget);
}

RecordPatch ReadRecord(const LeadershipService& service, const boost::json::object& json,
                       Purpose purpose, std::vector<FieldError>& errors) {
  boost::json::object body = json;
  RecordPatch patch;
  patch.budget = ReadBudget(body, errors);
  http::FieldReader fields(body);
  if (auto kind = fields.OneOf("kind", RecordKindNames())) patch.kind = ParseRecordKind(*kind);
  if (auto date = fields.NullableDate("date")) {
    if (*date) {
      patch.date = **date;
      if (auto problem = service.DateProblem(**date); !problem.empty()) {
        fields.AddError("date", problem);
      }
    } else {
      fields.AddError("date", "must be a date (YYYY-MM-DD)");
    }
  }
  patch.decision = fields.Text("decision", 1, kTextMax);
  if (auto by = fields.Text("decided_by", 1, kIdMax)) patch.decided_by = UserId(*by);
  if (auto review = fields.NullableText("management_review_id", kIdMax)) {
    if (*review && (*review)->empty()) *review = std::nullopt;
    patch.management_review_id = *review;
  }
  patch.notes = fields.Text("notes", 0, kTextMax);
  if (purpose == Purpose::kCreate) {
    for (auto name : {"kind", "date", "decision", "decided_by"}) fields.Require(name);
  }
  Collect(fields, errors);
  return patch;
}

Response ListRecords(LeadershipService& service, Request& request) {
  static const http::PagingRules kRules{LeadershipStore::RecordSortFields(), "-date"};
  auto page = http::ParsePageQuery(request, kRules);
  if (!page) return http::ProblemFor(request, page.error());
  std::vector<FieldError> errors;
  RecordFilter filter;
  if (auto kind = request.Query("kind")) {
    filter.kind = ParseRecordKind(*kind);
    if (!filter.kind) {
      errors.push_back({"kind", "must be one of: commitment, resource_decision, other"});
    }
  }
  if (auto by = request.Query("decided_by"); by && !by->empty()) filter.decided_by = UserId(*by);
  filter.text = TextQuery(request, errors);
  if (!errors.empty()) return http::ProblemFor(request, Error::Validation(std::move(errors)));
  return http::Respond(
      request, service.ListRecords(http::ActorOf(request), request.org->org_id, filter, *page),
      [&](const Page<LeadershipRecord>& result) {
        return Response::Json(
            200, http::PageJson(result, *page, [](const auto& r) { return ToJson(r); }));
      });
}

Response CreateRecord(LeadershipService& service, Request& request) {
  if (auto allowed = service.CheckCanWrite(http::ActorOf(request)); !allowed) {
    return http::ProblemFor(request, allowed.error());
  }
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  std::vector<FieldError> errors;
  auto input = ReadRecord(service, *body, Purpose::kCreate, errors);
  if (!errors.empty()) return http::ProblemFor(request, Error::Validation(std::move(errors)));
  return http::Respond(
      request, service.CreateRecord(http::ActorOf(request), request.org->org_id, input),
      [&](const LeadershipRecord& record) {
        Response response = http::WithEtag(201, record);
        response.SetHeader("Location", "/api/v1/orgs/" + record.org_id.str() +
                                           "/leadership-records/" + record.id.str());
        return response;
      });
}

Response GetRecord(LeadershipService& service, Request& request) {
  return http::Respond(
      request,
      service.GetRecord(http::ActorOf(request), request.org->org_id, RecordId(request.Param("id"))),
      [](const LeadershipRecord& record) { return http::WithEtag(200, record); });
}

Response PatchRecord(LeadershipService& service, Request& request) {
  if (auto allowed = service.CheckCanWrite(http::ActorOf(request)); !allowed) {
    return http::ProblemFor(request, allowed.error());
  }
  auto version = http::RequireIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  std::vector<FieldError> errors;
  auto patch = ReadRecord(service, *body, Purpose::kPatch, errors);
  if (!errors.empty()) return http::ProblemFor(request, Error::Validation(std::move(errors)));
  return http::Respond(request,
                       service.UpdateRecord(http::ActorOf(request), request.org->org_id,
                                            RecordId(request.Param("id")), patch, *version),
                       [](const LeadershipRecord& record) { return http::WithEtag(200, record); });
}

}  // namespace

void AddRoutes(http::Router& router, LeadershipService& service) {
  auto& s = service;
  const std::string roles = "/api/v1/orgs/{org}/roles";
  router.Add(Method::kGet, roles, Access::kUser, [&s](Request& r) { return ListRoles(s, r); });
  router.Add(Method::kPost, roles, Access::kUser, [&s](Request& r) { return CreateRole(s, r); });
  router.Add(Method::kGet, roles + "/{id}", Access::kUser,
             [&s](Request& r) { return GetRole(s, r); });
  router.Add(Method::kPatch, roles + "/{id}", Access::kUser,
             [&s](Request& r) { return PatchRole(s, r); });
  router.Add(Method::kDelete, roles + "/{id}", Access::kUser,
             [&s](Request& r) { return DeleteRole(s, r); });

  const std::string raci = "/api/v1/orgs/{org}/raci";
  router.Add(Method::kGet, raci, Access::kUser, [&s](Request& r) { return GetRaci(s, r); });
  router.Add(Method::kPut, raci, Access::kUser, [&s](Request& r) { return PutRaci(s, r); });

  const std::string records = "/api/v1/orgs/{org}/leadership-records";
  router.Add(Method::kGet, records, Access::kUser, [&s](Request& r) { return ListRecords(s, r); });
  router.Add(Method::kPost, records, Access::kUser,
             [&s](Request& r) { return CreateRecord(s, r); });
  router.Add(Method::kGet, records + "/{id}", Access::kUser,
             [&s](Request& r) { return GetRecord(s, r); });
  router.Add(Method::kPatch, records + "/{id}", Access::kUser,
             [&s](Request& r) { return PatchRecord(s, r); });
}

}  // namespace certus::leadership
