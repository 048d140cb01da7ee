#include "modules/audits/routes.hpp"

#include <algorithm>

#include <boost/json.hpp>

#include "http/application.hpp"
#include "http/json.hpp"
#include "http/paging.hpp"
#include "http/problem.hpp"
#include "modules/audits/json.hpp"

namespace certus::audits {

namespace {

using http::Access;
using http::Method;
using http::Request;
using http::Response;

constexpr std::size_t kTitleMax = 300;
constexpr std::size_t kIdMax = 100;
constexpr std::size_t kTextMax = 20000;

const http::RouteOptions kAuditorsWrite{.body_limit = 0, .writers = http::Writers::kAuditors};

enum class Purpose { kCreate, kPatch };

void Collect(http::FieldReader& fields, std::vector<FieldError>& errors) {
  if (auto done = fields.Finish(); !done) {
    for (const auto& error : done.error().fields()) errors.push_back(error);
  }
}

Response Invalid(Request& request, std::vector<FieldError> errors) {
  return http::ProblemFor(request, Error::Validation(std::move(errors)));
}

/// An array of strings under `name`, removed from `body` (so that FieldReader does not call
/// it unknown). Null reads as empty.
std::optional<std::vector<std::string>> ReadStrings(boost::json::object& body,
                                                    const std::string& name, std::size_t max_items,
                                                    std::size_t max_length,
                                                    std::vector<FieldError>& errors) {
  auto it = body.find(name);
  if (it == body.end()) return std::nullopt;
  boost::json::value value = it->value();
  body.erase(it);
  std::vector<std::string> out;
  if (value.is_null()) return out;
  if (!value.is_array() || value.as_array().size() > max_items) {
    errors.push_back(
        {name, "must be an array of at most " + std::to_string(max_items) + " strings"});
    return std::nullopt;
  }
  const auto& items = value.as_array();
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (!items[i].is_string() || items[i].as_string().empty() ||
        items[i].as_string().size() > max_length) {
      errors.push_back(
          {name + "[" + std::to_string(i) + "]",
           "must be a non-empty string of at most " + std::to_string(max_length) + " characters"});
      return std::nullopt;
    }
    std::string text(items[i].as_string());
    if (std::find(out.begin(), out.end(), text) == out.end()) out.push_back(std::move(text));
  }
  return out;
}

std::optional<std::optional<Date>> DateField(http::FieldReader& fields, const char* name) {
  return fields.NullableDate(name);
}

/// The problem+json of a refused assignment: 409 naming 9.2.2 b, with the conflicts.
Response ConflictResponse(Request& request, const std::string& detail,
                          const boost::json::array& conflicts, const char* key = "conflicts") {
  Response response = http::ProblemFor(request, Error(ErrorCode::kConflict, detail));
  boost::system::error_code ec;
  auto body = boost::json::parse(response.body, ec);
  if (!ec && body.is_object()) {
    body.as_object()[key] = conflicts;
    response.body = boost::json::serialize(body);
  }
  return response;
}

std::string Describe(const std::vector<Conflict>& conflicts) {
  std::string out;
  for (const auto& c : conflicts) {
    if (!out.empty()) out += "; ";
    out += c.ref + " (" + c.reason + ")";
  }
  return out;
}

// ------------------------------------------------------------------ audits

AuditPatch ReadAudit(const boost::json::object& json, Purpose purpose,
                     std::vector<FieldError>& errors) {
  boost::json::object body = json;
  AuditPatch patch;
  patch.clause_refs = ReadStrings(body, "clause_refs", 100, 20, errors);
  patch.control_ids = ReadStrings(body, "control_ids", 200, kIdMax, errors);
  patch.document_ids = ReadStrings(body, "document_ids", 100, kIdMax, errors);
  patch.departments = ReadStrings(body, "departments", 50, 200, errors);
  http::FieldReader fields(body);
  patch.title = fields.Text("title", 1, kTitleMax);
  patch.criteria = fields.Text("criteria", 0, kTextMax);
  patch.planned_start = DateField(fields, "planned_start");
  patch.planned_end = DateField(fields, "planned_end");
  if (fields.Has("programme_id")) {
    if (auto programme = fields.NullableText("programme_id", kIdMax)) {
      if (!*programme || (*programme)->empty()) {
        patch.programme_id = std::optional<ProgrammeId>();
      } else {
        patch.programme_id = std::optional<ProgrammeId>(ProgrammeId(**programme));
      }
    }
  }
  if (purpose == Purpose::kCreate) fields.Require("title");
  Collect(fields, errors);
  return patch;
}

Response ListAudits(AuditService& service, Request& request) {
  static const http::PagingRules kRules{AuditStore::AuditSortFields(), "-ref"};
  auto page = http::ParsePageQuery(request, kRules);
  if (!page) return http::ProblemFor(request, page.error());
  std::vector<FieldError> errors;
  AuditFilter filter;
  if (auto status = request.Query("status"); status && !status->empty()) {
    filter.status = ParseAuditStatus(*status);
    if (!filter.status) {
      errors.push_back({"status", "must be one of: planned, in_progress, reported, closed"});
    }
  }
  if (auto programme = request.Query("programme_id"); programme && !programme->empty()) {
    filter.programme_id = ProgrammeId(*programme);
  }
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
      [&](const Page<Audit>& result) {
        return Response::Json(
            200, http::PageJson(result, *page, [](const auto& a) { return ToJson(a); }));
      });
}

