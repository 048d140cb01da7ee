#include "modules/platform_routes.hpp"

#include <boost/json.hpp>

#include "http/paging.hpp"
#include "http/problem.hpp"

namespace certus::modules {

namespace {

using http::Access;
using http::Method;
using http::Request;
using http::Response;

boost::json::value ParsedOrNull(const std::string& text) {
  boost::system::error_code ec;
  auto value = boost::json::parse(text, ec);
  return ec ? boost::json::value(nullptr) : value;
}

boost::json::value EventJson(const auditlog::StoredEvent& event) {
  return boost::json::object{
      {"id", std::to_string(event.id)},
      {"seq", event.seq},
      {"occurred_at", event.occurred_at},
      {"actor_id",
       event.actor_id.empty() ? boost::json::value(nullptr) : boost::json::value(event.actor_id)},
      {"actor_email", event.actor_label},
      {"object_type", event.object_type},
      {"object_id", event.object_id},
      {"action", event.action},
      {"before", ParsedOrNull(event.before_json)},
      {"after", ParsedOrNull(event.after_json)},
      {"request_id", event.request_id},
      {"prev_hash", event.prev_hash},
      {"hash", event.hash}};
}

/// The audit log as a whole shows every change, membership included: for the people
/// who answer for the ISMS and those who audit it.
Expected<void> CheckCanReadLog(const Request& request) {
  auto role = request.org->role;
  if (role == Role::kAdmin || role == Role::kManager || role == Role::kAuditor) return {};
  return Fail(ErrorCode::kPermissionDenied,
              "Only admins, managers and auditors may read the whole audit log.");
}

}  // namespace

void AddPlatformRoutes(http::Router& router, storage::Database& db, auditlog::AuditLog& audit_log,
                       std::string openapi_document) {
  router.Add(Method::kGet, "/healthz", Access::kPublic, [](Request&) {
    return Response::Json(200, boost::json::object{{"status", "ok"}});
  });
  router.Add(Method::kGet, "/readyz", Access::kPublic, [&db](Request& request) {
    auto ping = storage::InReadTransaction(
        db, [](storage::Transaction& tx) { return tx.Execute("SELECT 1"); });
    if (!ping)
      return http::ProblemFor(request,
                              Error(ErrorCode::kUnavailable, "The database is not reachable."));
    return Response::Json(200, boost::json::object{{"status", "ready"}});
  });
  router.Add(Method::kGet, "/api/v1/openapi.json", Access::kPublic,
             [document = std::move(openapi_document)](Request&) {
               Response response;
               response.SetHeader("Content-Type", "application/json");
               response.body = document;
               return response;
             });

  router.Add(Method::kGet, "/api/v1/orgs/{org}/audit-log", Access::kUser,
             [&db, &audit_log](Request& request) {
               if (auto allowed = CheckCanReadLog(request); !allowed) {
                 return http::ProblemFor(request, allowed.error());
               }
               static const http::PagingRules kRules{{"seq"}, "-seq"};
               auto page = http::ParsePageQuery(request, kRules);
               if (!page) return http::ProblemFor(request, page.error());
               if (page->after &&
                   page->after->sort_key.find_first_not_of("0123456789") != std::string::npos) {
                 return http::ProblemFor(request,
                                         Error::Field("cursor", "is not a cursor of this listing"));
               }
               auto events = storage::InReadTransaction(db, [&](storage::Transaction& tx) {
                 return audit_log.List(tx, request.org->org_id.str(), *page);
               });
               return http::Respond(request, std::move(events), [&](const auto& result) {
                 return Response::Json(200, http::PageJson(result, *page, EventJson));
               });
             });

  router.Add(Method::kGet, "/api/v1/orgs/{org}/audit-log/verify", Access::kUser,
             [&db, &audit_log](Request& request) {
               if (auto allowed = CheckCanReadLog(request); !allowed) {
                 return http::ProblemFor(request, allowed.error());
               }
               auto verdict = storage::InReadTransaction(db, [&](storage::Transaction& tx) {
                 return audit_log.Verify(tx, request.org->org_id.str());
               });
               return http::Respond(
                   request, std::move(verdict), [](const auditlog::VerifyResult& v) {
                     boost::json::object body{{"ok", v.ok}, {"events", v.events}};
                     if (v.first_bad_event)
                       body["first_bad_event"] = std::to_string(*v.first_bad_event);
                     else
                       body["first_bad_event"] = nullptr;
                     if (!v.ok) body["problem"] = v.problem;
                     return Response::Json(200, body);
                   });
             });
}

void AddHistoryRoute(http::Router& router, storage::Database& db, auditlog::AuditLog& audit_log,
                     const std::string& collection, const std::string& object_type) {
  router.Add(
      Method::kGet, "/api/v1/orgs/{org}/" + collection + "/{id}/history", Access::kUser,
      [&db, &audit_log, object_type](Request& request) {
        auto events = storage::InReadTransaction(db, [&](storage::Transaction& tx) {
          return audit_log.History(tx, request.org->org_id.str(), object_type, request.Param("id"));
        });
        if (events && events->empty()) {
          return http::ProblemFor(request, Error::NotFound("Object"));
        }
        return http::Respond(request, std::move(events), [](const auto& list) {
          boost::json::array items;
          for (const auto& event : list) items.push_back(EventJson(event));
          return Response::Json(
              200, boost::json::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
        });
      });
}

}  // namespace certus::modules
