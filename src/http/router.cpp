#include "http/router.hpp"

#include <stdexcept>

namespace certus::http {

namespace {

std::vector<std::string> SplitPath(std::string_view path) {
  std::vector<std::string> segments;
  std::size_t start = 1;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    segments.emplace_back(path.substr(start, end - start));
    start = end + 1;
  }
  return segments;
}

bool IsParameter(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

void Router::Add(Method method, std::string pattern, Access access, Handler handler,
                 RouteOptions options) {
  if (pattern.empty() || pattern.front() != '/') {
    throw std::logic_error("route pattern must start with '/': " + pattern);
  }
  auto segments = SplitPath(pattern);
  routes_.push_back(
      {method, std::move(pattern), access, std::move(handler), std::move(segments), options});
}

Router::Match Router::Find(Method method, std::string_view path) const {
  // The most specific route wins: `/risks/heatmap` before `/risks/{id}`, whatever the order
  // of registration (each literal segment that matches counts).
  Match match;
  if (path.empty() || path.front() != '/') return match;
  auto segments = SplitPath(path);
  std::size_t best_literals = 0;
  for (const auto& route : routes_) {
    if (route.segments.size() != segments.size()) continue;
    std::unordered_map<std::string, std::string> params;
    std::size_t literals = 0;
    bool matched = true;
    for (std::size_t i = 0; i < segments.size() && matched; ++i) {
      const auto& expected = route.segments[i];
      if (IsParameter(expected)) {
        if (segments[i].empty())
          matched = false;
        else
          params.emplace(expected.substr(1, expected.size() - 2), segments[i]);
      } else {
        matched = expected == segments[i];
        ++literals;
      }
    }
    if (!matched) continue;
    if (route.method != method && !(method == Method::kHead && route.method == Method::kGet)) {
      match.path_known = true;
      continue;
    }
    if (match.route == nullptr || literals > best_literals) {
      match.route = &route;
      match.params = std::move(params);
      best_literals = literals;
    }
  }
  return match;
}

}  // namespace certus::http
