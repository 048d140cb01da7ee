// Sign-in, sessions, organizations, members and API tokens over HTTP.
#include <gmock/gmock.h>

#include "tests/api/api_fixture.hpp"

namespace certus::testing {
namespace {

using AuthApi = ApiTest;

TEST_P(AuthApi, SignInSetsAHardenedCookieAndMeDescribesTheUser) {
  auto client = server_->Client();
  auto reply = client.Login("Alice@Example.com", TestServer::kPassword);  // case-insensitive
  ASSERT_EQ(reply.status, 200u) << reply.body;
  auto cookie = reply.Header("set-cookie");
  EXPECT_THAT(cookie, ::testing::StartsWith("certus_session=certus_"));
  EXPECT_THAT(cookie, ::testing::HasSubstr("HttpOnly"));
  EXPECT_THAT(cookie, ::testing::HasSubstr("SameSite=Lax"));
  EXPECT_FALSE(reply.Json().at("csrf_token").as_string().empty());

  auto me = client.Get("/api/v1/auth/me");
  ASSERT_EQ(me.status, 200u);
  auto json = me.Json();
  EXPECT_EQ(json.at("user").at("email"), "alice@example.com");
  EXPECT_EQ(json.at("user").at("id"), boost::json::value(alice_id_));
  EXPECT_EQ(json.at("user").at("display_name"), "alice");
  ASSERT_EQ(json.at("memberships").as_array().size(), 1u);
  EXPECT_EQ(json.at("memberships").as_array()[0].at("org_id"), boost::json::value(org_));
  EXPECT_EQ(json.at("memberships").as_array()[0].at("role"), "admin");
}

TEST_P(AuthApi, WrongPasswordAndUnknownEmailFailAlike) {
  auto client = server_->Client();
  auto wrong = client.Login("alice@example.com", "not the password");
  auto unknown = client.Login("nobody@example.com", TestServer::kPassword);
  EXPECT_EQ(wrong.status, 401u);
  EXPECT_EQ(unknown.status, 401u);
  EXPECT_EQ(wrong.Json().at("detail"), unknown.Json().at("detail"));
  EXPECT_EQ(client.Post("/api/v1/auth/login", "{\"email\": \"a@b.c\"}").status, 422u);
  EXPECT_EQ(client.Post("/api/v1/auth/login", "nonsense").status, 400u);
}

TEST_P(AuthApi, RepeatedFailuresAreThrottledEvenWithTheRightPassword) {
  auto client = server_->Client();
  for (int i = 0; i < 5; ++i) EXPECT_EQ(client.Login("alice@example.com", "guess").status, 401u);
  EXPECT_EQ(client.Login("alice@example.com", TestServer::kPassword).status, 429u);
  // The window passes.
  server_->clock().Advance(std::chrono::minutes(16));
  EXPECT_EQ(client.Login("alice@example.com", TestServer::kPassword).status, 200u);
}

TEST_P(AuthApi, TwentyFailuresInARowLockTheAccountUntilAnAdminUnlocksIt) {
  auto client = server_->Client();
  const auto wrong = client.Login("carl@example.com", "guess");
  const auto detail = wrong.Json().at("detail");
  for (int i = 1; i < 20; ++i) {
    if (i % 5 == 0) server_->clock().Advance(std::chrono::minutes(16));  // past the throttle
    ASSERT_EQ(client.Login("carl@example.com", "guess").status, 401u) << "attempt " << i + 1;
  }
  server_->clock().Advance(std::chrono::minutes(16));
  // Locked: the right password is refused too, with the answer an unknown email gets.
  auto locked = client.Login("carl@example.com", TestServer::kPassword);
  EXPECT_EQ(locked.status, 401u);
  EXPECT_EQ(locked.Json().at("detail"), detail);
  EXPECT_EQ(client.Login("nobody@example.com", "guess").Json().at("detail"), detail);

  const Actor admin{UserId(alice_id_), "alice@example.com", std::nullopt, true, {}};
  auto& identity = server_->app().identity();
  auto carl = identity.ListUsers().value();
  for (const auto& u : carl) {
    if (u.email == "carl@example.com") {
      EXPECT_TRUE(u.locked_at.has_value());
    }
  }
  const Actor member{UserId(alice_id_), "alice@example.com", std::nullopt, false, {}};
  EXPECT_EQ(identity.UnlockUser(member, "carl@example.com").error().code(),
            ErrorCode::kPermissionDenied);
  ASSERT_TRUE(identity.UnlockUser(admin, "carl@example.com"));
  EXPECT_EQ(identity.UnlockUser(admin, "carl@example.com").error().code(), ErrorCode::kConflict);
  EXPECT_EQ(client.Login("carl@example.com", TestServer::kPassword).status, 200u);

  // A success starts the count again: 19 failures, a success, 19 more lock nothing.
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < 19; ++i) {
      if (i % 5 == 0) server_->clock().Advance(std::chrono::minutes(16));
      ASSERT_EQ(client.Login("carl@example.com", "guess").status, 401u);
    }
    server_->clock().Advance(std::chrono::minutes(16));
    ASSERT_EQ(client.Login("carl@example.com", TestServer::kPassword).status, 200u);
  }
}

