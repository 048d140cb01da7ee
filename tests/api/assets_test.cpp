// HTTP scenarios for the asset register (ISO 27001 6.1.2 c).
#include <gmock/gmock.h>

#include "tests/api/api_fixture.hpp"

namespace certus::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

class AssetsApi : public ApiTest {
 protected:
  std::string Assets() const { return "/api/v1/orgs/" + org_ + "/assets"; }

  std::string IdOf(const std::string& email) {
    auto client = server_->SignedIn(email);
    return std::string(client.Get("/api/v1/auth/me").Json().at("user").at("id").as_string());
  }

  boost::json::value CreateAsset(HttpClient& client, const std::string& name,
                                 const std::string& owner_id,
                                 const std::string& type = "information",
                                 const std::string& classification = "internal") {
    auto reply = client.Post(Assets(), Json({{"name", name},
                                             {"type", type},
                                             {"owner_id", owner_id},
                                             {"classification", classification}}));
    EXPECT_EQ(reply.status, 201u) << reply.body;
    return reply.Json();
  }

  std::string Url(const boost::json::value& asset) const {
    return Assets() + "/" + std::string(asset.at("id").as_string());
  }
};

TEST_P(AssetsApi, CreateAnswers201WithLocationEtagAndTheObject) {
  auto alice = server_->SignedIn("alice@example.com");
  auto reply = alice.Post(Assets(), Json({{"name", "Customer database"},
                                          {"type", "information"},
                                          {"owner_id", alice_id_},
                                          {"location", "eu-west-1"},
                                          {"classification", "confidential"},
                                          {"confidentiality", 5},
                                          {"integrity", 4},
                                          {"availability", 3},
                                          {"description", "All customer records."}}));
  ASSERT_EQ(reply.status, 201u) << reply.body;
  auto asset = reply.Json();
  EXPECT_EQ(asset.at("ref"), "AST-0001");
  EXPECT_EQ(asset.at("name"), "Customer database");
  EXPECT_EQ(asset.at("type"), "information");
  EXPECT_EQ(asset.at("owner_id"), boost::json::value(alice_id_));
  EXPECT_EQ(asset.at("classification"), "confidential");
  EXPECT_EQ(asset.at("confidentiality"), 5);
  EXPECT_EQ(asset.at("availability"), 3);
  EXPECT_EQ(asset.at("version"), 1);
  EXPECT_EQ(reply.Header("etag"), "\"1\"");
  EXPECT_EQ(reply.Header("location"), Url(asset));

  auto fetched = alice.Get(reply.Header("location"));
  EXPECT_EQ(fetched.status, 200u);
  EXPECT_EQ(fetched.Json(), asset);

  // Defaults: internal, not rated.
  auto plain = CreateAsset(alice, "Laptop fleet", alice_id_, "hardware");
  EXPECT_EQ(plain.at("ref"), "AST-0002");
  EXPECT_EQ(plain.at("classification"), "internal");
  EXPECT_EQ(plain.at("integrity"), nullptr);
}

TEST_P(AssetsApi, ValidationNamesEveryBadField) {
  auto alice = server_->SignedIn("alice@example.com");
  auto missing = alice.Post(Assets(), "{}");
  EXPECT_EQ(missing.status, 422u);
  EXPECT_THAT(ErrorFields(missing), UnorderedElementsAre("name", "type", "owner_id"));

  auto wrong = alice.Post(Assets(), Json({{"name", std::string(201, 'x')},
                                          {"type", "spaceship"},
                                          {"owner_id", alice_id_},
                                          {"classification", "secret"},
                                          {"confidentiality", 6},
                                          {"integrity", 0},
                                          {"availability", "high"},
                                          {"colour", "blue"}}));
  EXPECT_EQ(wrong.status, 422u);
  EXPECT_THAT(ErrorFields(wrong),
              UnorderedElementsAre("name", "type", "classification", "confidentiality", "integrity",
                                   "availability", "colour"));
  EXPECT_EQ(alice.Post(Assets(), "{\"name\": ").status, 400u);
  EXPECT_EQ(alice.Get(Assets()).Json().at("items").as_array().size(), 0u);
}

