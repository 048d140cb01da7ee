// The second factor (issue 9 item 1; ISO 27001 A.5.17, A.8.5): TOTP enrollment with
// recovery codes, sign-in with a code, the per-organization requirement and the admin reset.
// Codes are computed from the server's FakeClock, so every scenario is deterministic.
#include "identity/totp.hpp"

#include <cctype>

#include <gmock/gmock.h>

#include "tests/api/api_fixture.hpp"

namespace certus::testing {
namespace {

using ::testing::HasSubstr;

/// A session opened by a sign-in with a code, which HttpClient::Login does not send:
/// the cookie and CSRF token go with every request by hand.
struct Session {
  std::uint16_t port;
  std::string cookie;
  std::string csrf;

  Reply Send(const std::string& method, const std::string& target, const std::string& body = "",
             std::vector<std::pair<std::string, std::string>> headers = {}) {
    HttpClient client(port);
    headers.emplace_back("Cookie", cookie);
    if (method != "GET") {
      headers.emplace_back("X-CSRF-Token", csrf);
      headers.emplace_back("Content-Type", "application/json");
    }
    return client.Send(method, target, body, headers);
  }
};

class TotpApi : public ApiTest {
 protected:
  /// The current code of a base32 secret, at the server's time.
  std::string CodeFor(const std::string& secret) {
    auto key = identity::Base32Decode(secret);
    EXPECT_TRUE(key.has_value());
    return identity::TotpCode(*key, identity::TotpStep(server_->clock().Now()));
  }

  /// The next 30-second step, so a new code is accepted (no code counts twice).
  void NextStep() { server_->clock().Advance(std::chrono::seconds(30)); }

  static std::string LoginBody(const std::string& email, const std::string& otp = "") {
    boost::json::object body{{"email", email}, {"password", TestServer::kPassword}};
    if (!otp.empty()) body["otp"] = otp;
    return boost::json::serialize(body);
  }

  Reply LoginWith(const std::string& email, const std::string& otp = "") {
    return server_->Client().Post("/api/v1/auth/login", LoginBody(email, otp),
                                  {{"Content-Type", "application/json"}});
  }

  std::optional<Session> SessionOf(const Reply& reply) {
    if (reply.status != 200) return std::nullopt;
    std::string cookie = reply.Header("set-cookie");
    return Session{server_->port(), cookie.substr(0, cookie.find(';')),
                   std::string(reply.Json().at("csrf_token").as_string())};
  }

  /// Enrolls `client`'s user; returns the secret and the recovery codes.
  std::pair<std::string, std::vector<std::string>> Enroll(HttpClient& client) {
    auto started = client.Post("/api/v1/me/totp", "");
    EXPECT_EQ(started.status, 200u) << started.body;
    std::string secret(started.Json().at("secret").as_string());
    auto confirmed = client.Post("/api/v1/me/totp/confirm",
                                 Json(boost::json::object{{"code", CodeFor(secret)}}));
    EXPECT_EQ(confirmed.status, 200u) << confirmed.body;
    std::vector<std::string> codes;
    const auto json = confirmed.Json();
    for (const auto& code : json.at("recovery_codes").as_array()) {
      codes.emplace_back(code.as_string());
    }
    NextStep();
    return {secret, codes};
  }