Response CreateAudit(AuditService& service, Request& request) {
  if (auto allowed = service.CheckCanWrite(http::ActorOf(request)); !allowed) {
    return http::ProblemFor(request, allowed.error());
  }
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  std::vector<FieldError> errors;
  auto patch = ReadAudit(*body, Purpose::kCreate, errors);
  if (!errors.empty()) return Invalid(request, std::move(errors));
  return http::Respond(request, service.Create(http::ActorOf(request), request.org->org_id, patch),
                       [&](const Audit& audit) {
                         Response response = http::WithEtag(201, audit);
                         response.SetHeader("Location", "/api/v1/orgs/" + audit.org_id.str() +
                                                            "/audits/" + audit.id.str());
                         return response;
                       });
}

Response GetAudit(AuditService& service, Request& request) {
  return http::Respond(
      request,
      service.Get(http::ActorOf(request), request.org->org_id, AuditId(request.Param("id"))),
      [](const Audit& audit) { return http::WithEtag(200, audit); });
}

Response PatchAudit(AuditService& service, Request& request) {
  if (auto allowed = service.CheckCanWrite(http::ActorOf(request)); !allowed) {
    return http::ProblemFor(request, allowed.error());
  }
  auto version = http::RequireIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  std::vector<FieldError> errors;
  auto patch = ReadAudit(*body, Purpose::kPatch, errors);
  if (!errors.empty()) return Invalid(request, std::move(errors));
  auto outcome = service.Update(http::ActorOf(request), request.org->org_id,
                                AuditId(request.Param("id")), patch, *version);
  if (!outcome) return http::ProblemFor(request, outcome.error());
  if (!outcome->conflicts.empty()) {
    boost::json::array conflicts;
    std::string detail;
    for (const auto& auditor : outcome->conflicts) {
      for (const auto& c : auditor.conflicts) {
        auto json = ToJson(c);
        json.as_object()["user_id"] = auditor.user_id.str();
        json.as_object()["email"] = auditor.email;
        conflicts.push_back(json);
      }
      if (!detail.empty()) detail += " ";
      detail += auditor.email + ": " + Describe(auditor.conflicts) + ".";
    }
    return ConflictResponse(
        request,
        "The new scope would have assigned auditors audit their own work; auditors are "
        "objective and impartial (ISO 27001 9.2.2 b). Remove the auditor or have a manager "
        "record a waiver first. " +
            detail,
        conflicts);
  }
  return http::WithEtag(200, *outcome->audit);
}

Response DoStep(AuditService& service, Request& request, AuditStep step) {
  if (auto allowed = service.CheckCanWrite(http::ActorOf(request)); !allowed) {
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
                       service.Step(http::ActorOf(request), request.org->org_id,
                                    AuditId(request.Param("id")), step, *expected),
                       [](const Audit& audit) { return http::WithEtag(200, audit); });
}

