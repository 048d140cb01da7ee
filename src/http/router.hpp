#pragma once

#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "http/request.hpp"

namespace certus::http {

using Handler = std::function<Response(Request&)>;

/// Who may reach a route at all; finer permission checks are the services' business.
enum class Access {
  kPublic,  ///< anyone, signed in or not
  kUser,    ///< a signed-in user; under `/orgs/{org}/…` also a member of that organization
};

/// What a route asks of the engine beyond the defaults.
/// Who may call a route's writing methods (all but GET, HEAD, OPTIONS) under
/// `/orgs/{org}/…`. The application refuses everyone else with 403 before the handler runs,
/// so a viewer learns nothing from a write it may not make; the services then apply their
/// finer rules (ownership, two-person approval).
enum class Writers {
  kEditors,    ///< contributors, managers and admins: the default
  kAnyMember,  ///< every member, viewers and auditors too (acknowledging a policy)
  kAuditors,   ///< editors and auditors: audit records (audits, checklists, findings, 9.2)
};

struct RouteOptions {
  std::size_t body_limit = 0;  ///< a larger body limit than the server's (uploads); 0: default
  Writers writers = Writers::kEditors;
};

struct Route {
  Method method;
  std::string pattern;  ///< e.g. `/api/v1/orgs/{org}/context-issues/{id}`
  Access access;
  Handler handler;
  std::vector<std::string> segments;  ///< the pattern split at `/`
  RouteOptions options;
};

/// Maps method and path to a route. Patterns are literal segments and `{name}` parameters
/// that match one non-empty segment. Registration happens at start-up only; matching is
/// thread-safe afterwards.
class Router final {
 public:
  void Add(Method method, std::string pattern, Access access, Handler handler,
           RouteOptions options = {});

  struct Match {
    const Route* route = nullptr;
    std::unordered_map<std::string, std::string> params;
    bool path_known = false;  ///< some route has this path under another method (405)
  };
  Match Find(Method method, std::string_view path) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace certus::http
