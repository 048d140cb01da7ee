#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "auditlog/audit_log.hpp"
#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"
#include "identity/model.hpp"
#include "identity/password.hpp"
#include "identity/store.hpp"
#include "storage/database.hpp"

namespace certus::identity {

struct IdentitySettings {
  HashCost hash_cost = HashCost::kInteractive;
  std::chrono::seconds session_idle = std::chrono::hours(12);
  std::chrono::seconds session_absolute = std::chrono::hours(24 * 7);
  std::chrono::seconds touch_interval = std::chrono::seconds(60);
  std::chrono::seconds throttle_window = std::chrono::minutes(15);
  int max_failures_per_account = 5;
  int max_failures_per_address = 50;
  /// Failed sign-ins in a row after which an account is locked until an admin unlocks it.
  int lock_after_failures = 20;
};

struct NewUser {
  std::string email;
  std::string display_name;
  SecretString password;
  bool installation_admin = false;
};

/// Users, sign-in, sessions, organizations, memberships and API tokens. Every change is
/// written with its audit event in one transaction. Thread-safe.
class IdentityService final {
 public:
  IdentityService(storage::Database& db, const Clock& clock, Random& random,
                  auditlog::AuditLog& audit_log, IdentitySettings settings)
      : db_(db), clock_(clock), random_(random), audit_log_(audit_log), settings_(settings) {}

  // Users. Creating users is for installation admins (and the CLI, as Actor::System()).
  Expected<User> CreateUser(const Actor& actor, const NewUser& user);
  Expected<std::vector<User>> ListUsers();
  Expected<std::int64_t> CountUsers();
  /// Unlocks an account that repeated failed sign-ins locked (installation admins only);
  /// kNotFound for an unknown email, kConflict when the account is not locked.
  Expected<void> UnlockUser(const Actor& actor, const std::string& email);
  /// Also unlocks the account.
  Expected<void> ResetPassword(const Actor& actor, const std::string& email,
                               const SecretString& password);

  // Sign-in. Wrong email and wrong password fail alike (401); repeated failures per
  // account or per client address are refused (429) before the password is checked.
  // A user with TOTP enabled also needs `otp`, a current code or an unused recovery code:
  // without it the result has no session and says so; a wrong one counts as a failure.
  Expected<LoginResult> Login(const std::string& email, const SecretString& password,
                              const std::string& client_address,
                              const std::optional<SecretString>& otp = std::nullopt);
  /// Ends the session.
  Expected<void> Logout(const SecretString& session_token);
  /// The session behind a cookie token, if it is live; refreshes its idle timer.
  Expected<std::optional<SessionInfo>> ResolveSession(const SecretString& session_token);
  /// The user and token behind a bearer token, if it is live.
  Expected<std::optional<IdentityStore::TokenOwner>> ResolveToken(const SecretString& token);
  /// The role of a member of `org` (never a guest's: owners and assignees are members).
  Expected<std::optional<Role>> RoleOf(const OrgId& org, const UserId& user);
  Expected<std::vector<OrgWithRole>> OrgsOf(const UserId& user);

  // Organizations.
  /// Creates an organization whose admin is `admin` (the actor, unless the system acts).
  Expected<Organization> CreateOrg(const Actor& actor, const std::string& name,
                                   const UserId& admin);
  Expected<std::vector<Organization>> ListAllOrgs();
  /// One organization, for its members (kNotFound for anyone else, as everywhere).
  Expected<Organization> GetOrg(const Actor& actor, const OrgId& org);

  // Members. Reading needs membership; changes need the admin role.
  Expected<std::vector<Member>> ListMembers(const Actor& actor, const OrgId& org);
  Expected<Member> AddMember(const Actor& actor, const OrgId& org, const std::string& email,
                             Role role);
  Expected<Member> ChangeRole(const Actor& actor, const OrgId& org, const UserId& user, Role role,
                              std::int64_t expected_version);
  Expected<void> RemoveMember(const Actor& actor, const OrgId& org, const UserId& user,
                              std::int64_t expected_version);

  // API tokens: scoped to one organization, never above the creator's role there.
  struct IssuedToken {
    ApiToken token;
    SecretString secret;
  };
  Expected<IssuedToken> CreateToken(const Actor& actor, const std::string& name, const OrgId& org,
                                    Role role);
  Expected<std::vector<ApiToken>> ListTokens(const Actor& actor);
  Expected<void> RevokeToken(const Actor& actor, const std::string& id);

