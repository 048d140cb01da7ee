// HTTP scenarios for interested parties and their requirements (ISO 27001 4.2).
#include <set>

#include <gmock/gmock.h>

#include "tests/api/api_fixture.hpp"

namespace certus::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

class InterestedPartiesApi : public ApiTest {
 protected:
  std::string Parties() const { return "/api/v1/orgs/" + org_ + "/interested-parties"; }

  std::string Url(const boost::json::value& party) const {
    return Parties() + "/" + std::string(party.at("id").as_string());
  }

  static boost::json::object Requirement(const std::string& text, bool addressed,
                                         const std::string& how = "") {
    boost::json::object r{{"text", text}, {"addressed_by_isms", addressed}};
    if (!how.empty()) r["how"] = how;
    return r;
  }

  boost::json::value CreateParty(HttpClient& client, const std::string& name,
                                 const std::string& category,
                                 boost::json::array requirements = {}) {
    auto reply = client.Post(
        Parties(),
        Json({{"name", name}, {"category", category}, {"requirements", std::move(requirements)}}));
    EXPECT_EQ(reply.status, 201u) << reply.body;
    return reply.Json();
  }
};

TEST_P(InterestedPartiesApi, CreateAnswers201WithRequirementsAndTheUnaddressedCount) {
  auto alice = server_->SignedIn("alice@example.com");
  boost::json::array requirements{
      Requirement("Personal data is processed lawfully", true, "Privacy policy and A.5.34"),
      Requirement("Breaches are notified within 72 hours", false)};
  requirements[0].as_object()["source"] = "law";
  auto reply = alice.Post(Parties(), Json({{"name", "Data protection authority"},
                                           {"category", "regulator"},
                                           {"contact", "info@dpa.example"},
                                           {"requirements", requirements},
                                           {"reviewed_on", "2026-02-15"}}));
  ASSERT_EQ(reply.status, 201u) << reply.body;
  auto party = reply.Json();
  EXPECT_EQ(party.at("ref"), "IP-0001");
  EXPECT_EQ(party.at("name"), "Data protection authority");
  EXPECT_EQ(party.at("category"), "regulator");
  EXPECT_EQ(party.at("contact"), "info@dpa.example");
  EXPECT_EQ(party.at("reviewed_on"), "2026-02-15");
  EXPECT_EQ(party.at("unaddressed_count"), 1);
  EXPECT_EQ(party.at("version"), 1);
  const auto& items = party.at("requirements").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].at("text"), "Personal data is processed lawfully");
  EXPECT_EQ(items[0].at("addressed_by_isms"), true);
  EXPECT_EQ(items[0].at("how"), "Privacy policy and A.5.34");
  EXPECT_EQ(items[0].at("source"), "law");
  EXPECT_EQ(items[1].at("source"), nullptr);
  EXPECT_FALSE(items[0].at("id").as_string().empty());
  EXPECT_NE(items[0].at("id"), items[1].at("id"));
  EXPECT_EQ(reply.Header("etag"), "\"1\"");
  EXPECT_EQ(reply.Header("location"), Url(party));

  auto fetched = alice.Get(Url(party));
  EXPECT_EQ(fetched.status, 200u);
  EXPECT_EQ(fetched.Json(), party);

  // Without requirements and contact.
  auto plain = CreateParty(alice, "Staff", "employee");
  EXPECT_EQ(plain.at("ref"), "IP-0002");
  EXPECT_EQ(plain.at("requirements").as_array().size(), 0u);
  EXPECT_EQ(plain.at("unaddressed_count"), 0);
  EXPECT_EQ(plain.at("reviewed_on"), nullptr);
}

