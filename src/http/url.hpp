#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace certus::http {

/// An http:// or https:// URL as an outgoing client needs it (webhooks, OpenID Connect).
struct OutgoingUrl {
  bool tls = false;
  std::string host;    ///< without brackets for IPv6
  std::string port;    ///< the scheme's default when the URL names none
  std::string target;  ///< path and query, "/" at least

  /// The Host header (RFC 9110 7.2): the port only when it is not the scheme's default.
  std::string HostHeader() const;
};

/// nullopt for another scheme, user information, or an empty host or port.
std::optional<OutgoingUrl> ParseOutgoingUrl(std::string_view url);

}  // namespace certus::http
