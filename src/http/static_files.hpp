#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <unordered_map>

#include "http/request.hpp"

namespace certus::http {

/// The built web UI, read into memory once at start. Only files found under the root at
/// start can ever be served, so no request path can reach outside it. Paths without a file
/// extension that match no file get index.html (the single-page app routes them).
class StaticFiles final {
 public:
  /// Loads every regular file below `root`. A missing root gives an empty set (the API
  /// still works; page requests get a 404 that says the UI is not built).
  static StaticFiles Load(const std::filesystem::path& root);

  /// The response for a GET/HEAD of `path`, or nullopt when nothing matches.
  std::optional<Response> Serve(std::string_view path) const;
  std::size_t size() const { return files_.size(); }

 private:
  struct File {
    std::string content;
    std::string content_type;
    bool immutable = false;  ///< content-hashed names under /assets/
  };
  static Response Make(const File& file);

  std::unordered_map<std::string, File> files_;
};

}  // namespace certus::http
