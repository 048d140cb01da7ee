#include "modules/documents/routes.hpp"

#include <charconv>

#include <boost/json.hpp>

#include "blobstore/blob_store.hpp"
#include "http/application.hpp"
#include "http/file_rules.hpp"
#include "http/json.hpp"
#include "http/paging.hpp"
#include "http/problem.hpp"
#include "modules/documents/json.hpp"
#include "modules/documents/markdown.hpp"

namespace certus::documents {

namespace {

using http::Access;
using http::Method;
using http::Request;
using http::Response;

constexpr std::size_t kTitleMax = 200;
constexpr std::size_t kContentMax = 1000000;
constexpr std::size_t kCommentMax = 5000;

enum class Purpose { kCreate, kPatch };

/// Viewers and auditors read documents and acknowledge them, nothing else: refused before
/// the body is looked at, so the answer does not depend on what they send.
std::optional<Response> RefuseReaders(const Request& request) {
  if (request.org && request.org->role >= Role::kContributor) return std::nullopt;
  return http::ProblemFor(request, Error(ErrorCode::kPermissionDenied,
                                         "Viewers and auditors read documents; only "
                                         "contributors, managers and admins write them."));
}

/// The body as a JSON object; an empty body is an empty object (steps without a comment).
Expected<boost::json::object> BodyObject(const Request& request) {
  if (request.body.find_first_not_of(" \t\r\n") == std::string::npos) {
    return boost::json::object{};
  }
  return http::ParseJsonObject(request.body);
}

std::optional<std::int64_t> PositiveNumber(std::string_view text) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 1) return std::nullopt;
  return value;
}

std::optional<std::vector<std::string>> ReadStrings(const boost::json::value& value,
                                                    const std::string& field,
                                                    std::vector<FieldError>& errors) {
  std::vector<std::string> out;
  bool ok = value.is_array() && value.as_array().size() <= 500;
  if (ok) {
    for (const auto& item : value.as_array()) {
      if (!item.is_string() || item.as_string().empty() || item.as_string().size() > 100) {
        ok = false;
        break;
      }
      out.emplace_back(item.as_string());
    }
  }
  if (!ok) {
    errors.push_back({field, "must be an array of at most 500 ids"});
    return std::nullopt;
  }
  return out;
}

