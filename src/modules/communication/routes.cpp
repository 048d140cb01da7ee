#include "modules/communication/routes.hpp"

#include <boost/json.hpp>

#include "http/application.hpp"
#include "http/json.hpp"
#include "http/paging.hpp"
#include "http/problem.hpp"
#include "modules/communication/json.hpp"
#include "modules/communication/read_ids.hpp"

namespace certus::communication {

namespace {

using http::Access;
using http::Method;
using http::Request;
using http::Response;

constexpr std::size_t kSubjectMax = 300;
constexpr std::size_t kIdMax = 100;
constexpr std::size_t kTextMax = 20000;
constexpr std::size_t kMaxParties = 100;

enum class Purpose { kCreate, kPatch };

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

template <typename E>
std::optional<E> EnumQuery(const Request& request, const std::string& name,
                           std::optional<E> (*parse)(std::string_view),
                           const std::vector<std::string>& names, std::vector<FieldError>& errors) {
  auto value = request.Query(name);
  if (!value || value->empty()) return std::nullopt;
  auto parsed = parse(*value);
  if (!parsed) {
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
    errors.push_back({name, "must be one of: " + list});
  }
  return parsed;
}

std::optional<std::string> DateQuery(const Request& request, const std::string& name,
                                     std::vector<FieldError>& errors) {
  auto value = request.Query(name);
  if (!value || value->empty()) return std::nullopt;
  if (!ParseDate(*value)) {
    errors.push_back({name, "must be a date (YYYY-MM-DD)"});
    return std::nullopt;
  }
  return value;
}

std::optional<std::string> IdQuery(const Request& request, const std::string& name) {
  auto value = request.Query(name);
  if (!value || value->empty()) return std::nullopt;
  return value;
}

Response ProblemOr(const Request& request, std::vector<FieldError>& errors) {
  return http::ProblemFor(request, Error::Validation(std::move(errors)));
}

// ------------------------------------------------------------------ plan

PlanItemPatch ReadPlanItem(const boost::json::object& json, Purpose purpose,
                           std::vector<FieldError>& errors) {
  boost::json::object body = json;
  PlanItemPatch patch;
  patch.audience_party_ids = ReadIds(body, "audience_party_ids", kMaxParties, errors);
  // Derived, echoed back by clients that send what they read.
  for (auto name : {"last_communicated_on", "next_due_on", "overdue"}) body.erase(name);
  http::FieldReader fields(body);
  patch.subject = fields.Text("subject", 1, kSubjectMax);
  patch.audience_text = fields.Text("audience_text", 0, kTextMax);
  if (auto v = fields.OneOf("direction", DirectionNames())) patch.direction = ParseDirection(*v);
  if (auto v = fields.OneOf("frequency", FrequencyNames())) patch.frequency = ParseFrequency(*v);
  patch.due_on = fields.NullableDate("due_on");
  patch.trigger = fields.Text("trigger", 0, kTextMax);
  if (auto owner = fields.Text("owner_id", 1, kIdMax)) patch.owner_id = UserId(*owner);
  if (auto v = fields.OneOf("channel", ChannelNames())) patch.channel = ParseChannel(*v);
  patch.notes = fields.Text("notes", 0, kTextMax);
  if (purpose == Purpose::kCreate) {
    for (auto name : {"subject", "frequency", "channel"}) fields.Require(name);
  }
  Collect(fields, errors);
  return patch;
}

Response ListPlan(CommunicationService& service, Request& request) {
  static const http::PagingRules kRules{CommunicationStore::PlanItemSortFields(), "next_due_on"};
  auto page = http::ParsePageQuery(request, kRules);
  if (!page) return http::ProblemFor(request, page.error());
  std::vector<FieldError> errors;
  PlanItemFilter filter;
  filter.direction = EnumQuery(request, "direction", ParseDirection, DirectionNames(), errors);
  filter.frequency = EnumQuery(request, "frequency", ParseFrequency, FrequencyNames(), errors);
  filter.channel = EnumQuery(request, "channel", ParseChannel, ChannelNames(), errors);
  if (auto owner = IdQuery(request, "owner_id")) filter.owner_id = UserId(*owner);
  filter.party_id = IdQuery(request, "party_id");
  bool overdue = false;
  if (auto value = request.Query("overdue")) {
    if (*value == "true") {
      overdue = true;
    } else if (*value != "false") {
      errors.push_back({"overdue", "must be true or false"});
    }
  }
  filter.text = TextQuery(request, errors);
  if (!errors.empty()) return ProblemOr(request, errors);
  return http::Respond(
      request,
      service.ListPlanItems(http::ActorOf(request), request.org->org_id, filter, overdue, *page),
      [&](const Page<PlanItem>& result) {
        return Response::Json(
            200, http::PageJson(result, *page, [](const auto& i) { return ToJson(i); }));
      });
}

Response CreatePlanItem(CommunicationService& service, Request& request) {
  if (auto allowed = service.CheckCanWritePlan(http::ActorOf(request)); !allowed) {
    return http::ProblemFor(request, allowed.error());
  }
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  std::vector<FieldError> errors;
  auto input = ReadPlanItem(*body, Purpose::kCreate, errors);
  if (!errors.empty()) return ProblemOr(request, errors);
  return http::Respond(request,
                       service.CreatePlanItem(http::ActorOf(request), request.org->org_id, input),
                       [&](const PlanItem& item) {
                         Response response = http::WithEtag(201, item);
                         response.SetHeader("Location", "/api/v1/orgs/" + item.org_id.str() +
                                                            "/communication-plan/" + item.id.str());
                         return response;
                       });
}

Response GetPlanItem(CommunicationService& service, Request& request) {
  return http::Respond(request,
                       service.GetPlanItem(http::ActorOf(request), request.org->org_id,
                                           PlanItemId(request.Param("id"))),
                       [](const PlanItem& item) { return http::WithEtag(200, item); });
}

Response PatchPlanItem(CommunicationService& service, Request& request) {
  if (auto allowed = service.CheckCanWritePlan(http::ActorOf(request)); !allowed) {
    return http::ProblemFor(request, allowed.error());
  }
  auto version = http::RequireIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  std::vector<FieldError> errors;
  auto patch = ReadPlanItem(*body, Purpose::kPatch, errors);
  if (!errors.empty()) return ProblemOr(request, errors);
  return http::Respond(request,
                       service.UpdatePlanItem(http::ActorOf(request), request.org->org_id,
                                              PlanItemId(request.Param("id")), patch, *version),
                       [](const PlanItem& item) { return http::WithEtag(200, item); });
}

Response DeletePlanItem(CommunicationService& service, Request& request) {
  if (auto allowed = service.CheckCanWritePlan(http::ActorOf(request)); !allowed) {
    return http::ProblemFor(request, allowed.error());
  }
  auto version = http::RequireIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  return http::Respond(request,
                       service.DeletePlanItem(http::ActorOf(request), request.org->org_id,
                                              PlanItemId(request.Param("id")), *version),
                       [] { return Response::NoContent(); });
}

// ------------------------------------------------------------------ log

CommunicationPatch ReadCommunication(const CommunicationService& service,
                                     const boost::json::object& json, Purpose purpose,
                                     std::vector<FieldError>& errors) {
  boost::json::object body = json;
  CommunicationPatch patch;
  patch.audience_party_ids = ReadIds(body, "audience_party_ids", kMaxParties, errors);
  for (auto name : {"author_id", "author_email"}) body.erase(name);
  http::FieldReader fields(body);
  if (auto plan = fields.NullableText("plan_item_id", kIdMax)) {
    if (*plan && !(*plan)->empty()) {
      if (IsUuid(**plan)) {
        patch.plan_item_id = std::optional<PlanItemId>(PlanItemId(**plan));
      } else {
        fields.AddError("plan_item_id", "must be an id");
      }
    } else {
      patch.plan_item_id = std::optional<PlanItemId>();
    }
  }
  patch.subject = fields.Text("subject", 1, kSubjectMax);
  if (auto date = fields.NullableDate("communicated_on")) {
    if (*date) {
      patch.communicated_on = **date;
      if (auto problem = service.DateProblem(**date); !problem.empty()) {
        fields.AddError("communicated_on", problem);
      }
    } else {
      fields.AddError("communicated_on", "must be a date (YYYY-MM-DD)");
    }
  }
  patch.audience_text = fields.Text("audience_text", 0, kTextMax);
  if (auto v = fields.OneOf("channel", ChannelNames())) patch.channel = ParseChannel(*v);
  patch.summary = fields.Text("summary", 0, kTextMax);
  if (auto by = fields.Text("communicated_by", 1, kIdMax)) patch.communicated_by = UserId(*by);
  if (auto evidence = fields.NullableText("evidence_id", kIdMax)) {
    if (*evidence && !(*evidence)->empty()) {
      if (IsUuid(**evidence)) {
        patch.evidence_id = *evidence;
      } else {
        fields.AddError("evidence_id", "must be an id");
      }
    } else {
      patch.evidence_id = std::optional<std::string>();
    }
  }
  if (purpose == Purpose::kCreate) fields.Require("communicated_on");
  Collect(fields, errors);
  return patch;
}

Response ListLog(CommunicationService& service, Request& request) {
  static const http::PagingRules kRules{CommunicationStore::CommunicationSortFields(), "-date"};
  auto page = http::ParsePageQuery(request, kRules);
  if (!page) return http::ProblemFor(request, page.error());
  std::vector<FieldError> errors;
  CommunicationFilter filter;
  if (auto plan = IdQuery(request, "plan_item_id")) filter.plan_item_id = PlanItemId(*plan);
  filter.channel = EnumQuery(request, "channel", ParseChannel, ChannelNames(), errors);
  filter.party_id = IdQuery(request, "party_id");
  if (auto by = IdQuery(request, "communicated_by")) filter.communicated_by = UserId(*by);
  filter.from = DateQuery(request, "from", errors);
  filter.to = DateQuery(request, "to", errors);
  filter.text = TextQuery(request, errors);
  if (!errors.empty()) return ProblemOr(request, errors);
  return http::Respond(
      request,
      service.ListCommunications(http::ActorOf(request), request.org->org_id, filter, *page),
      [&](const Page<Communication>& result) {
        return Response::Json(
            200, http::PageJson(result, *page, [](const auto& c) { return ToJson(c); }));
      });
}

Response CreateEntry(CommunicationService& service, Request& request) {
  if (auto allowed = service.CheckCanRecord(http::ActorOf(request)); !allowed) {
    return http::ProblemFor(request, allowed.error());
  }
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  std::vector<FieldError> errors;
  auto input = ReadCommunication(service, *body, Purpose::kCreate, errors);
  if (!errors.empty()) return ProblemOr(request, errors);
  return http::Respond(
      request, service.CreateCommunication(http::ActorOf(request), request.org->org_id, input),
      [&](const Communication& entry) {
        Response response = http::WithEtag(201, entry);
        response.SetHeader(
            "Location", "/api/v1/orgs/" + entry.org_id.str() + "/communications/" + entry.id.str());
        return response;
      });
}

Response GetEntry(CommunicationService& service, Request& request) {
  return http::Respond(request,
                       service.GetCommunication(http::ActorOf(request), request.org->org_id,
                                                CommunicationId(request.Param("id"))),
                       [](const Communication& entry) { return http::WithEtag(200, entry); });
}

Response PatchEntry(CommunicationService& service, Request& request) {
  if (auto allowed = service.CheckCanRecord(http::ActorOf(request)); !allowed) {
    return http::ProblemFor(request, allowed.error());
  }
  auto version = http::RequireIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  std::vector<FieldError> errors;
  auto patch = ReadCommunication(service, *body, Purpose::kPatch, errors);
  if (!errors.empty()) return ProblemOr(request, errors);
  return http::Respond(
      request,
      service.UpdateCommunication(http::ActorOf(request), request.org->org_id,
                                  CommunicationId(request.Param("id")), patch, *version),
      [](const Communication& entry) { return http::WithEtag(200, entry); });
}

Response DeleteEntry(CommunicationService& service, Request& request) {
  auto version = http::RequireIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  return http::Respond(request,
                       service.DeleteCommunication(http::ActorOf(request), request.org->org_id,
                                                   CommunicationId(request.Param("id")), *version),
                       [] { return Response::NoContent(); });
}

}  // namespace

void AddRoutes(http::Router& router, CommunicationService& service) {
  auto& s = service;
  const std::string plan = "/api/v1/orgs/{org}/communication-plan";
  router.Add(Method::kGet, plan, Access::kUser, [&s](Request& r) { return ListPlan(s, r); });
  router.Add(Method::kPost, plan, Access::kUser, [&s](Request& r) { return CreatePlanItem(s, r); });
  router.Add(Method::kGet, plan + "/{id}", Access::kUser,
             [&s](Request& r) { return GetPlanItem(s, r); });
  router.Add(Method::kPatch, plan + "/{id}", Access::kUser,
             [&s](Request& r) { return PatchPlanItem(s, r); });
  router.Add(Method::kDelete, plan + "/{id}", Access::kUser,
             [&s](Request& r) { return DeletePlanItem(s, r); });

  const std::string log = "/api/v1/orgs/{org}/communications";
  router.Add(Method::kGet, log, Access::kUser, [&s](Request& r) { return ListLog(s, r); });
  router.Add(Method::kPost, log, Access::kUser, [&s](Request& r) { return CreateEntry(s, r); });
  router.Add(Method::kGet, log + "/{id}", Access::kUser,
             [&s](Request& r) { return GetEntry(s, r); });
  router.Add(Method::kPatch, log + "/{id}", Access::kUser,
             [&s](Request& r) { return PatchEntry(s, r); });
  router.Add(Method::kDelete, log + "/{id}", Access::kUser,
             [&s](Request& r) { return DeleteEntry(s, r); });
}

}  // namespace certus::communication
