#include "modules/controls/routes.hpp"

#include <algorithm>
#include <charconv>

#include <boost/json.hpp>

#include "http/application.hpp"
#include "http/json.hpp"
#include "http/paging.hpp"
#include "http/problem.hpp"
#include "modules/controls/catalog.hpp"
#include "modules/controls/json.hpp"

namespace certus::controls {

namespace {

using http::Access;
using http::Method;
using http::Request;
using http::Response;

constexpr std::size_t kRefMax = 50;
constexpr std::size_t kTitleMax = 200;
constexpr std::size_t kTextMax = 20000;

enum class Purpose { kCreate, kPatch };

bool IsRefChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-' || c == '_';
}

/// Reads a control's fields; absent ones stay nullopt. Fields a client may echo back from a
/// GET (computed, or fixed by the catalog) are ignored.
ControlPatch ReadFields(const boost::json::object& body, Purpose purpose,
                        std::vector<FieldError>& errors) {
  static const char* const kReadOnly[] = {
      "org_id",   "framework_id", "theme",        "custom",           "owner_email",
      "risk_ids", "risks",        "evidence_ids", "evidence_expired", "requirements"};
  ControlPatch patch;
  boost::json::object rest = body;
  for (auto name : kReadOnly) rest.erase(name);
  if (auto it = rest.find("applicable"); it != rest.end()) {
    if (it->value().is_null()) {
      patch.applicable = std::optional<bool>();
    } else if (it->value().is_bool()) {
      patch.applicable = std::optional<bool>(it->value().as_bool());
    } else {
      errors.push_back({"applicable", "must be true, false or null (not decided)"});
    }
    rest.erase("applicable");
  }
  if (auto it = rest.find("inclusion_reasons"); it != rest.end()) {
    std::vector<std::string> reasons;
    bool ok = it->value().is_array();
    bool derived = false;
    if (ok) {
      for (const auto& reason : it->value().as_array()) {
        if (reason.is_string() && reason.as_string() == kRiskTreatmentReason) {
          derived = true;
          continue;
        }
        if (!reason.is_string() ||
            std::find(kInclusionReasons.begin(), kInclusionReasons.end(),
                      std::string_view(reason.as_string())) == kInclusionReasons.end()) {
          ok = false;
          break;
        }
        reasons.emplace_back(reason.as_string());
      }
    }
    if (!ok) {
      errors.push_back({"inclusion_reasons",
                        "must be an array of legal_regulatory, contractual, business and "
                        "best_practice"});
    } else if (derived) {
      errors.push_back({"inclusion_reasons",
                        "must not contain risk_treatment: it is derived from linked risks"});
    } else {
      patch.inclusion_reasons = std::move(reasons);
    }
    rest.erase("inclusion_reasons");
  }
  http::FieldReader fields(rest);
  if (auto ref = fields.Text("ref_id", 1, kRefMax)) {
    if (purpose == Purpose::kPatch) {
      fields.AddError("ref_id", "cannot change");
    } else if (!std::all_of(ref->begin(), ref->end(), IsRefChar)) {
      fields.AddError("ref_id", "may hold only letters, digits, '.', '-' and '_'");
    } else {
      patch.ref_id = *ref;
    }
  }
  patch.title = fields.Text("title", 1, kTitleMax);
  patch.justification = fields.Text("justification", 0, kTextMax);
  if (auto status = fields.OneOf("implementation_status", ImplementationStatusNames())) {
    patch.implementation_status = ParseImplementationStatus(*status);
  }
  if (auto owner = fields.NullableText("owner_id", 100)) {
    patch.owner_id = *owner && !(*owner)->empty() ? std::optional<UserId>(UserId(**owner))
                                                  : std::optional<UserId>();
  }
  patch.implementation = fields.Text("implementation", 0, kTextMax);
  if (auto date = fields.NullableDate("last_reviewed_on")) {
    patch.last_reviewed_on =
        *date ? std::optional<std::string>(FormatDate(**date)) : std::optional<std::string>();
  }
  if (purpose == Purpose::kCreate) {
    fields.Require("ref_id");
    fields.Require("title");
  }
  if (auto done = fields.Finish(); !done) {
    for (const auto& error : done.error().fields()) errors.push_back(error);
  }
  return patch;
}

Expected<ControlFilter> ReadFilter(const Request& request) {
  ControlFilter filter;
  std::vector<FieldError> errors;
  if (auto text = request.Query("q"); text && !text->empty()) {
    if (text->size() > 200) errors.push_back({"q", "must be at most 200 characters"});
    filter.text = *text;
  }
  if (auto theme = request.Query("theme"); theme && !theme->empty()) filter.theme = *theme;
  if (auto value = request.Query("applicable"); value && !value->empty()) {
    if (*value == "true") {
      filter.applicable = ApplicabilityFilter::kApplicable;
    } else if (*value == "false") {
      filter.applicable = ApplicabilityFilter::kExcluded;
    } else if (*value == "undecided") {
      filter.applicable = ApplicabilityFilter::kUndecided;
    } else {
      errors.push_back({"applicable", "must be true, false or undecided"});
    }
  }
  if (auto value = request.Query("implementation_status"); value && !value->empty()) {
    filter.implementation_status = ParseImplementationStatus(*value);
    if (!filter.implementation_status) {
      errors.push_back({"implementation_status", "is not an implementation status"});
    }
  }
  if (auto value = request.Query("owner_id"); value && !value->empty()) {
    filter.owner_id = UserId(*value);
  }
  if (!errors.empty()) return Fail(Error::Validation(std::move(errors)));
  return filter;
}

/// A positive integer from a path or query value.
std::optional<std::int64_t> PositiveNumber(std::string_view text) {
  std::int64_t number = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec != std::errc() || end != text.data() + text.size() || number <= 0) return std::nullopt;
  return number;
}

