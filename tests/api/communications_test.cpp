// HTTP scenarios for communication (ISO 27001 7.4): the communication plan and the log of
// communications made. The fake clock's today is 2026-03-02.
#include <gmock/gmock.h>

#include "tests/api/api_fixture.hpp"

namespace certus::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

class CommunicationsApi : public ApiTest {
 protected:
  std::string Plan() const { return "/api/v1/orgs/" + org_ + "/communication-plan"; }
  std::string Log() const { return "/api/v1/orgs/" + org_ + "/communications"; }

  static std::string IdOf(const boost::json::value& object) {
    return std::string(object.at("id").as_string());
  }

  std::string UserId(const std::string& email) {
    auto client = server_->SignedIn(email);
    return std::string(client.Get("/api/v1/auth/me").Json().at("user").at("id").as_string());
  }

  boost::json::value Created(const Reply& reply) {
    EXPECT_EQ(reply.status, 201u) << reply.body;
    return reply.Json();
  }

  boost::json::value CreateParty(HttpClient& client, const std::string& name) {
    return Created(client.Post("/api/v1/orgs/" + org_ + "/interested-parties",
                               Json({{"name", name}, {"category", "regulator"}})));
  }

  boost::json::object Item(const std::string& subject, const std::string& frequency = "quarterly",
                           const std::string& due_on = "2026-01-15") const {
    boost::json::object item{{"subject", subject},
                             {"frequency", frequency},
                             {"channel", "email"},
                             {"audience_text", "All staff"}};
    if (!due_on.empty()) item["due_on"] = due_on;
    return item;
  }

  std::vector<std::string> Subjects(HttpClient& client, const std::string& target) {
    std::vector<std::string> out;
    auto reply = client.Get(target);
    EXPECT_EQ(reply.status, 200u) << reply.body;
    const auto json = reply.Json();
    for (const auto& item : json.at("items").as_array())
      out.emplace_back(item.at("subject").as_string());
    return out;
  }
};

TEST_P(CommunicationsApi, PlanItemAnswersWhatWhenWithWhomWhoAndHow) {
  auto alice = server_->SignedIn("alice@example.com");
  auto regulator = CreateParty(alice, "Data protection authority");
  auto maria_id = UserId("maria@example.com");
  auto reply = alice.Post(Plan(), Json({{"subject", "Personal data breach notification"},
                                        {"audience_party_ids", {regulator.at("id")}},
                                        {"audience_text", ""},
                                        {"direction", "external"},
                                        {"frequency", "on_event"},
                                        {"trigger", "A personal data breach is confirmed"},
                                        {"owner_id", maria_id},
                                        {"channel", "report"},
                                        {"notes", "Within 72 hours."}}));
  auto item = Created(reply);
  EXPECT_EQ(item.at("ref"), "COM-001");
  EXPECT_EQ(item.at("direction"), "external");
  EXPECT_EQ(item.at("frequency"), "on_event");
  EXPECT_EQ(item.at("due_on"), nullptr);
  EXPECT_EQ(item.at("next_due_on"), nullptr);
  EXPECT_EQ(item.at("overdue"), false);
  EXPECT_EQ(item.at("owner_id"), boost::json::value(maria_id));
  EXPECT_EQ(item.at("audience_party_ids").as_array().size(), 1u);
  EXPECT_EQ(reply.Header("etag"), "\"1\"");
  EXPECT_EQ(reply.Header("location"), Plan() + "/" + IdOf(item));
  EXPECT_EQ(alice.Get(Plan() + "/" + IdOf(item)).Json(), item);

  // The owner defaults to whoever plans; a one-off item is due on its date.
  auto one_off = Created(alice.Post(Plan(), Json(Item("ISMS launch", "one_off", "2026-04-01"))));
  EXPECT_EQ(one_off.at("ref"), "COM-002");
  EXPECT_EQ(one_off.at("owner_id"), boost::json::value(alice_id_));
  EXPECT_EQ(one_off.at("direction"), "internal");
  EXPECT_EQ(one_off.at("next_due_on"), "2026-04-01");
  EXPECT_EQ(one_off.at("overdue"), false);
  EXPECT_EQ(one_off.at("last_communicated_on"), nullptr);
}

