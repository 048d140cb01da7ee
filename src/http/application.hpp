#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/random.hpp"
#include "http/request.hpp"
#include "http/router.hpp"
#include "http/static_files.hpp"

namespace certus::http {

/// The seam to identity: who is calling and what they may be in an organization.
/// Implementations must be thread-safe. Errors are database failures (kUnavailable,
/// kInternal); "not signed in" and "not a member" are nullopt, not errors.
class Authenticator {
 public:
  virtual ~Authenticator() = default;
  /// The principal behind the session cookie or bearer token, if any is valid.
  virtual Expected<std::optional<Principal>> Authenticate(const Request& request) = 0;
  /// The principal's standing in `org` (a role, and the grant of a guest auditor), or nullopt
  /// when they have none.
  virtual Expected<std::optional<OrgAccess>> AccessIn(const Principal& principal,
                                                      const OrgId& org) = 0;
};

struct ApplicationSettings {
  bool access_log = true;
  bool tls = false;  ///< adds HSTS
  /// Addresses of reverse proxies (deploy/nginx): a request from one of them is taken to come
  /// from the last address of its X-Forwarded-For header, the client the proxy saw, so that
  /// the access log and the per-address sign-in throttle see clients, not the proxy.
  std::vector<std::string> trusted_proxies;
};

/// Everything between the HTTP engine and the routes: request id, access log,
/// authentication, CSRF, organization membership, problem+json for errors, security
/// headers, and the web UI's static files. Thread-safe once constructed.
class Application final {
 public:
  Application(Router router, Authenticator& authenticator, StaticFiles static_files, Random& random,
              ApplicationSettings settings);

  /// Never throws: anything thrown by a handler is logged with the request id and
  /// answered 500.
  Response Handle(Request& request);

  const Router& router() const { return router_; }

  /// The body limit a request may use given its header (for ServerSettings::body_limit_for):
  /// its route's RouteOptions::body_limit when the request carries credentials (a session
  /// cookie or a bearer token, checked later), else 0 (the server's default), so that
  /// anonymous clients cannot send large bodies.
  std::size_t BodyLimitFor(const Request& head) const;

 private:
  /// From a trusted proxy, the client address it forwarded (ApplicationSettings).
  void UseForwardedAddress(Request& request) const;
  Response Dispatch(Request& request);
  Response Route(Request& request);
  void AddStandardHeaders(const Request& request, Response& response) const;

  Router router_;
  Authenticator& authenticator_;
  StaticFiles static_files_;
  ApplicationSettings settings_;
  // Request ids need to be unique, not secret: a random per-process prefix and a counter
  // cost no system call per request.
  std::string request_id_prefix_;
  std::atomic<std::uint64_t> request_counter_{0};
};

/// ETag for an object version: `"7"`.
std::string Etag(std::int64_t version);

/// The JSON of a versioned object (its module's `ToJson`, found by argument-dependent
/// lookup) with its ETag: what every GET, POST, PATCH of a single object answers.
template <typename T>
Response WithEtag(unsigned status, const T& object) {
  Response response = Response::Json(status, ToJson(object));
  response.SetHeader("ETag", Etag(object.version));
  return response;
}

/// The version a PATCH or DELETE expects, from If-Match: kPreconditionRequired (428) when
/// missing, kPreconditionFailed (412) when it is not a version we could ever have sent.
Expected<std::int64_t> RequireIfMatch(const Request& request);

/// If-Match when the client sent one, nothing otherwise: for workflow steps whose rules
/// already decide what may happen, so a stale page can still be refused (412) when it says
/// which version it saw.
Expected<std::optional<std::int64_t>> OptionalIfMatch(const Request& request);

}  // namespace certus::http
