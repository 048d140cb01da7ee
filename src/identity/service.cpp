#include "identity/service.hpp"

#include "core/encoding.hpp"
#include "core/time.hpp"
#include "core/uuid.hpp"
#include "identity/guest.hpp"
#include "identity/json.hpp"
#include "identity/password_policy.hpp"
#include "identity/totp.hpp"

namespace certus::identity {

namespace {

constexpr std::string_view kTokenPrefix = "certus_";

// The same answer for an unknown email, a wrong password and a locked account: the answer
// never tells which accounts exist.
Error WrongCredentials() {
  return {ErrorCode::kUnauthenticated,
          "The email or password is not correct. After repeated failures an account is locked "
          "until an administrator unlocks it."};
}

Error NeedsAdmin() {
  return {ErrorCode::kPermissionDenied, "Only an admin of this organization may do this."};
}

auditlog::Event MakeEvent(const Actor& actor, std::string chain, std::string type, std::string id,
                          std::string action, boost::json::value before, boost::json::value after) {
  return {std::move(chain),  actor.user_id.str(), actor.email,      std::move(type), std::move(id),
          std::move(action), std::move(before),   std::move(after), actor.request_id};
}

}  // namespace

std::string EmailProblem(const std::string& email) {
  auto at = email.find('@');
  if (email.empty()) return "is required";
  if (email.size() > 254) return "must be at most 254 characters";
  if (at == std::string::npos || at == 0 || at + 1 >= email.size() ||
      email.find('@', at + 1) != std::string::npos || email.find('.', at) == std::string::npos ||
      email.find_first_of(" \t\r\n<>,;\"") != std::string::npos || !IsValidUtf8(email)) {
    return "must be an email address";
  }
  return {};
}

std::string IdentityService::Now() const { return FormatTimestamp(clock_.Now()); }

std::string IdentityService::NewId() { return NewUuid(clock_, random_); }

Expected<User> IdentityService::CreateUser(const Actor& actor, const NewUser& input) {
  if (!actor.installation_admin) {
    return Fail(ErrorCode::kPermissionDenied, "Only an installation admin may create users.");
  }
  std::vector<FieldError> errors;
  if (auto problem = EmailProblem(input.email); !problem.empty())
    errors.push_back({"email", problem});
  if (auto problem = PasswordPolicyProblem(input.password, input.email); !problem.empty()) {
    errors.push_back({"password", problem});
  }
  if (input.display_name.size() > 200)
    errors.push_back({"display_name", "must be at most 200 characters"});
  if (!errors.empty()) return Fail(Error::Validation(std::move(errors)));

  auto hash = CERTUS_TRY(HashPassword(input.password, settings_.hash_cost));
  User user;
  user.id = UserId(NewId());
  user.email = input.email;
  user.display_name = input.display_name.empty() ? input.email.substr(0, input.email.find('@'))
                                                 : input.display_name;
  user.installation_admin = input.installation_admin;
  user.created_at = user.updated_at = Now();
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<User> {
    if (CERTUS_TRY(store_.FindUserByEmail(tx, user.email))) {
      return Fail(Error::Field("email", "is already taken by another user"));
    }
    CERTUS_CHECK(store_.InsertUser(tx, user, hash));
    CERTUS_CHECK(
        audit_log_.Append(tx, MakeEvent(actor, std::string(auditlog::kInstallationChain), "user",
                                        user.id.str(), "create", nullptr, ToJson(user))));
    return user;
  });
}

Expected<std::vector<User>> IdentityService::ListUsers() {
  return storage::InReadTransaction(db_, [&](auto& tx) { return store_.ListUsers(tx); });
}

Expected<std::int64_t> IdentityService::CountUsers() {
  return storage::InReadTransaction(db_, [&](auto& tx) { return store_.CountUsers(tx); });
}

Expected<void> IdentityService::UnlockUser(const Actor& actor, const std::string& email) {
  if (!actor.installation_admin) {
    return Fail(ErrorCode::kPermissionDenied, "Only an installation admin may unlock accounts.");
  }
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<void> {
    auto found = CERTUS_TRY(store_.FindUserByEmail(tx, email));
    if (!found) return Fail(Error::NotFound("User"));
    const User& user = found->first;
    if (!CERTUS_TRY(store_.Unlock(tx, user.id, Now()))) {
      return Fail(ErrorCode::kConflict, "The account " + user.email + " is not locked.");
    }
    const boost::json::object before{{"locked_at", user.locked_at.value_or("")}};
    CERTUS_CHECK(audit_log_.Append(
        tx, MakeEvent(actor, std::string(auditlog::kInstallationChain), "user", user.id.str(),
                      "unlock", before, boost::json::object{{"locked_at", nullptr}})));
    return {};
  });
}

