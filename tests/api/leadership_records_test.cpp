// HTTP scenarios for leadership records: top management's commitments and resource
// decisions (ISO 27001 5.1).
#include <gmock/gmock.h>

#include "tests/api/api_fixture.hpp"

namespace certus::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

class LeadershipRecordsApi : public ApiTest {
 protected:
  std::string Records() const { return "/api/v1/orgs/" + org_ + "/leadership-records"; }

  std::string Url(const boost::json::value& record) const {
    return Records() + "/" + std::string(record.at("id").as_string());
  }

  boost::json::value CreateRecord(HttpClient& client, const boost::json::object& body) {
    auto reply = client.Post(Records(), Json(body));
    EXPECT_EQ(reply.status, 201u) << reply.body;
    return reply.Json();
  }

  boost::json::object Minimal(const std::string& decision, const std::string& date = "2026-02-01",
                              const std::string& kind = "commitment") const {
    return {{"kind", kind}, {"date", date}, {"decision", decision}, {"decided_by", alice_id_}};
  }
};

TEST_P(LeadershipRecordsApi, CreateAnswers201WithBudgetAndReviewLink) {
  auto alice = server_->SignedIn("alice@example.com");
  auto reply =
      alice.Post(Records(), Json({{"kind", "resource_decision"},
                                  {"date", "2026-02-20"},
                                  {"decision", "Hire a second security engineer."},
                                  {"budget", {{"amount", "85000.50"}, {"currency", "EUR"}}},
                                  {"decided_by", alice_id_},
                                  {"management_review_id", "MR-2026-1"},
                                  {"notes", "Starts in Q2."}}));
  ASSERT_EQ(reply.status, 201u) << reply.body;
  auto record = reply.Json();
  EXPECT_EQ(record.at("ref"), "LR-0001");
  EXPECT_EQ(record.at("kind"), "resource_decision");
  EXPECT_EQ(record.at("date"), "2026-02-20");
  EXPECT_EQ(record.at("decision"), "Hire a second security engineer.");
  EXPECT_EQ(record.at("budget").at("amount"), "85000.50");
  EXPECT_EQ(record.at("budget").at("currency"), "EUR");
  EXPECT_EQ(record.at("decided_by"), boost::json::value(alice_id_));
  EXPECT_EQ(record.at("management_review_id"), "MR-2026-1");
  EXPECT_EQ(record.at("notes"), "Starts in Q2.");
  EXPECT_EQ(record.at("version"), 1);
  EXPECT_EQ(reply.Header("etag"), "\"1\"");
  EXPECT_EQ(reply.Header("location"), Url(record));
  EXPECT_EQ(alice.Get(Url(record)).Json(), record);

  // Amounts as JSON numbers too; without budget and review.
  auto numeric = Minimal("Tooling");
  numeric["budget"] = {{"amount", 1200}, {"currency", "USD"}};
  EXPECT_EQ(CreateRecord(alice, numeric).at("budget").at("amount"), "1200.00");
  numeric["budget"] = {{"amount", 99.9}, {"currency", "USD"}};
  EXPECT_EQ(CreateRecord(alice, numeric).at("budget").at("amount"), "99.90");
  auto plain = CreateRecord(alice, Minimal("We commit to ISO 27001 certification."));
  EXPECT_EQ(plain.at("ref"), "LR-0004");
  EXPECT_EQ(plain.at("budget"), nullptr);
  EXPECT_EQ(plain.at("management_review_id"), nullptr);
}

