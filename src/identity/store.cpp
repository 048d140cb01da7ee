#include "identity/store.hpp"

#include "core/encoding.hpp"

namespace certus::identity {

namespace {

constexpr std::string_view kUserColumns =
    "u.id, u.email, u.display_name, u.installation_admin, u.disabled, u.version, u.created_at, "
    "u.updated_at, u.locked_at";
/// How many columns kUserColumns names: where the columns selected after them start.
constexpr std::size_t kUserColumnCount = 9;

User UserFrom(const storage::Row& row, std::size_t at = 0) {
  return {UserId(row.Text(at)), row.Text(at + 1), row.Text(at + 2),
          row.Bool(at + 3),     row.Bool(at + 4), row.Int(at + 5),
          row.Text(at + 6),     row.Text(at + 7), row.OptText(at + 8)};
}

constexpr std::string_view kOrgColumns =
    "o.id, o.name, o.version, o.created_at, o.updated_at, o.require_second_factor";

Organization OrgFrom(const storage::Row& row, std::size_t at = 0) {
  return {OrgId(row.Text(at)), row.Text(at + 1), row.Int(at + 2),
          row.Text(at + 3),    row.Text(at + 4), row.Bool(at + 5)};
}

Role RoleFrom(const std::string& name) { return ParseRole(name).value_or(Role::kViewer); }

std::string Sql(std::string_view a, std::string_view b, std::string_view c = {}) {
  return std::string(a) + std::string(b) + std::string(c);
}

constexpr std::string_view kMemberSelect =
    "SELECT m.org_id, m.user_id, u.email, u.display_name, m.role, m.version, m.created_at, "
    "m.updated_at FROM memberships m JOIN users u ON u.id = m.user_id ";

Member MemberFrom(const storage::Row& row) {
  return {OrgId(row.Text(0)),    UserId(row.Text(1)), row.Text(2), row.Text(3),
          RoleFrom(row.Text(4)), row.Int(5),          row.Text(6), row.Text(7)};
}

constexpr std::string_view kTokenColumns =
    "t.id, t.name, t.user_id, t.org_id, t.role, t.created_at, t.last_used_at";

ApiToken TokenFrom(const storage::Row& row) {
  return {row.Text(0),           row.Text(1), UserId(row.Text(2)), OrgId(row.Text(3)),
          RoleFrom(row.Text(4)), row.Text(5), row.OptText(6)};
}

}  // namespace

Expected<void> IdentityStore::InsertUser(Tx& tx, const User& user,
                                         const std::string& password_hash) {
  CERTUS_TRY(
      tx.Execute("INSERT INTO users (id, email, email_lower, display_name, password_hash, "
                 "installation_admin, disabled, version, created_at, updated_at) "
                 "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                 {user.id.str(), user.email, AsciiLower(user.email), user.display_name,
                  password_hash, std::int64_t{user.installation_admin}, std::int64_t{user.disabled},
                  user.version, user.created_at, user.updated_at}));
  return {};
}

Expected<std::optional<std::pair<User, std::string>>> IdentityStore::FindUserByEmail(
    Tx& tx, const std::string& email) {
  auto result = CERTUS_TRY(tx.Execute(
      Sql("SELECT ", kUserColumns, ", u.password_hash FROM users u WHERE u.email_lower = $1"),
      {AsciiLower(email)}));
  if (result.rows.empty()) return std::nullopt;
  return std::make_pair(UserFrom(result.rows[0]), result.rows[0].Text(kUserColumnCount));
}

Expected<std::optional<User>> IdentityStore::FindUser(Tx& tx, const UserId& id) {
  auto result = CERTUS_TRY(
      tx.Execute(Sql("SELECT ", kUserColumns, " FROM users u WHERE u.id = $1"), {id.str()}));
  if (result.rows.empty()) return std::nullopt;
  return UserFrom(result.rows[0]);
}