Expected<void> IdentityService::ResetPassword(const Actor& actor, const std::string& email,
                                              const SecretString& password) {
  if (!actor.installation_admin) {
    return Fail(ErrorCode::kPermissionDenied, "Only an installation admin may reset passwords.");
  }
  if (auto problem = PasswordPolicyProblem(password, email); !problem.empty()) {
    return Fail(Error::Field("password", problem));
  }
  auto hash = CERTUS_TRY(HashPassword(password, settings_.hash_cost));
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<void> {
    auto found = CERTUS_TRY(store_.FindUserByEmail(tx, email));
    if (!found) return Fail(Error::NotFound("User"));
    CERTUS_CHECK(store_.UpdatePassword(tx, found->first.id, hash, Now()));
    // A new password ends every session that the old one opened.
    CERTUS_CHECK(store_.DeleteSessionsOf(tx, found->first.id));
    boost::json::object change{{"password", "changed"}};
    CERTUS_CHECK(
        audit_log_.Append(tx, MakeEvent(actor, std::string(auditlog::kInstallationChain), "user",
                                        found->first.id.str(), "reset_password", nullptr, change)));
    return {};
  });
}

Expected<void> IdentityService::CheckThrottle(storage::Transaction& tx, const std::string& key,
                                              int limit) {
  auto window_start = FormatTimestamp(clock_.Now() - settings_.throttle_window);
  if (CERTUS_TRY(store_.FailuresSince(tx, key, window_start)) >= limit) {
    return Fail(ErrorCode::kRateLimited,
                "Too many failed sign-in attempts; wait 15 minutes and try again.");
  }
  return {};
}

Expected<void> IdentityService::RecordFailedProof(const std::optional<User>& user,
                                                  const std::string& email,
                                                  const std::string& client_address) {
  auto now = Now();
  auto window_start = FormatTimestamp(clock_.Now() - settings_.throttle_window);
  std::string account_key = "account:" + AsciiLower(email);
  std::string address_key = "address:" + client_address;
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<void> {
    CERTUS_CHECK(store_.RecordFailure(tx, account_key, now, window_start));
    if (!client_address.empty()) {
      CERTUS_CHECK(store_.RecordFailure(tx, address_key, now, window_start));
    }
    if (user && !user->locked_at &&
        CERTUS_TRY(store_.RecordSignInFailure(tx, user->id, settings_.lock_after_failures, now))) {
      const boost::json::object locked{{"locked_at", now},
                                       {"failed_sign_ins", settings_.lock_after_failures},
                                       {"client_address", client_address}};
      CERTUS_CHECK(audit_log_.Append(
          tx, MakeEvent(Actor::System(), std::string(auditlog::kInstallationChain), "user",
                        user->id.str(), "lock", nullptr, locked)));
    }
    return {};
  });
}

std::optional<std::int64_t> IdentityService::MatchCode(const IdentityStore::StoredTotp& totp,
                                                       const SecretString& code) const {
  auto key = Base32Decode(totp.secret_base32.Expose());
  auto normalized = NormalizeCode(code.Expose());
  if (!key || !IsTotpCode(normalized)) return std::nullopt;
  return MatchTotp(*key, normalized, TotpStep(clock_.Now()), totp.last_used_step);
}

