#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/actor.hpp"
#include "core/secret.hpp"
#include "core/strong_id.hpp"

namespace certus::identity {

struct User {
  UserId id;
  std::string email;
  std::string display_name;
  bool installation_admin = false;
  bool disabled = false;
  std::int64_t version = 1;
  std::string created_at;
  std::string updated_at;
  /// Set when repeated failed sign-ins locked the account (until an admin unlocks it).
  std::optional<std::string> locked_at;
};

struct Organization {
  OrgId id;
  std::string name;
  std::int64_t version = 1;
  std::string created_at;
  std::string updated_at;
  /// ISO 27001 A.8.5: members signing in with a session must use a second factor (TOTP).
  bool require_second_factor = false;
};

/// An organization as one member sees it: with their role.
struct OrgWithRole {
  Organization org;
  Role role = Role::kViewer;
  /// Set for a guest auditor (ADR 0018): read-only access that ends at this time.
  std::optional<std::string> guest_until;
};

struct Member {
  OrgId org_id;
  UserId user_id;
  std::string email;
  std::string display_name;
  Role role = Role::kViewer;
  std::int64_t version = 1;
  std::string created_at;
  std::string updated_at;
};

struct ApiToken {
  std::string id;
  std::string name;
  UserId user_id;
  OrgId org_id;
  Role role = Role::kViewer;
  std::string created_at;
  std::optional<std::string> last_used_at;
};

/// How a session was opened (ADR 0020). Persisted as its name in `sessions.auth_method`.
/// A session keeps the method it was opened with: enrolling TOTP later does not change it.
enum class AuthMethod {
  kPassword,          ///< "password": the password alone
  kPasswordTotp,      ///< "password+totp": the password and a current TOTP code
  kPasswordRecovery,  ///< "password+recovery": the password and a recovery code
  kOidc,              ///< "oidc": the identity provider, which reported no second factor
  kOidcMfa,           ///< "oidc+mfa": the identity provider, whose `amr` reported one
};

constexpr std::string_view AuthMethodName(AuthMethod method) {
  switch (method) {
    case AuthMethod::kPassword: return "password";
    case AuthMethod::kPasswordTotp: return "password+totp";
    case AuthMethod::kPasswordRecovery: return "password+recovery";
    case AuthMethod::kOidc: return "oidc";
    case AuthMethod::kOidcMfa: return "oidc+mfa";
  }
  return "password";
}

/// The method of a stored name; an unknown name reads as the weakest, `password`.
constexpr AuthMethod ParseAuthMethod(std::string_view name) {
  for (AuthMethod method : {AuthMethod::kPasswordTotp, AuthMethod::kPasswordRecovery,
                            AuthMethod::kOidc, AuthMethod::kOidcMfa}) {
    if (AuthMethodName(method) == name) return method;
  }
  return AuthMethod::kPassword;
}

/// ISO 27001 A.8.5: whether a session opened this way proved a second factor, which is what
/// an organization's `require_second_factor` asks of a session (ADR 0020).
constexpr bool HasSecondFactor(AuthMethod method) {
  return method == AuthMethod::kPasswordTotp || method == AuthMethod::kPasswordRecovery ||
         method == AuthMethod::kOidcMfa;
}

/// Whether the session was opened through the identity provider (ADR 0019).
constexpr bool ViaOidc(AuthMethod method) {
  return method == AuthMethod::kOidc || method == AuthMethod::kOidcMfa;
}

/// A signed-in session as the server keeps it; the token itself is only ever in the
/// client's cookie (we store its SHA-256).
struct SessionInfo {
  User user;
  std::string csrf_token;
  std::string last_seen_at;
  AuthMethod auth_method = AuthMethod::kPassword;
};

/// What a successful sign-in hands back: the cookie token, shown once.
struct SignIn {
  User user;
  SecretString session_token;
  std::string csrf_token;
  std::int64_t max_age_seconds = 0;
  AuthMethod auth_method = AuthMethod::kPassword;
};

/// A user's second factor as they see it (never the secret).
struct SecondFactorStatus {
  bool totp_enabled = false;
  bool totp_pending = false;  ///< enrollment started, not yet confirmed with a code
  std::int64_t recovery_codes_remaining = 0;
};

/// A started TOTP enrollment: the shared key, shown to its user once, to scan or type.
struct TotpEnrollment {
  SecretString secret_base32;
  SecretString otpauth_uri;
};

/// What a sign-in with the right password answers: a session, or (when the user has a
/// second factor) the request for a code, or its refusal.
struct LoginResult {
  std::optional<SignIn> sign_in;
  /// Set when no session was opened: why the code is needed or was refused (for people).
  std::string second_factor_problem;
};

}  // namespace certus::identity