TEST_P(InterestedPartiesApi, ValidationNamesEveryBadField) {
  auto alice = server_->SignedIn("alice@example.com");
  auto missing = alice.Post(Parties(), "{}");
  EXPECT_EQ(missing.status, 422u);
  EXPECT_EQ(missing.Header("content-type"), "application/problem+json");
  EXPECT_THAT(ErrorFields(missing), UnorderedElementsAre("name", "category"));

  boost::json::array requirements{
      Requirement("Encrypt backups", true),               // addressed without how (4.2 c)
      boost::json::object{{"addressed_by_isms", false}},  // no text
      boost::json::object{{"text", "x"}},                 // addressed_by_isms missing
      boost::json::object{{"text", "y"}, {"addressed_by_isms", "yes"}, {"source", "rumour"}},
      Requirement("   ", false)};
  auto wrong = alice.Post(Parties(), Json({{"name", std::string(201, 'n')},
                                           {"category", "friend"},
                                           {"reviewed_on", "2026-03-03"},
                                           {"requirements", requirements},
                                           {"colour", "blue"}}));
  EXPECT_EQ(wrong.status, 422u) << wrong.body;
  EXPECT_THAT(
      ErrorFields(wrong),
      UnorderedElementsAre("name", "category", "reviewed_on", "colour", "requirements[1].text",
                           "requirements[2].addressed_by_isms", "requirements[3].addressed_by_isms",
                           "requirements[3].source", "requirements[4].text"));

  // The rule of 4.2 c alone, once the shape is right.
  auto how = alice.Post(Parties(), Json({{"name", "Customers"},
                                         {"category", "customer"},
                                         {"requirements", {Requirement("SLA 99.9%", true)}}}));
  EXPECT_EQ(how.status, 422u);
  EXPECT_THAT(ErrorFields(how), ElementsAre("requirements[0].how"));

  EXPECT_THAT(
      ErrorFields(alice.Post(
          Parties(), Json({{"name", "x"}, {"category", "customer"}, {"requirements", "none"}}))),
      ElementsAre("requirements"));
  EXPECT_EQ(alice.Post(Parties(), "{\"name\": ").status, 400u);
  EXPECT_EQ(alice.Get(Parties()).Json().at("items").as_array().size(), 0u);
}

TEST_P(InterestedPartiesApi, RequirementIdsStayAcrossEdits) {
  auto alice = server_->SignedIn("alice@example.com");
  auto party = CreateParty(alice, "Key customer", "customer",
                           {Requirement("ISO 27001 certificate", false),
                            Requirement("Annual pen test report", true, "Pen test programme")});
  const auto first_id = party.at("requirements").at(0).at("id");
  const auto second_id = party.at("requirements").at(1).at("id");

  // Edit the first (now addressed), drop the second, add a new one.
  boost::json::object edited = Requirement("ISO 27001 certificate", true, "Certification project");
  edited["id"] = first_id;
  auto patched = alice.Patch(
      Url(party), Json({{"requirements", {edited, Requirement("Right to audit", false)}}}),
      {{"If-Match", "\"1\""}});
  ASSERT_EQ(patched.status, 200u) << patched.body;
  auto after = patched.Json();
  EXPECT_EQ(patched.Header("etag"), "\"2\"");
  const auto& items = after.at("requirements").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].at("id"), first_id);
  EXPECT_EQ(items[0].at("addressed_by_isms"), true);
  EXPECT_EQ(items[0].at("how"), "Certification project");
  EXPECT_NE(items[1].at("id"), second_id);
  EXPECT_EQ(items[1].at("text"), "Right to audit");
  EXPECT_EQ(after.at("unaddressed_count"), 1);
  EXPECT_EQ(after.at("name"), "Key customer");

  // A GET's JSON can be sent back as it is.
  auto echoed = alice.Patch(Url(party), Json(after), {{"If-Match", "\"2\""}});
  ASSERT_EQ(echoed.status, 200u) << echoed.body;
  EXPECT_EQ(echoed.Json().at("requirements"), after.at("requirements"));

  // Other fields leave the requirements alone.
  auto renamed = alice.Patch(Url(party), Json({{"name", "Top customer"}}), {{"If-Match", "\"3\""}});
  ASSERT_EQ(renamed.status, 200u);
  EXPECT_EQ(renamed.Json().at("requirements"), after.at("requirements"));

  // An id the party does not have (another party's, or made up) is refused, as is one twice.
  auto other = CreateParty(alice, "Supplier", "supplier", {Requirement("NDA", false)});
  boost::json::object foreign = Requirement("NDA", false);
  foreign["id"] = other.at("requirements").at(0).at("id");
  auto refused =
      alice.Patch(Url(party), Json({{"requirements", {foreign}}}), {{"If-Match", "\"4\""}});
  EXPECT_EQ(refused.status, 422u);
  EXPECT_THAT(ErrorFields(refused), ElementsAre("requirements[0].id"));
  auto twice =
      alice.Patch(Url(party), Json({{"requirements", {edited, edited}}}), {{"If-Match", "\"4\""}});
  EXPECT_EQ(twice.status, 422u);
  EXPECT_THAT(ErrorFields(twice), ElementsAre("requirements[1].id"));

  // An empty list removes them all.
  auto cleared = alice.Patch(Url(party), Json({{"requirements", boost::json::array{}}}),
                             {{"If-Match", "\"4\""}});
  ASSERT_EQ(cleared.status, 200u);
  EXPECT_EQ(cleared.Json().at("requirements").as_array().size(), 0u);
  EXPECT_EQ(alice.Get(Url(other)).Json().at("requirements").as_array().size(), 1u);
}