Expected<LoginResult> IdentityService::Login(const std::string& email, const SecretString& password,
                                             const std::string& client_address,
                                             const std::optional<SecretString>& otp) {
  std::string account_key = "account:" + AsciiLower(email);
  std::string address_key = "address:" + client_address;
  struct Found {
    User user;
    std::string password_hash;
    std::optional<IdentityStore::StoredTotp> totp;
  };
  auto found = CERTUS_TRY(storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) -> Expected<std::optional<Found>> {
        CERTUS_CHECK(CheckThrottle(tx, account_key, settings_.max_failures_per_account));
        CERTUS_CHECK(CheckThrottle(tx, address_key, settings_.max_failures_per_address));
        auto user = CERTUS_TRY(store_.FindUserByEmail(tx, email));
        if (!user) return std::nullopt;
        auto totp = CERTUS_TRY(store_.FindTotp(tx, user->first.id));
        if (totp && !totp->confirmed) totp.reset();  // a pending enrollment protects nothing yet
        return Found{std::move(user->first), std::move(user->second), std::move(totp)};
      }));

  bool verified = false;
  if (found) {
    verified = VerifyPassword(found->password_hash, password) && !found->user.disabled &&
               !found->user.locked_at;
  } else {
    std::call_once(dummy_once_, [&] {
      dummy_hash_ = HashPassword(SecretString("certus-dummy-password"), settings_.hash_cost)
                        .value_or(std::string());
    });
    VerifyPassword(dummy_hash_, password);
  }

  if (!verified) {
    CERTUS_CHECK(RecordFailedProof(found ? std::optional<User>(found->user) : std::nullopt, email,
                                   client_address));
    return Fail(WrongCredentials());
  }

  // ISO 27001 A.8.5: the second factor, once the password is proven.
  std::optional<std::int64_t> totp_step;
  std::optional<std::string> recovery_code_id;
  if (found->totp) {
    if (!otp || NormalizeCode(otp->Expose()).empty()) {
      return LoginResult{std::nullopt,
                         "Enter the 6-digit code from your authenticator app, or a recovery code."};
    }
    const std::string normalized = NormalizeCode(otp->Expose());
    if (IsTotpCode(normalized)) {
      totp_step = MatchCode(*found->totp, *otp);
    } else {
      auto codes = CERTUS_TRY(storage::InReadTransaction(db_, [&](storage::Transaction& tx) {
        return store_.UnusedRecoveryCodes(tx, found->user.id);
      }));
      for (const auto& [id, hash] : codes) {
        if (VerifyPassword(hash, SecretString(normalized))) {
          recovery_code_id = id;
          break;
        }
      }
    }
  }
  const auto wrong_code = [&]() -> Expected<LoginResult> {
    CERTUS_CHECK(RecordFailedProof(found->user, email, client_address));
    return LoginResult{std::nullopt,
                       "The code is not correct, or it was used already. Enter the current code "
                       "from your authenticator app, or an unused recovery code."};
  };
  if (found->totp && !totp_step && !recovery_code_id) return wrong_code();

  SignIn sign_in;
  sign_in.user = found->user;
  sign_in.auth_method = recovery_code_id ? AuthMethod::kPasswordRecovery
                        : totp_step      ? AuthMethod::kPasswordTotp
                                         : AuthMethod::kPassword;
  std::string token = std::string(kTokenPrefix) + Base64UrlEncode(random_.Bytes(32));
  sign_in.session_token = SecretString(token);
  sign_in.csrf_token = Base64UrlEncode(random_.Bytes(24));
  sign_in.max_age_seconds = settings_.session_absolute.count();
  auto now = clock_.Now();
  auto opened =
      CERTUS_TRY(storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<bool> {
        // A code counts once: a concurrent sign-in with the same code loses here.
        if (totp_step && !CERTUS_TRY(store_.UseTotpStep(tx, sign_in.user.id, *totp_step)))
          return false;
        if (recovery_code_id) {
          if (!CERTUS_TRY(store_.UseRecoveryCode(tx, *recovery_code_id, FormatTimestamp(now)))) {
            return false;
          }
          auto remaining = CERTUS_TRY(store_.UnusedRecoveryCodes(tx, sign_in.user.id)).size();
          Actor actor{sign_in.user.id, sign_in.user.email, std::nullopt, false, {}};
          const boost::json::object after{{"second_factor", "recovery_code"},
                                          {"recovery_codes_remaining", remaining},
                                          {"client_address", client_address}};
          CERTUS_CHECK(audit_log_.Append(
              tx, MakeEvent(actor, std::string(auditlog::kInstallationChain), "user",
                            sign_in.user.id.str(), "sign_in_recovery_code", nullptr, after)));
        }
        CERTUS_CHECK(store_.ClearFailures(tx, account_key));
        CERTUS_CHECK(store_.ClearSignInFailures(tx, sign_in.user.id));
        CERTUS_CHECK(store_.InsertSession(
            tx, Sha256Hex(token), sign_in.user.id, sign_in.csrf_token, FormatTimestamp(now),
            FormatTimestamp(now + settings_.session_absolute), sign_in.auth_method));
        return true;
      }));
  if (!opened) return wrong_code();
  return LoginResult{std::move(sign_in), {}};
}

Expected<void> IdentityService::Logout(const SecretString& session_token) {
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) {
    return store_.DeleteSession(tx, Sha256Hex(session_token.Expose()));
  });
}

Expected<std::optional<SessionInfo>> IdentityService::ResolveSession(
    const SecretString& session_token) {
  auto hash = Sha256Hex(session_token.Expose());
  auto stored = CERTUS_TRY(storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) { return store_.FindSession(tx, hash); }));
  if (!stored || stored->info.user.disabled) return std::nullopt;
  auto now = clock_.Now();
  auto last_seen = ParseTimestamp(stored->info.last_seen_at);
  auto expires = ParseTimestamp(stored->expires_at);
  if (!last_seen || !expires || now >= *expires || now - *last_seen >= settings_.session_idle) {
    return std::nullopt;
  }
  // Refresh the idle timer at most once a minute: a write per request would serialize reads.
  if (now - *last_seen >= settings_.touch_interval) {
    CERTUS_TRY(storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<bool> {
      CERTUS_CHECK(store_.TouchSession(tx, hash, FormatTimestamp(now)));
      return true;
    }));
  }
  return stored->info;
}

Expected<std::optional<IdentityStore::TokenOwner>> IdentityService::ResolveToken(
    const SecretString& token) {
  if (!token.Expose().starts_with(kTokenPrefix)) return std::nullopt;
  auto owner = CERTUS_TRY(storage::InReadTransaction(db_, [&](storage::Transaction& tx) {
    return store_.FindLiveToken(tx, Sha256Hex(token.Expose()));
  }));
  if (!owner || owner->user.disabled) return std::nullopt;
  return owner;
}

Expected<std::optional<Role>> IdentityService::RoleOf(const OrgId& org, const UserId& user) {
  return storage::InReadTransaction(db_, [&](auto& tx) { return store_.RoleOf(tx, org, user); });
}

