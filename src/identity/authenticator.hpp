#pragma once

#include "http/application.hpp"
#include "identity/guest.hpp"
#include "identity/service.hpp"

namespace certus::identity {

/// Name of the session cookie (DESIGN §4).
inline constexpr std::string_view kSessionCookie = "certus_session";

/// The session cookie's token in a request, or empty.
std::string SessionToken(const http::Request& request);

/// How the caller's session was opened, as the authenticator read it with the session;
/// nullopt for an API token (ADR 0020).
std::optional<AuthMethod> SessionMethodOf(const http::Principal& principal);

/// Finds the caller from the `certus_session` cookie or an `Authorization: Bearer` token.
class SessionAuthenticator final : public http::Authenticator {
 public:
  explicit SessionAuthenticator(IdentityService& identity) : identity_(identity) {}

  Expected<std::optional<http::Principal>> Authenticate(const http::Request& request) override;
  /// A member's role; else, with guests set, viewer for a live guest auditor signed in with a
  /// session (ADR 0018). A guest's write is logged here, where it is known, with status 403:
  /// the role check refuses it before any route runs.
  Expected<std::optional<http::OrgAccess>> AccessIn(const http::Principal& principal,
                                                    const OrgId& org) override;

  /// Recognizes guest auditors (the composition root sets it; without it nobody is a guest).
  void SetGuests(GuestService* guests) { guests_ = guests; }

 private:
  IdentityService& identity_;
  GuestService* guests_ = nullptr;
};

}  // namespace certus::identity
