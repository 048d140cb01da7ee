// HTTP scenarios for the risk register and risk acceptance (ISO 27001 6.1.2, 6.1.3).
#include <algorithm>

#include <gmock/gmock.h>

#include "tests/api/api_fixture.hpp"

namespace certus::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

class RisksApi : public ApiTest {
 protected:
  std::string Risks() const { return "/api/v1/orgs/" + org_ + "/risks"; }
  std::string Treatments() const { return "/api/v1/orgs/" + org_ + "/treatments"; }

  std::string IdOf(const std::string& email) {
    auto client = server_->SignedIn(email);
    return std::string(client.Get("/api/v1/auth/me").Json().at("user").at("id").as_string());
  }

  boost::json::value CreateRisk(HttpClient& client, const std::string& title,
                                const std::string& owner_id, int likelihood, int impact,
                                const boost::json::object& extra = {}) {
    boost::json::object body{
        {"title", title}, {"owner_id", owner_id}, {"likelihood", likelihood}, {"impact", impact}};
    for (auto& [key, value] : extra) body[key] = value;
    auto reply = client.Post(Risks(), Json(body));
    EXPECT_EQ(reply.status, 201u) << reply.body;
    return reply.Json();
  }

  std::string Url(const boost::json::value& risk) const {
    return Risks() + "/" + std::string(risk.at("id").as_string());
  }

  static std::string Etag(const boost::json::value& object) {
    return "\"" + std::to_string(object.at("version").as_int64()) + "\"";
  }

  boost::json::value AddAction(HttpClient& client, const boost::json::value& risk,
                               const std::string& title) {
    auto reply = client.Post(Treatments(), Json({{"risk_id", risk.at("id")}, {"title", title}}));
    EXPECT_EQ(reply.status, 201u) << reply.body;
    return reply.Json();
  }
};

TEST_P(RisksApi, ScoresAndLevelsAreComputedFromTheMethodologyInForce) {
  auto alice = server_->SignedIn("alice@example.com");
  auto reply = alice.Post(Risks(), Json({{"title", "Ransomware on file servers"},
                                         {"threat", "Ransomware"},
                                         {"vulnerability", "Unpatched SMB"},
                                         {"owner_id", alice_id_},
                                         {"likelihood", 4},
                                         {"impact", 4}}));
  ASSERT_EQ(reply.status, 201u) << reply.body;
  auto risk = reply.Json();
  EXPECT_EQ(risk.at("ref"), "R-0001");
  EXPECT_EQ(risk.at("inherent_score"), 16);
  EXPECT_EQ(risk.at("inherent_level"), "High");
  EXPECT_EQ(risk.at("above_threshold"), true);
  EXPECT_EQ(risk.at("treatment"), "undecided");
  EXPECT_EQ(risk.at("status"), "open");
  EXPECT_EQ(risk.at("residual_score"), nullptr);
  EXPECT_EQ(risk.at("acceptance"), nullptr);
  EXPECT_EQ(risk.at("open_treatments"), 0);
  // Assessed today (the fake clock's 2026-03-02); reviewed after the 12-month interval.
  EXPECT_EQ(risk.at("last_assessed_on"), "2026-03-02");
  EXPECT_EQ(risk.at("next_review_on"), "2027-03-02");
  EXPECT_EQ(reply.Header("etag"), "\"1\"");
  EXPECT_EQ(reply.Header("location"), Url(risk));
  EXPECT_EQ(alice.Get(Url(risk)).Json(), risk);

  // The residual rating, once made, is the score that matters for the threshold.
  auto rated = alice.Patch(Url(risk),
                           Json({{"residual_likelihood", 2},
                                 {"residual_impact", 3},
                                 {"inherent_score", 1},
                                 {"last_assessed_on", "2026-02-15"}}),
                           {{"If-Match", "\"1\""}});
  ASSERT_EQ(rated.status, 200u) << rated.body;
  EXPECT_EQ(rated.Json().at("inherent_score"), 16);  // computed, never taken from a client
  EXPECT_EQ(rated.Json().at("residual_score"), 6);
  EXPECT_EQ(rated.Json().at("residual_level"), "Medium");
  EXPECT_EQ(rated.Json().at("above_threshold"), false);
  EXPECT_EQ(rated.Json().at("next_review_on"), "2027-02-15");

  auto low = CreateRisk(alice, "Coffee spill", alice_id_, 1, 2);
  EXPECT_EQ(low.at("inherent_level"), "Low");
  EXPECT_EQ(low.at("above_threshold"), false);
}

