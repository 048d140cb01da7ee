#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace certus::identity::oidc {

struct HttpExchange {
  std::string method = "GET";  ///< GET or POST
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;  ///< for POST: application/x-www-form-urlencoded
};

struct HttpAnswer {
  unsigned status = 0;
  std::string body;
};

/// How Certus talks to the OpenID provider (discovery, JWKS, token endpoint). The real one
/// is BeastTransport; tests may hand in another.
class Transport {
 public:
  virtual ~Transport() = default;
  virtual Expected<HttpAnswer> Send(const HttpExchange& exchange) = 0;
};

/// HTTP(S) with Boost.Beast and OpenSSL, one connection per exchange (as the webhook poster
/// of the notifications module): the peer certificate is verified against the system's trust
/// store and the host name. Plain http:// is refused unless the host is a loopback address.
class BeastTransport final : public Transport {
 public:
  explicit BeastTransport(std::chrono::seconds timeout = std::chrono::seconds(10))
      : timeout_(timeout) {}
  Expected<HttpAnswer> Send(const HttpExchange& exchange) override;

 private:
  std::chrono::seconds timeout_;
};

/// Whether `url` is https://, or http:// to a loopback host (127.0.0.0/8, ::1, localhost).
bool AcceptableUrl(const std::string& url);

/// application/x-www-form-urlencoded (and query string) encoding of one value.
std::string FormEncode(std::string_view text);

}  // namespace certus::identity::oidc
