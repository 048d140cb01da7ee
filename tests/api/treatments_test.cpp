// HTTP scenarios for the risk treatment plan (ISO 27001 6.1.3 e, 8.3).
#include <gmock/gmock.h>

#include "tests/api/api_fixture.hpp"

namespace certus::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

class TreatmentsApi : public ApiTest {
 protected:
  std::string Risks() const { return "/api/v1/orgs/" + org_ + "/risks"; }
  std::string Treatments() const { return "/api/v1/orgs/" + org_ + "/treatments"; }

  std::string IdOf(const std::string& email) {
    auto client = server_->SignedIn(email);
    return std::string(client.Get("/api/v1/auth/me").Json().at("user").at("id").as_string());
  }

  boost::json::value CreateRisk(HttpClient& client, const std::string& owner_id) {
    auto reply = client.Post(
        Risks(),
        Json({{"title", "Risk"}, {"owner_id", owner_id}, {"likelihood", 3}, {"impact", 3}}));
    EXPECT_EQ(reply.status, 201u) << reply.body;
    return reply.Json();
  }

  boost::json::value CreateAction(HttpClient& client, const boost::json::value& risk,
                                  boost::json::object body) {
    body["risk_id"] = risk.at("id");
    auto reply = client.Post(Treatments(), Json(body));
    EXPECT_EQ(reply.status, 201u) << reply.body;
    return reply.Json();
  }

  std::string Url(const boost::json::value& action) const {
    return Treatments() + "/" + std::string(action.at("id").as_string());
  }
  std::string RiskUrl(const boost::json::value& risk) const {
    return Risks() + "/" + std::string(risk.at("id").as_string());
  }
};

TEST_P(TreatmentsApi, CreateAnswers201AndTheRiskCountsItsOpenActions) {
  auto alice = server_->SignedIn("alice@example.com");
  auto risk = CreateRisk(alice, alice_id_);
  auto reply = alice.Post(Treatments(), Json({{"risk_id", risk.at("id")},
                                              {"title", "Enable MFA"},
                                              {"description", "For all staff"},
                                              {"owner_id", alice_id_},
                                              {"due_on", "2026-04-01"}}));
  ASSERT_EQ(reply.status, 201u) << reply.body;
  auto action = reply.Json();
  EXPECT_EQ(action.at("ref"), "T-0001");
  EXPECT_EQ(action.at("status"), "planned");
  EXPECT_EQ(action.at("due_on"), "2026-04-01");
  EXPECT_EQ(action.at("owner_id"), boost::json::value(alice_id_));
  EXPECT_EQ(reply.Header("etag"), "\"1\"");
  EXPECT_EQ(reply.Header("location"), Url(action));
  EXPECT_EQ(alice.Get(Url(action)).Json(), action);
  auto second = CreateAction(alice, risk, {{"title", "Train staff"}});
  EXPECT_EQ(second.at("ref"), "T-0002");
  EXPECT_EQ(second.at("owner_id"), nullptr);
  EXPECT_EQ(alice.Get(RiskUrl(risk)).Json().at("open_treatments"), 2);
  alice.Patch(Url(second), Json({{"status", "cancelled"}}), {{"If-Match", "\"1\""}});
  EXPECT_EQ(alice.Get(RiskUrl(risk)).Json().at("open_treatments"), 1);
}

TEST_P(TreatmentsApi, ValidationNamesEveryBadField) {
  auto alice = server_->SignedIn("alice@example.com");
  auto missing = alice.Post(Treatments(), "{}");
  EXPECT_EQ(missing.status, 422u);
  EXPECT_THAT(ErrorFields(missing), UnorderedElementsAre("risk_id", "title"));
  auto risk = CreateRisk(alice, alice_id_);
  auto wrong = alice.Post(
      Treatments(),
      Json({{"risk_id", risk.at("id")}, {"title", ""}, {"status", "maybe"}, {"due_on", "soon"}}));
  EXPECT_EQ(wrong.status, 422u);
  EXPECT_THAT(ErrorFields(wrong), UnorderedElementsAre("title", "status", "due_on"));
  auto mallory = server_->SignedIn("mallory@example.com");
  auto foreign =
      mallory
          .Post("/api/v1/orgs/" + other_org_ + "/risks",
                Json({{"title", "X"}, {"owner_id", mallory_id_}, {"likelihood", 1}, {"impact", 1}}))
          .Json();
  auto other = alice.Post(Treatments(), Json({{"risk_id", foreign.at("id")}, {"title", "X"}}));
  EXPECT_EQ(other.status, 422u);
  EXPECT_THAT(ErrorFields(other), ElementsAre("risk_id"));
  auto outsider = alice.Post(
      Treatments(), Json({{"risk_id", risk.at("id")}, {"title", "X"}, {"owner_id", mallory_id_}}));
  EXPECT_EQ(outsider.status, 422u);
  EXPECT_THAT(ErrorFields(outsider), ElementsAre("owner_id"));
}