TEST_P(InterestedPartiesApi, ManagersWriteOthersOnlyRead) {
  auto alice = server_->SignedIn("alice@example.com");
  auto party = CreateParty(alice, "Board", "shareholder");
  for (auto email : {"victor@example.com", "audrey@example.com", "carl@example.com"}) {
    auto client = server_->SignedIn(email);
    EXPECT_EQ(client.Get(Parties()).status, 200u) << email;
    EXPECT_EQ(client.Get(Url(party)).status, 200u) << email;
    EXPECT_EQ(client.Get(Url(party) + "/history").status, 200u) << email;
    EXPECT_EQ(client.Post(Parties(), Json({{"name", "x"}, {"category", "other"}})).status, 403u)
        << email;
    EXPECT_EQ(client.Post(Parties(), "{}").status, 403u) << email;  // the role first, then the body
    EXPECT_EQ(client.Patch(Url(party), Json({{"name", "x"}}), {{"If-Match", "\"1\""}}).status, 403u)
        << email;
    EXPECT_EQ(client.Delete(Url(party), {{"If-Match", "\"1\""}}).status, 403u) << email;
  }
  auto maria = server_->SignedIn("maria@example.com");
  EXPECT_EQ(
      maria.Patch(Url(party), Json({{"contact", "board@acme.example"}}), {{"If-Match", "\"1\""}})
          .status,
      200u);
  EXPECT_EQ(CreateParty(maria, "Insurer", "partner").at("ref"), "IP-0002");
}

TEST_P(InterestedPartiesApi, PatchAndDeleteNeedIfMatchAndRefuseStaleVersions) {
  auto alice = server_->SignedIn("alice@example.com");
  auto party = CreateParty(alice, "Cloud provider", "supplier");
  EXPECT_EQ(alice.Patch(Url(party), Json({{"name", "x"}})).status, 428u);
  auto ok = alice.Patch(Url(party), Json({{"reviewed_on", "2026-03-01"}}), {{"If-Match", "\"1\""}});
  ASSERT_EQ(ok.status, 200u) << ok.body;
  EXPECT_EQ(ok.Json().at("reviewed_on"), "2026-03-01");
  auto maria = server_->SignedIn("maria@example.com");
  EXPECT_EQ(maria.Patch(Url(party), Json({{"name", "Stale"}}), {{"If-Match", "\"1\""}}).status,
            412u);
  auto cleared = alice.Patch(Url(party), Json({{"reviewed_on", nullptr}}), {{"If-Match", "\"2\""}});
  EXPECT_EQ(cleared.Json().at("reviewed_on"), nullptr);
  EXPECT_EQ(alice.Delete(Url(party)).status, 428u);
  EXPECT_EQ(alice.Delete(Url(party), {{"If-Match", "\"2\""}}).status, 412u);
  EXPECT_EQ(alice.Delete(Url(party), {{"If-Match", "\"3\""}}).status, 204u);
  EXPECT_EQ(alice.Get(Url(party)).status, 404u);
}