TEST_P(RisksApi, RatingsOutsideTheScalesAndBadFieldsAre422) {
  auto alice = server_->SignedIn("alice@example.com");
  auto missing = alice.Post(Risks(), "{}");
  EXPECT_EQ(missing.status, 422u);
  EXPECT_THAT(ErrorFields(missing),
              UnorderedElementsAre("title", "owner_id", "likelihood", "impact"));

  auto out = alice.Post(Risks(), Json({{"title", "Flood"},
                                       {"owner_id", alice_id_},
                                       {"likelihood", 6},
                                       {"impact", 0},
                                       {"residual_likelihood", 2}}));
  EXPECT_EQ(out.status, 422u) << out.body;
  EXPECT_THAT(ErrorFields(out), UnorderedElementsAre("likelihood", "impact", "residual_impact"));

  auto wrong = alice.Post(Risks(), Json({{"title", "Flood"},
                                         {"owner_id", alice_id_},
                                         {"likelihood", 6},
                                         {"impact", 2},
                                         {"treatment", "ignore"},
                                         {"status", "gone"},
                                         {"next_review_on", "tomorrow"},
                                         {"asset_ids", "all"},
                                         {"colour", "red"}}));
  EXPECT_EQ(wrong.status, 422u);
  // One answer names every invalid field, the rating outside the scale included.
  EXPECT_THAT(ErrorFields(wrong), UnorderedElementsAre("likelihood", "treatment", "status",
                                                       "next_review_on", "asset_ids", "colour"));

  for (const auto& owner : {mallory_id_, std::string("no-such-user")}) {
    auto reply = alice.Post(
        Risks(), Json({{"title", "Flood"}, {"owner_id", owner}, {"likelihood", 2}, {"impact", 2}}));
    EXPECT_EQ(reply.status, 422u);
    EXPECT_THAT(ErrorFields(reply), ElementsAre("owner_id"));
  }
  EXPECT_EQ(alice.Get(Risks()).Json().at("items").as_array().size(), 0u);
}

TEST_P(RisksApi, AssetsMustBelongToTheOrganization) {
  auto alice = server_->SignedIn("alice@example.com");
  auto mallory = server_->SignedIn("mallory@example.com");
  auto asset = alice
                   .Post("/api/v1/orgs/" + org_ + "/assets",
                         Json({{"name", "CRM"}, {"type", "software"}, {"owner_id", alice_id_}}))
                   .Json();
  auto foreign = mallory
                     .Post("/api/v1/orgs/" + other_org_ + "/assets",
                           Json({{"name", "X"}, {"type", "software"}, {"owner_id", mallory_id_}}))
                     .Json();
  auto bad = alice.Post(Risks(), Json({{"title", "Leak"},
                                       {"owner_id", alice_id_},
                                       {"likelihood", 2},
                                       {"impact", 2},
                                       {"asset_ids", boost::json::array{foreign.at("id")}}}));
  EXPECT_EQ(bad.status, 422u);
  EXPECT_THAT(ErrorFields(bad), ElementsAre("asset_ids"));
  auto risk = CreateRisk(alice, "Leak", alice_id_, 2, 2,
                         {{"asset_ids", boost::json::array{asset.at("id"), asset.at("id")}}});
  EXPECT_EQ(risk.at("asset_ids"), boost::json::array{asset.at("id")});
  auto filtered = alice.Get(Risks() + "?asset_id=" + std::string(asset.at("id").as_string()));
  EXPECT_EQ(filtered.Json().at("items").as_array().size(), 1u);
}