TEST_P(AssetsApi, TheOwnerMustBeAMemberOfTheOrganization) {
  auto alice = server_->SignedIn("alice@example.com");
  for (const auto& owner : {mallory_id_, std::string("no-such-user")}) {
    auto reply =
        alice.Post(Assets(), Json({{"name", "Server"}, {"type", "hardware"}, {"owner_id", owner}}));
    EXPECT_EQ(reply.status, 422u) << reply.body;
    EXPECT_THAT(ErrorFields(reply), ElementsAre("owner_id"));
  }
  auto asset = CreateAsset(alice, "Server", alice_id_);
  auto patch = alice.Patch(Url(asset), Json({{"owner_id", mallory_id_}}), {{"If-Match", "\"1\""}});
  EXPECT_EQ(patch.status, 422u);
  EXPECT_THAT(ErrorFields(patch), ElementsAre("owner_id"));
  EXPECT_EQ(alice.Get(Url(asset)).Json().at("owner_id"), boost::json::value(alice_id_));
}

TEST_P(AssetsApi, ContributorsWriteTheAssetsTheyOwnAndNoOthers) {
  auto carl_id = IdOf("carl@example.com");
  auto carl = server_->SignedIn("carl@example.com");
  // Carl creates an asset for himself, but not for someone else.
  auto own = CreateAsset(carl, "Carl's laptop", carl_id, "hardware");
  EXPECT_EQ(carl.Post(Assets(),
                      Json({{"name", "Not mine"}, {"type", "hardware"}, {"owner_id", alice_id_}}))
                .status,
            403u);
  auto patched = carl.Patch(Url(own), Json({{"location", "Home office"}}), {{"If-Match", "\"1\""}});
  EXPECT_EQ(patched.status, 200u) << patched.body;
  // He cannot give it away.
  EXPECT_EQ(carl.Patch(Url(own), Json({{"owner_id", alice_id_}}), {{"If-Match", "\"2\""}}).status,
            403u);

  auto alice = server_->SignedIn("alice@example.com");
  auto theirs = CreateAsset(alice, "Payroll", alice_id_);
  EXPECT_EQ(carl.Get(Url(theirs)).status, 200u);
  EXPECT_EQ(carl.Patch(Url(theirs), Json({{"name", "x"}}), {{"If-Match", "\"1\""}}).status, 403u);
  EXPECT_EQ(carl.Delete(Url(theirs), {{"If-Match", "\"1\""}}).status, 403u);
  EXPECT_EQ(carl.Delete(Url(own), {{"If-Match", "\"2\""}}).status, 204u);

  // Managers write any asset, and may assign it to anyone in the organization.
  auto maria = server_->SignedIn("maria@example.com");
  auto reassigned =
      maria.Patch(Url(theirs), Json({{"owner_id", carl_id}}), {{"If-Match", "\"1\""}});
  EXPECT_EQ(reassigned.status, 200u) << reassigned.body;
  EXPECT_EQ(
      carl.Patch(Url(theirs), Json({{"name", "Payroll system"}}), {{"If-Match", "\"2\""}}).status,
      200u);
}

TEST_P(AssetsApi, ViewersAndAuditorsReadButDoNotWrite) {
  auto alice = server_->SignedIn("alice@example.com");
  auto asset = CreateAsset(alice, "Office", alice_id_, "site");
  for (auto email : {"victor@example.com", "audrey@example.com"}) {
    auto client = server_->SignedIn(email);
    auto own_id = IdOf(email);
    EXPECT_EQ(client.Get(Url(asset)).status, 200u) << email;
    EXPECT_EQ(client.Get(Assets()).status, 200u) << email;
    EXPECT_EQ(
        client.Post(Assets(), Json({{"name", "x"}, {"type", "site"}, {"owner_id", own_id}})).status,
        403u)
        << email;
    EXPECT_EQ(client.Patch(Url(asset), Json({{"name", "x"}}), {{"If-Match", "\"1\""}}).status, 403u)
        << email;
    EXPECT_EQ(client.Delete(Url(asset), {{"If-Match", "\"1\""}}).status, 403u) << email;
  }
}

