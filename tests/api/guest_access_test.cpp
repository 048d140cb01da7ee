// External auditor access (issue 9 item 3; ISO 27001 A.5.15, A.5.18, A.8.15; ADR 0018): a
// time-boxed, read-only guest grant to one organization that ends by itself, and the log of
// every request the guest makes. The server's FakeClock starts at 2026-03-02T09:00:00Z.
#include <gmock/gmock.h>

#include "identity/totp.hpp"
#include "tests/api/api_fixture.hpp"

namespace certus::testing {
namespace {

using ::testing::HasSubstr;

class GuestAccessApi : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    gina_id_ = server_->CreateUser("gina@certbody.example");
  }

  std::string Org() const { return "/api/v1/orgs/" + org_; }
  std::string Guests() const { return Org() + "/guests"; }

  Reply Invite(HttpClient& client, const std::string& ends_at = "2026-03-12T09:00:00Z",
               const std::string& starts_at = "") {
    boost::json::object body{{"email", "gina@certbody.example"},
                             {"firm", "Example Certification Body"},
                             {"note", "Stage 1 audit, ref CB-2026-17"},
                             {"ends_at", ends_at}};
    if (!starts_at.empty()) body["starts_at"] = starts_at;
    return client.Post(Guests(), Json(body));
  }

  /// Alice invites Gina; answers the grant.
  boost::json::object Invited() {
    auto alice = server_->SignedIn("alice@example.com");
    auto reply = Invite(alice);
    EXPECT_EQ(reply.status, 201u) << reply.body;
    return reply.Json().as_object();
  }

  std::vector<boost::json::object> AccessLog(HttpClient& client, const std::string& guest = "") {
    auto reply = client.Get(Org() + "/guest-access-log" + (guest.empty() ? "" : "?guest=" + guest));
    EXPECT_EQ(reply.status, 200u) << reply.body;
    std::vector<boost::json::object> rows;
    const auto json = reply.Json();
    if (!json.is_object()) return rows;
    for (const auto& row : json.at("items").as_array()) rows.push_back(row.as_object());
    return rows;
  }

  std::string gina_id_;
};

TEST_P(GuestAccessApi, AnAdminInvitesAGuestWhoReadsTheIsmsButWritesNothing) {
  auto grant = Invited();
  EXPECT_EQ(grant.at("status").as_string(), "active");
  EXPECT_EQ(grant.at("firm").as_string(), "Example Certification Body");
  EXPECT_EQ(grant.at("ends_at").as_string(), "2026-03-12T09:00:00.000000Z");
  EXPECT_EQ(grant.at("remaining_seconds").as_int64(), 10 * 24 * 3600);

  auto gina = server_->SignedIn("gina@certbody.example");
  auto me = gina.Get("/api/v1/auth/me").Json();
  ASSERT_EQ(me.at("memberships").as_array().size(), 1u);
  EXPECT_EQ(me.at("memberships").at(0).at("role").as_string(), "viewer");
  EXPECT_EQ(me.at("memberships").at(0).at("guest_until").as_string(),
            "2026-03-12T09:00:00.000000Z");

  for (const char* path : {"/risks", "/soa", "/documents", "/context-issues", "/members"}) {
    EXPECT_EQ(gina.Get(Org() + path).status, 200u) << path;
  }
  // Every write is refused, whatever the route lets viewers do.
  auto write = gina.Post(Issues(), Json({{"kind", "external"}, {"title", "Audit note"}}));
  EXPECT_EQ(write.status, 403u);
  EXPECT_EQ(write.Header("content-type"), "application/problem+json");
  // No invitations, no API tokens, no access log.
  EXPECT_EQ(Invite(gina).status, 403u);
  auto token = gina.Post("/api/v1/api-tokens",
                         Json({{"name", "audit"}, {"org_id", org_}, {"role", "viewer"}}));
  EXPECT_NE(token.status, 201u);
  EXPECT_EQ(gina.Get(Org() + "/guest-access-log").status, 403u);
  // Not a member: never listed as a possible owner or assignee.
  auto members = gina.Get(Org() + "/members").Json().at("items").as_array();
  for (const auto& member : members) {
    EXPECT_NE(member.at("email").as_string(), "gina@certbody.example");
  }
  // The other organization stays unknown.
  EXPECT_EQ(gina.Get("/api/v1/orgs/" + other_org_ + "/risks").status, 404u);
}

