#include "http/application.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <exception>
#include <utility>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/encoding.hpp"
#include "http/problem.hpp"

namespace certus::http {

namespace {

/// Whether a member in `role` may call a writing method of a route that admits `writers`.
bool MayWrite(Writers writers, Role role) {
  switch (writers) {
    case Writers::kAnyMember: return true;
    case Writers::kAuditors: return role >= Role::kContributor || role == Role::kAuditor;
    case Writers::kEditors: return role >= Role::kContributor;
  }
  return false;
}

constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

bool IsApiPath(std::string_view path) {
  return path.starts_with("/api/") || path == "/api" || path == "/healthz" || path == "/readyz";
}

}  // namespace

Application::Application(Router router, Authenticator& authenticator, StaticFiles static_files,
                         Random& random, ApplicationSettings settings)
    : router_(std::move(router)),
      authenticator_(authenticator),
      static_files_(std::move(static_files)),
      settings_(std::move(settings)),
      request_id_prefix_(HexEncode(random.Bytes(4))) {}

Response Application::Handle(Request& request) {
  auto started = std::chrono::steady_clock::now();
  UseForwardedAddress(request);
  request.request_id = fmt::format("{}{:08x}", request_id_prefix_,
                                   static_cast<std::uint32_t>(request_counter_.fetch_add(1)));
  Response response;
  try {
    response = Dispatch(request);
  } catch (const std::exception& e) {
    spdlog::error("request {} {} {} failed: {}", request.request_id, MethodName(request.method),
                  request.path, e.what());
    response = ProblemResponse(Error::Internal(e.what()));
  }
  AddStandardHeaders(request, response);
  if (settings_.access_log) {
    auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                      std::chrono::steady_clock::now() - started)
                      .count();
    spdlog::info("{} {} {} {} {}us {}", request.remote_address, MethodName(request.method),
                 request.path, response.status, micros, request.request_id);
  }
  return response;
}

void Application::UseForwardedAddress(Request& request) const {
  if (std::find(settings_.trusted_proxies.begin(), settings_.trusted_proxies.end(),
                request.remote_address) == settings_.trusted_proxies.end()) {
    return;
  }
  // The proxy appends the address it saw to whatever the client sent: only the last entry
  // is the proxy's word. Several headers count as one comma-separated list.
  std::string_view forwarded;
  for (const auto& [name, value] : request.headers) {
    if (name == "x-forwarded-for") forwarded = value;
  }
  if (auto comma = forwarded.rfind(','); comma != std::string_view::npos) {
    forwarded.remove_prefix(comma + 1);
  }
  while (!forwarded.empty() && (forwarded.front() == ' ' || forwarded.front() == '\t')) {
    forwarded.remove_prefix(1);
  }
  while (!forwarded.empty() && (forwarded.back() == ' ' || forwarded.back() == '\t')) {
    forwarded.remove_suffix(1);
  }
  if (!forwarded.empty() && forwarded.size() <= 64) request.remote_address = std::string(forwarded);
}

Response Application::Dispatch(Request& request) {
  if (IsApiPath(request.path)) return Route(request);
  if (request.method != Method::kGet && request.method != Method::kHead) {
    return ProblemResponse(Error(ErrorCode::kNotFound, "No such resource."));
  }
  if (auto file = static_files_.Serve(request.path)) return std::move(*file);
  if (static_files_.size() == 0) {
    return ProblemResponse(
        Error(ErrorCode::kNotFound, "The web UI is not built; run `make build` and restart."));
  }
  return ProblemResponse(Error(ErrorCode::kNotFound, "No such file."));
}

