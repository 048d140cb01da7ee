#include "modules/evidence/routes.hpp"

#include <boost/json.hpp>

#include "blobstore/blob_store.hpp"
#include "http/application.hpp"
#include "http/file_rules.hpp"
#include "http/json.hpp"
#include "http/paging.hpp"
#include "http/problem.hpp"
#include "modules/evidence/json.hpp"

namespace certus::evidence {

namespace {

using http::Access;
using http::Method;
using http::Request;
using http::Response;

constexpr std::size_t kTitleMax = 200;
constexpr std::size_t kTextMax = 20000;
constexpr std::size_t kUrlMax = 2000;
constexpr std::size_t kIdMax = 100;

std::string Location(const Evidence& e) {
  return "/api/v1/orgs/" + e.org_id.str() + "/evidence/" + e.id.str();
}

/// Reads the fields of create and patch; absent fields stay nullopt. Fields a client may
/// echo back from a GET (computed or managed by the server) are ignored.
EvidencePatch ReadFields(const boost::json::object& body, std::optional<EvidenceKind>* kind,
                         std::vector<FieldError>& errors) {
  static const char* const kReadOnly[] = {"org_id", "file", "owner_email", "expired", "controls"};
  boost::json::object rest = body;
  for (auto name : kReadOnly) rest.erase(name);
  if (kind == nullptr) rest.erase("kind");  // a patch cannot change the kind
  EvidencePatch patch;
  if (auto it = rest.find("control_ids"); it != rest.end()) {
    std::vector<controls::ControlId> ids;
    bool ok = it->value().is_array();
    if (ok) {
      for (const auto& id : it->value().as_array()) {
        if (!id.is_string() || id.as_string().empty() || id.as_string().size() > kIdMax) {
          ok = false;
          break;
        }
        ids.emplace_back(std::string(id.as_string()));
      }
    }
    if (ok)
      patch.control_ids = std::move(ids);
    else
      errors.push_back({"control_ids", "must be an array of control ids"});
    rest.erase("control_ids");
  }
  http::FieldReader fields(rest);
  if (kind != nullptr) {
    if (auto name = fields.OneOf("kind", KindNames())) *kind = ParseKind(*name);
  }
  patch.title = fields.Text("title", 1, kTitleMax);
  patch.description = fields.Text("description", 0, kTextMax);
  // null reads as absent: a note echoes `"url": null` back.
  if (auto url = fields.NullableText("url", kUrlMax); url && *url) patch.url = **url;
  if (auto note = fields.NullableText("note", kTextMax); note && *note) patch.note = **note;
  if (auto owner = fields.NullableText("owner_id", kIdMax)) {
    patch.owner_id = *owner && !(*owner)->empty() ? std::optional<UserId>(UserId(**owner))
                                                  : std::optional<UserId>();
  }
  patch.collected_on = fields.NullableDate("collected_on");
  patch.valid_until = fields.NullableDate("valid_until");
  patch.archived = fields.Boolean("archived");
  if (kind != nullptr) {
    fields.Require("kind");
    fields.Require("title");
  }
  if (auto done = fields.Finish(); !done) {
    for (const auto& error : done.error().fields()) errors.push_back(error);
  }
  return patch;
}

NewEvidence FromPatch(EvidenceKind kind, EvidencePatch patch) {
  NewEvidence input;
  input.kind = kind;
  input.title = patch.title.value_or("");
  input.description = patch.description.value_or("");
  input.url = std::move(patch.url);
  input.note = std::move(patch.note);
  input.control_ids = patch.control_ids.value_or(std::vector<controls::ControlId>());
  input.owner_id = patch.owner_id.value_or(std::nullopt);
  input.collected_on = patch.collected_on.value_or(std::nullopt);
  input.valid_until = patch.valid_until.value_or(std::nullopt);
  return input;
}

std::optional<bool> TrueOrFalse(const std::string& text) {
  if (text == "true") return true;
  if (text == "false") return false;
  return std::nullopt;
}

Expected<EvidenceFilter> ReadFilter(const Request& request) {
  EvidenceFilter filter;
  std::vector<FieldError> errors;
  if (auto text = request.Query("q"); text && !text->empty()) {
    if (text->size() > 200) errors.push_back({"q", "must be at most 200 characters"});
    filter.text = *text;
  }
  if (auto value = request.Query("kind"); value && !value->empty()) {
    filter.kind = ParseKind(*value);
    if (!filter.kind) errors.push_back({"kind", "must be one of: file, link, note"});
  }
  if (auto value = request.Query("control_id"); value && !value->empty()) {
    filter.control_id = controls::ControlId(*value);
  }
  if (auto value = request.Query("owner_id"); value && !value->empty()) {
    filter.owner_id = UserId(*value);
  }
  if (auto value = request.Query("expired"); value && !value->empty()) {
    filter.expired = TrueOrFalse(*value);
    if (!filter.expired) errors.push_back({"expired", "must be true or false"});
  }
  if (auto value = request.Query("expiring_before"); value && !value->empty()) {
    filter.expiring_before = ParseDate(*value);
    if (!filter.expiring_before) errors.push_back({"expiring_before", "must be a YYYY-MM-DD date"});
  }
  if (auto value = request.Query("archived"); value && !value->empty()) {
    auto archived = TrueOrFalse(*value);
    if (!archived)
      errors.push_back({"archived", "must be true or false"});
    else
      filter.archived = *archived;
  }
  if (!errors.empty()) return Fail(Error::Validation(std::move(errors)));
  return filter;
}

Response List(EvidenceService& service, Request& request) {
  static const http::PagingRules kRules{EvidenceStore::SortFields(), "-created_at", 50, 500};
  auto page = http::ParsePageQuery(request, kRules);
  if (!page) return http::ProblemFor(request, page.error());
  auto filter = ReadFilter(request);
  if (!filter) return http::ProblemFor(request, filter.error());
  return http::Respond(
      request, service.List(http::ActorOf(request), request.org->org_id, *filter, *page),
      [&](const Page<Evidence>& result) {
        return Response::Json(
            200, http::PageJson(result, *page, [](const auto& e) { return ToJson(e); }));
      });
}

Response Created(const Evidence& evidence) {
  Response response = http::WithEtag(201, evidence);
  response.SetHeader("Location", Location(evidence));
  return response;
}

Response Create(EvidenceService& service, Request& request) {
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  std::vector<FieldError> errors;
  std::optional<EvidenceKind> kind;
  auto patch = ReadFields(*body, &kind, errors);
  if (!errors.empty()) return http::ProblemFor(request, Error::Validation(std::move(errors)));
  return http::Respond(request,
                       service.Create(http::ActorOf(request), request.org->org_id,
                                      FromPatch(*kind, std::move(patch))),
                       Created);
}

/// The record's fields of an upload come from the query string (the body is the file).
Response CreateFile(EvidenceService& service, Request& request) {
  boost::json::object fields;
  boost::json::array control_ids;
  std::vector<FieldError> errors;
  for (const auto& [name, value] : request.query) {
    if (name.empty()) continue;  // `…/files?` with nothing after it
    if (name == "control_id" || name == "control_ids") {
      control_ids.emplace_back(value);
    } else if (name == "title" || name == "description" || name == "owner_id" ||
               name == "collected_on" || name == "valid_until") {
      fields[name] = value;
    } else if (name != "filename") {
      errors.push_back({name, "is not a known field"});
    }
  }
  fields["kind"] = "file";
  if (!control_ids.empty()) fields["control_ids"] = std::move(control_ids);
  std::optional<EvidenceKind> kind;
  auto patch = ReadFields(fields, &kind, errors);
  auto filename = http::UploadFilename(request, errors);
  if (!errors.empty()) return http::ProblemFor(request, Error::Validation(std::move(errors)));
  FileUpload upload{request.body, *filename, std::string(request.Header("content-type"))};
  return http::Respond(request,
                       service.CreateFile(http::ActorOf(request), request.org->org_id,
                                          FromPatch(EvidenceKind::kFile, std::move(patch)), upload),
                       Created);
}

Response ReplaceFile(EvidenceService& service, Request& request) {
  auto version = http::RequireIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  std::vector<FieldError> errors;
  auto filename = http::UploadFilename(request, errors);
  if (!errors.empty()) return http::ProblemFor(request, Error::Validation(std::move(errors)));
  FileUpload upload{request.body, *filename, std::string(request.Header("content-type"))};
  return http::Respond(request,
                       service.ReplaceFile(http::ActorOf(request), request.org->org_id,
                                           EvidenceId(request.Param("id")), upload, *version),
                       [](const Evidence& evidence) { return http::WithEtag(200, evidence); });
}

Response Get(EvidenceService& service, Request& request) {
  return http::Respond(
      request,
      service.Get(http::ActorOf(request), request.org->org_id, EvidenceId(request.Param("id"))),
      [](const Evidence& evidence) { return http::WithEtag(200, evidence); });
}

Response Patch(EvidenceService& service, Request& request) {
  auto version = http::RequireIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  std::vector<FieldError> errors;
  auto patch = ReadFields(*body, nullptr, errors);
  if (!errors.empty()) return http::ProblemFor(request, Error::Validation(std::move(errors)));
  return http::Respond(request,
                       service.Update(http::ActorOf(request), request.org->org_id,
                                      EvidenceId(request.Param("id")), patch, *version),
                       [](const Evidence& evidence) { return http::WithEtag(200, evidence); });
}

Response Download(EvidenceService& service, Request& request) {
  auto sha256 = request.Query("sha256");
  auto download = service.Download(http::ActorOf(request), request.org->org_id,
                                   EvidenceId(request.Param("id")), sha256);
  if (!download) {
    if (blobstore::IsIntegrityFailure(download.error())) {
      return http::IntegrityProblem(request, download.error());
    }
    return http::ProblemFor(request, download.error());
  }
  // Evidence is whatever someone uploaded: never rendered by the browser in our origin.
  return http::FileResponse(std::move(download->bytes), download->file.content_type,
                            download->file.filename, download->file.sha256);
}

}  // namespace

void AddRoutes(http::Router& router, EvidenceService& service) {
  auto& s = service;
  const std::string base = "/api/v1/orgs/{org}/evidence";
  // Uploads may be as large as the largest file, plus nothing: the body is the file.
  const http::RouteOptions upload{.body_limit = static_cast<std::size_t>(service.max_file_bytes()),
                                  .writers = http::Writers::kEditors};
  router.Add(Method::kGet, base, Access::kUser, [&s](Request& r) { return List(s, r); });
  router.Add(Method::kPost, base, Access::kUser, [&s](Request& r) { return Create(s, r); });
  router.Add(
      Method::kPost, base + "/files", Access::kUser, [&s](Request& r) { return CreateFile(s, r); },
      upload);
  router.Add(Method::kGet, base + "/{id}", Access::kUser, [&s](Request& r) { return Get(s, r); });
  router.Add(Method::kPatch, base + "/{id}", Access::kUser,
             [&s](Request& r) { return Patch(s, r); });
  router.Add(Method::kGet, base + "/{id}/file", Access::kUser,
             [&s](Request& r) { return Download(s, r); });
  router.Add(
      Method::kPut, base + "/{id}/file", Access::kUser,
      [&s](Request& r) { return ReplaceFile(s, r); }, upload);
}

}  // namespace certus::evidence