TEST_P(GuestAccessApi, InvitationsAreCheckedAndAudited) {
  auto alice = server_->SignedIn("alice@example.com");
  auto far = Invite(alice, "2026-07-01T09:00:00Z");
  EXPECT_EQ(far.status, 422u);
  EXPECT_THAT(ErrorFields(far), ::testing::Contains("ends_at"));
  EXPECT_EQ(Invite(alice, "2026-03-01T09:00:00Z").status, 422u);
  EXPECT_EQ(Invite(alice, "not a date").status, 422u);
  EXPECT_EQ(alice.Post(Guests(), Json({{"email", "gina@certbody.example"}, {"firm", "CB"}})).status,
            422u);
  auto stranger = alice.Post(
      Guests(),
      Json({{"email", "nobody@example.com"}, {"firm", "CB"}, {"ends_at", "2026-03-12T09:00:00Z"}}));
  EXPECT_EQ(stranger.status, 422u);
  auto member = alice.Post(
      Guests(),
      Json({{"email", "victor@example.com"}, {"firm", "CB"}, {"ends_at", "2026-03-12T09:00:00Z"}}));
  EXPECT_EQ(member.status, 409u);
  auto maria = server_->SignedIn("maria@example.com");
  EXPECT_EQ(Invite(maria).status, 403u);
  EXPECT_EQ(alice.Get(Guests()).Json().at("items").as_array().size(), 0u);

  ASSERT_EQ(Invite(alice).status, 201u);
  EXPECT_EQ(Invite(alice).status, 409u);  // one open grant per guest
  auto audit = alice.Get(Org() + "/audit-log").Json().at("items").as_array();
  EXPECT_THAT(boost::json::serialize(audit.at(0)), HasSubstr("guest_grant"));
}

TEST_P(GuestAccessApi, AccessEndsByItselfAndWaitsForItsStart) {
  auto alice = server_->SignedIn("alice@example.com");
  auto later = Invite(alice, "2026-03-20T09:00:00Z", "2026-03-10T09:00:00Z");
  ASSERT_EQ(later.status, 201u) << later.body;
  EXPECT_EQ(later.Json().at("status").as_string(), "scheduled");
  auto gina = server_->SignedIn("gina@certbody.example");
  EXPECT_EQ(gina.Get(Org() + "/risks").status, 404u);  // not yet

  // Sessions idle out after 12 hours: sign in again after each jump of the clock.
  server_->clock().Advance(std::chrono::hours(24 * 9));
  gina = server_->SignedIn("gina@certbody.example");
  EXPECT_EQ(gina.Get(Org() + "/risks").status, 200u);

  server_->clock().Advance(std::chrono::hours(24 * 10) + std::chrono::seconds(1));
  gina = server_->SignedIn("gina@certbody.example");
  alice = server_->SignedIn("alice@example.com");
  // No job ran: the window alone refuses, as for anyone who is not a member.
  EXPECT_EQ(gina.Get(Org() + "/risks").status, 404u);
  EXPECT_EQ(gina.Get("/api/v1/auth/me").Json().at("memberships").as_array().size(), 0u);
  auto grants = alice.Get(Guests()).Json().at("items").as_array();
  ASSERT_EQ(grants.size(), 1u);
  EXPECT_EQ(grants.at(0).at("status").as_string(), "expired");
  EXPECT_EQ(grants.at(0).at("remaining_seconds").as_int64(), 0);
}