TEST_P(AssetsApi, PatchAndDeleteNeedIfMatchAndRefuseStaleVersions) {
  auto alice = server_->SignedIn("alice@example.com");
  auto asset = CreateAsset(alice, "CRM", alice_id_, "software");
  EXPECT_EQ(alice.Patch(Url(asset), Json({{"name", "x"}})).status, 428u);
  auto ok = alice.Patch(Url(asset), Json({{"integrity", 4}, {"classification", "restricted"}}),
                        {{"If-Match", "\"1\""}});
  ASSERT_EQ(ok.status, 200u) << ok.body;
  EXPECT_EQ(ok.Json().at("integrity"), 4);
  EXPECT_EQ(ok.Json().at("name"), "CRM");
  EXPECT_EQ(ok.Header("etag"), "\"2\"");
  auto cleared = alice.Patch(Url(asset), Json({{"integrity", nullptr}}), {{"If-Match", "\"2\""}});
  EXPECT_EQ(cleared.Json().at("integrity"), nullptr);

  auto maria = server_->SignedIn("maria@example.com");
  EXPECT_EQ(maria.Patch(Url(asset), Json({{"name", "Stale"}}), {{"If-Match", "\"1\""}}).status,
            412u);
  EXPECT_EQ(alice.Patch(Url(asset), Json({{"type", "nope"}}), {{"If-Match", "\"3\""}}).status,
            422u);
  EXPECT_EQ(alice.Delete(Url(asset)).status, 428u);
  EXPECT_EQ(alice.Delete(Url(asset), {{"If-Match", "\"1\""}}).status, 412u);
  EXPECT_EQ(alice.Delete(Url(asset), {{"If-Match", "\"3\""}}).status, 204u);
  EXPECT_EQ(alice.Get(Url(asset)).status, 404u);
}

TEST_P(AssetsApi, ListFiltersSortsAndPagesWithoutGapsOrRepeats) {
  auto alice = server_->SignedIn("alice@example.com");
  auto carl_id = IdOf("carl@example.com");
  const std::vector<std::string> types = {"information", "software", "hardware"};
  for (int i = 0; i < 13; ++i) {
    CreateAsset(alice, "Asset " + std::to_string(100 + (i * 5) % 13), i % 2 ? carl_id : alice_id_,
                types[i % 3], i % 4 == 0 ? "restricted" : "internal");
  }
  std::vector<std::string> names;
  std::string cursor;
  int pages = 0;
  do {
    auto reply =
        alice.Get(Assets() + "?limit=4&sort=-name" + (cursor.empty() ? "" : "&cursor=" + cursor));
    ASSERT_EQ(reply.status, 200u) << reply.body;
    auto json = reply.Json();
    for (const auto& item : json.at("items").as_array())
      names.emplace_back(item.at("name").as_string());
    cursor =
        json.at("next_cursor").is_null() ? "" : std::string(json.at("next_cursor").as_string());
    ++pages;
  } while (!cursor.empty());
  EXPECT_EQ(pages, 4);
  ASSERT_EQ(names.size(), 13u);
  EXPECT_TRUE(std::is_sorted(names.rbegin(), names.rend()));
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), 13u);

  // Default order is by ref.
  auto first = alice.Get(Assets() + "?limit=1").Json();
  EXPECT_EQ(first.at("items").as_array()[0].at("ref"), "AST-0001");

  EXPECT_EQ(alice.Get(Assets() + "?type=software").Json().at("items").as_array().size(), 4u);
  EXPECT_EQ(alice.Get(Assets() + "?classification=restricted").Json().at("items").as_array().size(),
            4u);
  EXPECT_EQ(alice.Get(Assets() + "?owner_id=" + carl_id).Json().at("items").as_array().size(), 6u);
  EXPECT_EQ(alice.Get(Assets() + "?q=asset%20105").Json().at("items").as_array().size(), 1u);
  EXPECT_EQ(alice.Get(Assets() + "?type=hardware&owner_id=" + carl_id + "&sort=type")
                .Json()
                .at("items")
                .as_array()
                .size(),
            2u);

  EXPECT_THAT(ErrorFields(alice.Get(Assets() + "?limit=0")), ElementsAre("limit"));
  EXPECT_THAT(ErrorFields(alice.Get(Assets() + "?sort=owner_id")), ElementsAre("sort"));
  EXPECT_THAT(ErrorFields(alice.Get(Assets() + "?type=car")), ElementsAre("type"));
  EXPECT_THAT(ErrorFields(alice.Get(Assets() + "?classification=x")),
              ElementsAre("classification"));
}