Expected<std::vector<User>> IdentityStore::ListUsers(Tx& tx) {
  auto result =
      CERTUS_TRY(tx.Execute(Sql("SELECT ", kUserColumns, " FROM users u ORDER BY u.email_lower")));
  std::vector<User> users;
  for (const auto& row : result.rows) users.push_back(UserFrom(row));
  return users;
}

Expected<std::int64_t> IdentityStore::CountUsers(Tx& tx) {
  auto result = CERTUS_TRY(tx.Execute("SELECT COUNT(*) FROM users"));
  return result.rows[0].Int(0);
}

Expected<void> IdentityStore::UpdatePassword(Tx& tx, const UserId& id,
                                             const std::string& password_hash,
                                             const std::string& now) {
  CERTUS_TRY(
      tx.Execute("UPDATE users SET password_hash = $2, failed_sign_ins = 0, locked_at = NULL, "
                 "version = version + 1, updated_at = $3 WHERE id = $1",
                 {id.str(), password_hash, now}));
  return {};
}

Expected<bool> IdentityStore::RecordSignInFailure(Tx& tx, const UserId& id, int lock_after,
                                                  const std::string& now) {
  auto locked = CERTUS_TRY(tx.Execute(
      "UPDATE users SET failed_sign_ins = failed_sign_ins + 1, locked_at = CASE WHEN "
      "locked_at IS NULL AND failed_sign_ins + 1 >= $2 THEN $3 ELSE locked_at END WHERE id = $1 "
      "RETURNING locked_at",
      {id.str(), std::int64_t{lock_after}, now}));
  return !locked.rows.empty() && locked.rows[0].OptText(0) == now;
}

Expected<void> IdentityStore::ClearSignInFailures(Tx& tx, const UserId& id) {
  CERTUS_TRY(tx.Execute(
      "UPDATE users SET failed_sign_ins = 0 WHERE id = $1 AND failed_sign_ins <> 0", {id.str()}));
  return {};
}

Expected<bool> IdentityStore::Unlock(Tx& tx, const UserId& id, const std::string& now) {
  auto unlocked = CERTUS_TRY(
      tx.Execute("UPDATE users SET failed_sign_ins = 0, locked_at = NULL, version = version + 1, "
                 "updated_at = $2 WHERE id = $1 AND locked_at IS NOT NULL",
                 {id.str(), now}));
  return unlocked.affected == 1;
}

Expected<void> IdentityStore::InsertOrg(Tx& tx, const Organization& org) {
  CERTUS_TRY(
      tx.Execute("INSERT INTO organizations (id, name, version, created_at, updated_at) "
                 "VALUES ($1, $2, $3, $4, $5)",
                 {org.id.str(), org.name, org.version, org.created_at, org.updated_at}));
  return {};
}

Expected<std::optional<Organization>> IdentityStore::FindOrg(Tx& tx, const OrgId& id) {
  auto result = CERTUS_TRY(
      tx.Execute(Sql("SELECT ", kOrgColumns, " FROM organizations o WHERE o.id = $1"), {id.str()}));
  if (result.rows.empty()) return std::nullopt;
  return OrgFrom(result.rows[0]);
}

Expected<std::vector<Organization>> IdentityStore::ListAllOrgs(Tx& tx) {
  auto result = CERTUS_TRY(
      tx.Execute(Sql("SELECT ", kOrgColumns, " FROM organizations o ORDER BY o.name, o.id")));
  std::vector<Organization> orgs;
  for (const auto& row : result.rows) orgs.push_back(OrgFrom(row));
  return orgs;
}

Expected<std::vector<OrgWithRole>> IdentityStore::ListOrgsOf(Tx& tx, const UserId& user) {
  auto result = CERTUS_TRY(
      tx.Execute(Sql("SELECT ", kOrgColumns,
                     ", m.role FROM organizations o JOIN memberships m ON m.org_id = o.id "
                     "WHERE m.user_id = $1 ORDER BY o.name, o.id"),
                 {user.str()}));
  std::vector<OrgWithRole> orgs;
  for (const auto& row : result.rows)
    orgs.push_back({OrgFrom(row), RoleFrom(row.Text(6)), std::nullopt});
  return orgs;
}