TEST_P(TreatmentsApi, FiltersIncludingOverdue) {
  auto alice = server_->SignedIn("alice@example.com");
  auto carl_id = IdOf("carl@example.com");
  auto first = CreateRisk(alice, alice_id_);
  auto second = CreateRisk(alice, alice_id_);
  // Today is 2026-03-02 on the fake clock.
  CreateAction(alice, first, {{"title", "Late"}, {"due_on", "2026-02-01"}});
  CreateAction(alice, first,
               {{"title", "Late but done"}, {"due_on", "2026-02-01"}, {"status", "done"}});
  CreateAction(alice, second,
               {{"title", "Future"}, {"due_on", "2026-06-01"}, {"owner_id", carl_id}});
  CreateAction(alice, second, {{"title", "Undated"}, {"status", "in_progress"}});
  auto titles = [&](const std::string& query) {
    std::vector<std::string> out;
    auto reply = alice.Get(Treatments() + query);
    EXPECT_EQ(reply.status, 200u) << reply.body;
    auto json = reply.Json();
    for (const auto& item : json.at("items").as_array()) {
      out.emplace_back(item.at("title").as_string());
    }
    return out;
  };
  EXPECT_THAT(titles("?overdue=true"), ElementsAre("Late"));
  EXPECT_THAT(titles("?risk_id=" + std::string(first.at("id").as_string())),
              ElementsAre("Late", "Late but done"));
  EXPECT_THAT(titles("?status=in_progress"), ElementsAre("Undated"));
  EXPECT_THAT(titles("?owner_id=" + carl_id), ElementsAre("Future"));
  EXPECT_THAT(titles("?sort=-ref&limit=2"), ElementsAre("Undated", "Future"));
  EXPECT_THAT(ErrorFields(alice.Get(Treatments() + "?overdue=maybe&status=x")),
              UnorderedElementsAre("overdue", "status"));
}

TEST_P(TreatmentsApi, PermissionsFollowRolesAndOwnership) {
  auto alice = server_->SignedIn("alice@example.com");
  auto carl_id = IdOf("carl@example.com");
  auto carl = server_->SignedIn("carl@example.com");
  auto alices = CreateRisk(alice, alice_id_);
  auto carls = CreateRisk(carl, carl_id);
  // Carl plans actions for his own risk, and works on actions he owns.
  auto own = CreateAction(carl, carls, {{"title", "Mine"}});
  EXPECT_EQ(
      carl.Post(Treatments(), Json({{"risk_id", alices.at("id")}, {"title", "Not mine"}})).status,
      403u);
  auto assigned = CreateAction(alice, alices, {{"title", "For Carl"}, {"owner_id", carl_id}});
  EXPECT_EQ(
      carl.Patch(Url(assigned), Json({{"status", "in_progress"}}), {{"If-Match", "\"1\""}}).status,
      200u);
  auto alices_action = CreateAction(alice, alices, {{"title", "Alice's"}});
  EXPECT_EQ(
      carl.Patch(Url(alices_action), Json({{"status", "done"}}), {{"If-Match", "\"1\""}}).status,
      403u);
  for (const auto* email : {"victor@example.com", "audrey@example.com"}) {
    auto reader = server_->SignedIn(email);
    EXPECT_EQ(reader.Get(Url(own)).status, 200u);
    EXPECT_EQ(
        reader.Post(Treatments(), Json({{"risk_id", alices.at("id")}, {"title", "X"}})).status,
        403u);
    EXPECT_EQ(reader.Patch(Url(own), Json({{"title", "X"}}), {{"If-Match", "\"1\""}}).status, 403u);
    EXPECT_EQ(reader.Delete(Url(own), {{"If-Match", "\"1\""}}).status, 403u);
  }
}