TEST_P(LeadershipRecordsApi, ValidationNamesEveryBadField) {
  auto alice = server_->SignedIn("alice@example.com");
  auto missing = alice.Post(Records(), "{}");
  EXPECT_EQ(missing.status, 422u);
  EXPECT_THAT(ErrorFields(missing), UnorderedElementsAre("kind", "date", "decision", "decided_by"));

  auto wrong = alice.Post(Records(), Json({{"kind", "whim"},
                                           {"date", "2026-03-03"},  // tomorrow
                                           {"decision", ""},
                                           {"decided_by", alice_id_},
                                           {"budget", {{"amount", "12.345"}, {"currency", "euro"}}},
                                           {"priority", "high"}}));
  EXPECT_EQ(wrong.status, 422u);
  EXPECT_THAT(ErrorFields(wrong), UnorderedElementsAre("kind", "date", "decision", "budget.amount",
                                                       "budget.currency", "priority"));

  for (const auto& budget : {boost::json::value{{"amount", -5}, {"currency", "EUR"}},
                             boost::json::value{{"amount", "1e5"}, {"currency", "EUR"}},
                             boost::json::value{{"amount", 0.001}, {"currency", "EUR"}},
                             boost::json::value{{"amount", true}, {"currency", "EUR"}}}) {
    auto body = Minimal("x");
    body["budget"] = budget;
    EXPECT_THAT(ErrorFields(alice.Post(Records(), Json(body))), ElementsAre("budget.amount"))
        << Json(budget);
  }
  auto no_currency = Minimal("x");
  no_currency["budget"] = {{"amount", 10}};
  EXPECT_THAT(ErrorFields(alice.Post(Records(), Json(no_currency))),
              ElementsAre("budget.currency"));
  auto not_object = Minimal("x");
  not_object["budget"] = 10;
  EXPECT_THAT(ErrorFields(alice.Post(Records(), Json(not_object))), ElementsAre("budget"));

  // Who decided must be a member.
  for (const auto& who : {mallory_id_, std::string("nobody")}) {
    auto body = Minimal("x");
    body["decided_by"] = who;
    auto reply = alice.Post(Records(), Json(body));
    EXPECT_EQ(reply.status, 422u);
    EXPECT_THAT(ErrorFields(reply), ElementsAre("decided_by"));
  }
  EXPECT_EQ(alice.Get(Records()).Json().at("items").as_array().size(), 0u);
}

TEST_P(LeadershipRecordsApi, ManagersWriteOthersOnlyRead) {
  auto alice = server_->SignedIn("alice@example.com");
  auto record = CreateRecord(alice, Minimal("Commitment"));
  for (auto email : {"victor@example.com", "audrey@example.com", "carl@example.com"}) {
    auto client = server_->SignedIn(email);
    EXPECT_EQ(client.Get(Records()).status, 200u) << email;
    EXPECT_EQ(client.Get(Url(record)).status, 200u) << email;
    EXPECT_EQ(client.Get(Url(record) + "/history").status, 200u) << email;
    EXPECT_EQ(client.Post(Records(), Json(Minimal("x"))).status, 403u) << email;
    EXPECT_EQ(client.Post(Records(), "{}").status, 403u) << email;  // the role first, then the body
    EXPECT_EQ(client.Patch(Url(record), Json({{"notes", "x"}}), {{"If-Match", "\"1\""}}).status,
              403u)
        << email;
  }
  auto maria = server_->SignedIn("maria@example.com");
  EXPECT_EQ(maria.Patch(Url(record), Json({{"notes", "Minuted"}}), {{"If-Match", "\"1\""}}).status,
            200u);
  // Records are evidence of leadership: there is no deleting them.
  EXPECT_EQ(alice.Delete(Url(record), {{"If-Match", "\"2\""}}).status, 405u);
}

