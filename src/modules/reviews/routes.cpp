#include "modules/reviews/routes.hpp"

#include <algorithm>

#include <boost/json.hpp>

#include "http/application.hpp"
#include "http/json.hpp"
#include "http/paging.hpp"
#include "http/problem.hpp"
#include "modules/improvement/json.hpp"
#include "modules/reviews/json.hpp"

namespace certus::reviews {

namespace {

using http::Access;
using http::Method;
using http::Request;
using http::Response;

constexpr std::size_t kTitleMax = 300;
constexpr std::size_t kIdMax = 100;
constexpr std::size_t kTextMax = 20000;
constexpr std::size_t kMaxAttendees = 100;

enum class Purpose { kCreate, kPatch };

void Collect(http::FieldReader& fields, std::vector<FieldError>& errors) {
  if (auto done = fields.Finish(); !done) {
    for (const auto& error : done.error().fields()) errors.push_back(error);
  }
}

Response Invalid(Request& request, std::vector<FieldError> errors) {
  return http::ProblemFor(request, Error::Validation(std::move(errors)));
}

/// The answer for a reader who may not write, before anything about their body.
std::optional<Response> Refused(Request& request) {
  auto allowed = ReviewService::CheckCanWrite(http::ActorOf(request));
  if (!allowed) return http::ProblemFor(request, allowed.error());
  return std::nullopt;
}

ReviewId IdOf(const Request& request) { return ReviewId(request.Param("id")); }

/// `attendee_ids`: an array of user ids (membership is the service's rule).
std::optional<std::vector<std::string>> ReadAttendees(boost::json::object& body,
                                                      std::vector<FieldError>& errors) {
  auto it = body.find("attendee_ids");
  if (it == body.end()) return std::nullopt;
  boost::json::value value = it->value();
  body.erase(it);
  std::vector<std::string> ids;
  if (!value.is_array() || value.as_array().size() > kMaxAttendees) {
    errors.push_back({"attendee_ids", "must be an array of at most 100 user ids"});
    return std::nullopt;
  }
  const auto& items = value.as_array();
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (!items[i].is_string() || items[i].as_string().empty() ||
        items[i].as_string().size() > kIdMax) {
      errors.push_back({"attendee_ids[" + std::to_string(i) + "]", "must be a user id"});
      return std::nullopt;
    }
    ids.emplace_back(std::string(items[i].as_string()));
  }
  return ids;
}

ReviewPatch ReadReview(const boost::json::object& json, Purpose purpose,
                       std::vector<FieldError>& errors) {
  boost::json::object body = json;
  ReviewPatch patch;
  patch.attendee_ids = ReadAttendees(body, errors);
  http::FieldReader fields(body);
  patch.title = fields.Text("title", 1, kTitleMax);
  if (auto date = fields.NullableDate("planned_on")) {
    if (*date) {
      patch.planned_on = **date;
    } else {
      fields.AddError("planned_on", "must be a date (YYYY-MM-DD)");
    }
  }
  if (purpose == Purpose::kCreate) {
    fields.Require("title");
    fields.Require("planned_on");
  }
  Collect(fields, errors);
  return patch;
}

Response List(ReviewService& service, Request& request) {
  static const http::PagingRules kRules{ReviewStore::SortFields(), "-planned_on"};
  auto page = http::ParsePageQuery(request, kRules);
  if (!page) return http::ProblemFor(request, page.error());
  ReviewFilter filter;
  if (auto status = request.Query("status"); status && !status->empty()) {
    filter.status = ParseReviewStatus(*status);
    if (!filter.status) {
      return http::ProblemFor(request,
                              Error::Field("status", "must be one of: planned, held, closed"));
    }
  }
  if (auto text = request.Query("q"); text && !text->empty()) {
    if (text->size() > 200) {
      return http::ProblemFor(request, Error::Field("q", "must be at most 200 characters"));
    }
    filter.text = *text;
  }
  return http::Respond(
      request, service.List(http::ActorOf(request), request.org->org_id, filter, *page),
      [&](const Page<ManagementReview>& result) {
        return Response::Json(
            200, http::PageJson(result, *page, [](const auto& r) { return ToJson(r); }));
      });
}

Response Create(ReviewService& service, Request& request) {
  if (auto refused = Refused(request)) return *refused;
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  std::vector<FieldError> errors;
  auto input = ReadReview(*body, Purpose::kCreate, errors);
  if (!errors.empty()) return Invalid(request, std::move(errors));
  return http::Respond(request, service.Create(http::ActorOf(request), request.org->org_id, input),
                       [&](const ManagementReview& r) {
                         Response response = http::WithEtag(201, r);
                         response.SetHeader("Location", "/api/v1/orgs/" + r.org_id.str() +
                                                            "/management-reviews/" + r.id.str());
                         return response;
                       });
}

Response Get(ReviewService& service, Request& request) {
  return http::Respond(request,
                       service.Get(http::ActorOf(request), request.org->org_id, IdOf(request)),
                       [](const ManagementReview& r) { return http::WithEtag(200, r); });
}

Response Patch(ReviewService& service, Request& request) {
  if (auto refused = Refused(request)) return *refused;
  auto version = http::RequireIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  std::vector<FieldError> errors;
  auto patch = ReadReview(*body, Purpose::kPatch, errors);
  if (!errors.empty()) return Invalid(request, std::move(errors));
  return http::Respond(
      request,
      service.Update(http::ActorOf(request), request.org->org_id, IdOf(request), patch, *version),
      [](const ManagementReview& r) { return http::WithEtag(200, r); });
}

Response Hold(ReviewService& service, Request& request) {
  if (auto refused = Refused(request)) return *refused;
  auto expected = http::OptionalIfMatch(request);
  if (!expected) return http::ProblemFor(request, expected.error());
  std::optional<Date> held_on;
  if (!request.body.empty()) {
    auto body = http::ParseJsonObject(request.body);
    if (!body) return http::ProblemFor(request, body.error());
    http::FieldReader fields(*body);
    if (auto date = fields.NullableDate("held_on"); date && *date) held_on = **date;
    if (auto done = fields.Finish(); !done) return http::ProblemFor(request, done.error());
  }
  return http::Respond(
      request,
      service.Hold(http::ActorOf(request), request.org->org_id, IdOf(request), held_on, *expected),
      [](const ManagementReview& r) { return http::WithEtag(200, r); });
}

Response Close(ReviewService& service, Request& request) {
  if (auto refused = Refused(request)) return *refused;
  auto expected = http::OptionalIfMatch(request);
  if (!expected) return http::ProblemFor(request, expected.error());
  if (!request.body.empty()) {
    auto body = http::ParseJsonObject(request.body);
    if (!body) return http::ProblemFor(request, body.error());
    http::FieldReader fields(*body);
    if (auto done = fields.Finish(); !done) return http::ProblemFor(request, done.error());
  }
  return http::Respond(
      request, service.Close(http::ActorOf(request), request.org->org_id, IdOf(request), *expected),
      [](const ManagementReview& r) { return http::WithEtag(200, r); });
}

Response Inputs(ReviewService& service, Request& request) {
  return http::Respond(request,
                       service.Inputs(http::ActorOf(request), request.org->org_id, IdOf(request)),
                       [](const InputPack& pack) { return Response::Json(200, ToJson(pack)); });
}

Response PutNotes(ReviewService& service, Request& request) {
  if (auto refused = Refused(request)) return *refused;
  auto version = http::RequireIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  http::FieldReader fields(*body);
  fields.Require("notes");
  auto notes = fields.Text("notes", 0, kTextMax);
  if (auto done = fields.Finish(); !done) return http::ProblemFor(request, done.error());
  return http::Respond(request,
                       service.SetNotes(http::ActorOf(request), request.org->org_id, IdOf(request),
                                        request.Param("key"), *notes, *version),
                       [](const ManagementReview& r) { return http::WithEtag(200, r); });
}

Response ListDecisions(ReviewService& service, Request& request) {
  return http::Respond(
      request, service.Decisions(http::ActorOf(request), request.org->org_id, IdOf(request)),
      [](const std::vector<ReviewDecision>& decisions) {
        boost::json::array items;
        for (const auto& d : decisions) items.push_back(ToJson(d));
        return Response::Json(200, boost::json::object{{"items", items}, {"next_cursor", nullptr}});
      });
}

Response AddDecision(ReviewService& service, Request& request) {
  if (auto refused = Refused(request)) return *refused;
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  http::FieldReader fields(*body);
  fields.Require("text");
  fields.Require("category");
  auto text = fields.Text("text", 1, kTextMax);
  auto category = fields.OneOf("category", CategoryNames());
  if (auto done = fields.Finish(); !done) return http::ProblemFor(request, done.error());
  return http::Respond(request,
                       service.AddDecision(http::ActorOf(request), request.org->org_id,
                                           IdOf(request), *text, *ParseCategory(*category)),
                       [](const ReviewDecision& d) { return http::WithEtag(201, d); });
}

ActionPatch ReadAction(const boost::json::object& body, Purpose purpose,
                       std::vector<FieldError>& errors) {
  http::FieldReader fields(body);
  ActionPatch patch;
  patch.title = fields.Text("title", 1, kTitleMax);
  if (auto owner = fields.Text("owner_id", 1, kIdMax)) patch.owner_id = UserId(*owner);
  patch.due_on = fields.NullableDate("due_on");
  if (auto status = fields.OneOf("status", ActionStatusNames())) {
    patch.status = ParseActionStatus(*status);
  }
  if (purpose == Purpose::kCreate) {
    fields.Require("title");
    fields.Require("owner_id");
  }
  Collect(fields, errors);
  return patch;
}

Response ListActions(ReviewService& service, Request& request) {
  return http::Respond(
      request, service.Actions(http::ActorOf(request), request.org->org_id, IdOf(request)),
      [](const std::vector<ReviewAction>& actions) {
        boost::json::array items;
        for (const auto& a : actions) items.push_back(ToJson(a));
        return Response::Json(200, boost::json::object{{"items", items}, {"next_cursor", nullptr}});
      });
}

Response AddAction(ReviewService& service, Request& request) {
  if (auto refused = Refused(request)) return *refused;
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  std::vector<FieldError> errors;
  auto input = ReadAction(*body, Purpose::kCreate, errors);
  if (!errors.empty()) return Invalid(request, std::move(errors));
  return http::Respond(
      request, service.AddAction(http::ActorOf(request), request.org->org_id, IdOf(request), input),
      [&](const ReviewAction& a) {
        Response response = http::WithEtag(201, a);
        response.SetHeader("Location",
                           "/api/v1/orgs/" + a.org_id.str() + "/review-actions/" + a.id.str());
        return response;
      });
}

Response GetAction(ReviewService& service, Request& request) {
  return http::Respond(request,
                       service.GetAction(http::ActorOf(request), request.org->org_id,
                                         ReviewActionId(request.Param("id"))),
                       [](const ReviewAction& a) { return http::WithEtag(200, a); });
}

Response PatchAction(ReviewService& service, Request& request) {
  auto version = http::RequireIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  std::vector<FieldError> errors;
  auto patch = ReadAction(*body, Purpose::kPatch, errors);
  if (!errors.empty()) return Invalid(request, std::move(errors));
  return http::Respond(request,
                       service.UpdateAction(http::ActorOf(request), request.org->org_id,
                                            ReviewActionId(request.Param("id")), patch, *version),
                       [](const ReviewAction& a) { return http::WithEtag(200, a); });
}

Response RaiseNonconformity(ReviewService& service, Request& request) {
  if (auto refused = Refused(request)) return *refused;
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  http::FieldReader fields(*body);
  improvement::NonconformityPatch details;
  fields.Require("title");
  details.title = fields.Text("title", 1, kTitleMax);
  details.description = fields.Text("description", 0, kTextMax);
  details.requirement_ref = fields.Text("requirement_ref", 0, 20);
  if (auto severity = fields.OneOf("severity", improvement::SeverityNames())) {
    details.severity = improvement::ParseSeverity(*severity);
  }
  if (auto owner = fields.Text("owner_id", 1, kIdMax)) details.owner_id = UserId(*owner);
  if (auto done = fields.Finish(); !done) return http::ProblemFor(request, done.error());
  return http::Respond(request,
                       service.RaiseNonconformity(http::ActorOf(request), request.org->org_id,
                                                  IdOf(request), details),
                       [&](const improvement::Nonconformity& nc) {
                         Response response = http::WithEtag(201, nc);
                         response.SetHeader("Location", "/api/v1/orgs/" + nc.org_id.str() +
                                                            "/nonconformities/" + nc.id.str());
                         return response;
                       });
}

Response Minutes(ReviewService& service, Request& request) {
  std::string filename;
  return http::Respond(
      request,
      service.MinutesPdf(http::ActorOf(request), request.org->org_id, IdOf(request), filename),
      [&](const std::string& pdf) {
        Response response;
        response.status = 200;
        response.SetHeader("Content-Type", "application/pdf");
        response.SetHeader("Content-Security-Policy", "sandbox");
        response.SetHeader("Content-Disposition", "attachment; filename=\"" + filename + "\"");
        response.body = pdf;
        return response;
      });
}

}  // namespace

