#include "modules/improvement/routes.hpp"

#include <boost/json.hpp>

#include "http/application.hpp"
#include "http/json.hpp"
#include "http/paging.hpp"
#include "http/problem.hpp"
#include "modules/improvement/json.hpp"

namespace certus::improvement {

namespace {

using http::Access;
using http::Method;
using http::Request;
using http::Response;

constexpr std::size_t kTitleMax = 300;
constexpr std::size_t kIdMax = 100;
constexpr std::size_t kRefMax = 200;
constexpr std::size_t kTextMax = 20000;
constexpr std::size_t kMaxChanges = 100;

enum class Purpose { kCreate, kPatch };

void Collect(http::FieldReader& fields, std::vector<FieldError>& errors) {
  if (auto done = fields.Finish(); !done) {
    for (const auto& error : done.error().fields()) errors.push_back(error);
  }
}

Response Invalid(Request& request, std::vector<FieldError> errors) {
  return http::ProblemFor(request, Error::Validation(std::move(errors)));
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

/// `?name=` parsed by `parse`, or a field error naming the allowed values.
template <typename T, typename Parse>
std::optional<T> EnumQuery(const Request& request, const std::string& name, Parse parse,
                           const std::vector<std::string>& allowed,
                           std::vector<FieldError>& errors) {
  auto value = request.Query(name);
  if (!value || value->empty()) return std::nullopt;
  if (std::find(allowed.begin(), allowed.end(), *value) == allowed.end()) {
    std::string list;
    for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
    errors.push_back({name, "must be one of: " + list});
    return std::nullopt;
  }
  return parse(*value);
}

/// `?owner=me` or a user id.
std::optional<UserId> OwnerQuery(const Request& request, const std::string& name) {
  auto owner = request.Query(name);
  if (!owner || owner->empty()) return std::nullopt;
  if (*owner == "me") return http::ActorOf(request).user_id;
  return UserId(*owner);
}

/// A required date or null-able date field; `nullable` false refuses null.
std::optional<std::optional<Date>> DateField(http::FieldReader& fields, const char* name,
                                             bool nullable) {
  auto date = fields.NullableDate(name);
  if (date && !*date && !nullable) {
    fields.AddError(name, "must be a date (YYYY-MM-DD)");
    return std::nullopt;
  }
  return date;
}

// ------------------------------------------------------------------ nonconformities

/// `change_ids`: an array of change record ids (their shape is the service's rule).
std::optional<std::vector<std::string>> ReadChangeIds(boost::json::object& body,
                                                      std::vector<FieldError>& errors) {
  auto it = body.find("change_ids");
  if (it == body.end()) return std::nullopt;
  boost::json::value value = it->value();
  body.erase(it);
  std::vector<std::string> ids;
  if (value.is_null()) return ids;
  if (!value.is_array() || value.as_array().size() > kMaxChanges) {
    errors.push_back({"change_ids", "must be an array of at most 100 change record ids"});
    return std::nullopt;
  }
  const auto& items = value.as_array();
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (!items[i].is_string() || items[i].as_string().size() > kIdMax) {
      errors.push_back({"change_ids[" + std::to_string(i) + "]", "must be a change record id"});
      return std::nullopt;
    }
    ids.emplace_back(std::string(items[i].as_string()));
  }
  return ids;
}

struct NcInput {
  NonconformityPatch patch;
  std::optional<Source> source;
  std::optional<std::string> source_ref;
};

NcInput ReadNonconformity(const boost::json::object& json, Purpose purpose,
                          std::vector<FieldError>& errors) {
  boost::json::object body = json;
  NcInput input;
  auto& patch = input.patch;
  patch.change_ids = ReadChangeIds(body, errors);
  http::FieldReader fields(body);
  patch.title = fields.Text("title", 1, kTitleMax);
  patch.description = fields.Text("description", 0, kTextMax);
  if (auto source = fields.OneOf("source", NonconformitySourceNames())) {
    input.source = ParseSource(*source);
  }
  input.source_ref = fields.Text("source_ref", 0, kRefMax);
  patch.source_ref = input.source_ref;
  patch.requirement_ref = fields.Text("requirement_ref", 0, 20);
  if (auto severity = fields.OneOf("severity", SeverityNames())) {
    patch.severity = ParseSeverity(*severity);
  }
  if (auto date = DateField(fields, "reported_on", false); date && *date) {
    patch.reported_on = **date;
  }
  if (auto owner = fields.Text("owner_id", 1, kIdMax)) patch.owner_id = UserId(*owner);
  patch.correction = fields.Text("correction", 0, kTextMax);
  patch.correction_on = DateField(fields, "correction_on", true);
  patch.root_cause = fields.Text("root_cause", 0, kTextMax);
  if (fields.Has("root_cause_method")) {
    if (auto method = fields.NullableText("root_cause_method", 40)) {
      if (!*method || (*method)->empty()) {
        patch.root_cause_method = std::optional<RootCauseMethod>();
      } else if (auto parsed = ParseMethod(**method)) {
        patch.root_cause_method = parsed;
      } else {
        fields.AddError("root_cause_method",
                        "must be one of: five_whys, fishbone, fault_tree, other");
      }
    }
  }
  patch.similar_check = fields.Text("similar_check", 0, kTextMax);
  if (purpose == Purpose::kCreate) {
    fields.Require("title");
    fields.Require("source");
    fields.Require("severity");
  }
  Collect(fields, errors);
  return input;
}

Response ListNonconformities(NonconformityService& service, Request& request) {
  static const http::PagingRules kRules{ImprovementStore::NonconformitySortFields(), "-ref"};
  auto page = http::ParsePageQuery(request, kRules);
  if (!page) return http::ProblemFor(request, page.error());
  std::vector<FieldError> errors;
  NonconformityFilter filter;
  if (request.Query("status") == std::optional<std::string>("not_closed")) {
    filter.open_only = true;
  } else {
    filter.status = EnumQuery<NcStatus>(request, "status", ParseNcStatus, NcStatusNames(), errors);
  }
  filter.severity =
      EnumQuery<Severity>(request, "severity", ParseSeverity, SeverityNames(), errors);
  filter.source =
      EnumQuery<Source>(request, "source", ParseSource, NonconformitySourceNames(), errors);
  filter.owner_id = OwnerQuery(request, "owner");
  filter.text = TextQuery(request, errors);
  if (!errors.empty()) return Invalid(request, std::move(errors));
  return http::Respond(
      request, service.List(http::ActorOf(request), request.org->org_id, filter, *page),
      [&](const Page<Nonconformity>& result) {
        return Response::Json(
            200, http::PageJson(result, *page, [](const auto& n) { return ToJson(n); }));
      });
}

Response CreateNonconformity(NonconformityService& service, Request& request) {
  if (auto allowed = service.CheckCanWrite(http::ActorOf(request)); !allowed) {
    return http::ProblemFor(request, allowed.error());
  }
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  std::vector<FieldError> errors;
  auto input = ReadNonconformity(*body, Purpose::kCreate, errors);
  for (auto& problem : service.PatchProblems(input.patch)) errors.push_back(problem);
  if (!errors.empty()) return Invalid(request, std::move(errors));
  return http::Respond(
      request,
      service.Create(http::ActorOf(request), request.org->org_id,
                     input.source.value_or(Source::kOther), input.source_ref, input.patch),
      [&](const Nonconformity& nc) {
        Response response = http::WithEtag(201, nc);
        response.SetHeader("Location",
                           "/api/v1/orgs/" + nc.org_id.str() + "/nonconformities/" + nc.id.str());
        return response;
      });
}

Response GetNonconformity(NonconformityService& service, Request& request) {
  return http::Respond(request,
                       service.Get(http::ActorOf(request), request.org->org_id,
                                   NonconformityId(request.Param("id"))),
                       [](const Nonconformity& nc) { return http::WithEtag(200, nc); });
}

Response PatchNonconformity(NonconformityService& service, Request& request) {
  if (auto allowed = service.CheckCanWrite(http::ActorOf(request)); !allowed) {
    return http::ProblemFor(request, allowed.error());
  }
  auto version = http::RequireIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  std::vector<FieldError> errors;
  auto input = ReadNonconformity(*body, Purpose::kPatch, errors);
  input.patch.source = input.source;
  for (auto& problem : service.PatchProblems(input.patch)) errors.push_back(problem);
  if (!errors.empty()) return Invalid(request, std::move(errors));
  return http::Respond(request,
                       service.Update(http::ActorOf(request), request.org->org_id,
                                      NonconformityId(request.Param("id")), input.patch, *version),
                       [](const Nonconformity& nc) { return http::WithEtag(200, nc); });
}

Response CloseNonconformity(NonconformityService& service, Request& request) {
  if (auto allowed = service.CheckCanVerify(http::ActorOf(request)); !allowed) {
    return http::ProblemFor(request, allowed.error());
  }
  auto expected = http::OptionalIfMatch(request);
  if (!expected) return http::ProblemFor(request, expected.error());
  if (!request.body.empty()) {
    auto body = http::ParseJsonObject(request.body);
    if (!body) return http::ProblemFor(request, body.error());
    http::FieldReader fields(*body);
    if (auto done = fields.Finish(); !done) return http::ProblemFor(request, done.error());
  }
  return http::Respond(request,
                       service.Close(http::ActorOf(request), request.org->org_id,
                                     NonconformityId(request.Param("id")), *expected),
                       [](const Nonconformity& nc) { return http::WithEtag(200, nc); });
}

// ------------------------------------------------------------------ corrective actions

ActionPatch ReadAction(const boost::json::object& body, Purpose purpose,
                       std::vector<FieldError>& errors) {
  http::FieldReader fields(body);
  ActionPatch patch;
  patch.title = fields.Text("title", 1, kTitleMax);
  if (auto owner = fields.Text("owner_id", 1, kIdMax)) patch.owner_id = UserId(*owner);
  patch.due_on = DateField(fields, "due_on", true);
  if (auto status = fields.OneOf("status", ActionStatusNames())) {
    patch.status = ParseActionStatus(*status);
  }
  patch.completion_note = fields.Text("completion_note", 0, kTextMax);
  patch.done_on = DateField(fields, "done_on", true);
  if (purpose == Purpose::kCreate) {
    fields.Require("title");
    fields.Require("owner_id");
  }
  Collect(fields, errors);
  return patch;
}

Response ListActionsOf(NonconformityService& service, Request& request) {
  return http::Respond(
      request,
      service.ListActionsOf(http::ActorOf(request), request.org->org_id,
                            NonconformityId(request.Param("id"))),
      [](const std::vector<CorrectiveAction>& actions) {
        boost::json::array items;
        for (const auto& a : actions) items.push_back(ToJson(a));
        return Response::Json(200, boost::json::object{{"items", items}, {"next_cursor", nullptr}});
      });
}

Response ListActions(NonconformityService& service, Request& request) {
  static const http::PagingRules kRules{ImprovementStore::ActionSortFields(), "due_on"};
  auto page = http::ParsePageQuery(request, kRules);
  if (!page) return http::ProblemFor(request, page.error());
  std::vector<FieldError> errors;
  ActionFilter filter;
  filter.owner_id = OwnerQuery(request, "owner");
  filter.status =
      EnumQuery<ActionStatus>(request, "status", ParseActionStatus, ActionStatusNames(), errors);
  if (auto nc = request.Query("nonconformity_id"); nc && !nc->empty()) {
    filter.nonconformity_id = NonconformityId(*nc);
  }
  bool overdue = false;
  if (auto value = request.Query("overdue")) {
    if (*value == "true") {
      overdue = true;
    } else if (*value != "false") {
      errors.push_back({"overdue", "must be true or false"});
    }
  }
  if (!errors.empty()) return Invalid(request, std::move(errors));
  return http::Respond(
      request,
      service.ListActions(http::ActorOf(request), request.org->org_id, filter, overdue, *page),
      [&](const Page<CorrectiveAction>& result) {
        return Response::Json(
            200, http::PageJson(result, *page, [](const auto& a) { return ToJson(a); }));
      });
}

Response CreateAction(NonconformityService& service, Request& request) {
  if (auto allowed = service.CheckCanWrite(http::ActorOf(request)); !allowed) {
    return http::ProblemFor(request, allowed.error());
  }
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  std::vector<FieldError> errors;
  auto input = ReadAction(*body, Purpose::kCreate, errors);
  if (!errors.empty()) return Invalid(request, std::move(errors));
  return http::Respond(request,
                       service.CreateAction(http::ActorOf(request), request.org->org_id,
                                            NonconformityId(request.Param("id")), input),
                       [&](const CorrectiveAction& action) {
                         Response response = http::WithEtag(201, action);
                         response.SetHeader("Location", "/api/v1/orgs/" + action.org_id.str() +
                                                            "/corrective-actions/" +
                                                            action.id.str());
                         return response;
                       });
}

Response GetAction(NonconformityService& service, Request& request) {
  return http::Respond(
      request,
      service.GetAction(http::ActorOf(request), request.org->org_id, ActionId(request.Param("id"))),
      [](const CorrectiveAction& action) { return http::WithEtag(200, action); });
}

Response PatchAction(NonconformityService& service, Request& request) {
  if (auto allowed = service.CheckCanWrite(http::ActorOf(request)); !allowed) {
    return http::ProblemFor(request, allowed.error());
  }
  auto version = http::RequireIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  std::vector<FieldError> errors;
  auto patch = ReadAction(*body, Purpose::kPatch, errors);
  if (!errors.empty()) return Invalid(request, std::move(errors));
  return http::Respond(request,
                       service.UpdateAction(http::ActorOf(request), request.org->org_id,
                                            ActionId(request.Param("id")), patch, *version),
                       [](const CorrectiveAction& action) { return http::WithEtag(200, action); });
}

// ------------------------------------------------------------------ effectiveness reviews

Response ListReviews(NonconformityService& service, Request& request) {
  return http::Respond(
      request,
      service.ListReviews(http::ActorOf(request), request.org->org_id,
                          NonconformityId(request.Param("id"))),
      [](const std::vector<EffectivenessReview>& reviews) {
        boost::json::array items;
        for (const auto& r : reviews) items.push_back(ToJson(r));
        return Response::Json(200, boost::json::object{{"items", items}, {"next_cursor", nullptr}});
      });
}

Response CreateReview(NonconformityService& service, Request& request) {
  if (auto allowed = service.CheckCanVerify(http::ActorOf(request)); !allowed) {
    return http::ProblemFor(request, allowed.error());
  }
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  http::FieldReader fields(*body);
  fields.Require("effective");
  auto effective = fields.Boolean("effective");
  auto note = fields.Text("note", 0, kTextMax);
  if (effective && !*effective && (!note || note->empty())) {
    fields.AddError("note", "is required when the actions were not effective: say why");
  }
  if (auto done = fields.Finish(); !done) return http::ProblemFor(request, done.error());
  return http::Respond(
      request,
      service.Review(http::ActorOf(request), request.org->org_id,
                     NonconformityId(request.Param("id")), *effective, note.value_or("")),
      [&](const EffectivenessReview& review) { return Response::Json(201, ToJson(review)); });
}

// ------------------------------------------------------------------ improvements

ImprovementPatch ReadImprovement(const boost::json::object& body, Purpose purpose,
                                 std::vector<FieldError>& errors) {
  http::FieldReader fields(body);
  ImprovementPatch patch;
  patch.title = fields.Text("title", 1, kTitleMax);
  patch.description = fields.Text("description", 0, kTextMax);
  if (auto source = fields.OneOf("source", ImprovementSourceNames())) {
    patch.source = ParseSource(*source);
  }
  if (auto decision = fields.OneOf("decision", DecisionNames())) {
    patch.decision = ParseDecision(*decision);
  }
  patch.decision_rationale = fields.Text("decision_rationale", 0, kTextMax);
  patch.outcome = fields.Text("outcome", 0, kTextMax);
  if (auto owner = fields.NullableText("owner_id", kIdMax)) {
    if (*owner && !(*owner)->empty()) {
      patch.owner_id = std::optional<UserId>(UserId(**owner));
    } else {
      patch.owner_id = std::optional<UserId>();
    }
  }
  patch.due_on = DateField(fields, "due_on", true);
  if (auto status = fields.OneOf("status", ImprovementStatusNames())) {
    patch.status = ParseImprovementStatus(*status);
  }
  if (auto nc = fields.NullableText("nonconformity_id", kIdMax)) {
    if (*nc && !(*nc)->empty()) {
      patch.nonconformity_id = std::optional<NonconformityId>(NonconformityId(**nc));
    } else {
      patch.nonconformity_id = std::optional<NonconformityId>();
    }
  }
  if (purpose == Purpose::kCreate) fields.Require("title");
  Collect(fields, errors);
  return patch;
}

Response ListImprovements(ImprovementService& service, Request& request) {
  static const http::PagingRules kRules{ImprovementStore::ImprovementSortFields(), "-ref"};
  auto page = http::ParsePageQuery(request, kRules);
  if (!page) return http::ProblemFor(request, page.error());
  std::vector<FieldError> errors;
  ImprovementFilter filter;
  filter.status = EnumQuery<ImprovementStatus>(request, "status", ParseImprovementStatus,
                                               ImprovementStatusNames(), errors);
  filter.decision =
      EnumQuery<Decision>(request, "decision", ParseDecision, DecisionNames(), errors);
  filter.source =
      EnumQuery<Source>(request, "source", ParseSource, ImprovementSourceNames(), errors);
  if (auto nc = request.Query("nonconformity_id"); nc && !nc->empty()) {
    filter.nonconformity_id = NonconformityId(*nc);
  }
  filter.text = TextQuery(request, errors);
  if (!errors.empty()) return Invalid(request, std::move(errors));
  return http::Respond(
      request, service.List(http::ActorOf(request), request.org->org_id, filter, *page),
      [&](const Page<Improvement>& result) {
        return Response::Json(
            200, http::PageJson(result, *page, [](const auto& i) { return ToJson(i); }));
      });
}

Response CreateImprovement(ImprovementService& service, Request& request) {
  if (auto allowed = service.CheckCanWrite(http::ActorOf(request)); !allowed) {
    return http::ProblemFor(request, allowed.error());
  }
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  std::vector<FieldError> errors;
  auto input = ReadImprovement(*body, Purpose::kCreate, errors);
  if (!errors.empty()) return Invalid(request, std::move(errors));
  return http::Respond(request, service.Create(http::ActorOf(request), request.org->org_id, input),
                       [&](const Improvement& i) {
                         Response response = http::WithEtag(201, i);
                         response.SetHeader("Location", "/api/v1/orgs/" + i.org_id.str() +
                                                            "/improvements/" + i.id.str());
                         return response;
                       });
}

Response GetImprovement(ImprovementService& service, Request& request) {
  return http::Respond(
      request,
      service.Get(http::ActorOf(request), request.org->org_id, ImprovementId(request.Param("id"))),
      [](const Improvement& i) { return http::WithEtag(200, i); });
}

Response PatchImprovement(ImprovementService& service, Request& request) {
  if (auto allowed = service.CheckCanWrite(http::ActorOf(request)); !allowed) {
    return http::ProblemFor(request, allowed.error());
  }
  auto version = http::RequireIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  std::vector<FieldError> errors;
  auto patch = ReadImprovement(*body, Purpose::kPatch, errors);
  if (!errors.empty()) return Invalid(request, std::move(errors));
  return http::Respond(request,
                       service.Update(http::ActorOf(request), request.org->org_id,
                                      ImprovementId(request.Param("id")), patch, *version),
                       [](const Improvement& i) { return http::WithEtag(200, i); });
}

}  // namespace

void AddRoutes(http::Router& router, NonconformityService& ncs, ImprovementService& ofis) {
  auto& s = ncs;
  const std::string ncs_path = "/api/v1/orgs/{org}/nonconformities";
  router.Add(Method::kGet, ncs_path, Access::kUser,
             [&s](Request& r) { return ListNonconformities(s, r); });
  router.Add(Method::kPost, ncs_path, Access::kUser,
             [&s](Request& r) { return CreateNonconformity(s, r); });
  router.Add(Method::kGet, ncs_path + "/{id}", Access::kUser,
             [&s](Request& r) { return GetNonconformity(s, r); });
  router.Add(Method::kPatch, ncs_path + "/{id}", Access::kUser,
             [&s](Request& r) { return PatchNonconformity(s, r); });
  router.Add(Method::kPost, ncs_path + "/{id}/close", Access::kUser,
             [&s](Request& r) { return CloseNonconformity(s, r); });
  router.Add(Method::kGet, ncs_path + "/{id}/corrective-actions", Access::kUser,
             [&s](Request& r) { return ListActionsOf(s, r); });
  router.Add(Method::kPost, ncs_path + "/{id}/corrective-actions", Access::kUser,
             [&s](Request& r) { return CreateAction(s, r); });
  router.Add(Method::kGet, ncs_path + "/{id}/effectiveness-reviews", Access::kUser,
             [&s](Request& r) { return ListReviews(s, r); });
  router.Add(Method::kPost, ncs_path + "/{id}/effectiveness-reviews", Access::kUser,
             [&s](Request& r) { return CreateReview(s, r); });

  const std::string actions = "/api/v1/orgs/{org}/corrective-actions";
  router.Add(Method::kGet, actions, Access::kUser, [&s](Request& r) { return ListActions(s, r); });
  router.Add(Method::kGet, actions + "/{id}", Access::kUser,
             [&s](Request& r) { return GetAction(s, r); });
  router.Add(Method::kPatch, actions + "/{id}", Access::kUser,
             [&s](Request& r) { return PatchAction(s, r); });

  auto& o = ofis;
  const std::string ofi = "/api/v1/orgs/{org}/improvements";
  router.Add(Method::kGet, ofi, Access::kUser, [&o](Request& r) { return ListImprovements(o, r); });
  router.Add(Method::kPost, ofi, Access::kUser,
             [&o](Request& r) { return CreateImprovement(o, r); });
  router.Add(Method::kGet, ofi + "/{id}", Access::kUser,
             [&o](Request& r) { return GetImprovement(o, r); });
  router.Add(Method::kPatch, ofi + "/{id}", Access::kUser,
             [&o](Request& r) { return PatchImprovement(o, r); });
}

}  // namespace certus::improvement
