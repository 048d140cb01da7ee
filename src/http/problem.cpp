#include "http/problem.hpp"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

namespace certus::http {

namespace {

struct ProblemKind {
  unsigned status;
  const char* slug;
  const char* title;
};

ProblemKind KindOf(ErrorCode code) {
  switch (code) {
    case ErrorCode::kMalformed: return {400, "malformed", "Malformed request"};
    case ErrorCode::kUnauthenticated: return {401, "unauthenticated", "Not signed in"};
    case ErrorCode::kPermissionDenied: return {403, "forbidden", "Forbidden"};
    case ErrorCode::kNotFound: return {404, "not-found", "Not found"};
    case ErrorCode::kConflict: return {409, "conflict", "Conflict"};
    case ErrorCode::kPreconditionFailed: return {412, "stale", "Precondition failed"};
    case ErrorCode::kPayloadTooLarge: return {413, "too-large", "Payload too large"};
    case ErrorCode::kValidation: return {422, "validation", "Validation failed"};
    case ErrorCode::kPreconditionRequired:
      return {428, "if-match-required", "Precondition required"};
    case ErrorCode::kRateLimited: return {429, "rate-limited", "Too many requests"};
    case ErrorCode::kUnavailable: return {503, "unavailable", "Service unavailable"};
    case ErrorCode::kInternal: return {500, "internal", "Internal server error"};
  }
  return {500, "internal", "Internal server error"};
}

}  // namespace

unsigned HttpStatus(ErrorCode code) { return KindOf(code).status; }

Response ProblemResponse(const Error& error) {
  ProblemKind kind = KindOf(error.code());
  boost::json::object body{{"type", std::string("urn:certus:problem:") + kind.slug},
                           {"title", kind.title},
                           {"status", kind.status},
                           {"detail", error.message()}};
  if (!error.fields().empty()) {
    boost::json::array fields;
    for (const auto& field : error.fields()) {
      fields.push_back(boost::json::object{{"field", field.field}, {"message", field.message}});
    }
    body["errors"] = std::move(fields);
  }
  Response response;
  response.status = kind.status;
  response.headers.emplace_back("Content-Type", "application/problem+json");
  response.body = boost::json::serialize(body);
  return response;
}

Response ProblemFor(const Request& request, const Error& error) {
  if (HttpStatus(error.code()) >= 500) {
    spdlog::error("request {} {} {}: {} ({})", request.request_id, MethodName(request.method),
                  request.path, error.message(), error.log_detail());
  }
  return ProblemResponse(error);
}

}  // namespace certus::http