TEST_P(RisksApi, EachTreatmentRuleIsRefusedWith409) {
  auto alice = server_->SignedIn("alice@example.com");
  auto risk = CreateRisk(alice, "Data centre fire", alice_id_, 4, 4);

  // ISO 27001 6.1.3: transfer names the party.
  auto transfer =
      alice.Patch(Url(risk), Json({{"treatment", "transfer"}}), {{"If-Match", "\"1\""}});
  EXPECT_EQ(transfer.status, 409u) << transfer.body;
  EXPECT_THAT(transfer.body, ::testing::HasSubstr("transfer_to"));
  auto transferred =
      alice.Patch(Url(risk), Json({{"treatment", "transfer"}, {"transfer_to", "Insurer plc"}}),
                  {{"If-Match", "\"1\""}});
  EXPECT_EQ(transferred.status, 200u) << transferred.body;
  risk = transferred.Json();

  // Mitigation needs a treatment action.
  auto mitigate =
      alice.Patch(Url(risk), Json({{"treatment", "mitigate"}}), {{"If-Match", Etag(risk)}});
  EXPECT_EQ(mitigate.status, 409u);
  EXPECT_THAT(mitigate.body, ::testing::HasSubstr("treatment action"));
  auto action = AddAction(alice, risk, "Install sprinklers");
  auto mitigated =
      alice.Patch(Url(risk), Json({{"treatment", "mitigate"}}), {{"If-Match", Etag(risk)}});
  ASSERT_EQ(mitigated.status, 200u) << mitigated.body;
  risk = mitigated.Json();
  EXPECT_EQ(risk.at("open_treatments"), 1);

  // Open actions keep the risk open.
  auto close = alice.Patch(Url(risk), Json({{"status", "closed"}}), {{"If-Match", Etag(risk)}});
  EXPECT_EQ(close.status, 409u);
  EXPECT_THAT(close.body, ::testing::HasSubstr("open treatment actions"));
  auto done = alice.Patch(Treatments() + "/" + std::string(action.at("id").as_string()),
                          Json({{"status", "done"}}), {{"If-Match", "\"1\""}});
  ASSERT_EQ(done.status, 200u) << done.body;
  auto closed = alice.Patch(Url(risk), Json({{"status", "closed"}}), {{"If-Match", Etag(risk)}});
  ASSERT_EQ(closed.status, 200u) << closed.body;
  EXPECT_EQ(closed.Json().at("open_treatments"), 0);

  // A risk with treatment actions is retained.
  auto removed = alice.Delete(Url(risk), {{"If-Match", Etag(closed.Json())}});
  EXPECT_EQ(removed.status, 409u);
  EXPECT_EQ(alice.Get(Url(risk)).status, 200u);
}

