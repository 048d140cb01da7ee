#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <boost/json/value.hpp>

#include "core/actor.hpp"
#include "core/error.hpp"
#include "core/strong_id.hpp"

namespace certus::http {

enum class Method { kGet, kHead, kPost, kPut, kPatch, kDelete, kOptions, kOther };

std::string_view MethodName(Method method);
/// GET, HEAD and OPTIONS change nothing; everything else needs CSRF protection.
bool IsSafe(Method method);

/// Who is calling, as the authenticator found out.
struct Principal {
  enum class Via { kSession, kApiToken };
  UserId user_id;
  std::string email;
  std::string display_name;
  bool installation_admin = false;
  Via via = Via::kSession;
  std::string csrf_token;  ///< the session's token (sessions only)
  /// How the session was opened (identity's AuthMethodName, ADR 0020); empty for API tokens.
  std::string auth_method;
  std::optional<OrgId> token_org;  ///< an API token works in one organization only
  std::optional<Role> token_role;  ///< and never above the role it was given
};

/// The caller's standing in the organization named by the path's `{org}`.
struct OrgAccess {
  OrgId org_id;
  Role role;
  /// Set when the caller is not a member but a guest auditor: the id of the grant they read
  /// under (identity/guest.hpp, ADR 0018).
  std::optional<std::string> guest_grant;
};

/// One parsed HTTP request. Header names are lowercase.
struct Request {
  Method method = Method::kGet;
  std::string target;                                      ///< as received: path and query
  std::string path;                                        ///< percent-decoded path
  std::vector<std::pair<std::string, std::string>> query;  ///< decoded, in order
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string remote_address;

  // Filled in by the application as the request passes through.
  std::string request_id;
  std::unordered_map<std::string, std::string> path_params;
  std::optional<Principal> principal;
  std::optional<OrgAccess> org;

  /// The first header of that (lowercase) name, or empty.
  std::string_view Header(std::string_view name) const;
  std::optional<std::string> Query(std::string_view name) const;
  const std::string& Param(const std::string& name) const { return path_params.at(name); }
};

/// One HTTP response.
struct Response {
  unsigned status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  void SetHeader(std::string name, std::string value);
  std::string_view Header(std::string_view name) const;

  static Response Json(unsigned status, const boost::json::value& body);
  /// `body` is JSON text already (http::JsonWriter).
  static Response JsonText(unsigned status, std::string body);
  static Response NoContent();
};

/// The actor of a request for the services: the principal, its role in the path's
/// organization, and the request id for the audit trail.
Actor ActorOf(const Request& request);

}  // namespace certus::http