  boost::json::value SecondFactor(HttpClient& client) {
    return client.Get("/api/v1/auth/me").Json().at("second_factor");
  }
};

TEST_P(TotpApi, EnrollmentIsConfirmedByACurrentCodeAndShowsRecoveryCodesOnce) {
  auto carl = server_->SignedIn("carl@example.com");
  EXPECT_EQ(SecondFactor(carl).at("totp_enabled"), false);

  auto started = carl.Post("/api/v1/me/totp", "");
  ASSERT_EQ(started.status, 200u) << started.body;
  const std::string secret(started.Json().at("secret").as_string());
  EXPECT_EQ(secret.size(), 32u);  // 160 bits in base32
  EXPECT_EQ(std::string(started.Json().at("otpauth_uri").as_string()),
            "otpauth://totp/Certus:carl@example.com?secret=" + secret +
                "&issuer=Certus&algorithm=SHA1&digits=6&period=30");
  EXPECT_EQ(SecondFactor(carl).at("totp_pending"), true);

  // A new start replaces the pending secret: the first one no longer confirms.
  auto restarted = carl.Post("/api/v1/me/totp", "");
  const std::string secret2(restarted.Json().at("secret").as_string());
  EXPECT_NE(secret, secret2);
  auto stale =
      carl.Post("/api/v1/me/totp/confirm", Json(boost::json::object{{"code", CodeFor(secret)}}));
  EXPECT_EQ(stale.status, 422u);
  EXPECT_THAT(ErrorFields(stale), ::testing::ElementsAre("code"));
  EXPECT_EQ(carl.Post("/api/v1/me/totp/confirm", "{}").status, 422u);
  EXPECT_EQ(carl.Post("/api/v1/me/totp/confirm", R"({"code": "123456", "x": 1})").status, 422u);

  auto confirmed =
      carl.Post("/api/v1/me/totp/confirm", Json(boost::json::object{{"code", CodeFor(secret2)}}));
  ASSERT_EQ(confirmed.status, 200u) << confirmed.body;
  const auto confirmed_json = confirmed.Json();
  const auto& codes = confirmed_json.at("recovery_codes").as_array();
  EXPECT_EQ(codes.size(), 10u);
  EXPECT_THAT(std::string(codes[0].as_string()),
              ::testing::MatchesRegex("[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}"));
  auto status = SecondFactor(carl);
  EXPECT_EQ(status.at("totp_enabled"), true);
  EXPECT_EQ(status.at("recovery_codes_remaining"), 10);
  // Neither the secret nor a code is ever shown again, nor is a second enrollment started.
  EXPECT_THAT(carl.Get("/api/v1/auth/me").body, ::testing::Not(HasSubstr(secret2)));
  EXPECT_EQ(carl.Post("/api/v1/me/totp", "").status, 409u);

  // The audit log names what happened and holds no secret.
  std::string log;
  auto tx = server_->db().Begin(storage::TxMode::kRead);
  ASSERT_TRUE(tx);
  auto events = (*tx)->Execute("SELECT action, before_json, after_json FROM audit_events");
  if (events) {
    for (const auto& row : events->rows) log += row.Text(0) + row.Text(1) + row.Text(2);
  }
  EXPECT_THAT(log, HasSubstr("enable_totp"));
  EXPECT_THAT(log, ::testing::Not(HasSubstr(secret2)));
  EXPECT_THAT(log, ::testing::Not(HasSubstr(std::string(codes[0].as_string()))));
}

TEST_P(TotpApi, SignInNeedsTheCodeOnceEnabledAndNeverTakesItTwice) {
  auto carl = server_->SignedIn("carl@example.com");
  auto [secret, recovery] = Enroll(carl);

  auto without = LoginWith("carl@example.com");
  EXPECT_EQ(without.status, 401u);
  EXPECT_EQ(without.Json().at("type"), "urn:certus:problem:otp-required");
  EXPECT_EQ(without.Header("set-cookie"), "");

  auto wrong = LoginWith("carl@example.com", "000000");
  EXPECT_EQ(wrong.status, 401u);
  EXPECT_EQ(wrong.Json().at("type"), "urn:certus:problem:otp-required");
  EXPECT_THAT(std::string(wrong.Json().at("detail").as_string()), HasSubstr("not correct"));

  const std::string code = CodeFor(secret);
  auto signed_in = LoginWith("carl@example.com", code);
  ASSERT_EQ(signed_in.status, 200u) << signed_in.body;
  auto session = SessionOf(signed_in);
  ASSERT_TRUE(session);
  EXPECT_EQ(session->Send("GET", Issues()).status, 200u);
  // The same code again, even in the next step while it is still within the window.
  EXPECT_EQ(LoginWith("carl@example.com", code).status, 401u);
  NextStep();
  EXPECT_EQ(LoginWith("carl@example.com", code).status, 401u);
  // A wrong password with the right code is the ordinary wrong-credentials answer.
  auto bad_password = server_->Client().Post(
      "/api/v1/auth/login",
      Json(boost::json::object{
          {"email", "carl@example.com"}, {"password", "not it"}, {"otp", CodeFor(secret)}}),
      {});
  EXPECT_EQ(bad_password.status, 401u);
  EXPECT_EQ(bad_password.Json().at("type"), "urn:certus:problem:unauthenticated");
}

TEST_P(TotpApi, WrongCodesCountAsFailedSignIns) {
  auto carl = server_->SignedIn("carl@example.com");
  auto secret = Enroll(carl).first;
  // The per-account throttle allows five failures in its window.
  for (int i = 0; i < 5; ++i) EXPECT_EQ(LoginWith("carl@example.com", "111111").status, 401u);
  auto throttled = LoginWith("carl@example.com", CodeFor(secret));
  EXPECT_EQ(throttled.status, 429u);
}

TEST_P(TotpApi, ARecoveryCodeSignsInOnceAndIsAudited) {
  auto carl = server_->SignedIn("carl@example.com");
  auto [secret, recovery] = Enroll(carl);
  // Typed in capitals without dashes: the same code.
  std::string typed;
  for (char c : recovery[3]) {
    if (c != '-') typed.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  auto signed_in = LoginWith("carl@example.com", typed);
  ASSERT_EQ(signed_in.status, 200u) << signed_in.body;
  EXPECT_EQ(signed_in.Json().at("second_factor").at("recovery_codes_remaining"), 9);
  auto reused = LoginWith("carl@example.com", recovery[3]);
  EXPECT_EQ(reused.status, 401u);
  EXPECT_EQ(reused.Json().at("type"), "urn:certus:problem:otp-required");
  EXPECT_EQ(LoginWith("carl@example.com", "aaaa-bbbb-cccc-dddd").status, 401u);

  auto tx = server_->db().Begin(storage::TxMode::kRead);
  ASSERT_TRUE(tx);
  auto events =
      (*tx)->Execute("SELECT after_json FROM audit_events WHERE action = 'sign_in_recovery_code'");
  ASSERT_TRUE(events);
  ASSERT_EQ(events->rows.size(), 1u);
  EXPECT_THAT(events->rows[0].Text(0), HasSubstr("\"recovery_codes_remaining\":9"));
  EXPECT_THAT(events->rows[0].Text(0), ::testing::Not(HasSubstr(recovery[3])));
}

TEST_P(TotpApi, RecoveryCodesAreRegeneratedWithACurrentCode) {
  auto carl = server_->SignedIn("carl@example.com");
  auto [secret, recovery] = Enroll(carl);
  auto refused = carl.Post("/api/v1/me/recovery-codes", R"({"code": "000000"})");
  EXPECT_EQ(refused.status, 422u);
  auto fresh =
      carl.Post("/api/v1/me/recovery-codes", Json(boost::json::object{{"code", CodeFor(secret)}}));
  ASSERT_EQ(fresh.status, 200u) << fresh.body;
  EXPECT_EQ(fresh.Json().at("recovery_codes").as_array().size(), 10u);
  EXPECT_EQ(LoginWith("carl@example.com", recovery[0]).status, 401u);  // the old ones are gone
  std::string fresh_code(fresh.Json().at("recovery_codes").as_array()[0].as_string());
  EXPECT_EQ(LoginWith("carl@example.com", fresh_code).status, 200u);
}

TEST_P(TotpApi, DisablingNeedsAProofAndIsRefusedWhereAnOrganizationRequiresIt) {
  auto alice = server_->SignedIn("alice@example.com");
  auto secret = Enroll(alice).first;
  EXPECT_EQ(alice.Send("DELETE", "/api/v1/me/totp", "{}", {}).status, 422u);
  EXPECT_EQ(alice.Send("DELETE", "/api/v1/me/totp", R"({"password": "wrong"})", {}).status, 422u);

  // The rule is turned on from a session opened with the code (ADR 0020).
  auto session = SessionOf(LoginWith("alice@example.com", CodeFor(secret)));
  ASSERT_TRUE(session);
  NextStep();
  auto org = session->Send("GET", "/api/v1/orgs/" + org_);
  ASSERT_EQ(org.status, 200u);
  EXPECT_EQ(org.Json().at("require_second_factor"), false);
  auto required =
      session->Send("PATCH", "/api/v1/orgs/" + org_, R"({"require_second_factor": true})",
                    {{"If-Match", org.Header("etag")}});
  ASSERT_EQ(required.status, 200u) << required.body;
  auto refused = session->Send("DELETE", "/api/v1/me/totp",
                               Json(boost::json::object{{"password", TestServer::kPassword}}));
  EXPECT_EQ(refused.status, 409u);
  EXPECT_THAT(std::string(refused.Json().at("detail").as_string()), HasSubstr("Acme Ltd"));
  EXPECT_THAT(std::string(refused.Json().at("detail").as_string()), HasSubstr("A.8.5"));

  auto off = session->Send("PATCH", "/api/v1/orgs/" + org_, R"({"require_second_factor": false})",
                           {{"If-Match", required.Header("etag")}});
  ASSERT_EQ(off.status, 200u) << off.body;
  auto disabled = session->Send("DELETE", "/api/v1/me/totp",
                                Json(boost::json::object{{"code", CodeFor(secret)}}));
  EXPECT_EQ(disabled.status, 204u) << disabled.body;
  EXPECT_EQ(SecondFactor(alice).at("totp_enabled"), false);
  EXPECT_EQ(LoginWith("alice@example.com").status, 200u);
}

TEST_P(TotpApi, AnOrganizationRequiringTheSecondFactorAdmitsOnlySessionsOpenedWithOne) {
  auto maria = server_->SignedIn("maria@example.com");
  const std::string token_request =
      Json(boost::json::object{{"name", "ci"}, {"org_id", org_}, {"role", "viewer"}});
  auto token = maria.Post("/api/v1/api-tokens", token_request);
  ASSERT_EQ(token.status, 201u) << token.body;
  auto alice = server_->SignedIn("alice@example.com");
  auto org = alice.Get("/api/v1/orgs/" + org_);
  // Only someone who has a second factor may require it, or they lock themselves out.
  auto early = alice.Patch("/api/v1/orgs/" + org_, R"({"require_second_factor": true})",
                           {{"If-Match", org.Header("etag")}});
  EXPECT_EQ(early.status, 409u);
  EXPECT_THAT(std::string(early.Json().at("detail").as_string()), HasSubstr("Account security"));
  auto alice_secret = Enroll(alice).first;
  // Enrolled, but this session was opened with the password alone (ADR 0020).
  auto stale = alice.Patch("/api/v1/orgs/" + org_, R"({"require_second_factor": true})",
                           {{"If-Match", org.Header("etag")}});
  EXPECT_EQ(stale.status, 409u);
  EXPECT_THAT(std::string(stale.Json().at("detail").as_string()), HasSubstr("sign in again"));
  auto strong = SessionOf(LoginWith("alice@example.com", CodeFor(alice_secret)));
  ASSERT_TRUE(strong);
  NextStep();
  auto carl = server_->SignedIn("carl@example.com");
  EXPECT_EQ(carl.Patch("/api/v1/orgs/" + org_, R"({"require_second_factor": true})",
                       {{"If-Match", org.Header("etag")}})
                .status,
            403u);  // admins only
  EXPECT_EQ(strong
                ->Send("PATCH", "/api/v1/orgs/" + org_, R"({"require_second_factor": "yes"})",
                       {{"If-Match", org.Header("etag")}})
                .status,
            422u);
  auto required =
      strong->Send("PATCH", "/api/v1/orgs/" + org_, R"({"require_second_factor": true})",
                   {{"If-Match", org.Header("etag")}});
  ASSERT_EQ(required.status, 200u) << required.body;
  EXPECT_EQ(required.Json().at("require_second_factor"), true);
  EXPECT_EQ(strong
                ->Send("PATCH", "/api/v1/orgs/" + org_, R"({"require_second_factor": true})",
                       {{"If-Match", org.Header("etag")}})
                .status,
            412u);
  EXPECT_EQ(strong->Send("GET", Issues()).status, 200u);
  // Alice's password-only session stays closed although she has a second factor now.
  auto password_only = alice.Get(Issues());
  EXPECT_EQ(password_only.status, 403u);
  EXPECT_EQ(password_only.Json().at("type"), "urn:certus:problem:second-factor-required");
  EXPECT_EQ(password_only.Json().at("auth_method"), "password");
  EXPECT_THAT(std::string(password_only.Json().at("detail").as_string()),
              HasSubstr("sign in again with your code"));

  // Carl has no second factor: every route of the organization is closed to him ...
  auto blocked = carl.Get(Issues());
  EXPECT_EQ(blocked.status, 403u);
  EXPECT_EQ(blocked.Json().at("type"), "urn:certus:problem:second-factor-required");
  EXPECT_THAT(std::string(blocked.Json().at("detail").as_string()), HasSubstr("/account/security"));
  EXPECT_EQ(carl.Get("/api/v1/orgs/" + org_ + "/members").status, 403u);
  // ... but his own account is open, and says why.
  auto me = carl.Get("/api/v1/auth/me");
  ASSERT_EQ(me.status, 200u);
  EXPECT_EQ(me.Json().at("memberships").as_array()[0].at("require_second_factor"), true);
  EXPECT_EQ(me.Json().at("auth_method"), "password");
  // A token issued before the rule is not affected (ADR 0015); no new one is issued to a
  // session without a second factor, or the rule would be one request away from moot.
  auto refused_token = maria.Post("/api/v1/api-tokens", token_request);
  EXPECT_EQ(refused_token.status, 403u);
  EXPECT_EQ(refused_token.Json().at("type"), "urn:certus:problem:second-factor-required");
  EXPECT_EQ(alice.Post("/api/v1/api-tokens", token_request).status, 403u);
  EXPECT_EQ(strong->Send("POST", "/api/v1/api-tokens", token_request).status, 201u);
  HttpClient bot(server_->port());
  bot.UseBearer(std::string(token.Json().at("token").as_string()));
  EXPECT_EQ(bot.Get(Issues()).status, 200u);
  EXPECT_EQ(bot.Get("/api/v1/auth/me").Json().at("auth_method"), "api_token");
  // An outsider still learns nothing.
  EXPECT_EQ(server_->SignedIn("mallory@example.com").Get(Issues()).status, 404u);

  // Carl enrolls: the session he enrolled in stays closed; the next one, with his code, opens.
  auto carl_secret = Enroll(carl).first;
  EXPECT_EQ(carl.Get(Issues()).status, 403u);
  auto carl_strong = SessionOf(LoginWith("carl@example.com", CodeFor(carl_secret)));
  ASSERT_TRUE(carl_strong);
  EXPECT_EQ(carl_strong->Send("GET", Issues()).status, 200u);
}

TEST_P(TotpApi, EverySessionRecordsHowItWasOpened) {
  auto password = LoginWith("carl@example.com");
  ASSERT_EQ(password.status, 200u);
  EXPECT_EQ(password.Json().at("auth_method"), "password");
  auto carl = server_->SignedIn("carl@example.com");
  EXPECT_EQ(carl.Get("/api/v1/auth/me").Json().at("auth_method"), "password");
  auto [secret, recovery] = Enroll(carl);
  // Enrolling does not change how the session was opened.
  EXPECT_EQ(carl.Get("/api/v1/auth/me").Json().at("auth_method"), "password");

  auto with_code = LoginWith("carl@example.com", CodeFor(secret));
  ASSERT_EQ(with_code.status, 200u) << with_code.body;
  EXPECT_EQ(with_code.Json().at("auth_method"), "password+totp");
  auto code_session = SessionOf(with_code);
  ASSERT_TRUE(code_session);
  EXPECT_EQ(code_session->Send("GET", "/api/v1/auth/me").Json().at("auth_method"), "password+totp");

  auto with_recovery = LoginWith("carl@example.com", recovery[0]);
  ASSERT_EQ(with_recovery.status, 200u) << with_recovery.body;
  EXPECT_EQ(with_recovery.Json().at("auth_method"), "password+recovery");
  auto recovery_session = SessionOf(with_recovery);
  ASSERT_TRUE(recovery_session);
  EXPECT_EQ(recovery_session->Send("GET", "/api/v1/auth/me").Json().at("auth_method"),
            "password+recovery");

  // As stored: one row per session, by its method.
  auto tx = server_->db().Begin(storage::TxMode::kRead);
  ASSERT_TRUE(tx);
  auto methods = (*tx)->Execute(
      "SELECT auth_method, COUNT(*) FROM sessions GROUP BY auth_method ORDER BY auth_method");
  ASSERT_TRUE(methods);
  ASSERT_EQ(methods->rows.size(), 3u);
  EXPECT_EQ(methods->rows[0].Text(0), "password");
  EXPECT_EQ(methods->rows[0].Int(1), 2);
  EXPECT_EQ(methods->rows[1].Text(0), "password+recovery");
  EXPECT_EQ(methods->rows[2].Text(0), "password+totp");
}

TEST_P(TotpApi, ARecoveryCodeSessionMeetsTheRequirement) {
  auto alice = server_->SignedIn("alice@example.com");
  auto [secret, recovery] = Enroll(alice);
  ASSERT_TRUE(storage::InWriteTransaction(server_->db(), [&](storage::Transaction& tx) {
    return tx.Execute("UPDATE organizations SET require_second_factor = 1 WHERE id = $1", {org_});
  }));
  auto session = SessionOf(LoginWith("alice@example.com", recovery[1]));
  ASSERT_TRUE(session);
  EXPECT_EQ(session->Send("GET", Issues()).status, 200u);
  EXPECT_EQ(alice.Get(Issues()).status, 403u);
  // Signing out of a password session answers as before: no provider to sign out of.
  EXPECT_EQ(session->Send("POST", "/api/v1/auth/logout").status, 204u);
  EXPECT_EQ(session->Send("GET", "/api/v1/auth/me").status, 401u);
}

TEST_P(TotpApi, AnInstallationAdminResetsASecondFactorAndEndsTheSessions) {
  auto carl = server_->SignedIn("carl@example.com");
  auto secret = Enroll(carl).first;
  auto session = SessionOf(LoginWith("carl@example.com", CodeFor(secret)));
  ASSERT_TRUE(session);
  std::string carl_id;
  const auto users = server_->app().identity().ListUsers().value();
  for (const auto& user : users) {
    if (user.email == "carl@example.com") carl_id = user.id.str();
  }

  // An organization admin is not an installation admin.
  auto alice = server_->SignedIn("alice@example.com");
  EXPECT_EQ(alice.Send("DELETE", "/api/v1/users/" + carl_id + "/totp", "", {}).status, 403u);

  server_->CreateUser("root@example.com", TestServer::kPassword, true);
  auto root = server_->SignedIn("root@example.com");
  EXPECT_EQ(root.Send("DELETE", "/api/v1/users/" + carl_id + "/totp", "", {}).status, 204u);
  EXPECT_EQ(root.Send("DELETE", "/api/v1/users/" + carl_id + "/totp", "", {}).status, 409u);
  EXPECT_EQ(
      root.Send("DELETE", "/api/v1/users/00000000-0000-4000-8000-000000000001/totp", "", {}).status,
      404u);
  EXPECT_EQ(session->Send("GET", "/api/v1/auth/me").status, 401u);
  EXPECT_EQ(carl.Get("/api/v1/auth/me").status, 401u);
  EXPECT_EQ(LoginWith("carl@example.com").status, 200u);

  auto tx = server_->db().Begin(storage::TxMode::kRead);
  ASSERT_TRUE(tx);
  auto events = (*tx)->Execute("SELECT COUNT(*) FROM audit_events WHERE action = 'reset_totp'");
  ASSERT_TRUE(events);
  EXPECT_EQ(events->rows[0].Int(0), 1);
}

TEST_P(TotpApi, ApiTokensCannotManageASecondFactor) {
  auto token =
      server_->SignedIn("maria@example.com")
          .Post("/api/v1/api-tokens",
                Json(boost::json::object{{"name", "ci"}, {"org_id", org_}, {"role", "manager"}}));
  ASSERT_EQ(token.status, 201u);
  HttpClient bot(server_->port());
  bot.UseBearer(std::string(token.Json().at("token").as_string()));
  EXPECT_EQ(bot.Post("/api/v1/me/totp", "").status, 403u);
}

INSTANTIATE_TEST_SUITE_P(Engines, TotpApi, ::testing::ValuesIn(TestEngines()), EngineName);

}  // namespace
}  // namespace certus::testing