Expected<std::vector<OrgWithRole>> IdentityService::OrgsOf(const UserId& user) {
  return storage::InReadTransaction(db_, [&](auto& tx) -> Expected<std::vector<OrgWithRole>> {
    auto orgs = CERTUS_TRY(store_.ListOrgsOf(tx, user));
    // Guest auditors (ADR 0018) see the organizations they may read now.
    for (auto& org : CERTUS_TRY(GuestStore().LiveOrgsOf(tx, user, Now()))) {
      orgs.push_back(std::move(org));
    }
    return orgs;
  });
}

Expected<Organization> IdentityService::CreateOrg(const Actor& actor, const std::string& name,
                                                  const UserId& admin) {
  if (name.empty()) return Fail(Error::Field("name", "is required"));
  if (name.size() > 200) return Fail(Error::Field("name", "must be at most 200 characters"));
  Organization org;
  org.id = OrgId(NewId());
  org.name = name;
  org.created_at = org.updated_at = Now();
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<Organization> {
    auto user = CERTUS_TRY(store_.FindUser(tx, admin));
    if (!user) return Fail(Error::NotFound("User"));
    Member member{org.id,       admin, user->email,    user->display_name,
                  Role::kAdmin, 1,     org.created_at, org.created_at};
    CERTUS_CHECK(store_.InsertOrg(tx, org));
    CERTUS_CHECK(store_.InsertMember(tx, member));
    CERTUS_CHECK(audit_log_.Append(tx, MakeEvent(actor, org.id.str(), "organization", org.id.str(),
                                                 "create", nullptr, ToJson(org))));
    CERTUS_CHECK(audit_log_.Append(tx, MakeEvent(actor, org.id.str(), "membership", admin.str(),
                                                 "create", nullptr, ToJson(member))));
    return org;
  });
}

Expected<std::vector<Organization>> IdentityService::ListAllOrgs() {
  return storage::InReadTransaction(db_, [&](auto& tx) { return store_.ListAllOrgs(tx); });
}

Expected<Organization> IdentityService::GetOrg(const Actor& actor, const OrgId& org) {
  if (!actor.role) return Fail(Error::NotFound("Organization"));
  auto found = CERTUS_TRY(
      storage::InReadTransaction(db_, [&](auto& tx) { return store_.FindOrg(tx, org); }));
  if (!found) return Fail(Error::NotFound("Organization"));
  return std::move(*found);
}

Expected<std::vector<Member>> IdentityService::ListMembers(const Actor& actor, const OrgId& org) {
  if (!actor.role) return Fail(Error::NotFound("Organization"));
  return storage::InReadTransaction(db_, [&](auto& tx) { return store_.ListMembers(tx, org); });
}

Expected<Member> IdentityService::AddMember(const Actor& actor, const OrgId& org,
                                            const std::string& email, Role role) {
  if (actor.role != Role::kAdmin) return Fail(NeedsAdmin());
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<Member> {
    auto user = CERTUS_TRY(store_.FindUserByEmail(tx, email));
    if (!user) return Fail(Error::Field("email", "no user has this email address"));
    if (CERTUS_TRY(store_.FindMember(tx, org, user->first.id))) {
      return Fail(ErrorCode::kConflict, "This user is already a member of the organization.");
    }
    auto now = Now();
    Member member{org, user->first.id, user->first.email, user->first.display_name, role, 1, now,
                  now};
    CERTUS_CHECK(store_.InsertMember(tx, member));
    CERTUS_CHECK(
        audit_log_.Append(tx, MakeEvent(actor, org.str(), "membership", member.user_id.str(),
                                        "create", nullptr, ToJson(member))));
    return member;
  });
}

Expected<Member> IdentityService::ChangeRole(const Actor& actor, const OrgId& org,
                                             const UserId& user, Role role,
                                             std::int64_t expected_version) {
  if (actor.role != Role::kAdmin) return Fail(NeedsAdmin());
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<Member> {
    auto before = CERTUS_TRY(store_.FindMember(tx, org, user));
    if (!before) return Fail(Error::NotFound("Member"));
    if (before->version != expected_version) {
      return Fail(ErrorCode::kPreconditionFailed,
                  "This membership was changed by someone else; reload it and try again.");
    }
    if (before->role == Role::kAdmin && role != Role::kAdmin &&
        CERTUS_TRY(store_.CountAdmins(tx, org)) <= 1) {
      return Fail(ErrorCode::kConflict, "An organization must keep at least one admin.");
    }
    Member after = *before;
    after.role = role;
    after.version = before->version + 1;
    after.updated_at = Now();
    if (!CERTUS_TRY(store_.UpdateMemberRole(tx, after, expected_version))) {
      return Fail(ErrorCode::kPreconditionFailed,
                  "This membership was changed by someone else; reload it and try again.");
    }
    CERTUS_CHECK(audit_log_.Append(tx, MakeEvent(actor, org.str(), "membership", user.str(),
                                                 "update", ToJson(*before), ToJson(after))));
    return after;
  });
}

