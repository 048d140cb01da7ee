#pragma once

#include "http/application.hpp"
#include "identity/service.hpp"

namespace certus::identity {

/// Name of the session cookie (DESIGN §4).
inline constexpr std::string_view kSessionCookie = "certus_session";

/// The session cookie's token in a request, or empty.
std::string SessionToken(const http::Request& request);

/// Finds the caller from the `certus_session` cookie or an `Authorization: Bearer` token.
class SessionAuthenticator final : public http::Authenticator {
 public:
  explicit SessionAuthenticator(IdentityService& identity) : identity_(identity) {}

  Expected<std::optional<http::Principal>> Authenticate(const http::Request& request) override;
  Expected<std::optional<Role>> RoleIn(const http::Principal& principal, const OrgId& org) override;

 private:
  IdentityService& identity_;
};

}  // namespace certus::identity
