#include "identity/service.hpp"

#include "core/encoding.hpp"
#include "core/time.hpp"
#include "core/uuid.hpp"
#include "identity/json.hpp"
#include "identity/password_policy.hpp"

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

Expected<SignIn> IdentityService::Login(const std::string& email, const SecretString& password,
                                        const std::string& client_address) {
  std::string account_key = "account:" + AsciiLower(email);
  std::string address_key = "address:" + client_address;
  auto found = CERTUS_TRY(storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) -> Expected<std::optional<std::pair<User, std::string>>> {
        CERTUS_CHECK(CheckThrottle(tx, account_key, settings_.max_failures_per_account));
        CERTUS_CHECK(CheckThrottle(tx, address_key, settings_.max_failures_per_address));
        return store_.FindUserByEmail(tx, email);
      }));

  bool verified = false;
  if (found) {
    verified = VerifyPassword(found->second, password) && !found->first.disabled &&
               !found->first.locked_at;
  } else {
    std::call_once(dummy_once_, [&] {
      dummy_hash_ = HashPassword(SecretString("certus-dummy-password"), settings_.hash_cost)
                        .value_or(std::string());
    });
    VerifyPassword(dummy_hash_, password);
  }

  if (!verified) {
    auto now = Now();
    auto window_start = FormatTimestamp(clock_.Now() - settings_.throttle_window);
    CERTUS_TRY(storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<bool> {
      CERTUS_CHECK(store_.RecordFailure(tx, account_key, now, window_start));
      CERTUS_CHECK(store_.RecordFailure(tx, address_key, now, window_start));
      if (found && !found->first.locked_at &&
          CERTUS_TRY(store_.RecordSignInFailure(tx, found->first.id, settings_.lock_after_failures,
                                                now))) {
        const boost::json::object locked{{"locked_at", now},
                                         {"failed_sign_ins", settings_.lock_after_failures},
                                         {"client_address", client_address}};
        CERTUS_CHECK(audit_log_.Append(
            tx, MakeEvent(Actor::System(), std::string(auditlog::kInstallationChain), "user",
                          found->first.id.str(), "lock", nullptr, locked)));
      }
      return true;
    }));
    return Fail(WrongCredentials());
  }

  SignIn sign_in;
  sign_in.user = found->first;
  std::string token = std::string(kTokenPrefix) + Base64UrlEncode(random_.Bytes(32));
  sign_in.session_token = SecretString(token);
  sign_in.csrf_token = Base64UrlEncode(random_.Bytes(24));
  sign_in.max_age_seconds = settings_.session_absolute.count();
  auto now = clock_.Now();
  CERTUS_TRY(storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<bool> {
    CERTUS_CHECK(store_.ClearFailures(tx, account_key));
    CERTUS_CHECK(store_.ClearSignInFailures(tx, sign_in.user.id));
    CERTUS_CHECK(store_.InsertSession(tx, Sha256Hex(token), sign_in.user.id, sign_in.csrf_token,
                                      FormatTimestamp(now),
                                      FormatTimestamp(now + settings_.session_absolute)));
    return true;
  }));
  return sign_in;
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
  return storage::InReadTransaction(db_, [&](auto& tx) { return store_.ListOrgsOf(tx, user); });
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

}  // namespace certus::identity