TEST_P(RisksApi, AcceptingARiskAboveTheThresholdNeedsAnAcceptanceFirst) {
  auto alice = server_->SignedIn("alice@example.com");
  auto carl_id = IdOf("carl@example.com");
  auto carl = server_->SignedIn("carl@example.com");
  auto maria = server_->SignedIn("maria@example.com");
  auto risk = CreateRisk(alice, "Supplier outage", carl_id, 3, 4);  // 12 > 8
  auto accept = alice.Patch(Url(risk), Json({{"treatment", "accept"}}), {{"If-Match", "\"1\""}});
  EXPECT_EQ(accept.status, 409u);
  EXPECT_THAT(accept.body, ::testing::HasSubstr("acceptance"));

  // Below the threshold no acceptance record is needed.
  auto small = CreateRisk(alice, "Printer jam", alice_id_, 2, 2, {{"treatment", "accept"}});
  EXPECT_EQ(small.at("treatment"), "accept");

  // Only the owner or a manager accepts; a contributor who does not own it may not.
  auto other = CreateRisk(alice, "Other", alice_id_, 3, 4);
  auto refused = carl.Post(Url(other) + "/acceptance",
                           Json({{"rationale", "Fine"}, {"expires_on", "2026-12-31"}}));
  EXPECT_EQ(refused.status, 403u);
  EXPECT_EQ(server_->SignedIn("victor@example.com")
                .Post(Url(risk) + "/acceptance",
                      Json({{"rationale", "Fine"}, {"expires_on", "2026-12-31"}}))
                .status,
            403u);
  auto invalid = carl.Post(Url(risk) + "/acceptance", Json({{"expires_on", "2026-03-01"}}));
  EXPECT_EQ(invalid.status, 422u);
  EXPECT_THAT(ErrorFields(invalid), UnorderedElementsAre("rationale"));
  auto past = carl.Post(Url(risk) + "/acceptance",
                        Json({{"rationale", "Fine"}, {"expires_on", "2026-03-02"}}));
  EXPECT_EQ(past.status, 422u);
  EXPECT_THAT(ErrorFields(past), ElementsAre("expires_on"));

  auto accepted = carl.Post(Url(risk) + "/acceptance",
                            Json({{"rationale", "Second supplier costs more than the risk"},
                                  {"expires_on", "2026-03-10"}}));
  ASSERT_EQ(accepted.status, 200u) << accepted.body;
  auto acceptance = accepted.Json().at("acceptance");
  EXPECT_EQ(acceptance.at("by_email"), "carl@example.com");
  EXPECT_EQ(acceptance.at("by_id"), boost::json::value(carl_id));
  EXPECT_EQ(acceptance.at("expires_on"), "2026-03-10");
  EXPECT_EQ(acceptance.at("expired"), false);
  EXPECT_EQ(maria
                .Post(Url(other) + "/acceptance",
                      Json({{"rationale", "On behalf"}, {"expires_on", "2026-12-31"}}))
                .status,
            200u);
  auto ok =
      carl.Patch(Url(risk), Json({{"treatment", "accept"}}), {{"If-Match", Etag(accepted.Json())}});
  ASSERT_EQ(ok.status, 200u) << ok.body;

  // An expired acceptance no longer counts.
  auto expiring = CreateRisk(alice, "Legacy app", alice_id_, 4, 3);
  alice.Post(Url(expiring) + "/acceptance",
             Json({{"rationale", "Until replaced"}, {"expires_on", "2026-03-05"}}));
  server_->clock().Advance(std::chrono::hours(24 * 5));
  auto later = server_->SignedIn("alice@example.com");
  auto fetched = later.Get(Url(expiring)).Json();
  EXPECT_EQ(fetched.at("acceptance").at("expired"), true);
  auto stale =
      later.Patch(Url(expiring), Json({{"treatment", "accept"}}), {{"If-Match", Etag(fetched)}});
  EXPECT_EQ(stale.status, 409u) << stale.body;
}

TEST_P(RisksApi, PermissionsFollowRolesAndOwnership) {
  auto alice = server_->SignedIn("alice@example.com");
  auto carl_id = IdOf("carl@example.com");
  auto carl = server_->SignedIn("carl@example.com");
  auto theirs = CreateRisk(alice, "Alice's", alice_id_, 2, 2);
  auto own = CreateRisk(carl, "Carl's", carl_id, 2, 2);
  EXPECT_EQ(carl.Post(Risks(), Json({{"title", "For Alice"},
                                     {"owner_id", alice_id_},
                                     {"likelihood", 1},
                                     {"impact", 1}}))
                .status,
            403u);
  EXPECT_EQ(carl.Patch(Url(own), Json({{"threat", "Theft"}}), {{"If-Match", "\"1\""}}).status,
            200u);
  EXPECT_EQ(carl.Patch(Url(theirs), Json({{"threat", "Theft"}}), {{"If-Match", "\"1\""}}).status,
            403u);
  for (const auto* email : {"victor@example.com", "audrey@example.com"}) {
    auto reader = server_->SignedIn(email);
    EXPECT_EQ(reader.Get(Url(theirs)).status, 200u);
    EXPECT_EQ(reader.Get(Risks()).Json().at("items").as_array().size(), 2u);
    EXPECT_EQ(
        reader
            .Post(Risks(),
                  Json({{"title", "X"}, {"owner_id", alice_id_}, {"likelihood", 1}, {"impact", 1}}))
            .status,
        403u);
    EXPECT_EQ(reader.Patch(Url(theirs), Json({{"title", "Y"}}), {{"If-Match", "\"1\""}}).status,
              403u);
    EXPECT_EQ(reader.Delete(Url(theirs), {{"If-Match", "\"1\""}}).status, 403u);
  }
  auto maria = server_->SignedIn("maria@example.com");
  EXPECT_EQ(maria.Patch(Url(own), Json({{"title", "Renamed"}}), {{"If-Match", "\"2\""}}).status,
            200u);
}