Expected<void> IdentityService::RemoveMember(const Actor& actor, const OrgId& org,
                                             const UserId& user, std::int64_t expected_version) {
  if (actor.role != Role::kAdmin) return Fail(NeedsAdmin());
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<void> {
    auto before = CERTUS_TRY(store_.FindMember(tx, org, user));
    if (!before) return Fail(Error::NotFound("Member"));
    if (before->version != expected_version) {
      return Fail(ErrorCode::kPreconditionFailed,
                  "This membership was changed by someone else; reload it and try again.");
    }
    if (before->role == Role::kAdmin && CERTUS_TRY(store_.CountAdmins(tx, org)) <= 1) {
      return Fail(ErrorCode::kConflict, "An organization must keep at least one admin.");
    }
    CERTUS_TRY(store_.DeleteMember(tx, org, user, expected_version));
    CERTUS_CHECK(audit_log_.Append(tx, MakeEvent(actor, org.str(), "membership", user.str(),
                                                 "delete", ToJson(*before), nullptr)));
    return {};
  });
}

Expected<IdentityService::IssuedToken> IdentityService::CreateToken(const Actor& actor,
                                                                    const std::string& name,
                                                                    const OrgId& org, Role role) {
  if (name.empty() || name.size() > 100) {
    return Fail(Error::Field("name", "must be 1 to 100 characters"));
  }
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<IssuedToken> {
    auto own_role = CERTUS_TRY(store_.RoleOf(tx, org, actor.user_id));
    if (!own_role) return Fail(Error::Field("org_id", "you are not a member of this organization"));
    if (role > *own_role) {
      return Fail(Error::Field("role", "must not be above your own role in the organization"));
    }
    IssuedToken issued;
    issued.token = {NewId(), name, actor.user_id, org, role, Now(), std::nullopt};
    std::string secret = std::string(kTokenPrefix) + Base64UrlEncode(random_.Bytes(32));
    issued.secret = SecretString(secret);
    CERTUS_CHECK(store_.InsertToken(tx, issued.token, Sha256Hex(secret)));
    CERTUS_CHECK(audit_log_.Append(tx, MakeEvent(actor, org.str(), "api_token", issued.token.id,
                                                 "create", nullptr, ToJson(issued.token))));
    return issued;
  });
}

Expected<std::vector<ApiToken>> IdentityService::ListTokens(const Actor& actor) {
  return storage::InReadTransaction(db_,
                                    [&](auto& tx) { return store_.ListTokens(tx, actor.user_id); });
}

Expected<void> IdentityService::RevokeToken(const Actor& actor, const std::string& id) {
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<void> {
    auto token = CERTUS_TRY(store_.FindToken(tx, id, actor.user_id));
    if (!token) return Fail(Error::NotFound("API token"));
    CERTUS_CHECK(store_.RevokeToken(tx, id, Now()));
    CERTUS_CHECK(audit_log_.Append(tx, MakeEvent(actor, token->org_id.str(), "api_token", id,
                                                 "revoke", ToJson(*token), nullptr)));
    return {};
  });
}

namespace {

constexpr std::string_view kTotpIssuer = "Certus";
constexpr int kRecoveryCodeCount = 10;
constexpr std::size_t kRecoveryCodeBytes = 10;  // 80 bits: 16 base32 characters

/// A recovery code as people read it: four groups of four.
std::string FormatRecoveryCode(const std::string& normalized) {
  std::string out;
  for (std::size_t i = 0; i < normalized.size(); ++i) {
    if (i > 0 && i % 4 == 0) out.push_back('-');
    out.push_back(normalized[i]);
  }
  return out;
}

Error NoTotp() {
  return {ErrorCode::kConflict, "Two-step sign-in with an authenticator app is not turned on."};
}

Error WrongCode() {
  return Error::Field("code", "is not the current code of your authenticator app");
}

}  // namespace

Expected<IdentityService::RecoveryCodes> IdentityService::NewRecoveryCodes() {
  RecoveryCodes result;
  for (int i = 0; i < kRecoveryCodeCount; ++i) {
    std::string normalized = NormalizeCode(Base32Encode(random_.Bytes(kRecoveryCodeBytes)));
    // argon2id at its minimum cost: the code carries 80 random bits, which no stretching
    // could strengthen, and signing in may verify all ten (ADR 0015).
    auto hash = CERTUS_TRY(HashPassword(SecretString(normalized), HashCost::kMinimum));
    result.id_and_hash.emplace_back(NewId(), std::move(hash));
    result.codes.emplace_back(FormatRecoveryCode(normalized));
  }
  return result;
}

