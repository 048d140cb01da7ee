#include "http/static_files.hpp"

#include <fstream>
#include <sstream>

namespace certus::http {

namespace {

std::string ContentType(const std::filesystem::path& file) {
  static const std::unordered_map<std::string, std::string> kTypes = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".map", "application/json"},
  };
  auto it = kTypes.find(file.extension().string());
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

}  // namespace

StaticFiles StaticFiles::Load(const std::filesystem::path& root) {
  StaticFiles files;
  std::error_code error;
  if (!std::filesystem::is_directory(root, error)) return files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root, error)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    std::string url = "/" + std::filesystem::relative(entry.path(), root).generic_string();
    files.files_[url] = {content.str(), ContentType(entry.path()), url.starts_with("/assets/")};
  }
  return files;
}

Response StaticFiles::Make(const File& file) {
  Response response;
  response.body = file.content;
  response.SetHeader("Content-Type", file.content_type);
  response.SetHeader("Cache-Control",
                     file.immutable ? "public, max-age=31536000, immutable" : "no-cache");
  return response;
}

std::optional<Response> StaticFiles::Serve(std::string_view path) const {
  std::string key(path == "/" ? "/index.html" : path);
  if (auto it = files_.find(key); it != files_.end()) return Make(it->second);
  auto last_slash = path.rfind('/');
  bool has_extension = path.find('.', last_slash == std::string_view::npos ? 0 : last_slash) !=
                       std::string_view::npos;
  if (!has_extension) {
    if (auto index = files_.find("/index.html"); index != files_.end()) return Make(index->second);
  }
  return std::nullopt;
}

}  // namespace certus::http
