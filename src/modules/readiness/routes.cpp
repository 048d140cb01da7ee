#include "modules/readiness/routes.hpp"

#include <boost/json.hpp>

#include "http/application.hpp"
#include "http/json.hpp"
#include "http/problem.hpp"
#include "modules/readiness/json.hpp"

namespace certus::readiness {

namespace {

using http::Access;
using http::Method;
using http::Request;
using http::Response;

Response Evaluate(ReadinessService& service, Request& request) {
  std::optional<Date> as_of;
  if (auto text = request.Query("as_of")) {
    as_of = ParseDate(*text);
    if (!as_of) {
      return http::ProblemFor(request, Error::Field("as_of", "must be a date YYYY-MM-DD"));
    }
  }
  return http::Respond(request,
                       service.Evaluate(http::ActorOf(request), request.org->org_id, as_of),
                       [](const Report& report) { return Response::Json(200, ToJson(report)); });
}

/// An optional date parameter of the query: nullopt when absent, a field error when it is
/// not YYYY-MM-DD.
Expected<std::optional<Date>> QueryDate(Request& request, const std::string& name) {
  auto text = request.Query(name);
  if (!text) return std::optional<Date>();
  auto date = ParseDate(*text);
  if (!date) return ::certus::Fail(Error::Field(name, "must be a date YYYY-MM-DD"));
  return std::optional<Date>(*date);
}

Response Trend(ReadinessService& service, Request& request) {
  auto from = QueryDate(request, "from");
  if (!from) return http::ProblemFor(request, from.error());
  auto to = QueryDate(request, "to");
  if (!to) return http::ProblemFor(request, to.error());
  return http::Respond(request,
                       service.Trend(http::ActorOf(request), request.org->org_id, *from, *to),
                       [](const std::vector<Sample>& samples) {
                         boost::json::array items;
                         for (const auto& sample : samples) items.push_back(ToJson(sample));
                         return Response::Json(200, boost::json::object{{"items", items}});
                       });
}

Response GetSettings(ReadinessService& service, Request& request) {
  return http::Respond(request, service.GetSettings(http::ActorOf(request), request.org->org_id),
                       [](const Settings& settings) { return http::WithEtag(200, settings); });
}

Response PutSettings(ReadinessService& service, Request& request) {
  auto version = http::RequireIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  http::FieldReader fields(*body);
  Settings input;
  auto ack = fields.Integer("policy_ack_percent", 0, 100);
  auto awareness = fields.Integer("awareness_percent", 0, 100);
  auto tolerance = fields.Integer("overdue_tolerance_days", 0, 365);
  auto recent = fields.Integer("recent_months", 1, 36);
  fields.Require("policy_ack_percent");
  fields.Require("awareness_percent");
  fields.Require("overdue_tolerance_days");
  fields.Require("recent_months");
  if (auto done = fields.Finish(); !done) return http::ProblemFor(request, done.error());
  input.policy_ack_percent = *ack;
  input.awareness_percent = *awareness;
  input.overdue_tolerance_days = *tolerance;
  input.recent_months = *recent;
  return http::Respond(
      request, service.PutSettings(http::ActorOf(request), request.org->org_id, input, *version),
      [](const Settings& settings) { return http::WithEtag(200, settings); });
}

}  // namespace

void AddRoutes(http::Router& router, ReadinessService& service) {
  const std::string base = "/api/v1/orgs/{org}/readiness";
  auto& s = service;
  router.Add(Method::kGet, base, Access::kUser, [&s](Request& r) { return Evaluate(s, r); });
  router.Add(Method::kGet, base + "/trend", Access::kUser,
             [&s](Request& r) { return Trend(s, r); });
  router.Add(Method::kGet, base + "/settings", Access::kUser,
             [&s](Request& r) { return GetSettings(s, r); });
  router.Add(Method::kPut, base + "/settings", Access::kUser,
             [&s](Request& r) { return PutSettings(s, r); });
}

}  // namespace certus::readiness