TEST_P(CommunicationsApi, PlanValidationNamesEveryRuleOfClause74) {
  auto alice = server_->SignedIn("alice@example.com");
  auto missing = alice.Post(Plan(), "{}");
  EXPECT_EQ(missing.status, 422u);
  EXPECT_THAT(ErrorFields(missing), UnorderedElementsAre("subject", "frequency", "channel"));

  auto wrong = alice.Post(Plan(), Json({{"subject", ""},
                                        {"frequency", "weekly"},
                                        {"channel", "pigeon"},
                                        {"direction", "sideways"},
                                        {"due_on", "soon"},
                                        {"audience_party_ids", {"not-an-id"}},
                                        {"colour", "red"}}));
  EXPECT_EQ(wrong.status, 422u);
  EXPECT_THAT(ErrorFields(wrong),
              UnorderedElementsAre("subject", "frequency", "channel", "direction", "due_on",
                                   "audience_party_ids[0]", "colour"));

  // When (7.4 b) and with whom (7.4 c).
  EXPECT_THAT(ErrorFields(alice.Post(Plan(), Json(Item("Newsletter", "monthly", "")))),
              ElementsAre("due_on"));
  EXPECT_THAT(ErrorFields(alice.Post(Plan(), Json(Item("Incident", "on_event", "")))),
              ElementsAre("trigger"));
  auto nobody = Item("Newsletter");
  nobody["audience_text"] = " ";
  auto reply = alice.Post(Plan(), Json(nobody));
  EXPECT_THAT(ErrorFields(reply), ElementsAre("audience_text"));
  EXPECT_THAT(reply.body, HasSubstr("7.4 c"));

  // Parties come from the 4.2 register of this organization; owners are members.
  auto mallory = server_->SignedIn("mallory@example.com");
  auto theirs =
      Created(mallory.Post("/api/v1/orgs/" + other_org_ + "/interested-parties",
                           Json({{"name", "Their regulator"}, {"category", "regulator"}})));
  auto foreign = Item("Report");
  foreign["audience_party_ids"] = boost::json::array{theirs.at("id")};
  foreign["owner_id"] = mallory_id_;
  EXPECT_THAT(ErrorFields(alice.Post(Plan(), Json(foreign))),
              UnorderedElementsAre("audience_party_ids[0]", "owner_id"));
  EXPECT_EQ(alice.Get(Plan()).Json().at("items").as_array().size(), 0u);
}

TEST_P(CommunicationsApi, TheLogMovesThePlanItemsNextDueDate) {
  auto alice = server_->SignedIn("alice@example.com");
  auto quarterly = Created(alice.Post(Plan(), Json(Item("Security newsletter"))));
  EXPECT_EQ(quarterly.at("next_due_on"), "2026-01-15");
  EXPECT_EQ(quarterly.at("overdue"), true);
  auto one_off = Created(alice.Post(Plan(), Json(Item("Launch", "one_off", "2026-05-01"))));
  EXPECT_THAT(Subjects(alice, Plan() + "?overdue=true"), ElementsAre("Security newsletter"));

  // Recorded under the plan item: subject, channel and audience come from it.
  auto carl = server_->SignedIn("carl@example.com");
  auto reply = carl.Post(Log(), Json({{"plan_item_id", quarterly.at("id")},
                                      {"communicated_on", "2026-02-20"},
                                      {"summary", "Phishing season; MFA reminder."}}));
  auto entry = Created(reply);
  EXPECT_EQ(entry.at("ref"), "CL-0001");
  EXPECT_EQ(entry.at("subject"), "Security newsletter");
  EXPECT_EQ(entry.at("channel"), "email");
  EXPECT_EQ(entry.at("audience_text"), "All staff");
  EXPECT_EQ(entry.at("communicated_by"), boost::json::value(UserId("carl@example.com")));
  EXPECT_EQ(entry.at("author_email"), "carl@example.com");
  EXPECT_EQ(reply.Header("location"), Log() + "/" + IdOf(entry));

  auto item = alice.Get(Plan() + "/" + IdOf(quarterly)).Json();
  EXPECT_EQ(item.at("last_communicated_on"), "2026-02-20");
  EXPECT_EQ(item.at("next_due_on"), "2026-05-20");
  EXPECT_EQ(item.at("overdue"), false);
  EXPECT_EQ(item.at("version"), 1);  // derived dates do not make a new version
  EXPECT_THAT(Subjects(alice, Plan() + "?overdue=true"), ElementsAre());
  EXPECT_THAT(Subjects(alice, Plan()), ElementsAre("Launch", "Security newsletter"));

  // A one-off item, once communicated, is due no more.
  Created(alice.Post(Log(), Json({{"plan_item_id", one_off.at("id")},
                                  {"communicated_on", "2026-03-02"},
                                  {"subject", "Certus goes live"},
                                  {"channel", "intranet"}})));
  item = alice.Get(Plan() + "/" + IdOf(one_off)).Json();
  EXPECT_EQ(item.at("next_due_on"), nullptr);
  EXPECT_EQ(item.at("last_communicated_on"), "2026-03-02");

  // Moving the entry to an earlier date moves the item back; deleting it brings back the
  // first due date.
  auto moved = alice.Patch(Log() + "/" + IdOf(entry), Json({{"communicated_on", "2025-10-31"}}),
                           {{"If-Match", "\"1\""}});
  ASSERT_EQ(moved.status, 200u) << moved.body;
  item = alice.Get(Plan() + "/" + IdOf(quarterly)).Json();
  EXPECT_EQ(item.at("next_due_on"), "2026-01-31");
  EXPECT_EQ(item.at("overdue"), true);
  // The plan item stays while communications are recorded under it.
  auto refused = alice.Delete(Plan() + "/" + IdOf(quarterly), {{"If-Match", "\"1\""}});
  EXPECT_EQ(refused.status, 409u);
  EXPECT_THAT(refused.body, HasSubstr("7.4"));
  EXPECT_EQ(alice.Delete(Log() + "/" + IdOf(entry), {{"If-Match", "\"2\""}}).status, 204u);
  item = alice.Get(Plan() + "/" + IdOf(quarterly)).Json();
  EXPECT_EQ(item.at("next_due_on"), "2026-01-15");
  EXPECT_EQ(item.at("last_communicated_on"), nullptr);
  EXPECT_EQ(alice.Delete(Plan() + "/" + IdOf(quarterly), {{"If-Match", "\"1\""}}).status, 204u);
  EXPECT_EQ(alice.Get(Plan() + "/" + IdOf(quarterly)).status, 404u);
}