Expected<void> IdentityStore::InsertMember(Tx& tx, const Member& member) {
  CERTUS_TRY(
      tx.Execute("INSERT INTO memberships (org_id, user_id, role, version, created_at, updated_at) "
                 "VALUES ($1, $2, $3, $4, $5, $6)",
                 {member.org_id.str(), member.user_id.str(), std::string(RoleName(member.role)),
                  member.version, member.created_at, member.updated_at}));
  return {};
}

Expected<std::optional<Member>> IdentityStore::FindMember(Tx& tx, const OrgId& org,
                                                          const UserId& user) {
  auto result = CERTUS_TRY(tx.Execute(Sql(kMemberSelect, "WHERE m.org_id = $1 AND m.user_id = $2"),
                                      {org.str(), user.str()}));
  if (result.rows.empty()) return std::nullopt;
  return MemberFrom(result.rows[0]);
}

Expected<std::vector<Member>> IdentityStore::ListMembers(Tx& tx, const OrgId& org) {
  auto result = CERTUS_TRY(
      tx.Execute(Sql(kMemberSelect, "WHERE m.org_id = $1 ORDER BY u.email_lower"), {org.str()}));
  std::vector<Member> members;
  for (const auto& row : result.rows) members.push_back(MemberFrom(row));
  return members;
}

Expected<bool> IdentityStore::UpdateMemberRole(Tx& tx, const Member& member,
                                               std::int64_t expected_version) {
  auto result = CERTUS_TRY(
      tx.Execute("UPDATE memberships SET role = $3, version = version + 1, updated_at = $4 "
                 "WHERE org_id = $1 AND user_id = $2 AND version = $5",
                 {member.org_id.str(), member.user_id.str(), std::string(RoleName(member.role)),
                  member.updated_at, expected_version}));
  return result.affected == 1;
}

Expected<bool> IdentityStore::DeleteMember(Tx& tx, const OrgId& org, const UserId& user,
                                           std::int64_t expected_version) {
  auto result = CERTUS_TRY(
      tx.Execute("DELETE FROM memberships WHERE org_id = $1 AND user_id = $2 AND version = $3",
                 {org.str(), user.str(), expected_version}));
  return result.affected == 1;
}

Expected<std::int64_t> IdentityStore::CountAdmins(Tx& tx, const OrgId& org) {
  auto result = CERTUS_TRY(tx.Execute(
      "SELECT COUNT(*) FROM memberships WHERE org_id = $1 AND role = 'admin'", {org.str()}));
  return result.rows[0].Int(0);
}

Expected<std::optional<Role>> IdentityStore::RoleOf(Tx& tx, const OrgId& org, const UserId& user) {
  auto result = CERTUS_TRY(tx.Execute(
      "SELECT role FROM memberships WHERE org_id = $1 AND user_id = $2", {org.str(), user.str()}));
  if (result.rows.empty()) return std::nullopt;
  return ParseRole(result.rows[0].Text(0));
}

Expected<void> IdentityStore::InsertSession(Tx& tx, const std::string& token_hash,
                                            const UserId& user, const std::string& csrf_token,
                                            const std::string& now, const std::string& expires_at,
                                            AuthMethod method) {
  CERTUS_TRY(tx.Execute(
      "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, "
      "expires_at, auth_method) VALUES ($1, $2, $3, $4, $4, $5, $6)",
      {token_hash, user.str(), csrf_token, now, expires_at, std::string(AuthMethodName(method))}));
  return {};
}