TEST_P(RisksApi, PatchAndDeleteNeedIfMatchAndRefuseStaleVersions) {
  auto alice = server_->SignedIn("alice@example.com");
  auto risk = CreateRisk(alice, "Phishing", alice_id_, 4, 3);
  EXPECT_EQ(alice.Patch(Url(risk), Json({{"title", "X"}})).status, 428u);
  EXPECT_EQ(alice.Delete(Url(risk)).status, 428u);
  EXPECT_EQ(alice.Patch(Url(risk), Json({{"title", "Phishing 2"}}), {{"If-Match", "\"1\""}}).status,
            200u);
  EXPECT_EQ(alice.Patch(Url(risk), Json({{"title", "Lost"}}), {{"If-Match", "\"1\""}}).status,
            412u);
  EXPECT_EQ(alice.Delete(Url(risk), {{"If-Match", "\"1\""}}).status, 412u);
  EXPECT_EQ(alice.Get(Url(risk)).Json().at("title"), "Phishing 2");
  EXPECT_EQ(alice.Delete(Url(risk), {{"If-Match", "\"2\""}}).status, 204u);
  EXPECT_EQ(alice.Get(Url(risk)).status, 404u);
}

TEST_P(RisksApi, ListSortsByInherentScoreFiltersAndPagesWithoutGaps) {
  auto alice = server_->SignedIn("alice@example.com");
  auto carl_id = IdOf("carl@example.com");
  const int ratings[][2] = {{1, 1}, {5, 5}, {3, 3}, {4, 4}, {2, 3}, {4, 4}, {1, 5}};
  for (int i = 0; i < 7; ++i) {
    CreateRisk(alice, "Risk " + std::to_string(i), i % 2 ? carl_id : alice_id_, ratings[i][0],
               ratings[i][1]);
  }
  std::vector<std::int64_t> scores;
  std::string cursor;
  do {
    auto reply = alice.Get(Risks() + "?limit=3" + (cursor.empty() ? "" : "&cursor=" + cursor));
    ASSERT_EQ(reply.status, 200u) << reply.body;
    auto json = reply.Json();
    for (const auto& item : json.at("items").as_array()) {
      scores.push_back(item.at("inherent_score").as_int64());
    }
    cursor =
        json.at("next_cursor").is_null() ? "" : std::string(json.at("next_cursor").as_string());
  } while (!cursor.empty());
  EXPECT_THAT(scores, ElementsAre(25, 16, 16, 9, 6, 5, 1));

  auto ascending = alice.Get(Risks() + "?sort=residual_score&limit=2");
  EXPECT_EQ(ascending.status, 200u) << ascending.body;
  auto next = alice.Get(Risks() + "?sort=residual_score&limit=2&cursor=" +
                        std::string(ascending.Json().at("next_cursor").as_string()));
  EXPECT_EQ(next.status, 200u) << next.body;

  EXPECT_EQ(alice.Get(Risks() + "?level=High").Json().at("items").as_array().size(), 2u);
  EXPECT_EQ(alice.Get(Risks() + "?owner_id=" + carl_id).Json().at("items").as_array().size(), 3u);
  EXPECT_EQ(alice.Get(Risks() + "?treatment=undecided").Json().at("items").as_array().size(), 7u);
  EXPECT_EQ(alice.Get(Risks() + "?status=closed").Json().at("items").as_array().size(), 0u);
  auto found = alice.Get(Risks() + "?q=risk%203").Json().at("items").as_array();
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].at("title"), "Risk 3");
  EXPECT_THAT(ErrorFields(alice.Get(Risks() + "?treatment=x&status=y")),
              UnorderedElementsAre("treatment", "status"));
  EXPECT_EQ(alice.Get(Risks() + "?sort=owner").status, 422u);
}