TEST_P(CommunicationsApi, LogEntriesAreValidatedRecords) {
  auto alice = server_->SignedIn("alice@example.com");
  auto missing = alice.Post(Log(), "{}");
  EXPECT_EQ(missing.status, 422u);
  EXPECT_THAT(ErrorFields(missing), ElementsAre("communicated_on"));
  auto future = alice.Post(Log(), Json({{"subject", "x"},
                                        {"communicated_on", "2026-03-03"},
                                        {"channel", "email"},
                                        {"audience_text", "All staff"}}));
  EXPECT_THAT(ErrorFields(future), ElementsAre("communicated_on"));
  EXPECT_THAT(future.body, HasSubstr("future"));
  auto without_plan = alice.Post(Log(), Json({{"communicated_on", "2026-03-01"}}));
  EXPECT_THAT(ErrorFields(without_plan),
              UnorderedElementsAre("subject", "channel", "audience_text"));
  auto unknown = alice.Post(Log(), Json({{"communicated_on", "2026-03-01"},
                                         {"plan_item_id", "00000000-0000-4000-8000-000000000001"},
                                         {"evidence_id", "00000000-0000-4000-8000-000000000002"},
                                         {"communicated_by", mallory_id_}}));
  EXPECT_THAT(ErrorFields(unknown), UnorderedElementsAre("evidence_id", "communicated_by"));

  // Evidence of the communication, and the audience by party.
  auto party = CreateParty(alice, "Certification body");
  auto evidence = Created(alice.Post("/api/v1/orgs/" + org_ + "/evidence",
                                     Json({{"kind", "link"},
                                           {"title", "Mail to the certification body"},
                                           {"url", "https://mail.example.com/msg/1"}})));
  auto entry = Created(alice.Post(Log(), Json({{"subject", "Audit dates"},
                                               {"communicated_on", "2026-02-01"},
                                               {"channel", "email"},
                                               {"audience_party_ids", {party.at("id")}},
                                               {"evidence_id", evidence.at("id")}})));
  EXPECT_EQ(entry.at("evidence_id"), evidence.at("id"));
  EXPECT_EQ(entry.at("plan_item_id"), nullptr);
  EXPECT_THAT(Subjects(alice, Log() + "?party_id=" + IdOf(party)), ElementsAre("Audit dates"));
  EXPECT_THAT(Subjects(alice, Log() + "?from=2026-02-02"), ElementsAre());
  EXPECT_THAT(Subjects(alice, Log() + "?q=AUDIT"), ElementsAre("Audit dates"));
  EXPECT_THAT(ErrorFields(alice.Get(Log() + "?from=yesterday&channel=fax")),
              UnorderedElementsAre("from", "channel"));

  auto cleared = alice.Patch(Log() + "/" + IdOf(entry), Json({{"evidence_id", nullptr}}),
                             {{"If-Match", "\"1\""}});
  ASSERT_EQ(cleared.status, 200u) << cleared.body;
  EXPECT_EQ(cleared.Json().at("evidence_id"), nullptr);
  EXPECT_EQ(cleared.Header("etag"), "\"2\"");
  EXPECT_EQ(alice.Patch(Log() + "/" + IdOf(entry), Json({{"summary", "x"}})).status, 428u);
  EXPECT_EQ(
      alice.Patch(Log() + "/" + IdOf(entry), Json({{"summary", "x"}}), {{"If-Match", "\"1\""}})
          .status,
      412u);

  auto history = alice.Get(Log() + "/" + IdOf(entry) + "/history").Json();
  ASSERT_EQ(history.at("items").as_array().size(), 2u);
  EXPECT_EQ(history.at("items").as_array()[1].at("before").at("evidence_id"), evidence.at("id"));
}