Response PutReport(AuditService& service, Request& request) {
  if (auto allowed = service.CheckCanWrite(http::ActorOf(request)); !allowed) {
    return http::ProblemFor(request, allowed.error());
  }
  auto expected = http::OptionalIfMatch(request);
  if (!expected) return http::ProblemFor(request, expected.error());
  auto json = http::ParseJsonObject(request.body);
  if (!json) return http::ProblemFor(request, json.error());
  boost::json::object body = *json;
  std::vector<FieldError> errors;
  auto distribution = ReadStrings(body, "distribution", 100, kIdMax, errors);
  http::FieldReader fields(body);
  AuditReport report;
  report.summary = fields.Text("summary", 0, kTextMax).value_or("");
  report.conclusion = fields.Text("conclusion", 0, kTextMax).value_or("");
  Collect(fields, errors);
  if (!errors.empty()) return Invalid(request, std::move(errors));
  if (distribution) {
    for (const auto& id : *distribution) report.distribution.emplace_back(id);
  }
  return http::Respond(request,
                       service.PutReport(http::ActorOf(request), request.org->org_id,
                                         AuditId(request.Param("id")), report, *expected),
                       [](const Audit& audit) { return http::WithEtag(200, audit); });
}

Response ReportPdf(AuditService& service, Request& request) {
  return http::Respond(
      request,
      service.ReportPdf(http::ActorOf(request), request.org->org_id, AuditId(request.Param("id"))),
      [](const ExportedReport& report) {
        Response response;
        response.status = 200;
        response.SetHeader("Content-Type", "application/pdf");
        response.SetHeader("Content-Security-Policy", "sandbox");
        response.SetHeader("Content-Disposition",
                           "attachment; filename=\"" + report.filename + "\"");
        response.body = report.body;
        return response;
      });
}

// ------------------------------------------------------------------ auditors

Response ListAuditors(AuditService& service, Request& request) {
  return http::Respond(
      request,
      service.ListAuditors(http::ActorOf(request), request.org->org_id,
                           AuditId(request.Param("id"))),
      [](const std::vector<Auditor>& auditors) {
        boost::json::array items;
        for (const auto& a : auditors) items.push_back(ToJson(a));
        return Response::Json(200, boost::json::object{{"items", items}, {"next_cursor", nullptr}});
      });
}

Response AddAuditor(AuditService& service, Request& request) {
  if (auto allowed = service.CheckCanWrite(http::ActorOf(request)); !allowed) {
    return http::ProblemFor(request, allowed.error());
  }
  auto json = http::ParseJsonObject(request.body);
  if (!json) return http::ProblemFor(request, json.error());
  boost::json::object body = *json;
  std::vector<FieldError> errors;
  std::optional<std::string> justification;
  if (auto it = body.find("waiver"); it != body.end()) {
    boost::json::value waiver = it->value();
    body.erase(it);
    if (!waiver.is_null()) {
      if (!waiver.is_object()) {
        errors.push_back({"waiver", "must be an object with a justification"});
      } else {
        http::FieldReader wf(waiver.as_object());
        auto text = wf.Text("justification", 0, kTextMax);
        wf.Require("justification");
        if (auto done = wf.Finish(); !done) {
          for (const auto& e : done.error().fields()) {
            errors.push_back({"waiver." + e.field, e.message});
          }
        } else if (text) {
          std::string trimmed = *text;
          trimmed.erase(0, trimmed.find_first_not_of(" \t\r\n"));
          if (trimmed.size() < 20) {
            errors.push_back({"waiver.justification",
                              "must be at least 20 characters: say why this auditor may audit "
                              "their own work"});
          } else {
            justification = *text;
          }
        }
      }
    }
  }
  http::FieldReader fields(body);
  auto user = fields.Text("user_id", 1, kIdMax);
  auto role = fields.OneOf("role", AuditorRoleNames());
  fields.Require("user_id");
  fields.Require("role");
  Collect(fields, errors);
  if (!errors.empty()) return Invalid(request, std::move(errors));
  auto outcome =
      service.AddAuditor(http::ActorOf(request), request.org->org_id, AuditId(request.Param("id")),
                         UserId(*user), *ParseAuditorRole(*role), justification);
  if (!outcome) return http::ProblemFor(request, outcome.error());
  if (!outcome->auditor) {
    boost::json::array conflicts;
    for (const auto& c : outcome->conflicts) conflicts.push_back(ToJson(c));
    return ConflictResponse(
        request,
        "This auditor would audit their own work: auditors are selected to ensure objectivity "
        "and impartiality of the audit (ISO 27001 9.2.2 b). Conflicts: " +
            Describe(outcome->conflicts) +
            ". Choose another auditor, or a manager may record a justified waiver.",
        conflicts);
  }
  Response response = Response::Json(201, ToJson(*outcome->auditor));
  response.SetHeader("ETag", http::Etag(outcome->auditor->version));
  return response;
}