Response Application::Route(Request& request) {
  auto match = router_.Find(request.method, request.path);
  if (match.route == nullptr) {
    if (match.path_known) {
      Response response = ProblemResponse(Error(ErrorCode::kMalformed, "Method not allowed here."));
      response.status = 405;
      return response;
    }
    return ProblemResponse(Error(ErrorCode::kNotFound, "No such resource."));
  }
  request.path_params = std::move(match.params);

  auto principal = authenticator_.Authenticate(request);
  if (!principal) return ProblemResponse(principal.error());
  request.principal = std::move(*principal);

  if (match.route->access == Access::kUser) {
    if (!request.principal) {
      return ProblemResponse(Error(ErrorCode::kUnauthenticated, "Sign in to continue."));
    }
    // Cookies are sent by the browser on its own; a token in a header only by our own UI.
    if (request.principal->via == Principal::Via::kSession && !IsSafe(request.method) &&
        !ConstantTimeEquals(request.Header("x-csrf-token"), request.principal->csrf_token)) {
      return ProblemResponse(
          Error(ErrorCode::kPermissionDenied, "Missing or invalid X-CSRF-Token header."));
    }
    if (auto org = request.path_params.find("org"); org != request.path_params.end()) {
      OrgId org_id(org->second);
      const auto& caller = *request.principal;
      std::optional<OrgAccess> access;
      if (!caller.token_org || *caller.token_org == org_id) {
        auto found = authenticator_.AccessIn(caller, org_id);
        if (!found) return ProblemResponse(found.error());
        access = std::move(*found);
      }
      // DESIGN §4: a non-member gets 404, exactly as if the organization did not exist.
      if (!access) return ProblemResponse(Error::NotFound("Organization"));
      if (caller.token_role && *caller.token_role < access->role) access->role = *caller.token_role;
      if (!IsSafe(request.method) && !MayWrite(match.route->options.writers, access->role)) {
        return ProblemResponse(Error(
            ErrorCode::kPermissionDenied,
            fmt::format("A {} of this organization may not change it.", RoleName(access->role))));
      }
      request.org = std::move(*access);
    }
  }
  return match.route->handler(request);
}

std::size_t Application::BodyLimitFor(const Request& head) const {
  if (!IsApiPath(head.path)) return 0;
  if (head.Header("cookie").empty() && head.Header("authorization").empty()) return 0;
  auto match = router_.Find(head.method, head.path);
  return match.route == nullptr ? 0 : match.route->options.body_limit;
}

void Application::AddStandardHeaders(const Request& request, Response& response) const {
  response.SetHeader("X-Request-Id", request.request_id);
  response.SetHeader("X-Content-Type-Options", "nosniff");
  response.SetHeader("Referrer-Policy", "no-referrer");
  response.SetHeader("X-Frame-Options", "DENY");
  // A response may bring a stricter policy of its own (downloads: `sandbox`).
  if (response.Header("Content-Security-Policy").empty()) {
    response.SetHeader("Content-Security-Policy", std::string(kContentSecurityPolicy));
  }
  response.SetHeader("Cross-Origin-Opener-Policy", "same-origin");
  if (IsApiPath(request.path) && response.Header("Cache-Control").empty()) {
    response.SetHeader("Cache-Control", "no-store");
  }
  if (settings_.tls) {
    response.SetHeader("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
  }
}

std::string Etag(std::int64_t version) { return "\"" + std::to_string(version) + "\""; }

Expected<std::optional<std::int64_t>> OptionalIfMatch(const Request& request) {
  if (request.Header("if-match").empty()) return std::nullopt;
  return RequireIfMatch(request);
}

Expected<std::int64_t> RequireIfMatch(const Request& request) {
  std::string_view header = request.Header("if-match");
  if (header.empty()) {
    return Fail(ErrorCode::kPreconditionRequired,
                "This change needs an If-Match header with the version you last read.");
  }
  if (header.starts_with("W/")) header.remove_prefix(2);
  if (header.size() >= 2 && header.front() == '"' && header.back() == '"') {
    header = header.substr(1, header.size() - 2);
  }
  std::int64_t version = 0;
  auto [end, ec] = std::from_chars(header.data(), header.data() + header.size(), version);
  if (ec != std::errc{} || end != header.data() + header.size() || version < 1) {
    return Fail(ErrorCode::kPreconditionFailed,
                "If-Match does not name a version of this record; reload it and try again.");
  }
  return version;
}

}  // namespace certus::http