TEST_P(CommunicationsApi, RolesDecideWhoPlansRecordsEditsAndDeletes) {
  auto alice = server_->SignedIn("alice@example.com");
  auto item = Created(alice.Post(Plan(), Json(Item("Newsletter"))));
  auto item_url = Plan() + "/" + IdOf(item);
  auto body = Json({{"plan_item_id", item.at("id")}, {"communicated_on", "2026-02-01"}});
  for (auto email : {"victor@example.com", "audrey@example.com"}) {
    auto reader = server_->SignedIn(email);
    EXPECT_EQ(reader.Get(Plan()).status, 200u) << email;
    EXPECT_EQ(reader.Get(item_url + "/history").status, 200u) << email;
    EXPECT_EQ(reader.Post(Log(), body).status, 403u) << email;
    EXPECT_EQ(reader.Post(Plan(), "{}").status, 403u) << email;
  }
  // Contributors record communications but do not plan them.
  auto carl = server_->SignedIn("carl@example.com");
  EXPECT_EQ(carl.Post(Plan(), Json(Item("Mine"))).status, 403u);
  EXPECT_EQ(carl.Patch(item_url, Json({{"notes", "x"}}), {{"If-Match", "\"1\""}}).status, 403u);
  auto carls = Created(carl.Post(Log(), body));
  auto alices = Created(alice.Post(Log(), body));
  // The author edits their record; another contributor does not; a manager does.
  EXPECT_EQ(
      carl.Patch(Log() + "/" + IdOf(carls), Json({{"summary", "Sent"}}), {{"If-Match", "\"1\""}})
          .status,
      200u);
  auto others = carl.Patch(Log() + "/" + IdOf(alices), Json({{"summary", "Mine now"}}),
                           {{"If-Match", "\"1\""}});
  EXPECT_EQ(others.status, 403u);
  EXPECT_THAT(others.body, HasSubstr("alice@example.com"));
  auto maria = server_->SignedIn("maria@example.com");
  EXPECT_EQ(
      maria
          .Patch(Log() + "/" + IdOf(carls), Json({{"summary", "Checked"}}), {{"If-Match", "\"2\""}})
          .status,
      200u);
  // Only managers and admins delete a record.
  EXPECT_EQ(carl.Delete(Log() + "/" + IdOf(carls), {{"If-Match", "\"3\""}}).status, 403u);
  EXPECT_EQ(maria.Delete(Log() + "/" + IdOf(carls), {{"If-Match", "\"3\""}}).status, 204u);
  EXPECT_EQ(maria.Patch(item_url, Json({{"channel", "intranet"}}), {{"If-Match", "\"1\""}}).status,
            200u);
}

TEST_P(CommunicationsApi, OtherOrganizationsSeeNothing) {
  auto alice = server_->SignedIn("alice@example.com");
  auto item = Created(alice.Post(Plan(), Json(Item("Ours"))));
  auto entry = Created(alice.Post(
      Log(), Json({{"plan_item_id", item.at("id")}, {"communicated_on", "2026-02-01"}})));
  auto mallory = server_->SignedIn("mallory@example.com");
  EXPECT_EQ(mallory.Get(Plan()).status, 404u);
  EXPECT_EQ(mallory.Get(Plan() + "/" + IdOf(item)).status, 404u);
  EXPECT_EQ(mallory.Get(Log() + "/" + IdOf(entry) + "/history").status, 404u);
  EXPECT_EQ(mallory.Get("/api/v1/orgs/" + other_org_ + "/communications/" + IdOf(entry)).status,
            404u);
  // Mallory's own log cannot point at our plan.
  auto cross =
      mallory.Post("/api/v1/orgs/" + other_org_ + "/communications",
                   Json({{"plan_item_id", item.at("id")}, {"communicated_on", "2026-02-01"}}));
  EXPECT_THAT(ErrorFields(cross), ElementsAre("plan_item_id"));
  EXPECT_EQ(server_->Client().Get(Log()).status, 401u);
}

INSTANTIATE_TEST_SUITE_P(Engines, CommunicationsApi, ::testing::ValuesIn(TestEngines()),
                         EngineName);

}  // namespace
}  // namespace certus::testing