void AddRoutes(http::Router& router, ReviewService& service) {
  auto& s = service;
  const std::string base = "/api/v1/orgs/{org}/management-reviews";
  router.Add(Method::kGet, base, Access::kUser, [&s](Request& r) { return List(s, r); });
  router.Add(Method::kPost, base, Access::kUser, [&s](Request& r) { return Create(s, r); });
  router.Add(Method::kGet, base + "/{id}", Access::kUser, [&s](Request& r) { return Get(s, r); });
  router.Add(Method::kPatch, base + "/{id}", Access::kUser,
             [&s](Request& r) { return Patch(s, r); });
  router.Add(Method::kPost, base + "/{id}/hold", Access::kUser,
             [&s](Request& r) { return Hold(s, r); });
  router.Add(Method::kPost, base + "/{id}/close", Access::kUser,
             [&s](Request& r) { return Close(s, r); });
  router.Add(Method::kGet, base + "/{id}/inputs", Access::kUser,
             [&s](Request& r) { return Inputs(s, r); });
  router.Add(Method::kPut, base + "/{id}/inputs/{key}", Access::kUser,
             [&s](Request& r) { return PutNotes(s, r); });
  router.Add(Method::kGet, base + "/{id}/decisions", Access::kUser,
             [&s](Request& r) { return ListDecisions(s, r); });
  router.Add(Method::kPost, base + "/{id}/decisions", Access::kUser,
             [&s](Request& r) { return AddDecision(s, r); });
  router.Add(Method::kGet, base + "/{id}/actions", Access::kUser,
             [&s](Request& r) { return ListActions(s, r); });
  router.Add(Method::kPost, base + "/{id}/actions", Access::kUser,
             [&s](Request& r) { return AddAction(s, r); });
  router.Add(Method::kPost, base + "/{id}/nonconformities", Access::kUser,
             [&s](Request& r) { return RaiseNonconformity(s, r); });
  router.Add(Method::kGet, base + "/{id}/minutes.pdf", Access::kUser,
             [&s](Request& r) { return Minutes(s, r); });

  const std::string actions = "/api/v1/orgs/{org}/review-actions";
  router.Add(Method::kGet, actions + "/{id}", Access::kUser,
             [&s](Request& r) { return GetAction(s, r); });
  router.Add(Method::kPatch, actions + "/{id}", Access::kUser,
             [&s](Request& r) { return PatchAction(s, r); });
}

}  // namespace certus::reviews