TEST_P(GuestAccessApi, AnAdminRevokesAndExtends) {
  auto grant = Invited();
  const std::string url = Guests() + "/" + std::string(grant.at("id").as_string());
  auto alice = server_->SignedIn("alice@example.com");
  auto gina = server_->SignedIn("gina@certbody.example");

  // Extend with If-Match; a stale version is 412 and changes nothing.
  auto body = Json({{"ends_at", "2026-03-30T09:00:00Z"}, {"note", "Stage 2 as well"}});
  EXPECT_EQ(alice.Patch(url, body).status, 428u);
  auto extended = alice.Patch(url, body, {{"If-Match", "\"1\""}});
  ASSERT_EQ(extended.status, 200u) << extended.body;
  EXPECT_EQ(extended.Header("etag"), "\"2\"");
  EXPECT_EQ(extended.Json().at("ends_at").as_string(), "2026-03-30T09:00:00.000000Z");
  EXPECT_EQ(alice.Patch(url, body, {{"If-Match", "\"1\""}}).status, 412u);
  auto too_far =
      alice.Patch(url, Json({{"ends_at", "2026-09-30T09:00:00Z"}}), {{"If-Match", "\"2\""}});
  EXPECT_EQ(too_far.status, 422u);
  EXPECT_EQ(gina.Patch(url, body, {{"If-Match", "\"2\""}}).status, 403u);

  server_->clock().Advance(std::chrono::hours(24 * 15));
  gina = server_->SignedIn("gina@certbody.example");
  alice = server_->SignedIn("alice@example.com");
  EXPECT_EQ(gina.Get(Org() + "/risks").status, 200u);  // past the first end

  // Revoke: access ends at once.
  auto revoked = alice.Post(url + "/revoke", "", {{"If-Match", "\"2\""}});
  ASSERT_EQ(revoked.status, 200u) << revoked.body;
  EXPECT_EQ(revoked.Json().at("status").as_string(), "revoked");
  EXPECT_EQ(gina.Get(Org() + "/risks").status, 404u);
  EXPECT_EQ(alice.Post(url + "/revoke", "").status, 409u);
  EXPECT_EQ(alice.Patch(url, body, {{"If-Match", "\"3\""}}).status, 409u);

  auto audit = boost::json::serialize(alice.Get(Org() + "/audit-log").Json());
  EXPECT_THAT(audit, HasSubstr("\"revoke\""));
  EXPECT_THAT(audit, HasSubstr("\"extend\""));
}

TEST_P(GuestAccessApi, EveryRequestOfAGuestIsLoggedAndNoMembers) {
  Invited();
  auto gina = server_->SignedIn("gina@certbody.example");
  auto victor = server_->SignedIn("victor@example.com");
  auto read = gina.Get(Org() + "/risks");
  ASSERT_EQ(read.status, 200u);
  gina.Get(Org() + "/documents");
  gina.Post(Issues(), Json({{"kind", "external"}, {"title", "x"}}));  // refused, still logged
  victor.Get(Org() + "/risks");

  auto audrey = server_->SignedIn("audrey@example.com");
  auto rows = AccessLog(audrey, gina_id_);
  ASSERT_GE(rows.size(), 2u);
  for (const auto& row : rows) EXPECT_EQ(row.at("user_id").as_string(), gina_id_);
  bool saw_read = false;
  for (const auto& row : rows) {
    if (row.at("path").as_string() == "/api/v1/orgs/" + org_ + "/risks") {
      saw_read = true;
      EXPECT_EQ(row.at("method").as_string(), "GET");
      EXPECT_EQ(row.at("status").as_int64(), 200);
      EXPECT_EQ(row.at("request_id").as_string(), read.Header("x-request-id"));
      EXPECT_EQ(row.at("at").as_string(), "2026-03-02T09:00:00.000000Z");
    }
  }
  EXPECT_TRUE(saw_read);
  bool saw_refused_write = false;
  for (const auto& row : rows) {
    if (row.at("method").as_string() == "POST" && row.at("status").as_int64() == 403) {
      saw_refused_write = true;
    }
  }
  EXPECT_TRUE(saw_refused_write);
  // Nobody but the guest is in the log; a viewer may not read it.
  auto alice = server_->SignedIn("alice@example.com");
  for (const auto& row : AccessLog(alice)) EXPECT_EQ(row.at("user_id").as_string(), gina_id_);
  EXPECT_EQ(victor.Get(Org() + "/guest-access-log").status, 403u);

  // Keyset paging like other lists.
  auto first = alice.Get(Org() + "/guest-access-log?limit=1").Json();
  ASSERT_EQ(first.at("items").as_array().size(), 1u);
  ASSERT_TRUE(first.at("next_cursor").is_string());
  auto second = alice.Get(Org() + "/guest-access-log?limit=1&cursor=" +
                          std::string(first.at("next_cursor").as_string()));
  EXPECT_EQ(second.status, 200u);
  EXPECT_NE(second.Json().at("items").at(0).at("id"), first.at("items").at(0).at("id"));
}