TEST_P(AssetsApi, HistoryListsEveryChangeWithWhoAndWhat) {
  auto alice = server_->SignedIn("alice@example.com");
  auto asset = CreateAsset(alice, "Backups", alice_id_, "service");
  alice.Patch(Url(asset), Json({{"location", "Vault"}}), {{"If-Match", "\"1\""}});
  alice.Delete(Url(asset), {{"If-Match", "\"2\""}});
  auto history = alice.Get(Url(asset) + "/history");
  ASSERT_EQ(history.status, 200u) << history.body;
  auto json = history.Json();
  const auto& items = json.at("items").as_array();
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].at("action"), "create");
  EXPECT_EQ(items[1].at("before").at("location"), "");
  EXPECT_EQ(items[1].at("after").at("location"), "Vault");
  EXPECT_EQ(items[2].at("action"), "delete");
  EXPECT_EQ(items[2].at("actor_email"), "alice@example.com");
  EXPECT_EQ(alice.Get(Assets() + "/no-such-id/history").status, 404u);
  EXPECT_EQ(alice.Get("/api/v1/orgs/" + org_ + "/audit-log/verify").Json().at("ok"), true);
}

TEST_P(AssetsApi, OtherOrganizationsSeeNothingAndChangeNothing) {
  auto alice = server_->SignedIn("alice@example.com");
  auto asset = CreateAsset(alice, "Crown jewels", alice_id_);
  auto mallory = server_->SignedIn("mallory@example.com");
  EXPECT_EQ(mallory.Get(Assets()).status, 404u);
  EXPECT_EQ(mallory.Get(Url(asset)).status, 404u);
  EXPECT_EQ(mallory.Get(Url(asset) + "/history").status, 404u);
  EXPECT_EQ(mallory.Patch(Url(asset), Json({{"name", "pwned"}}), {{"If-Match", "\"1\""}}).status,
            404u);
  EXPECT_EQ(mallory.Delete(Url(asset), {{"If-Match", "\"1\""}}).status, 404u);
  EXPECT_EQ(
      mallory.Post(Assets(), Json({{"name", "x"}, {"type", "site"}, {"owner_id", mallory_id_}}))
          .status,
      404u);
  EXPECT_EQ(
      mallory
          .Get("/api/v1/orgs/" + other_org_ + "/assets/" + std::string(asset.at("id").as_string()))
          .status,
      404u);
  EXPECT_EQ(server_->Client().Get(Assets()).status, 401u);
  EXPECT_EQ(alice.Get(Url(asset)).Json().at("name"), "Crown jewels");
}

TEST_P(AssetsApi, ChangesNeedTheCsrfTokenWithACookie) {
  auto alice = server_->SignedIn("alice@example.com");
  alice.SkipCsrf(true);
  auto reply =
      alice.Post(Assets(), Json({{"name", "Forged"}, {"type", "site"}, {"owner_id", alice_id_}}));
  EXPECT_EQ(reply.status, 403u);
  EXPECT_EQ(alice.Get(Assets()).Json().at("items").as_array().size(), 0u);
}

INSTANTIATE_TEST_SUITE_P(Engines, AssetsApi, ::testing::ValuesIn(TestEngines()), EngineName);

}  // namespace
}  // namespace certus::testing