Response List(ControlService& service, Request& request) {
  static const http::PagingRules kRules{ControlStore::SortFields(), "ref_id", 50, 500};
  auto page = http::ParsePageQuery(request, kRules);
  if (!page) return http::ProblemFor(request, page.error());
  auto filter = ReadFilter(request);
  if (!filter) return http::ProblemFor(request, filter.error());
  return http::Respond(
      request, service.List(http::ActorOf(request), request.org->org_id, *filter, *page),
      [&](const Page<Control>& result) {
        return Response::Json(
            200, http::PageJson(result, *page, [](const auto& c) { return ToJson(c); }));
      });
}

Response Create(ControlService& service, Request& request) {
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  std::vector<FieldError> errors;
  auto input = ReadFields(*body, Purpose::kCreate, errors);
  if (!errors.empty()) return http::ProblemFor(request, Error::Validation(std::move(errors)));
  return http::Respond(request, service.Create(http::ActorOf(request), request.org->org_id, input),
                       [&](const Control& control) {
                         Response response = http::WithEtag(201, control);
                         response.SetHeader("Location", "/api/v1/orgs/" + control.org_id.str() +
                                                            "/controls/" + control.id.str());
                         return response;
                       });
}

Response Get(ControlService& service, Request& request) {
  return http::Respond(
      request,
      service.Get(http::ActorOf(request), request.org->org_id, ControlId(request.Param("id"))),
      [](const Control& control) { return http::WithEtag(200, control); });
}

Response Patch(ControlService& service, Request& request) {
  auto version = http::RequireIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  std::vector<FieldError> errors;
  auto patch = ReadFields(*body, Purpose::kPatch, errors);
  if (!errors.empty()) return http::ProblemFor(request, Error::Validation(std::move(errors)));
  return http::Respond(request,
                       service.Update(http::ActorOf(request), request.org->org_id,
                                      ControlId(request.Param("id")), patch, *version),
                       [](const Control& control) { return http::WithEtag(200, control); });
}