Expected<std::optional<IdentityStore::StoredSession>> IdentityStore::FindSession(
    Tx& tx, const std::string& token_hash) {
  auto result =
      CERTUS_TRY(tx.Execute(Sql("SELECT ", kUserColumns,
                                ", s.csrf_token, s.last_seen_at, s.expires_at, s.auth_method "
                                "FROM sessions s JOIN users u ON u.id = s.user_id "
                                "WHERE s.token_hash = $1"),
                            {token_hash}));
  if (result.rows.empty()) return std::nullopt;
  const auto& row = result.rows[0];
  return StoredSession{{UserFrom(row), row.Text(kUserColumnCount), row.Text(kUserColumnCount + 1),
                        ParseAuthMethod(row.Text(kUserColumnCount + 3))},
                       row.Text(kUserColumnCount + 2)};
}

Expected<void> IdentityStore::TouchSession(Tx& tx, const std::string& token_hash,
                                           const std::string& now) {
  CERTUS_TRY(
      tx.Execute("UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1", {token_hash, now}));
  return {};
}

Expected<void> IdentityStore::DeleteSession(Tx& tx, const std::string& token_hash) {
  CERTUS_TRY(tx.Execute("DELETE FROM sessions WHERE token_hash = $1", {token_hash}));
  return {};
}

Expected<void> IdentityStore::DeleteSessionsOf(Tx& tx, const UserId& user) {
  CERTUS_TRY(tx.Execute("DELETE FROM sessions WHERE user_id = $1", {user.str()}));
  return {};
}

Expected<void> IdentityStore::InsertToken(Tx& tx, const ApiToken& token,
                                          const std::string& token_hash) {
  CERTUS_TRY(
      tx.Execute("INSERT INTO api_tokens (id, token_hash, name, user_id, org_id, role, created_at) "
                 "VALUES ($1, $2, $3, $4, $5, $6, $7)",
                 {token.id, token_hash, token.name, token.user_id.str(), token.org_id.str(),
                  std::string(RoleName(token.role)), token.created_at}));
  return {};
}

Expected<std::optional<IdentityStore::TokenOwner>> IdentityStore::FindLiveToken(
    Tx& tx, const std::string& token_hash) {
  auto result = CERTUS_TRY(tx.Execute(Sql("SELECT ", kTokenColumns,
                                          Sql(", ", kUserColumns,
                                              " FROM api_tokens t JOIN users u ON u.id = t.user_id "
                                              "WHERE t.token_hash = $1 AND t.revoked_at IS NULL")),
                                      {token_hash}));
  if (result.rows.empty()) return std::nullopt;
  return TokenOwner{TokenFrom(result.rows[0]), UserFrom(result.rows[0], 7)};
}

Expected<std::vector<ApiToken>> IdentityStore::ListTokens(Tx& tx, const UserId& user) {
  auto result = CERTUS_TRY(tx.Execute(
      Sql("SELECT ", kTokenColumns,
          " FROM api_tokens t WHERE t.user_id = $1 AND t.revoked_at IS NULL ORDER BY t.created_at"),
      {user.str()}));
  std::vector<ApiToken> tokens;
  for (const auto& row : result.rows) tokens.push_back(TokenFrom(row));
  return tokens;
}

Expected<std::optional<ApiToken>> IdentityStore::FindToken(Tx& tx, const std::string& id,
                                                           const UserId& user) {
  auto result = CERTUS_TRY(tx.Execute(
      Sql("SELECT ", kTokenColumns,
          " FROM api_tokens t WHERE t.id = $1 AND t.user_id = $2 AND t.revoked_at IS NULL"),
      {id, user.str()}));
  if (result.rows.empty()) return std::nullopt;
  return TokenFrom(result.rows[0]);
}

Expected<void> IdentityStore::RevokeToken(Tx& tx, const std::string& id, const std::string& now) {
  CERTUS_TRY(tx.Execute("UPDATE api_tokens SET revoked_at = $2 WHERE id = $1", {id, now}));
  return {};
}

Expected<std::int64_t> IdentityStore::FailuresSince(Tx& tx, const std::string& key,
                                                    const std::string& window_start) {
  auto result = CERTUS_TRY(tx.Execute(
      "SELECT failures FROM login_throttle WHERE throttle_key = $1 AND window_start >= $2",
      {key, window_start}));
  return result.rows.empty() ? 0 : result.rows[0].Int(0);
}

