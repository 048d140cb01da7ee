#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "identity/model.hpp"
#include "storage/database.hpp"

namespace certus::identity {

/// SQL for users, organizations, memberships, sessions, API tokens and login throttling.
/// Every function runs in the caller's transaction; none checks permissions.
class IdentityStore final {
 public:
  using Tx = storage::Transaction;

  Expected<void> InsertUser(Tx& tx, const User& user, const std::string& password_hash);
  /// The user and their password hash, by email (case-insensitive).
  Expected<std::optional<std::pair<User, std::string>>> FindUserByEmail(Tx& tx,
                                                                        const std::string& email);
  Expected<std::optional<User>> FindUser(Tx& tx, const UserId& id);
  Expected<std::vector<User>> ListUsers(Tx& tx);
  Expected<std::int64_t> CountUsers(Tx& tx);
  /// Counts a failed sign-in of the account; true when this one locked it (the
  /// `lock_after`th in a row).
  Expected<bool> RecordSignInFailure(Tx& tx, const UserId& id, int lock_after,
                                     const std::string& now);
  /// After a successful sign-in: the count starts again.
  Expected<void> ClearSignInFailures(Tx& tx, const UserId& id);
  /// False when the account was not locked.
  Expected<bool> Unlock(Tx& tx, const UserId& id, const std::string& now);
  /// Also unlocks the account.
  Expected<void> UpdatePassword(Tx& tx, const UserId& id, const std::string& password_hash,
                                const std::string& now);

  Expected<void> InsertOrg(Tx& tx, const Organization& org);
  Expected<std::optional<Organization>> FindOrg(Tx& tx, const OrgId& id);
  Expected<std::vector<Organization>> ListAllOrgs(Tx& tx);
  Expected<std::vector<OrgWithRole>> ListOrgsOf(Tx& tx, const UserId& user);

  Expected<void> InsertMember(Tx& tx, const Member& member);
  Expected<std::optional<Member>> FindMember(Tx& tx, const OrgId& org, const UserId& user);
  Expected<std::vector<Member>> ListMembers(Tx& tx, const OrgId& org);
  /// Changes the role if the stored version is `expected_version`; false when stale.
  Expected<bool> UpdateMemberRole(Tx& tx, const Member& member, std::int64_t expected_version);
  Expected<bool> DeleteMember(Tx& tx, const OrgId& org, const UserId& user,
                              std::int64_t expected_version);
  Expected<std::int64_t> CountAdmins(Tx& tx, const OrgId& org);
  Expected<std::optional<Role>> RoleOf(Tx& tx, const OrgId& org, const UserId& user);

  Expected<void> InsertSession(Tx& tx, const std::string& token_hash, const UserId& user,
                               const std::string& csrf_token, const std::string& now,
                               const std::string& expires_at, AuthMethod method);
  /// The live session with this token hash (expiry is the caller's check).
  struct StoredSession {
    SessionInfo info;
    std::string expires_at;
  };
  Expected<std::optional<StoredSession>> FindSession(Tx& tx, const std::string& token_hash);
  Expected<void> TouchSession(Tx& tx, const std::string& token_hash, const std::string& now);
  Expected<void> DeleteSession(Tx& tx, const std::string& token_hash);
  Expected<void> DeleteSessionsOf(Tx& tx, const UserId& user);

  Expected<void> InsertToken(Tx& tx, const ApiToken& token, const std::string& token_hash);
  struct TokenOwner {
    ApiToken token;
    User user;
  };
  Expected<std::optional<TokenOwner>> FindLiveToken(Tx& tx, const std::string& token_hash);
  Expected<std::vector<ApiToken>> ListTokens(Tx& tx, const UserId& user);
  Expected<std::optional<ApiToken>> FindToken(Tx& tx, const std::string& id, const UserId& user);
  Expected<void> RevokeToken(Tx& tx, const std::string& id, const std::string& now);

  /// Failures recorded for a throttle key within the window starting at `window_start`.
  Expected<std::int64_t> FailuresSince(Tx& tx, const std::string& key,
                                       const std::string& window_start);
  /// Adds one failure, starting a new window when the old one began before `window_start`.
  Expected<void> RecordFailure(Tx& tx, const std::string& key, const std::string& now,
                               const std::string& window_start);
  Expected<void> ClearFailures(Tx& tx, const std::string& key);

  // Organization settings.
  /// Renames and sets the second-factor rule if the stored version is `expected_version`;
  /// false when stale.
  Expected<bool> UpdateOrg(Tx& tx, const Organization& org, std::int64_t expected_version);
  /// The names of the organizations of `user` that require a second factor.
  Expected<std::vector<std::string>> OrgsRequiringSecondFactor(Tx& tx, const UserId& user);
  /// Whether `org` requires a second factor of every session (false for an unknown org).
  Expected<bool> RequiresSecondFactor(Tx& tx, const OrgId& org);

  // TOTP (ISO 27001 A.8.5). The secret is base32 text.
  struct StoredTotp {
    SecretString secret_base32;
    bool confirmed = false;
    std::int64_t last_used_step = 0;
  };
  Expected<std::optional<StoredTotp>> FindTotp(Tx& tx, const UserId& user);
  /// Replaces any TOTP of the user with a pending one.
  Expected<void> PutPendingTotp(Tx& tx, const UserId& user, const SecretString& secret_base32,
                                const std::string& now);
  Expected<void> ConfirmTotp(Tx& tx, const UserId& user, const std::string& now);
  /// Records `step` as the last used one if it is later than the stored one; false when it
  /// is not (the code was used already, perhaps by a concurrent request).
  Expected<bool> UseTotpStep(Tx& tx, const UserId& user, std::int64_t step);
  /// Removes the TOTP and every recovery code of the user; false when there was no TOTP.
  Expected<bool> DeleteTotp(Tx& tx, const UserId& user);

  /// Replaces every recovery code of the user with these hashes.
  Expected<void> ReplaceRecoveryCodes(
      Tx& tx, const UserId& user,
      const std::vector<std::pair<std::string, std::string>>& id_and_hash, const std::string& now);
  /// Unused recovery codes: id and hash.
  Expected<std::vector<std::pair<std::string, std::string>>> UnusedRecoveryCodes(
      Tx& tx, const UserId& user);
  /// Marks a recovery code used; false when it was used already.
  Expected<bool> UseRecoveryCode(Tx& tx, const std::string& id, const std::string& now);

  // OpenID Connect identities (ADR 0019): `iss` + `sub` of a provider, linked to a user.
  Expected<std::optional<UserId>> FindOidcIdentity(Tx& tx, const std::string& issuer,
                                                   const std::string& subject);
  /// The subject linked to `user` at `issuer`, if any.
  Expected<std::optional<std::string>> FindOidcSubjectOf(Tx& tx, const UserId& user,
                                                         const std::string& issuer);
  Expected<void> InsertOidcIdentity(Tx& tx, const std::string& issuer, const std::string& subject,
                                    const UserId& user, const std::string& now);
  Expected<void> TouchOidcIdentity(Tx& tx, const std::string& issuer, const std::string& subject,
                                   const std::string& now);
};

}  // namespace certus::identity