Response Delete(ControlService& service, Request& request) {
  auto version = http::RequireIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  return http::Respond(request,
                       service.Delete(http::ActorOf(request), request.org->org_id,
                                      ControlId(request.Param("id")), *version),
                       [] { return Response::NoContent(); });
}

// ------------------------------------------------------------------ the SoA as a record

Response GetSoa(ControlService& service, Request& request) {
  const auto rows = request.Query("rows");
  if (rows && *rows != "true" && *rows != "false") {
    return http::ProblemFor(request, Error::Field("rows", "must be true or false"));
  }
  if (rows == "false") {
    // The summary alone (the dashboard): no row, so no link of the SoA is read.
    return http::Respond(
        request, service.GetSoaSummary(http::ActorOf(request), request.org->org_id),
        [](const SoaSummary& summary) {
          return Response::Json(200, boost::json::object{{"framework_id", kIso27001Id},
                                                         {"summary", ToJson(summary)}});
        });
  }
  return http::Respond(request, service.GetSoa(http::ActorOf(request), request.org->org_id),
                       [](const SoaDocument& soa) { return Response::Json(200, ToJson(soa)); });
}

std::string VersionUrl(const OrgId& org, std::int64_t number) {
  return "/api/v1/orgs/" + org.str() + "/soa/versions/" + std::to_string(number);
}

Response ApproveVersion(ControlService& service, Request& request) {
  auto body = http::ParseJsonObject(request.body.empty() ? std::string_view("{}") : request.body);
  if (!body) return http::ProblemFor(request, body.error());
  http::FieldReader fields(*body);
  auto notes = fields.Text("notes", 0, kTextMax);
  if (auto done = fields.Finish(); !done) return http::ProblemFor(request, done.error());
  return http::Respond(
      request,
      service.ApproveVersion(http::ActorOf(request), request.org->org_id, notes.value_or("")),
      [&](const SoaVersion& version) {
        Response response = Response::Json(201, ToJson(version));
        response.SetHeader("Location", VersionUrl(version.org_id, version.number));
        return response;
      });
}

Response ListVersions(ControlService& service, Request& request) {
  static const http::PagingRules kRules{{"number"}, "-number", 50, 500};
  auto page = http::ParsePageQuery(request, kRules);
  if (!page) return http::ProblemFor(request, page.error());
  return http::Respond(
      request, service.ListVersions(http::ActorOf(request), request.org->org_id, *page),
      [&](const Page<SoaVersion>& result) {
        return Response::Json(
            200, http::PageJson(result, *page, [](const auto& v) { return ToJson(v); }));
      });
}

Response GetVersion(ControlService& service, Request& request) {
  auto number = PositiveNumber(request.Param("number"));
  if (!number) return http::ProblemFor(request, Error::NotFound("SoA version"));
  auto version = service.GetVersion(http::ActorOf(request), request.org->org_id, *number);
  if (!version) return http::ProblemFor(request, version.error());
  boost::json::object body = ToJson(*version);
  boost::system::error_code ec;
  body["rows"] = boost::json::parse(version->rows_json, ec);
  if (ec) return http::ProblemFor(request, Error::Internal("stored SoA rows are not JSON"));
  return Response::Json(200, body);
}

Response ChangeVersion(ControlService& service, Request& request) {
  auto number = PositiveNumber(request.Param("number"));
  if (!number) return http::ProblemFor(request, Error::NotFound("SoA version"));
  return http::Respond(request,
                       service.ChangeVersion(http::ActorOf(request), request.org->org_id, *number),
                       [] { return Response::NoContent(); });
}

Response Diff(ControlService& service, Request& request) {
  std::vector<FieldError> errors;
  std::optional<std::int64_t> from;
  std::optional<std::int64_t> to;
  auto from_text = request.Query("from");
  if (!from_text || !(from = PositiveNumber(*from_text))) {
    errors.push_back({"from", "must be the number of an approved version"});
  }
  if (auto to_text = request.Query("to"); to_text && !to_text->empty()) {
    to = PositiveNumber(*to_text);
    if (!to) errors.push_back({"to", "must be the number of an approved version"});
  }
  if (!errors.empty()) return http::ProblemFor(request, Error::Validation(std::move(errors)));
  return http::Respond(request,
                       service.Diff(http::ActorOf(request), request.org->org_id, *from, to),
                       [](const SoaDiff& diff) { return Response::Json(200, ToJson(diff)); });
}