Expected<void> IdentityStore::RecordFailure(Tx& tx, const std::string& key, const std::string& now,
                                            const std::string& window_start) {
  CERTUS_TRY(tx.Execute(
      "INSERT INTO login_throttle (throttle_key, failures, window_start) VALUES ($1, 1, $2) "
      "ON CONFLICT (throttle_key) DO UPDATE SET "
      "failures = CASE WHEN login_throttle.window_start >= $3 THEN login_throttle.failures + 1 "
      "ELSE 1 END, "
      "window_start = CASE WHEN login_throttle.window_start >= $3 THEN login_throttle.window_start "
      "ELSE $2 END",
      {key, now, window_start}));
  return {};
}

Expected<void> IdentityStore::ClearFailures(Tx& tx, const std::string& key) {
  CERTUS_TRY(tx.Execute("DELETE FROM login_throttle WHERE throttle_key = $1", {key}));
  return {};
}

Expected<bool> IdentityStore::UpdateOrg(Tx& tx, const Organization& org,
                                        std::int64_t expected_version) {
  auto result = CERTUS_TRY(
      tx.Execute("UPDATE organizations SET name = $2, require_second_factor = $3, version = $4, "
                 "updated_at = $5 WHERE id = $1 AND version = $6",
                 {org.id.str(), org.name, std::int64_t{org.require_second_factor}, org.version,
                  org.updated_at, expected_version}));
  return result.affected == 1;
}

Expected<std::vector<std::string>> IdentityStore::OrgsRequiringSecondFactor(Tx& tx,
                                                                            const UserId& user) {
  auto result = CERTUS_TRY(
      tx.Execute("SELECT o.name FROM organizations o JOIN memberships m ON m.org_id = o.id "
                 "WHERE m.user_id = $1 AND o.require_second_factor <> 0 ORDER BY o.name",
                 {user.str()}));
  std::vector<std::string> names;
  for (const auto& row : result.rows) names.push_back(row.Text(0));
  return names;
}

Expected<bool> IdentityStore::RequiresSecondFactor(Tx& tx, const OrgId& org) {
  auto result = CERTUS_TRY(tx.Execute(
      "SELECT 1 FROM organizations WHERE id = $1 AND require_second_factor <> 0", {org.str()}));
  return !result.rows.empty();
}

Expected<std::optional<IdentityStore::StoredTotp>> IdentityStore::FindTotp(Tx& tx,
                                                                           const UserId& user) {
  auto result = CERTUS_TRY(
      tx.Execute("SELECT secret, confirmed_at, last_used_step FROM user_totp WHERE user_id = $1",
                 {user.str()}));
  if (result.rows.empty()) return std::nullopt;
  const auto& row = result.rows[0];
  return StoredTotp{SecretString(row.Text(0)), !row.IsNull(1), row.Int(2)};
}

Expected<void> IdentityStore::PutPendingTotp(Tx& tx, const UserId& user,
                                             const SecretString& secret_base32,
                                             const std::string& now) {
  CERTUS_TRY(tx.Execute("DELETE FROM user_totp WHERE user_id = $1", {user.str()}));
  CERTUS_TRY(tx.Execute(
      "INSERT INTO user_totp (user_id, secret, created_at, confirmed_at, last_used_step) "
      "VALUES ($1, $2, $3, NULL, 0)",
      {user.str(), secret_base32.Expose(), now}));
  return {};
}

Expected<void> IdentityStore::ConfirmTotp(Tx& tx, const UserId& user, const std::string& now) {
  CERTUS_TRY(
      tx.Execute("UPDATE user_totp SET confirmed_at = $2 WHERE user_id = $1", {user.str(), now}));
  return {};
}