TEST_P(GuestAccessApi, AGuestMeetsTheOrganizationsSecondFactorRuleLikeAMember) {
  Invited();
  // Gina sets up two-step sign-in in a session opened with her password alone.
  auto gina = server_->SignedIn("gina@certbody.example");
  auto started = gina.Post("/api/v1/me/totp", "");
  ASSERT_EQ(started.status, 200u) << started.body;
  auto key = identity::Base32Decode(std::string(started.Json().at("secret").as_string()));
  ASSERT_TRUE(key);
  auto code = [&] { return identity::TotpCode(*key, identity::TotpStep(server_->clock().Now())); };
  ASSERT_EQ(gina.Post("/api/v1/me/totp/confirm", Json({{"code", code()}})).status, 200u);
  server_->clock().Advance(std::chrono::seconds(30));
  ASSERT_TRUE(storage::InWriteTransaction(server_->db(), [&](storage::Transaction& tx) {
    return tx.Execute("UPDATE organizations SET require_second_factor = 1 WHERE id = $1", {org_});
  }));

  // ISO 27001 A.8.5 (ADR 0020): the guest's password-only session is refused like a member's.
  auto refused = gina.Get(Org() + "/risks");
  EXPECT_EQ(refused.status, 403u);
  EXPECT_EQ(refused.Json().at("type"), "urn:certus:problem:second-factor-required");
  EXPECT_EQ(refused.Json().at("auth_method"), "password");
  auto me = gina.Get("/api/v1/auth/me").Json();
  EXPECT_EQ(me.at("memberships").at(0).at("require_second_factor"), true);

  // Signed in again with the code: the guest reads, and the read is logged.
  auto login = server_->Client().Post("/api/v1/auth/login",
                                      Json({{"email", "gina@certbody.example"},
                                            {"password", TestServer::kPassword},
                                            {"otp", code()}}),
                                      {{"Content-Type", "application/json"}});
  ASSERT_EQ(login.status, 200u) << login.body;
  EXPECT_EQ(login.Json().at("auth_method"), "password+totp");
  const std::string cookie =
      login.Header("set-cookie").substr(0, login.Header("set-cookie").find(';'));
  auto read = server_->Client().Get(Org() + "/risks", {{"Cookie", cookie}});
  EXPECT_EQ(read.status, 200u) << read.body;
  auto tx = server_->db().Begin(storage::TxMode::kRead);
  ASSERT_TRUE(tx);
  auto logged =
      (*tx)->Execute("SELECT status FROM guest_access_log WHERE user_id = $1 AND request_id = $2",
                     {gina_id_, std::string(read.Header("x-request-id"))});
  ASSERT_TRUE(logged);
  ASSERT_EQ(logged->rows.size(), 1u);
  EXPECT_EQ(logged->rows[0].Int(0), 200);
  // Alice's own session has no second factor either: the rule holds for members too.
  EXPECT_EQ(server_->SignedIn("alice@example.com").Get(Org() + "/risks").status, 403u);
}

INSTANTIATE_TEST_SUITE_P(Engines, GuestAccessApi, ::testing::ValuesIn(TestEngines()), EngineName);

}  // namespace
}  // namespace certus::testing