Response RemoveAuditor(AuditService& service, Request& request) {
  if (auto allowed = service.CheckCanWrite(http::ActorOf(request)); !allowed) {
    return http::ProblemFor(request, allowed.error());
  }
  auto version = http::RequireIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  return http::Respond(
      request,
      service.RemoveAuditor(http::ActorOf(request), request.org->org_id,
                            AuditId(request.Param("id")), UserId(request.Param("user")), *version),
      [] { return Response::NoContent(); });
}

// ------------------------------------------------------------------ checklist

Response ItemsJson(const std::vector<ChecklistItem>& items) {
  boost::json::array array;
  for (const auto& i : items) array.push_back(ToJson(i));
  return Response::Json(200, boost::json::object{{"items", array}, {"next_cursor", nullptr}});
}

Response GetChecklist(AuditService& service, Request& request) {
  return http::Respond(
      request,
      service.Checklist(http::ActorOf(request), request.org->org_id, AuditId(request.Param("id"))),
      ItemsJson);
}

Response GenerateChecklist(AuditService& service, Request& request) {
  if (auto allowed = service.CheckCanWrite(http::ActorOf(request)); !allowed) {
    return http::ProblemFor(request, allowed.error());
  }
  if (!request.body.empty()) {
    auto body = http::ParseJsonObject(request.body);
    if (!body) return http::ProblemFor(request, body.error());
    http::FieldReader fields(*body);
    if (auto done = fields.Finish(); !done) return http::ProblemFor(request, done.error());
  }
  return http::Respond(request,
                       service.GenerateChecklist(http::ActorOf(request), request.org->org_id,
                                                 AuditId(request.Param("id"))),
                       ItemsJson);
}

Response PatchItem(AuditService& service, Request& request) {
  if (auto allowed = service.CheckCanWrite(http::ActorOf(request)); !allowed) {
    return http::ProblemFor(request, allowed.error());
  }
  auto version = http::RequireIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  auto json = http::ParseJsonObject(request.body);
  if (!json) return http::ProblemFor(request, json.error());
  boost::json::object body = *json;
  std::vector<FieldError> errors;
  ChecklistPatch patch;
  patch.evidence_links = ReadStrings(body, "evidence_links", 50, 2000, errors);
  http::FieldReader fields(body);
  if (fields.Has("result")) {
    if (auto result = fields.NullableText("result", 40)) {
      if (!*result || (*result)->empty()) {
        patch.result = std::optional<CheckResult>();
      } else if (auto parsed = ParseCheckResult(**result)) {
        patch.result = std::optional<CheckResult>(*parsed);
      } else {
        fields.AddError("result",
                        "must be one of: conforming, nonconforming, observation, not_audited");
      }
    }
  }
  patch.notes = fields.Text("notes", 0, kTextMax);
  Collect(fields, errors);
  if (!errors.empty()) return Invalid(request, std::move(errors));
  return http::Respond(
      request,
      service.UpdateItem(http::ActorOf(request), request.org->org_id, AuditId(request.Param("id")),
                         ChecklistItemId(request.Param("item")), patch, *version),
      [](const ChecklistItem& item) { return http::WithEtag(200, item); });
}

// ------------------------------------------------------------------ findings

Response ListFindings(AuditService& service, Request& request) {
  return http::Respond(
      request,
      service.Findings(http::ActorOf(request), request.org->org_id, AuditId(request.Param("id"))),
      [](const std::vector<Finding>& findings) {
        boost::json::array items;
        for (const auto& f : findings) items.push_back(ToJson(f));
        return Response::Json(200, boost::json::object{{"items", items}, {"next_cursor", nullptr}});
      });
}