Expected<bool> IdentityStore::UseTotpStep(Tx& tx, const UserId& user, std::int64_t step) {
  auto result =
      CERTUS_TRY(tx.Execute("UPDATE user_totp SET last_used_step = $2 WHERE user_id = $1 AND "
                            "last_used_step < $2",
                            {user.str(), step}));
  return result.affected == 1;
}

Expected<bool> IdentityStore::DeleteTotp(Tx& tx, const UserId& user) {
  CERTUS_TRY(tx.Execute("DELETE FROM user_recovery_codes WHERE user_id = $1", {user.str()}));
  auto result = CERTUS_TRY(tx.Execute("DELETE FROM user_totp WHERE user_id = $1", {user.str()}));
  return result.affected == 1;
}

Expected<void> IdentityStore::ReplaceRecoveryCodes(
    Tx& tx, const UserId& user, const std::vector<std::pair<std::string, std::string>>& id_and_hash,
    const std::string& now) {
  CERTUS_TRY(tx.Execute("DELETE FROM user_recovery_codes WHERE user_id = $1", {user.str()}));
  for (const auto& [id, hash] : id_and_hash) {
    CERTUS_TRY(
        tx.Execute("INSERT INTO user_recovery_codes (id, user_id, code_hash, created_at, used_at) "
                   "VALUES ($1, $2, $3, $4, NULL)",
                   {id, user.str(), hash, now}));
  }
  return {};
}

Expected<std::vector<std::pair<std::string, std::string>>> IdentityStore::UnusedRecoveryCodes(
    Tx& tx, const UserId& user) {
  auto result =
      CERTUS_TRY(tx.Execute("SELECT id, code_hash FROM user_recovery_codes WHERE user_id = $1 AND "
                            "used_at IS NULL ORDER BY id",
                            {user.str()}));
  std::vector<std::pair<std::string, std::string>> codes;
  for (const auto& row : result.rows) codes.emplace_back(row.Text(0), row.Text(1));
  return codes;
}

Expected<bool> IdentityStore::UseRecoveryCode(Tx& tx, const std::string& id,
                                              const std::string& now) {
  auto result = CERTUS_TRY(tx.Execute(
      "UPDATE user_recovery_codes SET used_at = $2 WHERE id = $1 AND used_at IS NULL", {id, now}));
  return result.affected == 1;
}

Expected<std::optional<UserId>> IdentityStore::FindOidcIdentity(Tx& tx, const std::string& issuer,
                                                                const std::string& subject) {
  auto result = CERTUS_TRY(
      tx.Execute("SELECT user_id FROM user_oidc_identities WHERE issuer = $1 AND subject = $2",
                 {issuer, subject}));
  if (result.rows.empty()) return std::nullopt;
  return UserId(result.rows[0].Text(0));
}

Expected<std::optional<std::string>> IdentityStore::FindOidcSubjectOf(Tx& tx, const UserId& user,
                                                                      const std::string& issuer) {
  auto result = CERTUS_TRY(
      tx.Execute("SELECT subject FROM user_oidc_identities WHERE user_id = $1 AND issuer = $2",
                 {user.str(), issuer}));
  if (result.rows.empty()) return std::nullopt;
  return result.rows[0].Text(0);
}

Expected<void> IdentityStore::InsertOidcIdentity(Tx& tx, const std::string& issuer,
                                                 const std::string& subject, const UserId& user,
                                                 const std::string& now) {
  CERTUS_TRY(tx.Execute(
      "INSERT INTO user_oidc_identities (issuer, subject, user_id, created_at, last_used_at) "
      "VALUES ($1, $2, $3, $4, $4)",
      {issuer, subject, user.str(), now}));
  return {};
}

Expected<void> IdentityStore::TouchOidcIdentity(Tx& tx, const std::string& issuer,
                                                const std::string& subject,
                                                const std::string& now) {
  CERTUS_TRY(tx.Execute(
      "UPDATE user_oidc_identities SET last_used_at = $3 WHERE issuer = $1 AND subject = $2",
      {issuer, subject, now}));
  return {};
}

}  // namespace certus::identity
