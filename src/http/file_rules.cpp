#include "http/file_rules.hpp"

#include <boost/json.hpp>
#include <boost/url/parse.hpp>

#include "core/encoding.hpp"
#include "http/problem.hpp"

namespace certus::http {

namespace {

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
  if (fallback.empty()) fallback = "file";
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

std::optional<std::string> UploadFilename(const Request& request, std::vector<FieldError>& errors) {
  if (auto name = request.Query("filename"); name && !name->empty()) return name;
  auto header = request.Header("x-filename");
  if (header.empty()) {
    errors.push_back({"filename", "is required: send it in X-Filename or ?filename="});
    return std::nullopt;
  }
  auto decoded = PercentDecode(header);
  if (!decoded) errors.push_back({"filename", "X-Filename must be percent-encoded UTF-8"});
  return decoded;
}

Response FileResponse(std::string body, const std::string& content_type,
                      const std::string& filename, const std::string& sha256) {
  Response response;
  response.status = 200;
  response.SetHeader("Content-Type", content_type);
  response.SetHeader("Content-Disposition", ContentDisposition(filename));
  response.SetHeader("X-Content-Type-Options", "nosniff");
  response.SetHeader("Content-Security-Policy", "default-src 'none'; sandbox");
  response.SetHeader("Cache-Control", "private, no-store");
  response.SetHeader("ETag", "\"sha256-" + sha256 + "\"");
  response.body = std::move(body);
  return response;
}

Response IntegrityProblem(const Request& request, const Error& error) {
  Response response = ProblemFor(request, error);  // logs it with the request id
  response.body =
      boost::json::serialize(boost::json::object{{"type", "urn:certus:problem:integrity"},
                                                 {"title", "Integrity failure"},
                                                 {"status", 500},
                                                 {"detail", error.message()}});
  return response;
}

}  // namespace certus::http