Expected<Organization> IdentityService::UpdateOrg(const Actor& actor, const OrgId& org,
                                                  const OrgChanges& changes,
                                                  std::int64_t expected_version,
                                                  std::optional<AuthMethod> session) {
  if (!actor.role) return Fail(Error::NotFound("Organization"));
  if (actor.role != Role::kAdmin) return Fail(NeedsAdmin());
  if (changes.name && changes.name->empty()) return Fail(Error::Field("name", "is required"));
  if (changes.name && changes.name->size() > 200) {
    return Fail(Error::Field("name", "must be at most 200 characters"));
  }
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<Organization> {
    auto before = CERTUS_TRY(store_.FindOrg(tx, org));
    if (!before) return Fail(Error::NotFound("Organization"));
    if (before->version != expected_version) {
      return Fail(ErrorCode::kPreconditionFailed,
                  "This organization was changed by someone else; reload it and try again.");
    }
    Organization after = *before;
    if (changes.name) after.name = *changes.name;
    if (changes.require_second_factor) after.require_second_factor = *changes.require_second_factor;
    if (after.require_second_factor && !before->require_second_factor) {
      // ISO 27001 A.8.5: whoever turns the rule on must meet it, or they lock themselves out.
      // A session meets it when it was opened with a second factor (ADR 0020); an API token
      // when its owner has TOTP enabled.
      if (session && ViaOidc(*session) && !HasSecondFactor(*session)) {
        return Fail(ErrorCode::kConflict,
                    "Your identity provider did not report a second factor for this sign-in: "
                    "sign in again with one before requiring two-step sign-in of every member.");
      }
      if (!session || !HasSecondFactor(*session)) {
        auto own = CERTUS_TRY(store_.FindTotp(tx, actor.user_id));
        if (!own || !own->confirmed) {
          return Fail(ErrorCode::kConflict,
                      "Turn on two-step sign-in for your own account (Account security) before "
                      "requiring it of every member.");
        }
        if (session) {
          return Fail(ErrorCode::kConflict,
                      "This session was opened without your code: sign out and sign in again "
                      "with your authenticator code before requiring two-step sign-in of every "
                      "member.");
        }
      }
    }
    after.version = before->version + 1;
    after.updated_at = Now();
    if (!CERTUS_TRY(store_.UpdateOrg(tx, after, expected_version))) {
      return Fail(ErrorCode::kPreconditionFailed,
                  "This organization was changed by someone else; reload it and try again.");
    }
    CERTUS_CHECK(audit_log_.Append(tx, MakeEvent(actor, org.str(), "organization", org.str(),
                                                 "update", ToJson(*before), ToJson(after))));
    return after;
  });
}

Expected<SecondFactorStatus> IdentityService::SecondFactorOf(const UserId& user) {
  return storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) -> Expected<SecondFactorStatus> {
        SecondFactorStatus status;
        auto totp = CERTUS_TRY(store_.FindTotp(tx, user));
        if (!totp) return status;
        status.totp_enabled = totp->confirmed;
        status.totp_pending = !totp->confirmed;
        if (totp->confirmed) {
          status.recovery_codes_remaining =
              static_cast<std::int64_t>(CERTUS_TRY(store_.UnusedRecoveryCodes(tx, user)).size());
        }
        return status;
      });
}

Expected<TotpEnrollment> IdentityService::StartTotpEnrollment(const Actor& actor) {
  if (actor.user_id.str().empty()) return Fail(ErrorCode::kUnauthenticated, "Sign in to continue.");
  std::string secret = Base32Encode(random_.Bytes(kTotpKeyBytes));
  return storage::InWriteTransaction(
      db_, [&](storage::Transaction& tx) -> Expected<TotpEnrollment> {
        auto existing = CERTUS_TRY(store_.FindTotp(tx, actor.user_id));
        if (existing && existing->confirmed) {
          return Fail(ErrorCode::kConflict,
                      "Two-step sign-in is already on; turn it off first to enroll another app.");
        }
        auto user = CERTUS_TRY(store_.FindUser(tx, actor.user_id));
        if (!user) return Fail(Error::NotFound("User"));
        CERTUS_CHECK(store_.PutPendingTotp(tx, actor.user_id, SecretString(secret), Now()));
        CERTUS_CHECK(audit_log_.Append(
            tx, MakeEvent(actor, std::string(auditlog::kInstallationChain), "user",
                          actor.user_id.str(), "start_totp_enrollment", nullptr,
                          boost::json::object{{"second_factor", "totp"}, {"state", "pending"}})));
        return TotpEnrollment{SecretString(secret),
                              SecretString(OtpauthUri(kTotpIssuer, user->email, secret))};
      });
}

Expected<std::vector<SecretString>> IdentityService::ConfirmTotp(const Actor& actor,
                                                                 const SecretString& code) {
  auto fresh = CERTUS_TRY(NewRecoveryCodes());
  return storage::InWriteTransaction(
      db_, [&](storage::Transaction& tx) -> Expected<std::vector<SecretString>> {
        auto totp = CERTUS_TRY(store_.FindTotp(tx, actor.user_id));
        if (!totp) {
          return Fail(ErrorCode::kConflict,
                      "No enrollment is pending; start one on your account security page.");
        }
        if (totp->confirmed) return Fail(ErrorCode::kConflict, "Two-step sign-in is already on.");
        auto step = MatchCode(*totp, code);
        if (!step) return Fail(WrongCode());
        if (!CERTUS_TRY(store_.UseTotpStep(tx, actor.user_id, *step))) return Fail(WrongCode());
        auto now = Now();
        CERTUS_CHECK(store_.ConfirmTotp(tx, actor.user_id, now));
        CERTUS_CHECK(store_.ReplaceRecoveryCodes(tx, actor.user_id, fresh.id_and_hash, now));
        CERTUS_CHECK(audit_log_.Append(
            tx, MakeEvent(actor, std::string(auditlog::kInstallationChain), "user",
                          actor.user_id.str(), "enable_totp", nullptr,
                          boost::json::object{{"second_factor", "totp"},
                                              {"recovery_codes", kRecoveryCodeCount}})));
        return std::move(fresh.codes);
      });
}