TEST_P(LeadershipRecordsApi, PatchNeedsIfMatchAndClearsOptionalFields) {
  auto alice = server_->SignedIn("alice@example.com");
  auto body = Minimal("Budget for awareness", "2026-01-10", "resource_decision");
  body["budget"] = {{"amount", "5000"}, {"currency", "GBP"}};
  body["management_review_id"] = "MR-1";
  auto record = CreateRecord(alice, body);
  EXPECT_EQ(alice.Patch(Url(record), Json({{"notes", "x"}})).status, 428u);
  auto ok =
      alice.Patch(Url(record),
                  Json({{"budget", nullptr}, {"management_review_id", nullptr}, {"kind", "other"}}),
                  {{"If-Match", "\"1\""}});
  ASSERT_EQ(ok.status, 200u) << ok.body;
  EXPECT_EQ(ok.Json().at("budget"), nullptr);
  EXPECT_EQ(ok.Json().at("management_review_id"), nullptr);
  EXPECT_EQ(ok.Json().at("kind"), "other");
  EXPECT_EQ(ok.Json().at("decision"), "Budget for awareness");
  EXPECT_EQ(ok.Header("etag"), "\"2\"");
  EXPECT_EQ(alice.Patch(Url(record), Json({{"notes", "stale"}}), {{"If-Match", "\"1\""}}).status,
            412u);
  EXPECT_THAT(ErrorFields(alice.Patch(Url(record), Json({{"date", "2027-01-01"}}),
                                      {{"If-Match", "\"2\""}})),
              ElementsAre("date"));
  auto maria_id = std::string(server_->SignedIn("maria@example.com")
                                  .Get("/api/v1/auth/me")
                                  .Json()
                                  .at("user")
                                  .at("id")
                                  .as_string());
  auto moved = alice.Patch(Url(record), Json({{"decided_by", maria_id}}), {{"If-Match", "\"2\""}});
  EXPECT_EQ(moved.Json().at("decided_by"), boost::json::value(maria_id));

  auto history = alice.Get(Url(record) + "/history");
  ASSERT_EQ(history.status, 200u);
  const auto history_json = history.Json();
  const auto& items = history_json.at("items").as_array();
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[1].at("before").at("budget").at("amount"), "5000.00");
  EXPECT_EQ(items[1].at("after").at("budget"), nullptr);
  EXPECT_EQ(alice.Get(Records() + "/nope/history").status, 404u);
}

TEST_P(LeadershipRecordsApi, ListFiltersAndSortsNewestFirst) {
  auto alice = server_->SignedIn("alice@example.com");
  CreateRecord(alice, Minimal("Policy commitment", "2026-01-05"));
  CreateRecord(alice, Minimal("Pen test budget", "2026-02-10", "resource_decision"));
  CreateRecord(alice, Minimal("Training budget", "2025-11-30", "resource_decision"));
  auto decisions = [&](const std::string& query) {
    std::vector<std::string> out;
    auto reply = alice.Get(Records() + query);
    EXPECT_EQ(reply.status, 200u) << reply.body;
    const auto json = reply.Json();
    for (const auto& item : json.at("items").as_array())
      out.emplace_back(item.at("decision").as_string());
    return out;
  };
  EXPECT_THAT(decisions(""),
              ElementsAre("Pen test budget", "Policy commitment", "Training budget"));
  EXPECT_THAT(decisions("?kind=resource_decision"),
              ElementsAre("Pen test budget", "Training budget"));
  EXPECT_THAT(decisions("?q=TRAINING"), ElementsAre("Training budget"));
  EXPECT_THAT(decisions("?sort=date&limit=2"), ElementsAre("Training budget", "Policy commitment"));
  EXPECT_EQ(decisions("?decided_by=" + alice_id_).size(), 3u);
  EXPECT_THAT(ErrorFields(alice.Get(Records() + "?kind=x")), ElementsAre("kind"));
}

TEST_P(LeadershipRecordsApi, OtherOrganizationsSeeNothingAndChangeNothing) {
  auto alice = server_->SignedIn("alice@example.com");
  auto record = CreateRecord(alice, Minimal("Ours"));
  auto mallory = server_->SignedIn("mallory@example.com");
  EXPECT_EQ(mallory.Get(Records()).status, 404u);
  EXPECT_EQ(mallory.Get(Url(record)).status, 404u);
  EXPECT_EQ(mallory.Get(Url(record) + "/history").status, 404u);
  EXPECT_EQ(mallory.Patch(Url(record), Json({{"notes", "x"}}), {{"If-Match", "\"1\""}}).status,
            404u);
  EXPECT_EQ(mallory
                .Get("/api/v1/orgs/" + other_org_ + "/leadership-records/" +
                     std::string(record.at("id").as_string()))
                .status,
            404u);
  EXPECT_EQ(server_->Client().Get(Records()).status, 401u);
}

INSTANTIATE_TEST_SUITE_P(Engines, LeadershipRecordsApi, ::testing::ValuesIn(TestEngines()),
                         EngineName);

}  // namespace
}  // namespace certus::testing