Response AddFinding(AuditService& service, Request& request) {
  if (auto allowed = service.CheckCanWrite(http::ActorOf(request)); !allowed) {
    return http::ProblemFor(request, allowed.error());
  }
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  http::FieldReader fields(*body);
  NewFinding input;
  auto type = fields.OneOf("type", FindingTypeNames());
  input.requirement_ref = fields.Text("requirement_ref", 0, 20).value_or("");
  input.statement = fields.Text("statement", 1, kTextMax).value_or("");
  input.evidence = fields.Text("evidence", 0, kTextMax).value_or("");
  fields.Require("type");
  fields.Require("statement");
  if (auto done = fields.Finish(); !done) return http::ProblemFor(request, done.error());
  input.type = *ParseFindingType(*type);
  return http::Respond(request,
                       service.AddFinding(http::ActorOf(request), request.org->org_id,
                                          AuditId(request.Param("id")), input),
                       [](const Finding& finding) { return http::WithEtag(201, finding); });
}

// ------------------------------------------------------------------ programmes

ProgrammePatch ReadProgramme(const boost::json::object& body, Purpose purpose,
                             std::vector<FieldError>& errors) {
  http::FieldReader fields(body);
  ProgrammePatch patch;
  patch.name = fields.Text("name", 1, kTitleMax);
  for (const char* name : {"cycle_start", "cycle_end"}) {
    auto date = fields.NullableDate(name);
    if (date && !*date) {
      fields.AddError(name, "must be a date (YYYY-MM-DD)");
    } else if (date) {
      (std::string(name) == "cycle_start" ? patch.cycle_start : patch.cycle_end) = **date;
    }
  }
  patch.objectives = fields.Text("objectives", 0, kTextMax);
  if (fields.Has("owner_id")) {
    if (auto owner = fields.NullableText("owner_id", kIdMax)) {
      if (!*owner || (*owner)->empty()) {
        patch.owner_id = std::optional<UserId>();
      } else {
        patch.owner_id = std::optional<UserId>(UserId(**owner));
      }
    }
  }
  if (purpose == Purpose::kCreate) {
    fields.Require("name");
    fields.Require("cycle_start");
    fields.Require("cycle_end");
  }
  Collect(fields, errors);
  return patch;
}

Response ListProgrammes(AuditService& service, Request& request) {
  static const http::PagingRules kRules{AuditStore::ProgrammeSortFields(), "-ref"};
  auto page = http::ParsePageQuery(request, kRules);
  if (!page) return http::ProblemFor(request, page.error());
  return http::Respond(
      request, service.ListProgrammes(http::ActorOf(request), request.org->org_id, *page),
      [&](const Page<Programme>& result) {
        return Response::Json(
            200, http::PageJson(result, *page, [](const auto& p) { return ToJson(p); }));
      });
}

Response CreateProgramme(AuditService& service, Request& request) {
  if (auto allowed = service.CheckCanManage(http::ActorOf(request)); !allowed) {
    return http::ProblemFor(request, allowed.error());
  }
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  std::vector<FieldError> errors;
  auto patch = ReadProgramme(*body, Purpose::kCreate, errors);
  if (!errors.empty()) return Invalid(request, std::move(errors));
  return http::Respond(request,
                       service.CreateProgramme(http::ActorOf(request), request.org->org_id, patch),
                       [&](const Programme& p) {
                         Response response = http::WithEtag(201, p);
                         response.SetHeader("Location", "/api/v1/orgs/" + p.org_id.str() +
                                                            "/audit-programmes/" + p.id.str());
                         return response;
                       });
}

Response GetProgramme(AuditService& service, Request& request) {
  return http::Respond(request,
                       service.GetProgramme(http::ActorOf(request), request.org->org_id,
                                            ProgrammeId(request.Param("id"))),
                       [](const Programme& p) { return http::WithEtag(200, p); });
}

