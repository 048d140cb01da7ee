#include "modules/incidents/routes.hpp"

#include <boost/json.hpp>

#include "http/application.hpp"
#include "http/json.hpp"
#include "http/paging.hpp"
#include "http/problem.hpp"
#include "modules/communication/read_ids.hpp"
#include "modules/incidents/json.hpp"

namespace certus::incidents {

namespace {

using http::Access;
using http::Method;
using http::Request;
using http::Response;

constexpr std::size_t kTitleMax = 300;
constexpr std::size_t kIdMax = 100;
constexpr std::size_t kTextMax = 20000;
constexpr std::size_t kMaxLinks = 100;

enum class Purpose { kCreate, kPatch };

void Collect(http::FieldReader& fields, std::vector<FieldError>& errors) {
  if (auto done = fields.Finish(); !done) {
    for (const auto& error : done.error().fields()) errors.push_back(error);
  }
}

Response Invalid(Request& request, std::vector<FieldError> errors) {
  return http::ProblemFor(request, Error::Validation(std::move(errors)));
}

/// An RFC 3339 timestamp field, in the canonical UTC form the server stores.
std::optional<std::string> TimestampField(http::FieldReader& fields, const char* name) {
  auto text = fields.Text(name, 1, 64);
  if (!text) return std::nullopt;
  auto at = ParseTimestamp(*text);
  if (!at) {
    fields.AddError(name, "must be an RFC 3339 timestamp, e.g. 2026-03-01T09:30:00Z");
    return std::nullopt;
  }
  return FormatTimestamp(*at);
}

IncidentPatch ReadIncident(const boost::json::object& json, Purpose purpose,
                           std::vector<FieldError>& errors) {
  boost::json::object body = json;
  IncidentPatch patch;
  patch.asset_ids = communication::ReadIds(body, "asset_ids", kMaxLinks, errors);
  patch.risk_ids = communication::ReadIds(body, "risk_ids", kMaxLinks, errors);
  patch.nonconformity_ids = communication::ReadIds(body, "nonconformity_ids", kMaxLinks, errors);
  // What the server keeps, echoed back by clients that send what they read.
  for (auto name : {"status", "reported_by", "reported_by_email", "triaged_at", "contained_at",
                    "resolved_at", "closed_at", "closed_by", "reopen_count", "hours_to_contain",
                    "hours_to_resolve", "assets", "risks", "nonconformities"}) {
    body.erase(name);
  }
  http::FieldReader fields(body);
  patch.title = fields.Text("title", 1, kTitleMax);
  patch.description = fields.Text("description", 0, kTextMax);
  if (auto category = fields.OneOf("category", CategoryNames())) {
    patch.category = ParseCategory(*category);
  }
  if (auto severity = fields.OneOf("severity", SeverityNames())) {
    patch.severity = ParseSeverity(*severity);
  }
  patch.detected_at = TimestampField(fields, "detected_at");
  patch.reported_at = TimestampField(fields, "reported_at");
  if (auto owner = fields.Text("owner_id", 1, kIdMax)) patch.owner_id = UserId(*owner);
  patch.resolution = fields.Text("resolution", 0, kTextMax);
  patch.lessons_learned = fields.Text("lessons_learned", 0, kTextMax);
  patch.personal_data_involved = fields.Boolean("personal_data_involved");
  patch.notification_notes = fields.Text("notification_notes", 0, kTextMax);
  if (purpose == Purpose::kCreate) {
    fields.Require("title");
    fields.Require("severity");
    fields.Require("detected_at");
  }
  Collect(fields, errors);
  return patch;
}

/// `?name=` one of `allowed`, or a field error naming them.
template <typename T, typename Parse>
std::optional<T> EnumQuery(const Request& request, const std::string& name, Parse parse,
                           const std::vector<std::string>& allowed,
                           std::vector<FieldError>& errors) {
  auto value = request.Query(name);
  if (!value || value->empty()) return std::nullopt;
  if (auto parsed = parse(*value)) return parsed;
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
  errors.push_back({name, "must be one of: " + list});
  return std::nullopt;
}

Response List(IncidentService& service, Request& request) {
  static const http::PagingRules kRules{IncidentStore::SortFields(), "-detected_at"};
  auto page = http::ParsePageQuery(request, kRules);
  if (!page) return http::ProblemFor(request, page.error());
  std::vector<FieldError> errors;
  IncidentFilter filter;
  if (auto status = request.Query("status"); status && !status->empty()) {
    std::string_view rest = *status;
    while (!rest.empty()) {
      auto comma = rest.find(',');
      if (auto parsed = ParseStatus(rest.substr(0, comma))) {
        filter.statuses.push_back(*parsed);
      } else {
        errors.push_back({"status",
                          "must be a comma-separated list of: new, triaged, contained, resolved, "
                          "closed"});
        break;
      }
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  if (auto open = request.Query("open"); open && !open->empty()) {
    if (*open == "true") {
      filter.open_only = true;
    } else if (*open != "false") {
      errors.push_back({"open", "must be true or false"});
    }
  }
  filter.severity =
      EnumQuery<Severity>(request, "severity", ParseSeverity, SeverityNames(), errors);
  filter.category =
      EnumQuery<Category>(request, "category", ParseCategory, CategoryNames(), errors);
  if (auto owner = request.Query("owner_id"); owner && !owner->empty()) {
    filter.owner_id = *owner == "me" ? http::ActorOf(request).user_id : UserId(*owner);
  }
  if (auto asset = request.Query("asset_id"); asset && !asset->empty()) filter.asset_id = *asset;
  if (auto risk = request.Query("risk_id"); risk && !risk->empty()) filter.risk_id = *risk;
  if (auto text = request.Query("q"); text && !text->empty()) {
    if (text->size() > 200) {
      errors.push_back({"q", "must be at most 200 characters"});
    } else {
      filter.text = *text;
    }
  }
  if (!errors.empty()) return Invalid(request, std::move(errors));
  return http::Respond(
      request, service.List(http::ActorOf(request), request.org->org_id, filter, *page),
      [&](const Page<Incident>& result) {
        return Response::Json(
            200, http::PageJson(result, *page, [](const auto& i) { return ToJson(i); }));
      });
}

Response Create(IncidentService& service, Request& request) {
  if (auto allowed = service.CheckCanWrite(http::ActorOf(request)); !allowed) {
    return http::ProblemFor(request, allowed.error());
  }
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  std::vector<FieldError> errors;
  auto input = ReadIncident(*body, Purpose::kCreate, errors);
  if (!errors.empty()) return Invalid(request, std::move(errors));
  return http::Respond(request, service.Create(http::ActorOf(request), request.org->org_id, input),
                       [&](const Incident& incident) {
                         Response response = http::WithEtag(201, incident);
                         response.SetHeader("Location", "/api/v1/orgs/" + incident.org_id.str() +
                                                            "/incidents/" + incident.id.str());
                         return response;
                       });
}

Response Get(IncidentService& service, Request& request) {
  return http::Respond(
      request,
      service.Get(http::ActorOf(request), request.org->org_id, IncidentId(request.Param("id"))),
      [](const Incident& incident) { return http::WithEtag(200, incident); });
}

Response Patch(IncidentService& service, Request& request) {
  if (auto allowed = service.CheckCanWrite(http::ActorOf(request)); !allowed) {
    return http::ProblemFor(request, allowed.error());
  }
  auto version = http::RequireIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  std::vector<FieldError> errors;
  auto patch = ReadIncident(*body, Purpose::kPatch, errors);
  if (!errors.empty()) return Invalid(request, std::move(errors));
  return http::Respond(request,
                       service.Update(http::ActorOf(request), request.org->org_id,
                                      IncidentId(request.Param("id")), patch, *version),
                       [](const Incident& incident) { return http::WithEtag(200, incident); });
}

/// An optional JSON object body (steps may be posted empty).
Expected<boost::json::object> OptionalBody(const Request& request) {
  if (request.body.empty()) return boost::json::object{};
  return http::ParseJsonObject(request.body);
}

Response DoStep(IncidentService& service, Request& request, Step step) {
  if (auto allowed = service.CheckCanWrite(http::ActorOf(request)); !allowed) {
    return http::ProblemFor(request, allowed.error());
  }
  auto body = OptionalBody(request);
  if (!body) return http::ProblemFor(request, body.error());
  http::FieldReader fields(*body);
  StepInput input;
  input.note = fields.Text("note", 0, kTextMax).value_or("");
  input.at = TimestampField(fields, "at");
  if (auto done = fields.Finish(); !done) return http::ProblemFor(request, done.error());
  auto expected = http::OptionalIfMatch(request);
  if (!expected) return http::ProblemFor(request, expected.error());
  return http::Respond(request,
                       service.Transition(http::ActorOf(request), request.org->org_id,
                                          IncidentId(request.Param("id")), step, input, *expected),
                       [](const Incident& incident) { return http::WithEtag(200, incident); });
}

Response Timeline(IncidentService& service, Request& request) {
  return http::Respond(
      request,
      service.Timeline(http::ActorOf(request), request.org->org_id,
                       IncidentId(request.Param("id"))),
      [](const std::vector<TimelineEntry>& entries) {
        boost::json::array items;
        for (const auto& e : entries) items.push_back(ToJson(e));
        return Response::Json(200, boost::json::object{{"items", std::move(items)}});
      });
}

Response AddEntry(IncidentService& service, Request& request) {
  if (auto allowed = service.CheckCanWrite(http::ActorOf(request)); !allowed) {
    return http::ProblemFor(request, allowed.error());
  }
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  http::FieldReader fields(*body);
  auto at = TimestampField(fields, "at");
  auto entry = fields.Text("entry", 1, kTextMax);
  fields.Require("entry");
  if (auto done = fields.Finish(); !done) return http::ProblemFor(request, done.error());
  return http::Respond(request,
                       service.AddEntry(http::ActorOf(request), request.org->org_id,
                                        IncidentId(request.Param("id")), at, entry.value_or("")),
                       [](const TimelineEntry& e) { return Response::Json(201, ToJson(e)); });
}

Response RaiseNonconformity(IncidentService& service, Request& request) {
  if (auto allowed = service.CheckCanWrite(http::ActorOf(request)); !allowed) {
    return http::ProblemFor(request, allowed.error());
  }
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  http::FieldReader fields(*body);
  improvement::NonconformityPatch details;
  details.title = fields.Text("title", 1, kTitleMax);
  details.description = fields.Text("description", 0, kTextMax);
  details.requirement_ref = fields.Text("requirement_ref", 0, 20);
  if (auto severity = fields.OneOf("severity", improvement::SeverityNames())) {
    details.severity = improvement::ParseSeverity(*severity);
  }
  if (auto owner = fields.Text("owner_id", 1, kIdMax)) details.owner_id = UserId(*owner);
  fields.Require("title");
  if (auto done = fields.Finish(); !done) return http::ProblemFor(request, done.error());
  auto expected = http::OptionalIfMatch(request);
  if (!expected) return http::ProblemFor(request, expected.error());
  return http::Respond(
      request,
      service.RaiseNonconformity(http::ActorOf(request), request.org->org_id,
                                 IncidentId(request.Param("id")), details, *expected),
      [](const Incident& incident) { return http::WithEtag(201, incident); });
}

Response Summary(IncidentService& service, Request& request) {
  std::vector<FieldError> errors;
  const auto date = [&](const char* name) -> std::optional<Date> {
    auto text = request.Query(name);
    if (!text || text->empty()) return std::nullopt;
    auto parsed = ParseDate(*text);
    if (!parsed) errors.push_back({name, "must be a date (YYYY-MM-DD)"});
    return parsed;
  };
  auto from = date("from");
  auto to = date("to");
  if (!errors.empty()) return Invalid(request, std::move(errors));
  return http::Respond(
      request, service.Summary(http::ActorOf(request), request.org->org_id, from, to),
      [](const IncidentSummary& summary) { return Response::Json(200, ToJson(summary)); });
}

}  // namespace

void AddRoutes(http::Router& router, IncidentService& service) {
  auto& s = service;
  const std::string incidents = "/api/v1/orgs/{org}/incidents";
  router.Add(Method::kGet, incidents, Access::kUser, [&s](Request& r) { return List(s, r); });
  router.Add(Method::kPost, incidents, Access::kUser, [&s](Request& r) { return Create(s, r); });
  router.Add(Method::kGet, incidents + "/summary", Access::kUser,
             [&s](Request& r) { return Summary(s, r); });
  router.Add(Method::kGet, incidents + "/{id}", Access::kUser,
             [&s](Request& r) { return Get(s, r); });
  router.Add(Method::kPatch, incidents + "/{id}", Access::kUser,
             [&s](Request& r) { return Patch(s, r); });
  for (auto step : {Step::kTriage, Step::kContain, Step::kResolve, Step::kClose, Step::kReopen}) {
    router.Add(Method::kPost, incidents + "/{id}/" + std::string(StepName(step)), Access::kUser,
               [&s, step](Request& r) { return DoStep(s, r, step); });
  }
  router.Add(Method::kGet, incidents + "/{id}/timeline", Access::kUser,
             [&s](Request& r) { return Timeline(s, r); });
  router.Add(Method::kPost, incidents + "/{id}/timeline", Access::kUser,
             [&s](Request& r) { return AddEntry(s, r); });
  router.Add(Method::kPost, incidents + "/{id}/nonconformity", Access::kUser,
             [&s](Request& r) { return RaiseNonconformity(s, r); });
}

}  // namespace certus::incidents