Expected<std::vector<SecretString>> IdentityService::RegenerateRecoveryCodes(
    const Actor& actor, const SecretString& code) {
  std::string account_key = "account:" + AsciiLower(actor.email);
  std::optional<User> user;
  auto totp = CERTUS_TRY(storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) -> Expected<std::optional<IdentityStore::StoredTotp>> {
        CERTUS_CHECK(CheckThrottle(tx, account_key, settings_.max_failures_per_account));
        user = CERTUS_TRY(store_.FindUser(tx, actor.user_id));
        return store_.FindTotp(tx, actor.user_id);
      }));
  if (!user || !totp || !totp->confirmed) return Fail(NoTotp());
  auto step = MatchCode(*totp, code);
  if (!step) {
    // As at sign-in: a stolen session must not guess its way to new recovery codes.
    CERTUS_CHECK(RecordFailedProof(user, user->email, {}));
    return Fail(WrongCode());
  }
  auto fresh = CERTUS_TRY(NewRecoveryCodes());
  return storage::InWriteTransaction(
      db_, [&](storage::Transaction& tx) -> Expected<std::vector<SecretString>> {
        if (!CERTUS_TRY(store_.UseTotpStep(tx, actor.user_id, *step))) return Fail(WrongCode());
        CERTUS_CHECK(store_.ReplaceRecoveryCodes(tx, actor.user_id, fresh.id_and_hash, Now()));
        CERTUS_CHECK(audit_log_.Append(
            tx, MakeEvent(actor, std::string(auditlog::kInstallationChain), "user",
                          actor.user_id.str(), "regenerate_recovery_codes", nullptr,
                          boost::json::object{{"recovery_codes", kRecoveryCodeCount}})));
        return std::move(fresh.codes);
      });
}

Expected<void> IdentityService::DisableTotp(const Actor& actor,
                                            const std::optional<SecretString>& password,
                                            const std::optional<SecretString>& code) {
  if (!password && !code) {
    return Fail(Error::Validation({{"password", "give your password or a current code"},
                                   {"code", "give your password or a current code"}}));
  }
  std::string account_key = "account:" + AsciiLower(actor.email);
  struct Found {
    User user;
    std::string password_hash;
    std::optional<IdentityStore::StoredTotp> totp;
    std::vector<std::string> requiring;
  };
  auto found =
      CERTUS_TRY(storage::InReadTransaction(db_, [&](storage::Transaction& tx) -> Expected<Found> {
        CERTUS_CHECK(CheckThrottle(tx, account_key, settings_.max_failures_per_account));
        auto user = CERTUS_TRY(store_.FindUser(tx, actor.user_id));
        if (!user) return Fail(Error::NotFound("User"));
        auto with_hash = CERTUS_TRY(store_.FindUserByEmail(tx, user->email));
        if (!with_hash) return Fail(Error::NotFound("User"));
        return Found{std::move(*user), std::move(with_hash->second),
                     CERTUS_TRY(store_.FindTotp(tx, actor.user_id)),
                     CERTUS_TRY(store_.OrgsRequiringSecondFactor(tx, actor.user_id))};
      }));
  if (!found.totp) return Fail(NoTotp());
  if (found.totp->confirmed && !found.requiring.empty()) {
    std::string names;
    for (const auto& name : found.requiring) names += (names.empty() ? "" : ", ") + name;
    return Fail(ErrorCode::kConflict,
                "ISO 27001 A.8.5: " + names +
                    " requires two-step sign-in of its members, so it cannot be turned off.");
  }
  std::optional<std::int64_t> step;
  if (password) {
    if (!VerifyPassword(found.password_hash, *password)) {
      CERTUS_CHECK(RecordFailedProof(found.user, found.user.email, {}));
      return Fail(Error::Field("password", "is not correct"));
    }
  } else {
    step = MatchCode(*found.totp, *code);
    if (!step) {
      CERTUS_CHECK(RecordFailedProof(found.user, found.user.email, {}));
      return Fail(WrongCode());
    }
  }
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<void> {
    if (step && !CERTUS_TRY(store_.UseTotpStep(tx, actor.user_id, *step))) {
      return Fail(WrongCode());
    }
    if (!CERTUS_TRY(store_.DeleteTotp(tx, actor.user_id))) return Fail(NoTotp());
    CERTUS_CHECK(audit_log_.Append(
        tx, MakeEvent(actor, std::string(auditlog::kInstallationChain), "user", actor.user_id.str(),
                      "disable_totp", boost::json::object{{"second_factor", "totp"}}, nullptr)));
    return {};
  });
}

