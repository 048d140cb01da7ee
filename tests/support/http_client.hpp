#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <boost/json/value.hpp>

namespace certus::testing {

/// One HTTP response as a test sees it.
struct Reply {
  unsigned status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  ///< names lowercase
  std::string body;

  std::string Header(const std::string& lowercase_name) const;
  /// The body parsed as JSON (null when it is not JSON).
  boost::json::value Json() const;
};

/// A deliberately small HTTP/1.1 client over a plain socket (one connection per request),
/// so tests can also send what no well-behaved client would. Keeps a session cookie and
/// the CSRF token after Login, or sends a bearer token.
class HttpClient final {
 public:
  explicit HttpClient(std::uint16_t port) : port_(port) {}

  Reply Get(const std::string& target,
            const std::vector<std::pair<std::string, std::string>>& headers = {});
  Reply Post(const std::string& target, const std::string& body,
             const std::vector<std::pair<std::string, std::string>>& headers = {});
  Reply Patch(const std::string& target, const std::string& body,
              const std::vector<std::pair<std::string, std::string>>& headers = {});
  Reply Delete(const std::string& target,
               const std::vector<std::pair<std::string, std::string>>& headers = {});
  Reply Send(const std::string& method, const std::string& target, const std::string& body,
             const std::vector<std::pair<std::string, std::string>>& headers);

  /// Signs in; on success keeps the cookie and CSRF token for later requests.
  Reply Login(const std::string& email, const std::string& password);
  void UseBearer(std::string token) { bearer_ = std::move(token); }
  void SkipCsrf(bool skip) { skip_csrf_ = skip; }
  const std::string& csrf_token() const { return csrf_; }

  /// Writes `raw` bytes and reads until the server closes (or `timeout_ms` passes).
  std::string SendRaw(const std::string& raw, int timeout_ms = 5000);

 private:
  std::uint16_t port_;
  std::string cookie_;
  std::string csrf_;
  std::string bearer_;
  bool skip_csrf_ = false;
};

/// Parses a raw HTTP response (status line, headers, body by Content-Length).
Reply ParseReply(const std::string& raw);

}  // namespace certus::testing
