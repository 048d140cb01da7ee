#include "modules/communication/change_routes.hpp"

#include <boost/json.hpp>

#include "http/application.hpp"
#include "http/json.hpp"
#include "http/paging.hpp"
#include "http/problem.hpp"
#include "modules/communication/change_json.hpp"
#include "modules/communication/read_ids.hpp"

namespace certus::communication {

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

ChangePatch ReadChange(const boost::json::object& json, Purpose purpose,
                       std::vector<FieldError>& errors) {
  boost::json::object body = json;
  ChangePatch patch;
  patch.risk_ids = ReadIds(body, "risk_ids", kMaxLinks, errors);
  patch.control_ids = ReadIds(body, "control_ids", kMaxLinks, errors);
  patch.document_ids = ReadIds(body, "document_ids", kMaxLinks, errors);
  // What the server keeps, echoed back by clients that send what they read.
  for (auto name : {"status", "links", "requested_by", "requested_by_email", "submitted_at",
                    "approval", "rejection", "started_at", "implemented_on", "implementation",
                    "review", "achieved_purpose", "cancellation"}) {
    body.erase(name);
  }
  http::FieldReader fields(body);
  patch.title = fields.Text("title", 1, kTitleMax);
  patch.purpose = fields.Text("purpose", 0, kTextMax);
  patch.consequences = fields.Text("consequences", 0, kTextMax);
  patch.integrity_considerations = fields.Text("integrity_considerations", 0, kTextMax);
  patch.resources = fields.Text("resources", 0, kTextMax);
  if (auto owner = fields.Text("owner_id", 1, kIdMax)) patch.owner_id = UserId(*owner);
  patch.responsibilities = fields.Text("responsibilities", 0, kTextMax);
  patch.planned_on = fields.NullableDate("planned_on");
  if (auto nc = fields.NullableText("nonconformity_id", kIdMax)) {
    if (*nc && !(*nc)->empty()) {
      // Nonconformities (10.2) are another module; the id is kept as given, but it is an id.
      if (IsUuid(**nc)) {
        patch.nonconformity_id = *nc;
      } else {
        fields.AddError("nonconformity_id", "must be an id");
      }
    } else {
      patch.nonconformity_id = std::optional<std::string>();
    }
  }
  patch.notes = fields.Text("notes", 0, kTextMax);
  if (purpose == Purpose::kCreate) fields.Require("title");
  if (auto done = fields.Finish(); !done) {
    for (const auto& error : done.error().fields()) errors.push_back(error);
  }
  return patch;
}

Response List(ChangeService& service, Request& request) {
  static const http::PagingRules kRules{ChangeStore::SortFields(), "-created_at"};
  auto page = http::ParsePageQuery(request, kRules);
  if (!page) return http::ProblemFor(request, page.error());
  std::vector<FieldError> errors;
  ChangeFilter filter;
  if (auto status = request.Query("status"); status && !status->empty()) {
    std::string_view rest = *status;
    while (!rest.empty()) {
      auto comma = rest.find(',');
      auto name = rest.substr(0, comma);
      if (auto parsed = ParseChangeStatus(name)) {
        filter.statuses.push_back(*parsed);
      } else {
        errors.push_back({"status",
                          "must be a comma-separated list of: planned, submitted, approved, "
                          "in_progress, implemented, reviewed, rejected, cancelled"});
        break;
      }
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  if (auto owner = request.Query("owner_id"); owner && !owner->empty()) {
    filter.owner_id = UserId(*owner);
  }
  for (auto [name, target] :
       {std::pair{"risk_id", &filter.risk_id}, std::pair{"control_id", &filter.control_id},
        std::pair{"document_id", &filter.document_id},
        std::pair{"nonconformity_id", &filter.nonconformity_id}}) {
    if (auto value = request.Query(name); value && !value->empty()) *target = *value;
  }
  if (auto text = request.Query("q"); text && !text->empty()) {
    if (text->size() > 200) {
      errors.push_back({"q", "must be at most 200 characters"});
    } else {
      filter.text = *text;
    }
  }
  if (!errors.empty()) return http::ProblemFor(request, Error::Validation(std::move(errors)));
  return http::Respond(
      request, service.List(http::ActorOf(request), request.org->org_id, filter, *page),
      [&](const Page<Change>& result) {
        return Response::Json(
            200, http::PageJson(result, *page, [](const auto& c) { return ToJson(c); }));
      });
}

Response Create(ChangeService& service, Request& request) {
  if (auto allowed = service.CheckCanPropose(http::ActorOf(request)); !allowed) {
    return http::ProblemFor(request, allowed.error());
  }
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  std::vector<FieldError> errors;
  auto input = ReadChange(*body, Purpose::kCreate, errors);
  if (!errors.empty()) return http::ProblemFor(request, Error::Validation(std::move(errors)));
  return http::Respond(request, service.Create(http::ActorOf(request), request.org->org_id, input),
                       [&](const Change& change) {
                         Response response = http::WithEtag(201, change);
                         response.SetHeader("Location", "/api/v1/orgs/" + change.org_id.str() +
                                                            "/changes/" + change.id.str());
                         return response;
                       });
}

Response Get(ChangeService& service, Request& request) {
  return http::Respond(
      request,
      service.Get(http::ActorOf(request), request.org->org_id, ChangeId(request.Param("id"))),
      [](const Change& change) { return http::WithEtag(200, change); });
}

Response Patch(ChangeService& service, Request& request) {
  if (auto allowed = service.CheckCanPropose(http::ActorOf(request)); !allowed) {
    return http::ProblemFor(request, allowed.error());
  }
  auto version = http::RequireIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  std::vector<FieldError> errors;
  auto patch = ReadChange(*body, Purpose::kPatch, errors);
  if (!errors.empty()) return http::ProblemFor(request, Error::Validation(std::move(errors)));
  return http::Respond(request,
                       service.Update(http::ActorOf(request), request.org->org_id,
                                      ChangeId(request.Param("id")), patch, *version),
                       [](const Change& change) { return http::WithEtag(200, change); });
}

Response Delete(ChangeService& service, Request& request) {
  if (auto allowed = service.CheckCanPropose(http::ActorOf(request)); !allowed) {
    return http::ProblemFor(request, allowed.error());
  }
  auto version = http::RequireIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  return http::Respond(request,
                       service.Delete(http::ActorOf(request), request.org->org_id,
                                      ChangeId(request.Param("id")), *version),
                       [] { return Response::NoContent(); });
}

Response DoStep(ChangeService& service, Request& request, ChangeStep step) {
  if (auto allowed = service.CheckCanPropose(http::ActorOf(request)); !allowed) {
    return http::ProblemFor(request, allowed.error());
  }
  boost::json::object body;
  if (!request.body.empty()) {
    auto parsed = http::ParseJsonObject(request.body);
    if (!parsed) return http::ProblemFor(request, parsed.error());
    body = std::move(*parsed);
  }
  http::FieldReader fields(body);
  StepInput input;
  if (step != ChangeStep::kSubmit && step != ChangeStep::kStart) {
    input.comment = fields.Text("comment", 0, kTextMax).value_or("");
  }
  if (step == ChangeStep::kImplement) {
    if (auto date = fields.NullableDate("implemented_on"); date && *date) {
      input.implemented_on = **date;
    }
  }
  if (step == ChangeStep::kReview) input.achieved_purpose = fields.Boolean("achieved_purpose");
  if (auto done = fields.Finish(); !done) return http::ProblemFor(request, done.error());
  auto expected = http::OptionalIfMatch(request);
  if (!expected) return http::ProblemFor(request, expected.error());
  return http::Respond(request,
                       service.Transition(http::ActorOf(request), request.org->org_id,
                                          ChangeId(request.Param("id")), step, input, *expected),
                       [](const Change& change) { return http::WithEtag(200, change); });
}

}  // namespace

void AddChangeRoutes(http::Router& router, ChangeService& service) {
  auto& s = service;
  const std::string changes = "/api/v1/orgs/{org}/changes";
  router.Add(Method::kGet, changes, Access::kUser, [&s](Request& r) { return List(s, r); });
  router.Add(Method::kPost, changes, Access::kUser, [&s](Request& r) { return Create(s, r); });
  router.Add(Method::kGet, changes + "/{id}", Access::kUser,
             [&s](Request& r) { return Get(s, r); });
  router.Add(Method::kPatch, changes + "/{id}", Access::kUser,
             [&s](Request& r) { return Patch(s, r); });
  router.Add(Method::kDelete, changes + "/{id}", Access::kUser,
             [&s](Request& r) { return Delete(s, r); });
  for (auto step :
       {ChangeStep::kSubmit, ChangeStep::kApprove, ChangeStep::kReject, ChangeStep::kStart,
        ChangeStep::kImplement, ChangeStep::kReview, ChangeStep::kCancel}) {
    router.Add(Method::kPost, changes + "/{id}/" + std::string(ChangeStepName(step)), Access::kUser,
               [&s, step](Request& r) { return DoStep(s, r, step); });
  }
}

}  // namespace certus::communication