TEST_P(AuthApi, NotSignedInIs401AndLogoutEndsTheSession) {
  auto anonymous = server_->Client();
  EXPECT_EQ(anonymous.Get("/api/v1/auth/me").status, 401u);
  EXPECT_EQ(anonymous.Get(Issues()).status, 401u);
  EXPECT_EQ(anonymous.Get("/api/v1/orgs").status, 401u);

  auto alice = server_->SignedIn("alice@example.com");
  EXPECT_EQ(alice.Post("/api/v1/auth/logout", "").status, 204u);
  EXPECT_EQ(alice.Get("/api/v1/auth/me").status, 401u);
}

TEST_P(AuthApi, SessionsExpireWhenIdleAndAbsolutely) {
  auto alice = server_->SignedIn("alice@example.com");
  server_->clock().Advance(std::chrono::hours(11));
  EXPECT_EQ(alice.Get("/api/v1/auth/me").status, 200u);  // also refreshes the idle timer
  server_->clock().Advance(std::chrono::hours(11));
  EXPECT_EQ(alice.Get("/api/v1/auth/me").status, 200u);
  server_->clock().Advance(std::chrono::hours(13));
  EXPECT_EQ(alice.Get("/api/v1/auth/me").status, 401u);

  auto again = server_->SignedIn("alice@example.com");
  for (int i = 0; i < 16; ++i) {
    server_->clock().Advance(std::chrono::hours(10));
    ASSERT_EQ(again.Get("/api/v1/auth/me").status, 200u) << "after " << (i + 1) * 10 << " h";
  }
  server_->clock().Advance(std::chrono::hours(10));  // 170 h: past the 7-day limit
  EXPECT_EQ(again.Get("/api/v1/auth/me").status, 401u);
}

TEST_P(AuthApi, CreatingAnOrganizationMakesTheCreatorItsAdmin) {
  auto victor = server_->SignedIn("victor@example.com");
  auto reply = victor.Post("/api/v1/orgs", Json({{"name", "Victor's Venture"}}));
  ASSERT_EQ(reply.status, 201u) << reply.body;
  EXPECT_EQ(reply.Json().at("role"), "admin");
  EXPECT_FALSE(reply.Header("location").empty());
  auto orgs = victor.Get("/api/v1/orgs").Json().at("items").as_array();
  ASSERT_EQ(orgs.size(), 2u);
  EXPECT_EQ(victor.Post("/api/v1/orgs", Json({{"name", ""}})).status, 422u);
  EXPECT_EQ(victor.Post("/api/v1/orgs", "{").status, 400u);
}

