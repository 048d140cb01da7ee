#include "modules/notifications/routes.hpp"

#include <boost/json.hpp>

#include "http/application.hpp"
#include "http/json.hpp"
#include "http/paging.hpp"
#include "http/problem.hpp"
#include "modules/notifications/json.hpp"

namespace certus::notifications {

namespace {

using http::Access;
using http::Method;
using http::Request;
using http::Response;

constexpr std::size_t kUrlMax = 2000;

/// An API token works in one organization only: its caller sees that organization's
/// notifications; a session sees all of the user's.
std::optional<OrgId> ScopeOf(const Request& request) {
  return request.principal ? request.principal->token_org : std::nullopt;
}

Response WithVersion(const Preferences& preferences) {
  Response response = Response::Json(200, ToJson(preferences));
  if (preferences.version > 0) response.SetHeader("ETag", http::Etag(preferences.version));
  return response;
}

Response List(NotificationService& service, Request& request) {
  static const http::PagingRules kRules{NotificationStore::SortFields(), "-created_at"};
  auto page = http::ParsePageQuery(request, kRules);
  if (!page) return http::ProblemFor(request, page.error());
  bool unread = false;
  if (auto value = request.Query("unread")) {
    if (*value != "true" && *value != "false") {
      return http::ProblemFor(request, Error::Field("unread", "must be true or false"));
    }
    unread = *value == "true";
  }
  const Actor actor = http::ActorOf(request);
  auto count = service.UnreadCount(actor, ScopeOf(request));
  if (!count) return http::ProblemFor(request, count.error());
  return http::Respond(request, service.List(actor, ScopeOf(request), unread, *page),
                       [&](const Page<Notification>& result) {
                         auto json =
                             http::PageJson(result, *page, [](const auto& n) { return ToJson(n); });
                         json["unread_count"] = *count;
                         return Response::Json(200, json);
                       });
}

Response UnreadCount(NotificationService& service, Request& request) {
  return http::Respond(request, service.UnreadCount(http::ActorOf(request), ScopeOf(request)),
                       [](std::int64_t n) {
                         return Response::Json(200, boost::json::object{{"unread_count", n}});
                       });
}

Response MarkRead(NotificationService& service, Request& request) {
  return http::Respond(request,
                       service.MarkRead(http::ActorOf(request), ScopeOf(request),
                                        NotificationId(request.Param("id"))),
                       [](const Notification& n) { return Response::Json(200, ToJson(n)); });
}

Response MarkAllRead(NotificationService& service, Request& request) {
  return http::Respond(
      request, service.MarkAllRead(http::ActorOf(request), ScopeOf(request)), [](std::int64_t n) {
        return Response::Json(200, boost::json::object{{"marked", n}, {"unread_count", 0}});
      });
}

Response GetPreferences(NotificationService& service, Request& request) {
  return http::Respond(request, service.GetPreferences(http::ActorOf(request)), WithVersion);
}

Response PutPreferences(NotificationService& service, Request& request) {
  auto version = http::OptionalIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  http::FieldReader fields(*body);
  Preferences input;
  auto email = fields.Boolean("email");
  auto in_app = fields.Boolean("in_app");
  auto digest = fields.OneOf("digest", {"off", "daily"});
  auto days = fields.Integer("days_before_due", 0, 90);
  for (const char* name : {"email", "in_app", "digest", "days_before_due"}) fields.Require(name);
  if (auto done = fields.Finish(); !done) return http::ProblemFor(request, done.error());
  input.email = *email;
  input.in_app = *in_app;
  input.digest = *digest == "daily" ? Digest::kDaily : Digest::kOff;
  input.days_before_due = *days;
  return http::Respond(request, service.SavePreferences(http::ActorOf(request), input, *version),
                       WithVersion);
}

/// `events`: a non-empty array of known event names, without repeats.
std::optional<std::vector<std::string>> ReadEvents(const boost::json::object& body,
                                                   http::FieldReader& fields) {
  if (!body.contains("events")) return std::nullopt;
  const auto& value = body.at("events");
  std::vector<std::string> events;
  if (!value.is_array() || value.as_array().empty()) {
    fields.AddError("events", "must be a non-empty array of event names");
    return std::nullopt;
  }
  for (const auto& item : value.as_array()) {
    const auto& names = EventNames();
    if (!item.is_string() ||
        std::find(names.begin(), names.end(), std::string(item.as_string())) == names.end()) {
      fields.AddError("events",
                      "must name events among: reminder.before, reminder.due, "
                      "reminder.overdue");
      return std::nullopt;
    }
    std::string name(item.as_string());
    if (std::find(events.begin(), events.end(), name) == events.end()) events.push_back(name);
  }
  return events;
}

WebhookPatch ReadWebhook(const boost::json::object& body, http::FieldReader& fields) {
  WebhookPatch patch;
  patch.url = fields.Text("url", 1, kUrlMax);
  if (patch.url) {
    if (auto problem = WebhookUrlProblem(*patch.url); !problem.empty()) {
      fields.AddError("url", problem);
    }
  }
  patch.events = ReadEvents(body, fields);
  patch.active = fields.Boolean("active");
  return patch;
}

Response ListWebhooks(NotificationService& service, Request& request) {
  return http::Respond(
      request, service.ListWebhooks(http::ActorOf(request), request.org->org_id),
      [](const std::vector<Webhook>& hooks) {
        boost::json::array items;
        for (const auto& hook : hooks) items.push_back(ToJson(hook));
        return Response::Json(200, boost::json::object{{"items", items}, {"next_cursor", nullptr}});
      });
}

Response CreateWebhook(NotificationService& service, Request& request) {
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  boost::json::object rest = *body;
  rest.erase("events");
  http::FieldReader fields(rest);
  auto patch = ReadWebhook(*body, fields);
  fields.Require("url");
  if (!body->contains("events")) fields.AddError("events", "is required");
  if (auto done = fields.Finish(); !done) return http::ProblemFor(request, done.error());
  NewWebhook input{*patch.url, *patch.events, patch.active.value_or(true)};
  return http::Respond(
      request, service.CreateWebhook(http::ActorOf(request), request.org->org_id, input),
      [&](const CreatedWebhook& created) {
        auto json = ToJson(created.webhook).as_object();
        // Shown once: the receiver needs it to verify X-Certus-Signature.
        json["secret"] = created.secret.Expose();
        Response response = Response::Json(201, json);
        response.SetHeader("ETag", http::Etag(created.webhook.version));
        response.SetHeader("Location", "/api/v1/orgs/" + created.webhook.org_id.str() +
                                           "/webhooks/" + created.webhook.id.str());
        response.SetHeader("Cache-Control", "no-store");
        return response;
      });
}

Response GetWebhook(NotificationService& service, Request& request) {
  return http::Respond(request,
                       service.GetWebhook(http::ActorOf(request), request.org->org_id,
                                          WebhookId(request.Param("id"))),
                       [](const Webhook& hook) { return http::WithEtag(200, hook); });
}

Response PatchWebhook(NotificationService& service, Request& request) {
  auto version = http::RequireIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  boost::json::object rest = *body;
  rest.erase("events");
  http::FieldReader fields(rest);
  auto patch = ReadWebhook(*body, fields);
  if (auto done = fields.Finish(); !done) return http::ProblemFor(request, done.error());
  return http::Respond(request,
                       service.UpdateWebhook(http::ActorOf(request), request.org->org_id,
                                             WebhookId(request.Param("id")), patch, *version),
                       [](const Webhook& hook) { return http::WithEtag(200, hook); });
}

Response DeleteWebhook(NotificationService& service, Request& request) {
  auto version = http::RequireIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  return http::Respond(request,
                       service.DeleteWebhook(http::ActorOf(request), request.org->org_id,
                                             WebhookId(request.Param("id")), *version),
                       [] { return Response::NoContent(); });
}

Response Deliveries(NotificationService& service, Request& request) {
  return http::Respond(
      request,
      service.Deliveries(http::ActorOf(request), request.org->org_id,
                         WebhookId(request.Param("id"))),
      [](const std::vector<Delivery>& deliveries) {
        boost::json::array items;
        for (const auto& d : deliveries) items.push_back(ToJson(d));
        return Response::Json(200, boost::json::object{{"items", items}, {"next_cursor", nullptr}});
      });
}

}  // namespace

void AddRoutes(http::Router& router, NotificationService& service) {
  auto& s = service;
  // Under /me, not /orgs/{org}: a notification belongs to its recipient, every member
  // (viewers too) marks their own read, and the bell counts across organizations.
  const std::string me = "/api/v1/me/notifications";
  router.Add(Method::kGet, me, Access::kUser, [&s](Request& r) { return List(s, r); });
  router.Add(Method::kGet, me + "/unread-count", Access::kUser,
             [&s](Request& r) { return UnreadCount(s, r); });
  router.Add(Method::kPost, me + "/read-all", Access::kUser,
             [&s](Request& r) { return MarkAllRead(s, r); });
  router.Add(Method::kPost, me + "/{id}/read", Access::kUser,
             [&s](Request& r) { return MarkRead(s, r); });
  const std::string preferences = "/api/v1/me/notification-preferences";
  router.Add(Method::kGet, preferences, Access::kUser,
             [&s](Request& r) { return GetPreferences(s, r); });
  router.Add(Method::kPut, preferences, Access::kUser,
             [&s](Request& r) { return PutPreferences(s, r); });
  const std::string hooks = "/api/v1/orgs/{org}/webhooks";
  router.Add(Method::kGet, hooks, Access::kUser, [&s](Request& r) { return ListWebhooks(s, r); });
  router.Add(Method::kPost, hooks, Access::kUser, [&s](Request& r) { return CreateWebhook(s, r); });
  router.Add(Method::kGet, hooks + "/{id}", Access::kUser,
             [&s](Request& r) { return GetWebhook(s, r); });
  router.Add(Method::kPatch, hooks + "/{id}", Access::kUser,
             [&s](Request& r) { return PatchWebhook(s, r); });
  router.Add(Method::kDelete, hooks + "/{id}", Access::kUser,
             [&s](Request& r) { return DeleteWebhook(s, r); });
  router.Add(Method::kGet, hooks + "/{id}/deliveries", Access::kUser,
             [&s](Request& r) { return Deliveries(s, r); });
}

}  // namespace certus::notifications
