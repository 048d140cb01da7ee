#include "modules/risk/assessment_routes.hpp"

#include <boost/json.hpp>

#include "http/application.hpp"
#include "http/json.hpp"
#include "http/paging.hpp"
#include "http/problem.hpp"
#include "modules/risk/assessment_json.hpp"
#include "reports/table.hpp"

namespace certus::risk {

namespace {

using http::Access;
using http::Method;
using http::Request;
using http::Response;

/// `limit` (1–500, default 50) and a plain `cursor` (the ref the page ends after).
Expected<std::pair<int, std::optional<std::string>>> RefPage(const Request& request) {
  int limit = 50;
  if (auto text = request.Query("limit")) {
    try {
      limit = std::stoi(*text);
    } catch (const std::exception&) {
      limit = 0;
    }
    if (limit < 1 || limit > 500) return Fail(Error::Field("limit", "must be between 1 and 500"));
  }
  std::optional<std::string> cursor = request.Query("cursor");
  if (cursor && cursor->empty()) cursor.reset();
  return std::pair{limit, cursor};
}

/// A report as a download in the format the query asks for (csv or xlsx).
Response Download(const Request& request, Expected<reports::TableDocument> table,
                  const std::string& stem) {
  const std::string format = request.Query("format").value_or("csv");
  if (format != "csv" && format != "xlsx") {
    return http::ProblemFor(request, Error::Field("format", "must be csv or xlsx"));
  }
  if (!table) return http::ProblemFor(request, table.error());
  Response response;
  response.status = 200;
  if (format == "csv") {
    response.body = reports::WriteCsv(*table);
    response.SetHeader("Content-Type", "text/csv; charset=utf-8");
  } else {
    auto bytes = reports::WriteXlsx(*table);
    if (!bytes) return http::ProblemFor(request, bytes.error());
    response.body = std::move(*bytes);
    response.SetHeader("Content-Type",
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  }
  response.SetHeader("Content-Disposition", "attachment; filename=\"" + stem + "-" +
                                                request.org->org_id.str() + "." + format + "\"");
  return response;
}

Response TakeAssessment(AssessmentService& service, Request& request) {
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  http::FieldReader fields(*body);
  fields.Require("name");
  auto name = fields.Text("name", 1, 200);
  auto notes = fields.Text("notes", 0, 20000);
  if (auto done = fields.Finish(); !done) return http::ProblemFor(request, done.error());
  return http::Respond(request,
                       service.TakeAssessment(http::ActorOf(request), request.org->org_id, *name,
                                              notes.value_or("")),
                       [](const RiskAssessment& assessment) {
                         Response response = Response::Json(201, ToJson(assessment));
                         response.SetHeader("Location", "/api/v1/orgs/" + assessment.org_id.str() +
                                                            "/risk-assessments/" +
                                                            assessment.id.str());
                         return response;
                       });
}

Response ListAssessments(AssessmentService& service, Request& request) {
  static const http::PagingRules kRules{{"taken_at"}, "-taken_at"};
  auto page = http::ParsePageQuery(request, kRules);
  if (!page) return http::ProblemFor(request, page.error());
  return http::Respond(
      request, service.ListAssessments(http::ActorOf(request), request.org->org_id, *page),
      [&](const Page<RiskAssessment>& result) {
        return Response::Json(
            200, http::PageJson(result, *page, [](const auto& a) { return ToJson(a); }));
      });
}

Response GetAssessment(AssessmentService& service, Request& request) {
  return http::Respond(request,
                       service.GetAssessment(http::ActorOf(request), request.org->org_id,
                                             AssessmentId(request.Param("id"))),
                       [](const RiskAssessment& a) { return Response::Json(200, ToJson(a)); });
}

Response AssessedRisks(AssessmentService& service, Request& request) {
  auto page = RefPage(request);
  if (!page) return http::ProblemFor(request, page.error());
  const auto [limit, cursor] = *page;
  return http::Respond(request,
                       service.AssessedRisks(http::ActorOf(request), request.org->org_id,
                                             AssessmentId(request.Param("id")), cursor, limit + 1),
                       [limit = limit](std::vector<RatedRisk> rows) {
                         boost::json::value next = nullptr;
                         if (static_cast<int>(rows.size()) > limit) {
                           rows.pop_back();
                           next = boost::json::value(rows.back().ref);
                         }
                         boost::json::array items;
                         for (const auto& row : rows) items.push_back(ToJson(row));
                         return Response::Json(
                             200, boost::json::object{{"items", std::move(items)},
                                                      {"next_cursor", std::move(next)}});
                       });
}

Response Compare(AssessmentService& service, Request& request) {
  auto from = request.Query("from");
  if (!from || from->empty()) {
    return http::ProblemFor(request, Error::Field("from", "is required: a risk assessment id"));
  }
  std::optional<AssessmentId> to;
  if (auto text = request.Query("to"); text && !text->empty() && *text != "current") {
    to = AssessmentId(*text);
  }
  return http::Respond(
      request,
      service.Compare(http::ActorOf(request), request.org->org_id, AssessmentId(*from), to),
      [](const AssessmentComparison& c) { return Response::Json(200, ToJson(c)); });
}

Response Immutable(Request& request) {
  return http::ProblemFor(
      request, Error(ErrorCode::kConflict,
                     "Retained risk assessments are immutable (ISO 27001 8.2); take a new one."));
}

Response GetHeatmap(AssessmentService& service, Request& request) {
  const std::string basis = request.Query("basis").value_or("inherent");
  if (basis != "inherent" && basis != "residual") {
    return http::ProblemFor(request, Error::Field("basis", "must be inherent or residual"));
  }
  const std::string ids = request.Query("ids").value_or("true");
  if (ids != "true" && ids != "false") {
    return http::ProblemFor(request, Error::Field("ids", "must be true or false"));
  }
  return http::Respond(
      request,
      service.GetHeatmap(http::ActorOf(request), request.org->org_id,
                         basis == "residual" ? HeatmapBasis::kResidual : HeatmapBasis::kInherent,
                         ids == "true" ? HeatmapIds::kInclude : HeatmapIds::kOmit),
      [](const Heatmap& map) {
        Response response;
        response.status = 200;
        response.headers.emplace_back("Content-Type", "application/json");
        response.body = HeatmapJsonText(map);
        return response;
      });
}

Response ReRatings(AssessmentService& service, Request& request) {
  return http::Respond(request, service.ReRatings(http::ActorOf(request), request.org->org_id),
                       [](const std::vector<ReRating>& list) {
                         boost::json::array items;
                         for (const auto& item : list) items.push_back(ToJson(item));
                         return Response::Json(200, boost::json::object{{"items", std::move(items)},
                                                                        {"next_cursor", nullptr}});
                       });
}

Response GetTreatmentPlan(AssessmentService& service, Request& request) {
  auto page = RefPage(request);
  if (!page) return http::ProblemFor(request, page.error());
  const bool overdue = request.Query("overdue").value_or("") == "true";
  return http::Respond(request,
                       service.GetTreatmentPlan(http::ActorOf(request), request.org->org_id,
                                                page->second, page->first, overdue),
                       [](const TreatmentPlan& plan) { return Response::Json(200, ToJson(plan)); });
}

}  // namespace

void AddAssessmentRoutes(http::Router& router, AssessmentService& service) {
  auto& s = service;
  const std::string org = "/api/v1/orgs/{org}";
  const std::string assessments = org + "/risk-assessments";
  router.Add(Method::kPost, assessments, Access::kUser,
             [&s](Request& r) { return TakeAssessment(s, r); });
  router.Add(Method::kGet, assessments, Access::kUser,
             [&s](Request& r) { return ListAssessments(s, r); });
  router.Add(Method::kGet, assessments + "/compare", Access::kUser,
             [&s](Request& r) { return Compare(s, r); });
  router.Add(Method::kGet, assessments + "/{id}", Access::kUser,
             [&s](Request& r) { return GetAssessment(s, r); });
  for (Method method : {Method::kPut, Method::kPatch, Method::kDelete}) {
    router.Add(method, assessments + "/{id}", Access::kUser, Immutable);
  }
  router.Add(Method::kGet, assessments + "/{id}/risks", Access::kUser,
             [&s](Request& r) { return AssessedRisks(s, r); });
  router.Add(Method::kGet, org + "/risks/heatmap", Access::kUser,
             [&s](Request& r) { return GetHeatmap(s, r); });
  router.Add(Method::kGet, org + "/risks/export", Access::kUser, [&s](Request& r) {
    return Download(r, s.RegisterTable(http::ActorOf(r), r.org->org_id), "risks");
  });
  router.Add(Method::kGet, org + "/risk-methodology/re-rating", Access::kUser,
             [&s](Request& r) { return ReRatings(s, r); });
  router.Add(Method::kGet, org + "/risk-treatment-plan", Access::kUser,
             [&s](Request& r) { return GetTreatmentPlan(s, r); });
  router.Add(Method::kGet, org + "/risk-treatment-plan/export", Access::kUser, [&s](Request& r) {
    return Download(r, s.TreatmentPlanTable(http::ActorOf(r), r.org->org_id),
                    "risk-treatment-plan");
  });
}

}  // namespace certus::risk