TEST_P(AuthApi, AdminsManageMembersAndAnOrganizationKeepsAnAdmin) {
  auto alice = server_->SignedIn("alice@example.com");
  auto members_url = "/api/v1/orgs/" + org_ + "/members";
  EXPECT_EQ(alice.Get(members_url).Json().at("items").as_array().size(), 5u);

  server_->CreateUser("nina@example.com");
  auto added = alice.Post(members_url, Json({{"email", "nina@example.com"}, {"role", "viewer"}}));
  ASSERT_EQ(added.status, 201u) << added.body;
  auto nina_url = members_url + "/" + std::string(added.Json().at("user_id").as_string());
  EXPECT_EQ(
      alice.Post(members_url, Json({{"email", "nina@example.com"}, {"role", "viewer"}})).status,
      409u);
  EXPECT_EQ(
      alice.Post(members_url, Json({{"email", "ghost@example.com"}, {"role", "viewer"}})).status,
      422u);
  EXPECT_EQ(
      alice.Post(members_url, Json({{"email", "nina@example.com"}, {"role", "owner"}})).status,
      422u);

  EXPECT_EQ(alice.Patch(nina_url, Json({{"role", "manager"}})).status, 428u);
  auto changed = alice.Patch(nina_url, Json({{"role", "manager"}}), {{"If-Match", "\"1\""}});
  EXPECT_EQ(changed.status, 200u);
  EXPECT_EQ(changed.Json().at("role"), "manager");
  EXPECT_EQ(alice.Patch(nina_url, Json({{"role", "viewer"}}), {{"If-Match", "\"1\""}}).status,
            412u);

  auto maria = server_->SignedIn("maria@example.com");
  EXPECT_EQ(maria.Get(members_url).status, 200u);
  EXPECT_EQ(maria.Delete(nina_url, {{"If-Match", "\"2\""}}).status, 403u);

  auto alice_url = members_url + "/" + alice_id_;
  EXPECT_EQ(alice.Patch(alice_url, Json({{"role", "viewer"}}), {{"If-Match", "\"1\""}}).status,
            409u);
  EXPECT_EQ(alice.Delete(alice_url, {{"If-Match", "\"1\""}}).status, 409u);
  EXPECT_EQ(alice.Delete(nina_url, {{"If-Match", "\"2\""}}).status, 204u);

  auto history = alice.Get(nina_url + "/history");
  ASSERT_EQ(history.status, 200u) << history.body;
  auto events = history.Json();
  ASSERT_EQ(events.at("items").as_array().size(), 3u);
  EXPECT_EQ(events.at("items").as_array()[1].at("before").at("role"), "viewer");
  EXPECT_EQ(events.at("items").as_array()[1].at("after").at("role"), "manager");
  EXPECT_EQ(events.at("items").as_array()[2].at("action"), "delete");
}

TEST_P(AuthApi, ApiTokensWorkInTheirOrganizationAtTheirRoleOnly) {
  auto alice = server_->SignedIn("alice@example.com");
  auto created = alice.Post("/api/v1/api-tokens",
                            Json({{"name", "reporting"}, {"org_id", org_}, {"role", "viewer"}}));
  ASSERT_EQ(created.status, 201u) << created.body;
  std::string token(created.Json().at("token").as_string());

  auto bot = server_->Client();
  bot.UseBearer(token);
  EXPECT_EQ(bot.Get(Issues()).status, 200u);
  // A viewer token cannot write even though its creator could; no CSRF is needed for tokens.
  EXPECT_EQ(bot.Post(Issues(), Json({{"kind", "internal"}, {"title", "x"}})).status, 403u);
  EXPECT_EQ(bot.Get("/api/v1/orgs/" + other_org_ + "/context-issues").status, 404u);
  EXPECT_EQ(bot.Get("/api/v1/orgs").Json().at("items").as_array().size(), 1u);

  auto listed = alice.Get("/api/v1/api-tokens").Json().at("items").as_array();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_FALSE(listed[0].as_object().contains("token"));  // shown once, stored only as a hash

  auto victor = server_->SignedIn("victor@example.com");
  EXPECT_EQ(victor
                .Post("/api/v1/api-tokens",
                      Json({{"name", "escalate"}, {"org_id", org_}, {"role", "admin"}}))
                .status,
            422u);
  EXPECT_EQ(victor
                .Post("/api/v1/api-tokens",
                      Json({{"name", "elsewhere"}, {"org_id", other_org_}, {"role", "viewer"}}))
                .status,
            422u);

  auto id = std::string(created.Json().at("id").as_string());
  EXPECT_EQ(victor.Delete("/api/v1/api-tokens/" + id).status, 404u);
  EXPECT_EQ(alice.Delete("/api/v1/api-tokens/" + id).status, 204u);
  EXPECT_EQ(bot.Get(Issues()).status, 401u);
}

INSTANTIATE_TEST_SUITE_P(Engines, AuthApi, ::testing::ValuesIn(TestEngines()), EngineName);

}  // namespace
}  // namespace certus::testing
