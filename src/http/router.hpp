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

struct Route {
  Method method;
  std::string pattern;  ///< e.g. `/api/v1/orgs/{org}/context-issues/{id}`
  Access access;
  Handler handler;
  std::vector<std::string> segments;  ///< the pattern split at `/`
};

/// Maps method and path to a route. Patterns are literal segments and `{name}` parameters
/// that match one non-empty segment. Registration happens at start-up only; matching is
/// thread-safe afterwards.
class Router final {
 public:
  void Add(Method method, std::string pattern, Access access, Handler handler);

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