Response Export(ControlService& service, Request& request) {
  std::vector<FieldError> errors;
  auto format_text = request.Query("format");
  std::optional<ExportFormat> format;
  if (format_text) format = ParseExportFormat(*format_text);
  if (!format) errors.push_back({"format", "must be one of: xlsx, pdf, csv, json, oscal"});
  std::optional<std::int64_t> version;
  if (auto text = request.Query("version"); text && !text->empty()) {
    version = PositiveNumber(*text);
    if (!version) errors.push_back({"version", "must be the number of an approved version"});
  }
  if (!errors.empty()) return http::ProblemFor(request, Error::Validation(std::move(errors)));
  return http::Respond(
      request, service.Export(http::ActorOf(request), request.org->org_id, *format, version),
      [](const ExportedFile& file) {
        Response response;
        response.status = 200;
        response.SetHeader("Content-Type", file.media_type);
        response.SetHeader("Content-Disposition", "attachment; filename=\"" + file.filename + "\"");
        response.body = file.body;
        return response;
      });
}

Response GetCoverage(ControlService& service, Request& request) {
  auto framework = request.Query("framework_id");
  if (!framework || framework->empty() || framework->size() > 100) {
    return http::ProblemFor(request,
                            Error::Field("framework_id", "must name a framework (id or key)"));
  }
  return http::Respond(
      request, service.GetCoverage(http::ActorOf(request), request.org->org_id, *framework),
      [](const Coverage& coverage) { return Response::Json(200, ToJson(coverage)); });
}

}  // namespace

void AddRoutes(http::Router& router, ControlService& service) {
  auto& s = service;
  const std::string controls = "/api/v1/orgs/{org}/controls";
  router.Add(Method::kGet, controls, Access::kUser, [&s](Request& r) { return List(s, r); });
  router.Add(Method::kPost, controls, Access::kUser, [&s](Request& r) { return Create(s, r); });
  router.Add(Method::kGet, controls + "/{id}", Access::kUser,
             [&s](Request& r) { return Get(s, r); });
  router.Add(Method::kPatch, controls + "/{id}", Access::kUser,
             [&s](Request& r) { return Patch(s, r); });
  router.Add(Method::kDelete, controls + "/{id}", Access::kUser,
             [&s](Request& r) { return Delete(s, r); });

  const std::string soa = "/api/v1/orgs/{org}/soa";
  router.Add(Method::kGet, soa, Access::kUser, [&s](Request& r) { return GetSoa(s, r); });
  router.Add(Method::kGet, soa + "/versions", Access::kUser,
             [&s](Request& r) { return ListVersions(s, r); });
  router.Add(Method::kPost, soa + "/versions", Access::kUser,
             [&s](Request& r) { return ApproveVersion(s, r); });
  router.Add(Method::kGet, soa + "/versions/{number}", Access::kUser,
             [&s](Request& r) { return GetVersion(s, r); });
  for (auto method : {Method::kPatch, Method::kPut, Method::kDelete}) {
    router.Add(method, soa + "/versions/{number}", Access::kUser,
               [&s](Request& r) { return ChangeVersion(s, r); });
  }
  router.Add(Method::kGet, soa + "/diff", Access::kUser, [&s](Request& r) { return Diff(s, r); });
  router.Add(Method::kGet, soa + "/export", Access::kUser,
             [&s](Request& r) { return Export(s, r); });
  router.Add(Method::kGet, "/api/v1/orgs/{org}/coverage", Access::kUser,
             [&s](Request& r) { return GetCoverage(s, r); });
}

}  // namespace certus::controls