std::optional<Distribution> ReadDistribution(const boost::json::value& value,
                                             std::vector<FieldError>& errors) {
  const auto* object = value.if_object();
  if (object == nullptr) {
    errors.push_back({"distribution", "must be an object {all_members, user_ids, role_ids}"});
    return std::nullopt;
  }
  Distribution distribution;
  bool ok = true;
  for (const auto& entry : *object) {
    if (entry.key() == "all_members") {
      if (!entry.value().is_bool()) {
        errors.push_back({"distribution.all_members", "must be true or false"});
        ok = false;
      } else {
        distribution.all_members = entry.value().as_bool();
      }
    } else if (entry.key() == "user_ids" || entry.key() == "role_ids") {
      auto ids = ReadStrings(entry.value(), "distribution." + std::string(entry.key()), errors);
      if (!ids) {
        ok = false;
      } else if (entry.key() == "user_ids") {
        for (auto& id : *ids) distribution.user_ids.emplace_back(std::move(id));
      } else {
        distribution.role_ids = std::move(*ids);
      }
    } else {
      errors.push_back({"distribution." + std::string(entry.key()), "is not a known field"});
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return distribution;
}

DocumentPatch ReadDocumentFields(const boost::json::object& body, Purpose purpose,
                                 std::vector<FieldError>& errors) {
  // Computed fields a client may echo back from a GET; never taken from it.
  static const char* const kComputed[] = {"status", "latest_version", "published_version",
                                          "published_at", "overdue_review"};
  DocumentPatch patch;
  boost::json::object rest = body;
  for (auto name : kComputed) rest.erase(name);
  if (auto it = rest.find("distribution"); it != rest.end()) {
    patch.distribution = ReadDistribution(it->value(), errors);
    rest.erase("distribution");
  }
  if (auto it = rest.find("scope"); it != rest.end()) {
    if (it->value().is_null()) {
      patch.scope = std::optional<ScopeFields>();
    } else if (auto scope = ScopeFromJson(it->value())) {
      patch.scope = std::optional<ScopeFields>(std::move(*scope));
    } else {
      for (const auto& error : scope.error().fields()) errors.push_back(error);
      if (scope.error().fields().empty()) errors.push_back({"scope", scope.error().message()});
    }
    rest.erase("scope");
  }
  // retention_months may be null: kept for ever.
  const auto retention = rest.find("retention_months");
  const bool retention_null = retention != rest.end() && retention->value().is_null();
  if (retention_null) rest.erase("retention_months");
  http::FieldReader fields(rest);
  if (auto ref = fields.Text("ref", 1, 40)) patch.ref = *ref;
  if (auto type = fields.OneOf("type", DocumentTypeNames())) patch.type = ParseDocumentType(*type);
  patch.title = fields.Text("title", 1, kTitleMax);
  if (auto owner = fields.Text("owner_id", 1, 100)) patch.owner_id = UserId(*owner);
  patch.classification = fields.Text("classification", 1, 60);
  patch.review_interval_months = fields.Integer("review_interval_months", 1, 120);
  if (auto date = fields.NullableDate("next_review_on")) {
    patch.next_review_on =
        *date ? std::optional<std::string>(FormatDate(**date)) : std::optional<std::string>();
  }
  if (retention_null) {
    patch.retention_months = std::optional<std::int64_t>();
  } else if (auto months = fields.Integer("retention_months", 1, 1200)) {
    patch.retention_months = std::optional<std::int64_t>(*months);
  }
  patch.is_security_policy = fields.Boolean("is_security_policy");
  if (purpose == Purpose::kCreate) {
    fields.Require("type");
    fields.Require("title");
  }
  if (auto done = fields.Finish(); !done) {
    for (const auto& error : done.error().fields()) errors.push_back(error);
  }
  return patch;
}

Expected<DocumentFilter> ReadFilter(const Request& request, bool& overdue, bool& to_acknowledge) {
  DocumentFilter filter;
  std::vector<FieldError> errors;
  if (auto value = request.Query("type"); value && !value->empty()) {
    filter.type = ParseDocumentType(*value);
    if (!filter.type) errors.push_back({"type", "is not a document type"});
  }
  if (auto value = request.Query("status"); value && !value->empty()) {
    filter.status = ParseVersionStatus(*value);
    if (!filter.status) errors.push_back({"status", "is not a document status"});
  }
  if (auto value = request.Query("owner_id"); value && !value->empty()) {
    filter.owner_id = UserId(*value);
  }
  if (auto value = request.Query("overdue")) {
    if (*value == "true") {
      overdue = true;
    } else if (*value != "false") {
      errors.push_back({"overdue", "must be true or false"});
    }
  }
  if (auto value = request.Query("to_acknowledge")) {
    if (*value == "me") {
      to_acknowledge = true;
    } else {
      errors.push_back({"to_acknowledge", "must be me"});
    }
  }
  if (auto text = request.Query("q"); text && !text->empty()) {
    if (text->size() > 200) errors.push_back({"q", "must be at most 200 characters"});
    filter.text = *text;
  }
  if (!errors.empty()) return Fail(Error::Validation(std::move(errors)));
  return filter;
}

/// The Markdown of a version exactly as sent, never trimmed: its SHA-256 is the hash of
/// these bytes. Taken out of `body`, so a FieldReader over the rest does not see it.
std::optional<std::string> TakeContent(boost::json::object& body, bool required,
                                       std::vector<FieldError>& errors) {
  auto it = body.find("content");
  if (it == body.end()) {
    if (required) errors.push_back({"content", "is required"});
    return std::nullopt;
  }
  std::optional<std::string> content;
  if (!it->value().is_string()) {
    errors.push_back({"content", "must be a string (Markdown)"});
  } else if (it->value().as_string().size() > kContentMax) {
    errors.push_back({"content", "must be at most 1000000 bytes"});
  } else {
    content = std::string(it->value().as_string());
  }
  body.erase("content");
  return content;
}

/// FieldReader's problems and `errors` together, or nothing.
Expected<void> Finish(http::FieldReader& fields, std::vector<FieldError> errors) {
  if (auto done = fields.Finish(); !done) {
    for (const auto& error : done.error().fields()) errors.push_back(error);
  }
  if (!errors.empty()) return Fail(Error::Validation(std::move(errors)));
  return {};
}

DocumentId IdOf(const Request& request) { return DocumentId(request.Param("id")); }

Response NumberProblem(const Request& request) {
  return http::ProblemFor(request, Error::NotFound("Document version"));
}

// ------------------------------------------------------------------ documents

Response List(DocumentService& service, Request& request) {
  static const http::PagingRules kRules{DocumentStore::SortFields(), "ref"};
  auto page = http::ParsePageQuery(request, kRules);
  if (!page) return http::ProblemFor(request, page.error());
  bool overdue = false;
  bool to_acknowledge = false;
  auto filter = ReadFilter(request, overdue, to_acknowledge);
  if (!filter) return http::ProblemFor(request, filter.error());
  return http::Respond(
      request,
      service.ListDocuments(http::ActorOf(request), request.org->org_id, *filter, overdue,
                            to_acknowledge, *page),
      [&](const Page<Document>& result) {
        return Response::Json(
            200, http::PageJson(result, *page, [](const auto& d) { return ToJson(d); }));
      });
}

Response Create(DocumentService& service, Request& request) {
  if (auto refused = RefuseReaders(request)) return *refused;
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  std::vector<FieldError> errors;
  auto input = ReadDocumentFields(*body, Purpose::kCreate, errors);
  if (!errors.empty()) return http::ProblemFor(request, Error::Validation(std::move(errors)));
  return http::Respond(request,
                       service.CreateDocument(http::ActorOf(request), request.org->org_id, input),
                       [&](const Document& d) {
                         Response response = http::WithEtag(201, d);
                         response.SetHeader("Location", "/api/v1/orgs/" + d.org_id.str() +
                                                            "/documents/" + d.id.str());
                         return response;
                       });
}

Response Get(DocumentService& service, Request& request) {
  return http::Respond(
      request, service.GetDocument(http::ActorOf(request), request.org->org_id, IdOf(request)),
      [](const Document& d) { return http::WithEtag(200, d); });
}

Response Patch(DocumentService& service, Request& request) {
  if (auto refused = RefuseReaders(request)) return *refused;
  auto version = http::RequireIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  std::vector<FieldError> errors;
  auto patch = ReadDocumentFields(*body, Purpose::kPatch, errors);
  if (!errors.empty()) return http::ProblemFor(request, Error::Validation(std::move(errors)));
  return http::Respond(request,
                       service.UpdateDocument(http::ActorOf(request), request.org->org_id,
                                              IdOf(request), patch, *version),
                       [](const Document& d) { return http::WithEtag(200, d); });
}

Response Delete(DocumentService& service, Request& request) {
  if (auto refused = RefuseReaders(request)) return *refused;
  auto version = http::RequireIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  return http::Respond(
      request,
      service.DeleteDocument(http::ActorOf(request), request.org->org_id, IdOf(request), *version),
      [] { return Response::NoContent(); });
}

Response Preview(DocumentService& service, Request& request) {
  if (auto refused = RefuseReaders(request)) return *refused;
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  std::vector<FieldError> errors;
  auto content = TakeContent(*body, true, errors);
  http::FieldReader fields(*body);
  if (auto done = Finish(fields, std::move(errors)); !done) {
    return http::ProblemFor(request, done.error());
  }
  return http::Respond(request,
                       service.Preview(http::ActorOf(request), request.org->org_id, *content),
                       [](const std::string& html) {
                         return Response::Json(200, boost::json::object{{"html", html}});
                       });
}

// ------------------------------------------------------------------ versions

Response ListVersions(DocumentService& service, Request& request) {
  return http::Respond(
      request, service.ListVersions(http::ActorOf(request), request.org->org_id, IdOf(request)),
      [](const std::vector<DocumentVersion>& versions) {
        boost::json::array items;
        for (const auto& v : versions) items.push_back(ToJson(v));
        return Response::Json(200, boost::json::object{{"items", std::move(items)}});
      });
}

Response CreateVersion(DocumentService& service, Request& request) {
  if (auto refused = RefuseReaders(request)) return *refused;
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  std::vector<FieldError> errors;
  auto content = TakeContent(*body, true, errors);
  http::FieldReader fields(*body);
  auto summary = fields.Text("change_summary", 0, kCommentMax);
  if (auto done = Finish(fields, std::move(errors)); !done) {
    return http::ProblemFor(request, done.error());
  }
  return http::Respond(request,
                       service.CreateVersion(http::ActorOf(request), request.org->org_id,
                                             IdOf(request), *content, summary.value_or("")),
                       [&](const DocumentVersion& v) {
                         Response response = http::WithEtag(201, v);
                         response.SetHeader("Location", "/api/v1/orgs/" + v.org_id.str() +
                                                            "/documents/" + v.document_id.str() +
                                                            "/versions/" +
                                                            std::to_string(v.number));
                         return response;
                       });
}

Response GetVersion(DocumentService& service, Request& request) {
  auto number = PositiveNumber(request.Param("number"));
  if (!number) return NumberProblem(request);
  const std::string format = request.Query("format").value_or("json");
  if (format == "json") {
    return http::Respond(
        request,
        service.GetVersion(http::ActorOf(request), request.org->org_id, IdOf(request), *number),
        [](const DocumentVersion& v) { return http::WithEtag(200, v); });
  }
  if (format != "html" && format != "pdf") {
    return http::ProblemFor(request, Error::Field("format", "must be one of: json, html, pdf"));
  }
  return http::Respond(
      request,
      service.RenderVersion(http::ActorOf(request), request.org->org_id, IdOf(request), *number,
                            format == "html" ? RenderFormat::kHtml : RenderFormat::kPdf),
      [&](const RenderedVersion& rendered) {
        Response response;
        response.status = 200;
        response.SetHeader("Content-Type", rendered.media_type);
        if (format == "html") {
          // Nothing in the page may run or load but images, even if the sanitizer failed.
          response.SetHeader("Content-Security-Policy", std::string(kDocumentPagePolicy));
          response.SetHeader("Content-Disposition",
                             "inline; filename=\"" + rendered.filename + "\"");
        } else {
          response.SetHeader("Content-Security-Policy", "sandbox");
          response.SetHeader("Content-Disposition",
                             "attachment; filename=\"" + rendered.filename + "\"");
        }
        response.body = rendered.body;
        return response;
      });
}

Response PatchVersion(DocumentService& service, Request& request) {
  if (auto refused = RefuseReaders(request)) return *refused;
  auto number = PositiveNumber(request.Param("number"));
  if (!number) return NumberProblem(request);
  auto version = http::RequireIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  auto body = http::ParseJsonObject(request.body);
  if (!body) return http::ProblemFor(request, body.error());
  boost::json::object rest = *body;
  // Fields of the version a client may echo back; only content and change_summary change.
  for (auto name : {"status", "author_id", "author_email", "submitted_at", "approval", "rejection",
                    "publication", "superseded_at", "sha256", "document_id", "attachments"}) {
    rest.erase(name);
  }
  std::vector<FieldError> errors;
  auto content = TakeContent(rest, false, errors);
  http::FieldReader fields(rest);
  auto summary = fields.Text("change_summary", 0, kCommentMax);
  if (fields.Has("number")) fields.Integer("number", 1, 1000000000);
  if (auto done = Finish(fields, std::move(errors)); !done) {
    return http::ProblemFor(request, done.error());
  }
  return http::Respond(request,
                       service.UpdateVersion(http::ActorOf(request), request.org->org_id,
                                             IdOf(request), *number, content, summary, *version),
                       [](const DocumentVersion& v) { return http::WithEtag(200, v); });
}

Response DoStep(DocumentService& service, Request& request, Step step) {
  if (auto refused = RefuseReaders(request)) return *refused;
  auto number = PositiveNumber(request.Param("number"));
  if (!number) return NumberProblem(request);
  auto body = BodyObject(request);
  if (!body) return http::ProblemFor(request, body.error());
  http::FieldReader fields(*body);
  std::optional<std::string> comment;
  if (step == Step::kApprove || step == Step::kReject) {
    comment = fields.Text("comment", step == Step::kReject ? 1 : 0, kCommentMax);
    // ISO 27001 7.5.2 c: a rejection says what to change.
    if (step == Step::kReject) fields.Require("comment");
  }
  if (auto done = fields.Finish(); !done) return http::ProblemFor(request, done.error());
  auto expected = http::OptionalIfMatch(request);
  if (!expected) return http::ProblemFor(request, expected.error());
  return http::Respond(
      request,
      service.Transition(http::ActorOf(request), request.org->org_id, IdOf(request), *number, step,
                         comment.value_or(""), *expected),
      [](const DocumentVersion& v) { return http::WithEtag(200, v); });
}

Response Diff(DocumentService& service, Request& request) {
  std::vector<FieldError> errors;
  std::optional<std::int64_t> from;
  std::optional<std::int64_t> to;
  if (auto text = request.Query("from"); !text || !(from = PositiveNumber(*text))) {
    errors.push_back({"from", "must be a version number"});
  }
  if (auto text = request.Query("to"); !text || !(to = PositiveNumber(*text))) {
    errors.push_back({"to", "must be a version number"});
  }
  if (!errors.empty()) return http::ProblemFor(request, Error::Validation(std::move(errors)));
  return http::Respond(
      request, service.Diff(http::ActorOf(request), request.org->org_id, IdOf(request), *from, *to),
      [](const VersionDiff& diff) {
        return Response::Json(200, DiffJson(diff.from, diff.to, diff.hunks, diff.unified));
      });
}

// ------------------------------------------------------------------ acknowledgments

Response Acknowledge(DocumentService& service, Request& request) {
  // Every member acknowledges, viewers and auditors included (5.2 f, 7.3); no body needed.
  auto body = BodyObject(request);
  if (!body) return http::ProblemFor(request, body.error());
  http::FieldReader fields(*body);
  if (auto done = fields.Finish(); !done) return http::ProblemFor(request, done.error());
  return http::Respond(
      request, service.Acknowledge(http::ActorOf(request), request.org->org_id, IdOf(request)),
      [](const AcknowledgeResult& result) {
        const auto& a = result.acknowledgment;
        return Response::Json(result.created ? 201 : 200,
                              boost::json::object{{"user_id", a.user_id},
                                                  {"email", a.email},
                                                  {"at", a.at},
                                                  {"version_number", a.version_number},
                                                  {"created", result.created}});
      });
}

Response Acknowledgments(DocumentService& service, Request& request) {
  return http::Respond(
      request, service.Acknowledgments(http::ActorOf(request), request.org->org_id, IdOf(request)),
      [](const AcknowledgmentRound& round) { return Response::Json(200, ToJson(round)); });
}

// ------------------------------------------------------------------ attachments

Response ListAttachments(DocumentService& service, Request& request) {
  auto number = PositiveNumber(request.Param("number"));
  if (!number) return NumberProblem(request);
  return http::Respond(
      request,
      service.GetVersion(http::ActorOf(request), request.org->org_id, IdOf(request), *number),
      [](const DocumentVersion& v) {
        boost::json::array items;
        for (const auto& a : v.attachments) items.push_back(ToJson(a));
        return Response::Json(200, boost::json::object{{"items", std::move(items)}});
      });
}

/// The body is the file; its name comes in X-Filename or ?filename= (as for evidence).
Response AddAttachment(DocumentService& service, Request& request) {
  if (auto refused = RefuseReaders(request)) return *refused;
  auto number = PositiveNumber(request.Param("number"));
  if (!number) return NumberProblem(request);
  auto expected = http::OptionalIfMatch(request);
  if (!expected) return http::ProblemFor(request, expected.error());
  std::vector<FieldError> errors;
  auto filename = http::UploadFilename(request, errors);
  if (!errors.empty()) return http::ProblemFor(request, Error::Validation(std::move(errors)));
  const blobstore::Upload upload{request.body, *filename,
                                 std::string(request.Header("content-type"))};
  return http::Respond(request,
                       service.AddAttachment(http::ActorOf(request), request.org->org_id,
                                             IdOf(request), *number, upload, *expected),
                       [&](const DocumentVersion& v) {
                         Response response = http::WithEtag(201, v);
                         for (const auto& a : v.attachments) {
                           if (a.file_name != *filename) continue;
                           response.SetHeader(
                               "Location", "/api/v1/orgs/" + v.org_id.str() + "/documents/" +
                                               v.document_id.str() + "/versions/" +
                                               std::to_string(v.number) + "/attachments/" + a.id);
                         }
                         return response;
                       });
}

Response RemoveAttachment(DocumentService& service, Request& request) {
  if (auto refused = RefuseReaders(request)) return *refused;
  auto number = PositiveNumber(request.Param("number"));
  if (!number) return NumberProblem(request);
  auto version = http::RequireIfMatch(request);
  if (!version) return http::ProblemFor(request, version.error());
  return http::Respond(
      request,
      service.RemoveAttachment(http::ActorOf(request), request.org->org_id, IdOf(request), *number,
                               std::string(request.Param("attachment")), *version),
      [](const DocumentVersion& v) { return http::WithEtag(200, v); });
}

Response DownloadAttachment(DocumentService& service, Request& request) {
  auto number = PositiveNumber(request.Param("number"));
  if (!number) return NumberProblem(request);
  auto download =
      service.DownloadAttachment(http::ActorOf(request), request.org->org_id, IdOf(request),
                                 *number, std::string(request.Param("attachment")));
  if (!download) {
    if (blobstore::IsIntegrityFailure(download.error())) {
      return http::IntegrityProblem(request, download.error());
    }
    return http::ProblemFor(request, download.error());
  }
  return http::FileResponse(std::move(download->bytes), download->attachment.content_type,
                            download->attachment.file_name, download->attachment.sha256);
}

}  // namespace

void AddRoutes(http::Router& router, DocumentService& service) {
  auto& s = service;
  const std::string documents = "/api/v1/orgs/{org}/documents";
  router.Add(Method::kGet, documents, Access::kUser, [&s](Request& r) { return List(s, r); });
  router.Add(Method::kPost, documents, Access::kUser, [&s](Request& r) { return Create(s, r); });
  router.Add(Method::kPost, documents + "/preview", Access::kUser,
             [&s](Request& r) { return Preview(s, r); });
  router.Add(Method::kGet, documents + "/{id}", Access::kUser,
             [&s](Request& r) { return Get(s, r); });
  router.Add(Method::kPatch, documents + "/{id}", Access::kUser,
             [&s](Request& r) { return Patch(s, r); });
  router.Add(Method::kDelete, documents + "/{id}", Access::kUser,
             [&s](Request& r) { return Delete(s, r); });
  const std::string versions = documents + "/{id}/versions";
  router.Add(Method::kGet, versions, Access::kUser,
             [&s](Request& r) { return ListVersions(s, r); });
  router.Add(Method::kPost, versions, Access::kUser,
             [&s](Request& r) { return CreateVersion(s, r); });
  router.Add(Method::kGet, versions + "/{number}", Access::kUser,
             [&s](Request& r) { return GetVersion(s, r); });
  router.Add(Method::kPatch, versions + "/{number}", Access::kUser,
             [&s](Request& r) { return PatchVersion(s, r); });
  router.Add(Method::kPost, versions + "/{number}/submit", Access::kUser,
             [&s](Request& r) { return DoStep(s, r, Step::kSubmit); });
  router.Add(Method::kPost, versions + "/{number}/approve", Access::kUser,
             [&s](Request& r) { return DoStep(s, r, Step::kApprove); });
  router.Add(Method::kPost, versions + "/{number}/reject", Access::kUser,
             [&s](Request& r) { return DoStep(s, r, Step::kReject); });
  router.Add(Method::kPost, versions + "/{number}/publish", Access::kUser,
             [&s](Request& r) { return DoStep(s, r, Step::kPublish); });
  const std::string attachments = versions + "/{number}/attachments";
  const http::RouteOptions upload{.body_limit =
                                      static_cast<std::size_t>(service.max_attachment_bytes())};
  router.Add(Method::kGet, attachments, Access::kUser,
             [&s](Request& r) { return ListAttachments(s, r); });
  router.Add(
      Method::kPost, attachments, Access::kUser, [&s](Request& r) { return AddAttachment(s, r); },
      upload);
  router.Add(Method::kGet, attachments + "/{attachment}", Access::kUser,
             [&s](Request& r) { return DownloadAttachment(s, r); });
  router.Add(Method::kDelete, attachments + "/{attachment}", Access::kUser,
             [&s](Request& r) { return RemoveAttachment(s, r); });
  router.Add(Method::kGet, documents + "/{id}/diff", Access::kUser,
             [&s](Request& r) { return Diff(s, r); });
  router.Add(Method::kGet, documents + "/{id}/acknowledgments", Access::kUser,
             [&s](Request& r) { return Acknowledgments(s, r); });
  router.Add(
      Method::kPost, documents + "/{id}/acknowledgments", Access::kUser,
      [&s](Request& r) { return Acknowledge(s, r); },
      http::RouteOptions{.body_limit = 0, .writers = http::Writers::kAnyMember});
}

}  // namespace certus::documents