TEST_P(TreatmentsApi, IfMatchHistoryAndOtherOrganizations) {
  auto alice = server_->SignedIn("alice@example.com");
  auto risk = CreateRisk(alice, alice_id_);
  auto action = CreateAction(alice, risk, {{"title", "Patch servers"}});
  EXPECT_EQ(alice.Patch(Url(action), Json({{"title", "X"}})).status, 428u);
  EXPECT_EQ(alice.Delete(Url(action)).status, 428u);
  EXPECT_EQ(alice.Patch(Url(action), Json({{"status", "done"}}), {{"If-Match", "\"1\""}}).status,
            200u);
  EXPECT_EQ(alice.Patch(Url(action), Json({{"title", "Lost"}}), {{"If-Match", "\"1\""}}).status,
            412u);

  auto mallory = server_->SignedIn("mallory@example.com");
  EXPECT_EQ(mallory.Get(Url(action)).status, 404u);
  EXPECT_EQ(mallory.Get(Treatments()).status, 404u);
  EXPECT_EQ(mallory.Patch(Url(action), Json({{"title", "X"}}), {{"If-Match", "\"2\""}}).status,
            404u);
  EXPECT_EQ(mallory.Get(Url(action) + "/history").status, 404u);

  // Deleting the risk is refused while it has actions; once they are gone it is allowed.
  EXPECT_EQ(alice.Delete(RiskUrl(risk), {{"If-Match", "\"1\""}}).status, 409u);
  EXPECT_EQ(alice.Delete(Url(action), {{"If-Match", "\"2\""}}).status, 204u);
  EXPECT_EQ(alice.Delete(RiskUrl(risk), {{"If-Match", "\"1\""}}).status, 204u);

  auto history = alice.Get(Url(action) + "/history");
  ASSERT_EQ(history.status, 200u) << history.body;
  auto json = history.Json();
  const auto& items = json.at("items").as_array();
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[1].at("before").at("status"), "planned");
  EXPECT_EQ(items[1].at("after").at("status"), "done");
  EXPECT_EQ(items[2].at("action"), "delete");
}

TEST_P(TreatmentsApi, CompletionNoteAndControlOfTheSoaAreRecorded) {
  auto alice = server_->SignedIn("alice@example.com");
  auto mallory = server_->SignedIn("mallory@example.com");
  auto controls = alice.Get("/api/v1/orgs/" + org_ + "/controls?limit=1").Json().at("items");
  ASSERT_FALSE(controls.as_array().empty());
  auto control = controls.at(0).at("id");
  auto foreign = mallory.Get("/api/v1/orgs/" + other_org_ + "/controls?limit=1")
                     .Json()
                     .at("items")
                     .at(0)
                     .at("id");
  auto risk = CreateRisk(alice, alice_id_);

  auto action = CreateAction(alice, risk, {{"title", "Enable MFA"}, {"control_id", control}});
  EXPECT_EQ(action.at("control_id"), control);
  EXPECT_EQ(action.at("completion_note"), "");

  // Only controls of this organization's SoA; unknown and foreign ones are 422.
  for (const auto& bad : {boost::json::value(foreign), boost::json::value("no-such-control")}) {
    auto refused = alice.Post(
        Treatments(), Json({{"risk_id", risk.at("id")}, {"title", "x"}, {"control_id", bad}}));
    ASSERT_EQ(refused.status, 422u) << refused.body;
    EXPECT_THAT(ErrorFields(refused), ElementsAre("control_id"));
    auto patched = alice.Patch(Url(action), Json({{"control_id", bad}}), {{"If-Match", "\"1\""}});
    ASSERT_EQ(patched.status, 422u) << patched.body;
    EXPECT_THAT(ErrorFields(patched), ElementsAre("control_id"));
  }

  auto done = alice.Patch(
      Url(action),
      Json({{"status", "done"}, {"completion_note", "MFA enforced for all staff on 2026-03-01"}}),
      {{"If-Match", "\"1\""}});
  ASSERT_EQ(done.status, 200u) << done.body;
  EXPECT_EQ(done.Json().at("completion_note"), "MFA enforced for all staff on 2026-03-01");
  EXPECT_EQ(done.Json().at("control_id"), control);
  EXPECT_EQ(alice.Get(Url(action)).Json().at("completion_note"),
            "MFA enforced for all staff on 2026-03-01");

  // The link can be removed with null; a too long note is 422.
  auto unlinked =
      alice.Patch(Url(action), Json({{"control_id", nullptr}}), {{"If-Match", "\"2\""}});
  ASSERT_EQ(unlinked.status, 200u) << unlinked.body;
  EXPECT_EQ(unlinked.Json().at("control_id"), nullptr);
  auto too_long = alice.Patch(Url(action), Json({{"completion_note", std::string(20001, 'x')}}),
                              {{"If-Match", "\"3\""}});
  ASSERT_EQ(too_long.status, 422u) << too_long.body;
  EXPECT_THAT(ErrorFields(too_long), ElementsAre("completion_note"));
}

INSTANTIATE_TEST_SUITE_P(Engines, TreatmentsApi, ::testing::ValuesIn(TestEngines()), EngineName);

}  // namespace
}  // namespace certus::testing