TEST_P(RisksApi, SearchFindsTextAnywhereInTheFourColumnsWithoutRegardToCase) {
  auto alice = server_->SignedIn("alice@example.com");
  auto leak = CreateRisk(alice, "Customer data leak", alice_id_, 2, 3,
                         {{"threat", "Phishing of the \"finance\" team"}});
  CreateRisk(alice, "Ransomware", alice_id_, 3, 3, {{"vulnerability", "Unpatched VPN appliance"}});
  auto titles = [&](const std::string& q) {
    std::vector<std::string> found;
    auto reply = alice.Get(Risks() + "?q=" + q);
    EXPECT_EQ(reply.status, 200u) << reply.body;
    const auto json = reply.Json();
    for (const auto& item : json.at("items").as_array()) {
      found.emplace_back(item.at("title").as_string());
    }
    return found;
  };
  EXPECT_THAT(titles("DATA%20LE"), ElementsAre("Customer data leak"));  // inside a word, any case
  EXPECT_THAT(titles("vpn"), ElementsAre("Ransomware"));                // the vulnerability
  EXPECT_THAT(titles("%22finance%22"), ElementsAre("Customer data leak"));  // quotes are text
  EXPECT_THAT(titles("%22"), ElementsAre("Customer data leak"));  // shorter than a trigram
  EXPECT_THAT(titles("zz"), ElementsAre());
  EXPECT_THAT(titles("a%22%20OR%20%22b"), ElementsAre());  // no query syntax gets through

  // The index follows edits and deletions.
  auto renamed =
      alice.Patch(Url(leak), Json({{"title", "Supplier breach"}}), {{"If-Match", Etag(leak)}});
  ASSERT_EQ(renamed.status, 200u) << renamed.body;
  EXPECT_THAT(titles("data%20leak"), ElementsAre());
  EXPECT_THAT(titles("supplier"), ElementsAre("Supplier breach"));
  // An edit of the rating alone leaves the text, and the index, as they were.
  auto rerated =
      alice.Patch(Url(leak), Json({{"likelihood", 4}}), {{"If-Match", Etag(renamed.Json())}});
  ASSERT_EQ(rerated.status, 200u) << rerated.body;
  EXPECT_THAT(titles("supplier"), ElementsAre("Supplier breach"));
  EXPECT_THAT(titles("phishing"), ElementsAre("Supplier breach"));
  auto deleted = alice.Delete(Url(leak), {{"If-Match", Etag(rerated.Json())}});
  ASSERT_EQ(deleted.status, 204u) << deleted.body;
  EXPECT_THAT(titles("supplier"), ElementsAre());
}

TEST_P(RisksApi, RefsSortByTheirNumber) {
  auto alice = server_->SignedIn("alice@example.com");
  CreateRisk(alice, "First", alice_id_, 1, 1);  // R-0001
  // Jump the counter so that the next refs cross from four digits to five.
  auto jumped = storage::InWriteTransaction(server_->db(), [&](storage::Transaction& tx) {
    return tx.Execute("UPDATE org_counters SET value = 9997 WHERE org_id = $1 AND name = 'risk'",
                      {org_});
  });
  ASSERT_TRUE(jumped);
  for (const char* title : {"Second", "Third", "Fourth"}) CreateRisk(alice, title, alice_id_, 2, 2);

  auto refs = [&](const std::string& sort, int limit) {
    std::vector<std::string> out;
    std::string cursor;
    do {
      auto reply = alice.Get(Risks() + "?sort=" + sort + "&limit=" + std::to_string(limit) +
                             (cursor.empty() ? "" : "&cursor=" + cursor));
      EXPECT_EQ(reply.status, 200u) << reply.body;
      if (reply.status != 200u) break;
      auto json = reply.Json();
      for (const auto& item : json.at("items").as_array()) {
        out.emplace_back(item.at("ref").as_string());
      }
      cursor =
          json.at("next_cursor").is_null() ? "" : std::string(json.at("next_cursor").as_string());
    } while (!cursor.empty());
    return out;
  };
  // By number, across pages (the cursor carries the number), both ways.
  EXPECT_THAT(refs("ref", 2), ElementsAre("R-0001", "R-9998", "R-9999", "R-10000"));
  EXPECT_THAT(refs("-ref", 3), ElementsAre("R-10000", "R-9999", "R-9998", "R-0001"));
}