Expected<void> IdentityService::ResetTotp(const Actor& actor, const UserId& user) {
  if (!actor.installation_admin) {
    return Fail(ErrorCode::kPermissionDenied,
                "Only an installation admin may reset a second factor.");
  }
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<void> {
    auto found = CERTUS_TRY(store_.FindUser(tx, user));
    if (!found) return Fail(Error::NotFound("User"));
    if (!CERTUS_TRY(store_.DeleteTotp(tx, user))) {
      return Fail(ErrorCode::kConflict,
                  "The account " + found->email + " has no second factor to reset.");
    }
    // Whoever held the lost authenticator may hold a session too.
    CERTUS_CHECK(store_.DeleteSessionsOf(tx, user));
    CERTUS_CHECK(audit_log_.Append(
        tx, MakeEvent(actor, std::string(auditlog::kInstallationChain), "user", user.str(),
                      "reset_totp", boost::json::object{{"second_factor", "totp"}},
                      boost::json::object{{"second_factor", nullptr}, {"sessions", "ended"}})));
    return {};
  });
}

Expected<bool> IdentityService::SecondFactorMissing(const OrgId& org, AuthMethod session) {
  if (HasSecondFactor(session)) return false;
  return storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) { return store_.RequiresSecondFactor(tx, org); });
}

Expected<LoginResult> IdentityService::SignInWithOidc(const OidcIdentity& who,
                                                      const std::string& client_address) {
  auto user = CERTUS_TRY(storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) -> Expected<std::optional<User>> {
        if (auto linked = CERTUS_TRY(store_.FindOidcIdentity(tx, who.issuer, who.subject))) {
          return store_.FindUser(tx, *linked);
        }
        auto found = CERTUS_TRY(store_.FindUserByEmail(tx, who.email));
        if (!found) return std::nullopt;
        return std::move(found->first);
      }));
  if (!user) {
    return Fail(ErrorCode::kNotFound,
                "There is no Certus account for this email address: ask an administrator to add "
                "you first.");
  }
  if (user->disabled || user->locked_at) {
    return Fail(ErrorCode::kPermissionDenied,
                "This account is locked: an administrator must unlock it.");
  }
  auto totp = CERTUS_TRY(storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) { return store_.FindTotp(tx, user->id); }));
  if (totp && totp->confirmed && !who.provider_mfa) {
    return LoginResult{std::nullopt,
                       "Your account uses two-step sign-in, which your identity provider did not "
                       "report for this sign-in: sign in with your password and code instead."};
  }

  SignIn sign_in;
  sign_in.user = *user;
  sign_in.auth_method = who.provider_mfa ? AuthMethod::kOidcMfa : AuthMethod::kOidc;
  std::string token = std::string(kTokenPrefix) + Base64UrlEncode(random_.Bytes(32));
  sign_in.session_token = SecretString(token);
  sign_in.csrf_token = Base64UrlEncode(random_.Bytes(24));
  sign_in.max_age_seconds = settings_.session_absolute.count();
  const auto now = clock_.Now();
  const std::string at = FormatTimestamp(now);
  CERTUS_TRY(storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<bool> {
    Actor actor{sign_in.user.id, sign_in.user.email, std::nullopt, false, {}};
    auto linked = CERTUS_TRY(store_.FindOidcIdentity(tx, who.issuer, who.subject));
    if (linked && *linked != sign_in.user.id) {
      return Fail(ErrorCode::kConflict, "This identity is linked to another account.");
    }
    if (!linked) {
      if (CERTUS_TRY(store_.FindOidcSubjectOf(tx, sign_in.user.id, who.issuer))) {
        return Fail(ErrorCode::kConflict,
                    "This account is linked to another identity at the identity provider.");
      }
      CERTUS_CHECK(store_.InsertOidcIdentity(tx, who.issuer, who.subject, sign_in.user.id, at));
      CERTUS_CHECK(audit_log_.Append(
          tx, MakeEvent(actor, std::string(auditlog::kInstallationChain), "user",
                        sign_in.user.id.str(), "link_oidc_identity", nullptr,
                        boost::json::object{{"issuer", who.issuer}, {"subject", who.subject}})));
    } else {
      CERTUS_CHECK(store_.TouchOidcIdentity(tx, who.issuer, who.subject, at));
    }
    CERTUS_CHECK(store_.ClearSignInFailures(tx, sign_in.user.id));
    CERTUS_CHECK(store_.InsertSession(tx, Sha256Hex(token), sign_in.user.id, sign_in.csrf_token, at,
                                      FormatTimestamp(now + settings_.session_absolute),
                                      sign_in.auth_method));
    CERTUS_CHECK(
        audit_log_.Append(tx, MakeEvent(actor, std::string(auditlog::kInstallationChain), "user",
                                        sign_in.user.id.str(), "sign_in", nullptr,
                                        boost::json::object{{"method", "oidc"},
                                                            {"issuer", who.issuer},
                                                            {"provider_mfa", who.provider_mfa},
                                                            {"client_address", client_address}})));
    return true;
  }));
  return LoginResult{std::move(sign_in), {}};
}

}  // namespace certus::identity