Response PatchProgramme(AuditService& service, Request& request) {
  if (auto allowed = service.CheckCanManage(http::ActorOf(request)); !allowed) {
    return http::ProblemFor(request, allowed.error());
  }
  auto version = http::RequireIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  std::vector<FieldError> errors;
  auto patch = ReadProgramme(*body, Purpose::kPatch, errors);
  if (!errors.empty()) return Invalid(request, std::move(errors));
  return http::Respond(request,
                       service.UpdateProgramme(http::ActorOf(request), request.org->org_id,
                                               ProgrammeId(request.Param("id")), patch, *version),
                       [](const Programme& p) { return http::WithEtag(200, p); });
}

Response GetCoverage(AuditService& service, Request& request) {
  return http::Respond(request,
                       service.Coverage(http::ActorOf(request), request.org->org_id,
                                        ProgrammeId(request.Param("id"))),
                       [](const ProgrammeCoverage& c) { return Response::Json(200, ToJson(c)); });
}

}  // namespace

void AddRoutes(http::Router& router, AuditService& service) {
  auto& s = service;
  const auto& w = kAuditorsWrite;
  const std::string audits = "/api/v1/orgs/{org}/audits";
  router.Add(Method::kGet, audits, Access::kUser, [&s](Request& r) { return ListAudits(s, r); });
  router.Add(
      Method::kPost, audits, Access::kUser, [&s](Request& r) { return CreateAudit(s, r); }, w);
  router.Add(Method::kGet, audits + "/{id}", Access::kUser,
             [&s](Request& r) { return GetAudit(s, r); });
  router.Add(
      Method::kPatch, audits + "/{id}", Access::kUser,
      [&s](Request& r) { return PatchAudit(s, r); }, w);
  for (AuditStep step : {AuditStep::kStart, AuditStep::kReport, AuditStep::kClose}) {
    router.Add(
        Method::kPost, audits + "/{id}/" + std::string(AuditStepName(step)), Access::kUser,
        [&s, step](Request& r) { return DoStep(s, r, step); }, w);
  }
  router.Add(
      Method::kPut, audits + "/{id}/report", Access::kUser,
      [&s](Request& r) { return PutReport(s, r); }, w);
  router.Add(Method::kGet, audits + "/{id}/report.pdf", Access::kUser,
             [&s](Request& r) { return ReportPdf(s, r); });
  router.Add(Method::kGet, audits + "/{id}/auditors", Access::kUser,
             [&s](Request& r) { return ListAuditors(s, r); });
  router.Add(
      Method::kPost, audits + "/{id}/auditors", Access::kUser,
      [&s](Request& r) { return AddAuditor(s, r); }, w);
  router.Add(
      Method::kDelete, audits + "/{id}/auditors/{user}", Access::kUser,
      [&s](Request& r) { return RemoveAuditor(s, r); }, w);
  router.Add(Method::kGet, audits + "/{id}/checklist", Access::kUser,
             [&s](Request& r) { return GetChecklist(s, r); });
  router.Add(
      Method::kPost, audits + "/{id}/checklist", Access::kUser,
      [&s](Request& r) { return GenerateChecklist(s, r); }, w);
  router.Add(
      Method::kPatch, audits + "/{id}/checklist/{item}", Access::kUser,
      [&s](Request& r) { return PatchItem(s, r); }, w);
  router.Add(Method::kGet, audits + "/{id}/findings", Access::kUser,
             [&s](Request& r) { return ListFindings(s, r); });
  router.Add(
      Method::kPost, audits + "/{id}/findings", Access::kUser,
      [&s](Request& r) { return AddFinding(s, r); }, w);

  const std::string programmes = "/api/v1/orgs/{org}/audit-programmes";
  router.Add(Method::kGet, programmes, Access::kUser,
             [&s](Request& r) { return ListProgrammes(s, r); });
  router.Add(
      Method::kPost, programmes, Access::kUser, [&s](Request& r) { return CreateProgramme(s, r); },
      w);
  router.Add(Method::kGet, programmes + "/{id}", Access::kUser,
             [&s](Request& r) { return GetProgramme(s, r); });
  router.Add(
      Method::kPatch, programmes + "/{id}", Access::kUser,
      [&s](Request& r) { return PatchProgramme(s, r); }, w);
  router.Add(Method::kGet, programmes + "/{id}/coverage", Access::kUser,
             [&s](Request& r) { return GetCoverage(s, r); });
}

}  // namespace certus::audits