TEST_P(RisksApi, HistoryListsEveryChange) {
  auto alice = server_->SignedIn("alice@example.com");
  auto risk = CreateRisk(alice, "Insider", alice_id_, 2, 4);
  alice.Patch(Url(risk), Json({{"likelihood", 3}}), {{"If-Match", "\"1\""}});
  alice.Post(Url(risk) + "/acceptance", Json({{"rationale", "OK"}, {"expires_on", "2027-01-01"}}));
  alice.Delete(Url(risk), {{"If-Match", "\"3\""}});
  auto history = alice.Get(Url(risk) + "/history");
  ASSERT_EQ(history.status, 200u) << history.body;
  auto json = history.Json();
  const auto& items = json.at("items").as_array();
  ASSERT_EQ(items.size(), 4u);
  EXPECT_EQ(items[0].at("action"), "create");
  EXPECT_EQ(items[1].at("before").at("inherent_score"), 8);
  EXPECT_EQ(items[1].at("after").at("inherent_score"), 12);
  EXPECT_EQ(items[2].at("action"), "accept");
  EXPECT_EQ(items[3].at("action"), "delete");
  EXPECT_EQ(alice.Get("/api/v1/orgs/" + org_ + "/audit-log/verify").Json().at("ok"), true);
}

TEST_P(RisksApi, OtherOrganizationsSeeNothingAndChangeNothing) {
  auto alice = server_->SignedIn("alice@example.com");
  auto mallory = server_->SignedIn("mallory@example.com");
  auto risk = CreateRisk(alice, "Secret", alice_id_, 2, 2);
  EXPECT_EQ(mallory.Get(Url(risk)).status, 404u);
  EXPECT_EQ(mallory.Get(Risks()).status, 404u);
  EXPECT_EQ(mallory.Get(Url(risk) + "/history").status, 404u);
  EXPECT_EQ(mallory.Patch(Url(risk), Json({{"title", "X"}}), {{"If-Match", "\"1\""}}).status, 404u);
  EXPECT_EQ(
      mallory
          .Post(Url(risk) + "/acceptance", Json({{"rationale", "X"}, {"expires_on", "2027-01-01"}}))
          .status,
      404u);
  // Mallory's own organization does not hold the risk either.
  auto theirs = "/api/v1/orgs/" + other_org_ + "/risks/" + std::string(risk.at("id").as_string());
  EXPECT_EQ(mallory.Get(theirs).status, 404u);
  EXPECT_EQ(alice.Get(Url(risk)).Json().at("title"), "Secret");
}

