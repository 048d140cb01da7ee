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
  Expected<SignIn> Login(const std::string& email, const SecretString& password,
                         const std::string& client_address);
  Expected<void> Logout(const SecretString& session_token);
  /// The session behind a cookie token, if it is live; refreshes its idle timer.
  Expected<std::optional<SessionInfo>> ResolveSession(const SecretString& session_token);
  /// The user and token behind a bearer token, if it is live.
  Expected<std::optional<IdentityStore::TokenOwner>> ResolveToken(const SecretString& token);
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

 private:
  std::string Now() const;
  std::string NewId();
  Expected<void> CheckThrottle(storage::Transaction& tx, const std::string& key, int limit);

  storage::Database& db_;
  const Clock& clock_;
  Random& random_;
  auditlog::AuditLog& audit_log_;
  IdentitySettings settings_;
  IdentityStore store_;
  std::once_flag dummy_once_;
  std::string dummy_hash_;  ///< verified against for unknown emails, so timing says nothing
};

/// The problem with an email address for people, or empty when it is acceptable.
std::string EmailProblem(const std::string& email);

}  // namespace certus::identity