TEST_P(InterestedPartiesApi, ListFiltersByCategoryUnaddressedAndText) {
  auto alice = server_->SignedIn("alice@example.com");
  CreateParty(alice, "Regulator A", "regulator", {Requirement("Report incidents", false)});
  CreateParty(alice, "Regulator B", "regulator",
              {Requirement("Keep records", true, "Records retention procedure")});
  CreateParty(alice, "Customer C", "customer",
              {Requirement("Encrypt data at rest", true, "A.8.24"),
               Requirement("Data stays in the EU", false)});
  CreateParty(alice, "Staff", "employee");

  auto names = [&](const std::string& query) {
    std::vector<std::string> out;
    auto reply = alice.Get(Parties() + query);
    EXPECT_EQ(reply.status, 200u) << reply.body;
    const auto json = reply.Json();
    for (const auto& item : json.at("items").as_array())
      out.emplace_back(item.at("name").as_string());
    return out;
  };
  EXPECT_THAT(names(""), ElementsAre("Customer C", "Regulator A", "Regulator B", "Staff"));
  EXPECT_THAT(names("?category=regulator"), ElementsAre("Regulator A", "Regulator B"));
  EXPECT_THAT(names("?has_unaddressed=true"), ElementsAre("Customer C", "Regulator A"));
  EXPECT_THAT(names("?has_unaddressed=false"), ElementsAre("Regulator B", "Staff"));
  EXPECT_THAT(names("?has_unaddressed=true&category=regulator"), ElementsAre("Regulator A"));
  EXPECT_THAT(names("?q=eu"), ElementsAre("Customer C"));  // in a requirement's text
  EXPECT_THAT(names("?q=STAFF"), ElementsAre("Staff"));
  EXPECT_THAT(names("?sort=-ref"),
              ElementsAre("Staff", "Customer C", "Regulator B", "Regulator A"));

  // Pages without gaps or repeats.
  std::set<std::string> seen;
  std::string cursor;
  int pages = 0;
  do {
    auto json =
        alice.Get(Parties() + "?limit=3" + (cursor.empty() ? "" : "&cursor=" + cursor)).Json();
    for (const auto& item : json.at("items").as_array()) seen.emplace(item.at("ref").as_string());
    cursor =
        json.at("next_cursor").is_null() ? "" : std::string(json.at("next_cursor").as_string());
    ++pages;
  } while (!cursor.empty());
  EXPECT_EQ(pages, 2);
  EXPECT_EQ(seen.size(), 4u);

  EXPECT_THAT(ErrorFields(alice.Get(Parties() + "?category=alien")), ElementsAre("category"));
  EXPECT_THAT(ErrorFields(alice.Get(Parties() + "?has_unaddressed=maybe")),
              ElementsAre("has_unaddressed"));
  EXPECT_THAT(ErrorFields(alice.Get(Parties() + "?sort=contact")), ElementsAre("sort"));
}

TEST_P(InterestedPartiesApi, HistoryListsEveryChange) {
  auto alice = server_->SignedIn("alice@example.com");
  auto party =
      CreateParty(alice, "Auditor", "authority", {Requirement("Access to records", false)});
  alice.Patch(Url(party),
              Json({{"requirements", {Requirement("Access to records", true, "Audit procedure")}}}),
              {{"If-Match", "\"1\""}});
  alice.Delete(Url(party), {{"If-Match", "\"2\""}});
  auto history = alice.Get(Url(party) + "/history");
  ASSERT_EQ(history.status, 200u) << history.body;
  auto json = history.Json();
  const auto& items = json.at("items").as_array();
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].at("action"), "create");
  EXPECT_EQ(items[1].at("before").at("unaddressed_count"), 1);
  EXPECT_EQ(items[1].at("after").at("requirements").at(0).at("how"), "Audit procedure");
  EXPECT_EQ(items[2].at("action"), "delete");
  EXPECT_EQ(items[2].at("actor_email"), "alice@example.com");
  EXPECT_EQ(alice.Get(Parties() + "/no-such-id/history").status, 404u);
  EXPECT_EQ(alice.Get("/api/v1/orgs/" + org_ + "/audit-log/verify").Json().at("ok"), true);
}

TEST_P(InterestedPartiesApi, OtherOrganizationsSeeNothingAndChangeNothing) {
  auto alice = server_->SignedIn("alice@example.com");
  auto party = CreateParty(alice, "Bank", "partner");
  auto mallory = server_->SignedIn("mallory@example.com");
  EXPECT_EQ(mallory.Get(Parties()).status, 404u);
  EXPECT_EQ(mallory.Get(Url(party)).status, 404u);
  EXPECT_EQ(mallory.Get(Url(party) + "/history").status, 404u);
  EXPECT_EQ(mallory.Patch(Url(party), Json({{"name", "pwned"}}), {{"If-Match", "\"1\""}}).status,
            404u);
  EXPECT_EQ(mallory.Delete(Url(party), {{"If-Match", "\"1\""}}).status, 404u);
  const std::string theirs = "/api/v1/orgs/" + other_org_ + "/interested-parties/" +
                             std::string(party.at("id").as_string());
  EXPECT_EQ(mallory.Get(theirs).status, 404u);
  EXPECT_EQ(mallory.Patch(theirs, Json({{"name", "pwned"}}), {{"If-Match", "\"1\""}}).status, 404u);
  EXPECT_EQ(server_->Client().Get(Parties()).status, 401u);
  EXPECT_EQ(alice.Get(Url(party)).Json().at("name"), "Bank");
  EXPECT_THAT(alice.Get(Url(party)).body, HasSubstr("\"partner\""));
}

INSTANTIATE_TEST_SUITE_P(Engines, InterestedPartiesApi, ::testing::ValuesIn(TestEngines()),
                         EngineName);

}  // namespace
}  // namespace certus::testing