TEST_P(RisksApi, ControlsOfTheSoaTreatRisks) {
  auto alice = server_->SignedIn("alice@example.com");
  auto mallory = server_->SignedIn("mallory@example.com");
  auto controls = alice.Get("/api/v1/orgs/" + org_ + "/controls?limit=3").Json().at("items");
  auto a51 = controls.at(0).at("id");
  auto a52 = controls.at(1).at("id");
  auto foreign = mallory.Get("/api/v1/orgs/" + other_org_ + "/controls?limit=1")
                     .Json()
                     .at("items")
                     .at(0)
                     .at("id");
  for (const auto& ids : {boost::json::array{foreign}, boost::json::array{"no-such-control"}}) {
    auto bad = alice.Post(Risks(), Json({{"title", "Leak"},
                                         {"owner_id", alice_id_},
                                         {"likelihood", 2},
                                         {"impact", 2},
                                         {"control_ids", ids}}));
    EXPECT_EQ(bad.status, 422u) << bad.body;
    EXPECT_THAT(ErrorFields(bad), ElementsAre("control_ids"));
  }
  auto wrong = alice.Post(Risks(), Json({{"title", "Leak"},
                                         {"owner_id", alice_id_},
                                         {"likelihood", 2},
                                         {"impact", 2},
                                         {"control_ids", "A.5.1"}}));
  EXPECT_EQ(wrong.status, 422u);
  EXPECT_THAT(ErrorFields(wrong), ElementsAre("control_ids"));

  // Linked controls are kept once each and satisfy mitigation without treatment actions.
  auto risk =
      CreateRisk(alice, "Leak", alice_id_, 3, 3,
                 {{"control_ids", boost::json::array{a52, a51, a52}}, {"treatment", "mitigate"}});
  std::vector<std::string> expected{std::string(a51.as_string()), std::string(a52.as_string())};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(risk.at("control_ids"), (boost::json::array{expected[0].c_str(), expected[1].c_str()}));
  EXPECT_EQ(risk.at("treatment"), "mitigate");
  EXPECT_EQ(alice.Get(Url(risk)).Json().at("control_ids"), risk.at("control_ids"));
  auto other = CreateRisk(alice, "Other", alice_id_, 1, 1);
  EXPECT_EQ(other.at("control_ids"), boost::json::array());
  // Every answer carries them, pages too.
  auto page = alice.Get(Risks() + "?sort=ref").Json().at("items");
  EXPECT_EQ(page.at(0).at("control_ids"), risk.at("control_ids"));
  EXPECT_EQ(page.at(1).at("control_ids"), boost::json::array());

  // A mitigated risk keeps a control or an action.
  auto unlinked = alice.Patch(Url(risk), Json({{"control_ids", boost::json::array()}}),
                              {{"If-Match", Etag(risk)}});
  EXPECT_EQ(unlinked.status, 409u) << unlinked.body;
  EXPECT_THAT(unlinked.body, ::testing::HasSubstr("linked control or treatment action"));
  auto narrowed = alice.Patch(Url(risk), Json({{"control_ids", boost::json::array{a51}}}),
                              {{"If-Match", Etag(risk)}});
  ASSERT_EQ(narrowed.status, 200u) << narrowed.body;
  EXPECT_EQ(narrowed.Json().at("control_ids"), boost::json::array{a51});

  // A treatment cannot rely on a control the SoA excludes.
  auto a53 = controls.at(2);
  auto excluded =
      alice.Patch("/api/v1/orgs/" + org_ + "/controls/" + std::string(a53.at("id").as_string()),
                  Json({{"applicable", false}, {"justification", "No such activity here"}}),
                  {{"If-Match", Etag(a53)}});
  ASSERT_EQ(excluded.status, 200u) << excluded.body;
  auto relies = alice.Post(Risks(), Json({{"title", "Relies on excluded"},
                                          {"owner_id", alice_id_},
                                          {"likelihood", 2},
                                          {"impact", 2},
                                          {"control_ids", boost::json::array{a53.at("id")}}}));
  EXPECT_EQ(relies.status, 409u) << relies.body;
  EXPECT_THAT(relies.body, ::testing::HasSubstr("A.5.3"));

  // The audit trail records the links before and after.
  auto history = alice.Get(Url(risk) + "/history").Json().at("items");
  ASSERT_EQ(history.as_array().size(), 2u);
  EXPECT_EQ(history.at(1).at("before").at("control_ids"), risk.at("control_ids"));
  EXPECT_EQ(history.at(1).at("after").at("control_ids"), boost::json::array{a51});

  // Deleting the risk removes its links: the control no longer names it.
  auto deleted = alice.Delete(Url(risk), {{"If-Match", Etag(narrowed.Json())}});
  EXPECT_EQ(deleted.status, 204u) << deleted.body;
  auto control = alice.Get("/api/v1/orgs/" + org_ + "/controls/" + std::string(a51.as_string()));
  EXPECT_EQ(control.Json().at("risk_ids"), boost::json::array());
}

INSTANTIATE_TEST_SUITE_P(Engines, RisksApi, ::testing::ValuesIn(TestEngines()), EngineName);

}  // namespace
}  // namespace certus::testing
