#include "modules/evidence/file_rules.hpp"

#include <boost/url/parse.hpp>

#include "core/encoding.hpp"

namespace certus::evidence {

namespace {

bool StartsWith(std::string_view bytes, std::string_view prefix) {
  return bytes.substr(0, prefix.size()) == prefix;
}

std::string Extension(std::string_view filename) {
  auto dot = filename.rfind('.');
  if (dot == std::string_view::npos) return {};
  return AsciiLower(filename.substr(dot + 1));
}

/// Text a person could read: UTF-8 without NUL or other control characters than tab, line
/// feed, carriage return and form feed.
bool IsText(std::string_view bytes) {
  if (!IsValidUtf8(bytes)) return false;
  for (unsigned char c : bytes) {
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') return false;
    if (c == 0x7f) return false;
  }
  return true;
}

bool IsAttrChar(unsigned char c) {
  // RFC 5987 attr-char.
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         std::string_view("!#$&+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string SniffContentType(std::string_view bytes, std::string_view declared_type,
                             std::string_view filename) {
  if (StartsWith(bytes, "%PDF-")) return "application/pdf";
  if (StartsWith(bytes, "\x89PNG\r\n\x1a\n")) return "image/png";
  if (StartsWith(bytes, "\xff\xd8\xff")) return "image/jpeg";
  if (StartsWith(bytes, "GIF87a") || StartsWith(bytes, "GIF89a")) return "image/gif";
  if (StartsWith(bytes, std::string_view("PK\x03\x04", 4)) ||
      StartsWith(bytes, std::string_view("PK\x05\x06", 4))) {
    const auto ext = Extension(filename);
    if (ext == "docx")
      return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    if (ext == "xlsx") return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    if (ext == "pptx")
      return "application/vnd.openxmlformats-officedocument.presentationml.presentation";
    return "application/zip";
  }
  if (!bytes.empty() && IsText(bytes)) {
    const auto declared = AsciiLower(declared_type.substr(0, declared_type.find(';')));
    if (declared == "text/csv" || Extension(filename) == "csv") return "text/csv; charset=utf-8";
    return "text/plain; charset=utf-8";
  }
  return "application/octet-stream";
}

std::optional<std::string> CleanFilename(std::string_view name) {
  if (!IsValidUtf8(name)) return std::nullopt;
  if (auto slash = name.find_last_of("/\\"); slash != std::string_view::npos) {
    name.remove_prefix(slash + 1);
  }
  std::string clean;
  clean.reserve(name.size());
  for (char c : name) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) continue;
    clean += c;
  }
  while (!clean.empty() && clean.front() == ' ') clean.erase(0, 1);
  while (!clean.empty() && (clean.back() == ' ' || clean.back() == '.')) clean.pop_back();
  if (clean.empty() || clean == "." || clean == ".." || clean.size() > 255) return std::nullopt;
  return clean;
}

std::string ContentDisposition(std::string_view filename) {
  std::string fallback;
  std::string encoded;
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char c : filename) {
    auto u = static_cast<unsigned char>(c);
    // The quoted fallback: printable ASCII without quote and backslash.
    if (u >= 0x20 && u < 0x7f && c != '"' && c != '\\') {
      fallback += c;
    } else if (u < 0x80 || (u & 0xC0) != 0x80) {
      // A control character, quote or backslash; or the first byte of a non-ASCII
      // character: one '_' per character, not per byte.
      fallback += '_';
    }
    if (IsAttrChar(u)) {
      encoded += c;
    } else {
      encoded += '%';
      encoded += kHex[u >> 4];
      encoded += kHex[u & 0x0F];
    }
  }
  if (fallback.empty()) fallback = "evidence";
  return "attachment; filename=\"" + fallback + "\"; filename*=UTF-8''" + encoded;
}

std::optional<std::string> PercentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    int high = HexValue(text[i + 1]);
    int low = HexValue(text[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

bool IsWebUrl(std::string_view url) {
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed) return false;
  const auto scheme = AsciiLower(parsed->scheme());
  return (scheme == "http" || scheme == "https") && parsed->has_authority() &&
         !parsed->host().empty();
}

}  // namespace certus::evidence