  // Organization settings (admins of the organization).
  struct OrgChanges {
    std::optional<std::string> name;
    std::optional<bool> require_second_factor;
  };
  /// kConflict when requiring a second factor that the admin does not meet themselves:
  /// `session`, how the admin's session was opened, must have one (ADR 0020); without a
  /// session (an API token) the admin must have TOTP enabled.
  Expected<Organization> UpdateOrg(const Actor& actor, const OrgId& org, const OrgChanges& changes,
                                   std::int64_t expected_version,
                                   std::optional<AuthMethod> session = std::nullopt);

  // Second factor: TOTP (RFC 6238) with recovery codes, for the signed-in user themselves.
  Expected<SecondFactorStatus> SecondFactorOf(const UserId& user);
  /// Starts (or restarts) an enrollment; kConflict when TOTP is already enabled.
  Expected<TotpEnrollment> StartTotpEnrollment(const Actor& actor);
  /// Enables the pending TOTP when `code` is current; answers the recovery codes, shown once.
  Expected<std::vector<SecretString>> ConfirmTotp(const Actor& actor, const SecretString& code);
  /// New recovery codes (the old ones stop working); needs a current TOTP code.
  Expected<std::vector<SecretString>> RegenerateRecoveryCodes(const Actor& actor,
                                                              const SecretString& code);
  /// Turns TOTP off, proven by the password or a current code; kConflict while an
  /// organization of the user requires a second factor.
  Expected<void> DisableTotp(const Actor& actor, const std::optional<SecretString>& password,
                             const std::optional<SecretString>& code);
  /// Removes a user's second factor and ends their sessions (installation admins only).
  Expected<void> ResetTotp(const Actor& actor, const UserId& user);
  /// Whether `org` requires a second factor that a session opened by `session` lacks (the
  /// gate of org routes, for members and guest auditors alike; ISO 27001 A.8.5, ADR 0020).
  Expected<bool> SecondFactorMissing(const OrgId& org, AuthMethod session);

 private:
  std::string Now() const;
  std::string NewId();
  Expected<void> CheckThrottle(storage::Transaction& tx, const std::string& key, int limit);
  /// Counts a failed proof (password or code) against the account and the address.
  Expected<void> RecordFailedProof(const std::optional<User>& user, const std::string& email,
                                   const std::string& client_address);
  /// The time step of a current code of `totp` for `code`, later than its last used one.
  std::optional<std::int64_t> MatchCode(const IdentityStore::StoredTotp& totp,
                                        const SecretString& code) const;
  /// Fresh recovery codes and, per code, a new id and its hash (hashing is slow: call it
  /// outside transactions).
  struct RecoveryCodes {
    std::vector<SecretString> codes;
    std::vector<std::pair<std::string, std::string>> id_and_hash;
  };
  Expected<RecoveryCodes> NewRecoveryCodes();

  storage::Database& db_;
  const Clock& clock_;
  Random& random_;
  auditlog::AuditLog& audit_log_;
  IdentitySettings settings_;
  IdentityStore store_;
  std::once_flag dummy_once_;
  std::string dummy_hash_;  ///< verified against for unknown emails, so timing says nothing

 public:
  // OpenID Connect sign-in (ISO 27001 A.5.16, A.5.17, A.8.5; ADR 0019).
  struct OidcIdentity {
    std::string issuer;
    std::string subject;
    std::string email;          ///< verified by the provider
    bool provider_mfa = false;  ///< the provider's `amr` reports a second factor
  };
  /// Opens a session for the user linked to `issuer` + `subject`, or else for the existing
  /// user with that email, then linked (no self-registration: kNotFound for an unknown
  /// email). kPermissionDenied for a locked or disabled account; kConflict when that user is
  /// linked to another subject of the same provider. A user with TOTP enabled needs
  /// `provider_mfa`; without it the result has no session and says why.
  Expected<LoginResult> SignInWithOidc(const OidcIdentity& who, const std::string& client_address);
};

/// The problem with an email address for people, or empty when it is acceptable.
std::string EmailProblem(const std::string& email);

}  // namespace certus::identity
