#include "modules/objectives/routes.hpp"

#include <cmath>

#include <boost/json.hpp>

#include "http/application.hpp"
#include "http/json.hpp"
#include "http/paging.hpp"
#include "http/problem.hpp"
#include "modules/objectives/json.hpp"

namespace certus::objectives {

namespace {

using http::Access;
using http::Method;
using http::Request;
using http::Response;

constexpr std::size_t kNameMax = 200;
constexpr std::size_t kUnitMax = 50;
constexpr std::size_t kIdMax = 100;
constexpr std::size_t kTextMax = 20000;
// Larger magnitudes are no measurement anyone records and lose integer precision as doubles.
constexpr double kMaxMagnitude = 1e15;

enum class Purpose { kCreate, kPatch };

void Collect(http::FieldReader& fields, std::vector<FieldError>& errors,
             const std::string& prefix = "") {
  if (auto done = fields.Finish(); !done) {
    for (const auto& error : done.error().fields())
      errors.push_back({prefix + error.field, error.message});
  }
}

/// Takes `name` out of `body` as a finite number: outer nullopt when absent or invalid (with
/// an error), inner nullopt for null when `nullable`.
std::optional<std::optional<double>> TakeNumber(boost::json::object& body, std::string_view name,
                                                bool nullable, std::vector<FieldError>& errors) {
  auto it = body.find(name);
  if (it == body.end()) return std::nullopt;
  const boost::json::value value = it->value();
  body.erase(it);
  if (value.is_null()) {
    if (nullable) return std::optional<double>();
    errors.push_back({std::string(name), "must be a number"});
    return std::nullopt;
  }
  double number = 0;
  if (value.is_int64()) {
    number = static_cast<double>(value.as_int64());
  } else if (value.is_uint64()) {
    number = static_cast<double>(value.as_uint64());
  } else if (value.is_double()) {
    number = value.as_double();
  } else {
    errors.push_back({std::string(name), "must be a number"});
    return std::nullopt;
  }
  if (!std::isfinite(number) || std::abs(number) > kMaxMagnitude) {
    errors.push_back({std::string(name), "must be a finite number of at most 1e15 in magnitude"});
    return std::nullopt;
  }
  return std::optional<double>(number);
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

std::string OrgBase(const OrgId& org) { return "/api/v1/orgs/" + org.str(); }

// ------------------------------------------------------------------ metrics

MetricPatch ReadMetric(const boost::json::object& json, Purpose purpose,
                       std::vector<FieldError>& errors) {
  boost::json::object body = json;
  MetricPatch patch;
  if (auto target = TakeNumber(body, "target", false, errors); target && *target) {
    patch.target = **target;
  }
  patch.warning = TakeNumber(body, "warning", true, errors);
  // Derived fields a client may send back from a GET are ignored.
  for (auto derived : {"measurement_count", "latest", "due_on", "overdue"}) body.erase(derived);
  http::FieldReader fields(body);
  patch.name = fields.Text("name", 1, kNameMax);
  patch.description = fields.Text("description", 0, kTextMax);
  patch.unit = fields.Text("unit", 0, kUnitMax);
  if (auto direction = fields.OneOf("direction", DirectionNames())) {
    patch.direction = ParseDirection(*direction);
  }
  if (auto frequency = fields.OneOf("frequency", FrequencyNames())) {
    patch.frequency = ParseFrequency(*frequency);
  }
  if (auto owner = fields.Text("owner_id", 1, kIdMax)) patch.owner_id = UserId(*owner);
  patch.method = fields.Text("method", 0, kTextMax);
  patch.source = fields.Text("source", 0, kTextMax);
  if (auto status = fields.OneOf("status", {"active", "retired"})) {
    patch.status = ParseMetricStatus(*status);
  }
  if (purpose == Purpose::kCreate) {
    for (auto name : {"name", "direction", "frequency", "owner_id"}) fields.Require(name);
    if (!json.contains("target")) fields.AddError("target", "is required");
  }
  Collect(fields, errors);
  return patch;
}

Response ListMetrics(ObjectivesService& service, Request& request) {
  static const http::PagingRules kRules{ObjectivesStore::MetricSortFields(), "ref"};
  auto page = http::ParsePageQuery(request, kRules);
  if (!page) return http::ProblemFor(request, page.error());
  std::vector<FieldError> errors;
  MetricFilter filter;
  if (auto status = request.Query("status")) {
    filter.status = ParseMetricStatus(*status);
    if (!filter.status) errors.push_back({"status", "must be one of: active, retired"});
  }
  if (auto frequency = request.Query("frequency")) {
    filter.frequency = ParseFrequency(*frequency);
    if (!filter.frequency) {
      errors.push_back({"frequency", "must be one of: weekly, monthly, quarterly, yearly"});
    }
  }
  if (auto owner = request.Query("owner_id"); owner && !owner->empty()) {
    filter.owner_id = UserId(*owner);
  }
  filter.text = TextQuery(request, errors);
  if (!errors.empty()) return http::ProblemFor(request, Error::Validation(std::move(errors)));
  return http::Respond(
      request, service.ListMetrics(http::ActorOf(request), request.org->org_id, filter, *page),
      [&](const Page<Metric>& result) {
        return Response::Json(
            200, http::PageJson(result, *page, [](const auto& m) { return ToJson(m); }));
      });
}

Response CreateMetric(ObjectivesService& service, Request& request) {
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  std::vector<FieldError> errors;
  auto input = ReadMetric(*body, Purpose::kCreate, errors);
  if (!errors.empty()) return http::ProblemFor(request, Error::Validation(std::move(errors)));
  return http::Respond(
      request, service.CreateMetric(http::ActorOf(request), request.org->org_id, input),
      [&](const Metric& metric) {
        Response response = http::WithEtag(201, metric);
        response.SetHeader("Location", OrgBase(metric.org_id) + "/metrics/" + metric.id.str());
        return response;
      });
}

Response GetMetric(ObjectivesService& service, Request& request) {
  return http::Respond(
      request,
      service.GetMetric(http::ActorOf(request), request.org->org_id, MetricId(request.Param("id"))),
      [](const Metric& metric) { return http::WithEtag(200, metric); });
}

Response PatchMetric(ObjectivesService& service, Request& request) {
  auto version = http::RequireIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  std::vector<FieldError> errors;
  auto patch = ReadMetric(*body, Purpose::kPatch, errors);
  if (!errors.empty()) return http::ProblemFor(request, Error::Validation(std::move(errors)));
  return http::Respond(request,
                       service.UpdateMetric(http::ActorOf(request), request.org->org_id,
                                            MetricId(request.Param("id")), patch, *version),
                       [](const Metric& metric) { return http::WithEtag(200, metric); });
}

Response DeleteMetric(ObjectivesService& service, Request& request) {
  auto version = http::RequireIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  return http::Respond(request,
                       service.DeleteMetric(http::ActorOf(request), request.org->org_id,
                                            MetricId(request.Param("id")), *version),
                       [] { return Response::NoContent(); });
}

// ------------------------------------------------------------------ measurements

Response ListMeasurements(ObjectivesService& service, Request& request) {
  static const http::PagingRules kRules{ObjectivesStore::MeasurementSortFields(), "measured_on",
                                        100, 500};
  auto page = http::ParsePageQuery(request, kRules);
  if (!page) return http::ProblemFor(request, page.error());
  return http::Respond(
      request,
      service.ListMeasurements(http::ActorOf(request), request.org->org_id,
                               MetricId(request.Param("id")), *page),
      [&](const Page<Measurement>& result) {
        return Response::Json(
            200, http::PageJson(result, *page, [](const auto& m) { return ToJson(m); }));
      });
}

Response GetMeasurement(ObjectivesService& service, Request& request) {
  return http::Respond(
      request,
      service.GetMeasurement(http::ActorOf(request), request.org->org_id,
                             MetricId(request.Param("id")),
                             MeasurementId(request.Param("measurement_id"))),
      [](const Measurement& measurement) { return http::WithEtag(200, measurement); });
}

Response RecordMeasurement(ObjectivesService& service, Request& request) {
  auto json = http::ParseJsonObject(request.body);
  if (!json) return http::ProblemFor(request, json.error());
  std::vector<FieldError> errors;
  boost::json::object body = *json;
  NewMeasurement input;
  auto value = TakeNumber(body, "value", false, errors);
  if (value && *value) input.value = **value;
  if (!json->contains("value")) errors.push_back({"value", "is required"});
  http::FieldReader fields(body);
  fields.Require("measured_on");
  if (auto date = fields.NullableDate("measured_on")) {
    if (*date) {
      input.measured_on = **date;
      if (auto problem = service.MeasuredOnProblem(**date); !problem.empty()) {
        fields.AddError("measured_on", problem);
      }
    } else {
      fields.AddError("measured_on", "must be a date (YYYY-MM-DD)");
    }
  }
  input.note = fields.Text("note", 0, kTextMax).value_or("");
  if (auto corrects = fields.NullableText("corrects_id", kIdMax);
      corrects && *corrects && !(*corrects)->empty()) {
    input.corrects_id = MeasurementId(**corrects);
  }
  Collect(fields, errors);
  if (!errors.empty()) return http::ProblemFor(request, Error::Validation(std::move(errors)));
  return http::Respond(request,
                       service.RecordMeasurement(http::ActorOf(request), request.org->org_id,
                                                 MetricId(request.Param("id")), input),
                       [&](const Measurement& measurement) {
                         Response response = http::WithEtag(201, measurement);
                         response.SetHeader("Location", OrgBase(measurement.org_id) + "/metrics/" +
                                                            measurement.metric_id.str() +
                                                            "/measurements/" +
                                                            measurement.id.str());
                         return response;
                       });
}

// ------------------------------------------------------------------ objectives

/// `plan`: an object with any of what, resources, responsible, responsible_id, when,
/// evaluation (ISO 27001 6.2 f–j); absent members stay as they are.
void ReadPlan(boost::json::object& body, ObjectivePatch& patch, std::vector<FieldError>& errors) {
  auto it = body.find("plan");
  if (it == body.end()) return;
  const boost::json::value value = it->value();
  body.erase(it);
  if (!value.is_object()) {
    errors.push_back({"plan", "must be an object"});
    return;
  }
  http::FieldReader fields(value.as_object());
  patch.plan_what = fields.Text("what", 0, kTextMax);
  patch.plan_resources = fields.Text("resources", 0, kTextMax);
  patch.plan_responsible = fields.Text("responsible", 0, kNameMax);
  if (auto who = fields.NullableText("responsible_id", kIdMax)) {
    if (*who && !(*who)->empty()) {
      patch.plan_responsible_id = std::optional<UserId>(UserId(**who));
    } else {
      patch.plan_responsible_id = std::optional<UserId>();
    }
  }
  patch.plan_when = fields.Text("when", 0, kTextMax);
  patch.plan_evaluation = fields.Text("evaluation", 0, kTextMax);
  Collect(fields, errors, "plan.");
}

ObjectivePatch ReadObjective(const boost::json::object& json, Purpose purpose,
                             std::vector<FieldError>& errors) {
  boost::json::object body = json;
  ObjectivePatch patch;
  patch.target = TakeNumber(body, "target", true, errors);
  ReadPlan(body, patch, errors);
  for (auto derived : {"status", "status_reason", "metric"}) body.erase(derived);
  http::FieldReader fields(body);
  patch.title = fields.Text("title", 1, kNameMax);
  patch.description = fields.Text("description", 0, kTextMax);
  if (auto owner = fields.Text("owner_id", 1, kIdMax)) patch.owner_id = UserId(*owner);
  if (auto metric = fields.NullableText("metric_id", kIdMax)) {
    if (*metric && !(*metric)->empty()) {
      patch.metric_id = std::optional<MetricId>(MetricId(**metric));
    } else {
      patch.metric_id = std::optional<MetricId>();
    }
  }
  if (auto due = fields.NullableDate("due_on")) {
    if (*due) {
      patch.due_on = **due;
    } else {
      fields.AddError("due_on", "must be a date (YYYY-MM-DD)");
    }
  }
  if (auto state = fields.OneOf("state", {"active", "cancelled"})) {
    patch.state = ParseObjectiveState(*state);
  }
  if (purpose == Purpose::kCreate) {
    for (auto name : {"title", "owner_id", "due_on"}) fields.Require(name);
  }
  Collect(fields, errors);
  return patch;
}

Response ListObjectives(ObjectivesService& service, Request& request) {
  static const http::PagingRules kRules{ObjectivesStore::ObjectiveSortFields(), "due_on"};
  auto page = http::ParsePageQuery(request, kRules);
  if (!page) return http::ProblemFor(request, page.error());
  std::vector<FieldError> errors;
  ObjectiveFilter filter;
  if (auto state = request.Query("state")) {
    filter.state = ParseObjectiveState(*state);
    if (!filter.state) errors.push_back({"state", "must be one of: active, cancelled"});
  }
  if (auto owner = request.Query("owner_id"); owner && !owner->empty()) {
    filter.owner_id = UserId(*owner);
  }
  if (auto metric = request.Query("metric_id"); metric && !metric->empty()) {
    filter.metric_id = MetricId(*metric);
  }
  filter.text = TextQuery(request, errors);
  if (!errors.empty()) return http::ProblemFor(request, Error::Validation(std::move(errors)));
  return http::Respond(
      request, service.ListObjectives(http::ActorOf(request), request.org->org_id, filter, *page),
      [&](const Page<Objective>& result) {
        return Response::Json(
            200, http::PageJson(result, *page, [](const auto& o) { return ToJson(o); }));
      });
}

Response CreateObjective(ObjectivesService& service, Request& request) {
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  std::vector<FieldError> errors;
  auto input = ReadObjective(*body, Purpose::kCreate, errors);
  if (!errors.empty()) return http::ProblemFor(request, Error::Validation(std::move(errors)));
  return http::Respond(request,
                       service.CreateObjective(http::ActorOf(request), request.org->org_id, input),
                       [&](const Objective& objective) {
                         Response response = http::WithEtag(201, objective);
                         response.SetHeader("Location", OrgBase(objective.org_id) + "/objectives/" +
                                                            objective.id.str());
                         return response;
                       });
}

Response GetObjective(ObjectivesService& service, Request& request) {
  return http::Respond(request,
                       service.GetObjective(http::ActorOf(request), request.org->org_id,
                                            ObjectiveId(request.Param("id"))),
                       [](const Objective& objective) { return http::WithEtag(200, objective); });
}

Response PatchObjective(ObjectivesService& service, Request& request) {
  auto version = http::RequireIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  std::vector<FieldError> errors;
  auto patch = ReadObjective(*body, Purpose::kPatch, errors);
  if (!errors.empty()) return http::ProblemFor(request, Error::Validation(std::move(errors)));
  return http::Respond(request,
                       service.UpdateObjective(http::ActorOf(request), request.org->org_id,
                                               ObjectiveId(request.Param("id")), patch, *version),
                       [](const Objective& objective) { return http::WithEtag(200, objective); });
}

}  // namespace

void AddRoutes(http::Router& router, ObjectivesService& service) {
  auto& s = service;
  const std::string metrics = "/api/v1/orgs/{org}/metrics";
  router.Add(Method::kGet, metrics, Access::kUser, [&s](Request& r) { return ListMetrics(s, r); });
  router.Add(Method::kPost, metrics, Access::kUser,
             [&s](Request& r) { return CreateMetric(s, r); });
  router.Add(Method::kGet, metrics + "/{id}", Access::kUser,
             [&s](Request& r) { return GetMetric(s, r); });
  router.Add(Method::kPatch, metrics + "/{id}", Access::kUser,
             [&s](Request& r) { return PatchMetric(s, r); });
  router.Add(Method::kDelete, metrics + "/{id}", Access::kUser,
             [&s](Request& r) { return DeleteMetric(s, r); });
  router.Add(Method::kGet, metrics + "/{id}/measurements", Access::kUser,
             [&s](Request& r) { return ListMeasurements(s, r); });
  router.Add(Method::kPost, metrics + "/{id}/measurements", Access::kUser,
             [&s](Request& r) { return RecordMeasurement(s, r); });
  router.Add(Method::kGet, metrics + "/{id}/measurements/{measurement_id}", Access::kUser,
             [&s](Request& r) { return GetMeasurement(s, r); });

  const std::string objectives = "/api/v1/orgs/{org}/objectives";
  router.Add(Method::kGet, objectives, Access::kUser,
             [&s](Request& r) { return ListObjectives(s, r); });
  router.Add(Method::kPost, objectives, Access::kUser,
             [&s](Request& r) { return CreateObjective(s, r); });
  router.Add(Method::kGet, objectives + "/{id}", Access::kUser,
             [&s](Request& r) { return GetObjective(s, r); });
  router.Add(Method::kPatch, objectives + "/{id}", Access::kUser,
             [&s](Request& r) { return PatchObjective(s, r); });
}

}  // namespace certus::objectives
