// HTTP scenarios for readiness (issue 7 item 1): an evaluation as of a past day is rebuilt
// from the audit log, so it does not change when today's records do.
#include <sstream>

#include <gmock/gmock.h>

#include "cli/readiness_command.hpp"
#include "tests/api/api_fixture.hpp"

namespace certus::testing {
namespace {

class ReadinessApi : public ApiTest {
 protected:
  std::string Readiness() const { return "/api/v1/orgs/" + org_ + "/readiness"; }

  static const boost::json::object* FindCheck(const boost::json::value& report,
                                              const std::string& id) {
    for (const auto& clause : report.at("clauses").as_array()) {
      for (const auto& r : clause.at("requirements").as_array()) {
        for (const auto& c : r.at("checks").as_array()) {
          if (c.at("id").as_string() == id) return &c.as_object();
        }
      }
    }
    return nullptr;
  }
};

TEST_P(ReadinessApi, AnswersEveryClauseAndRequirementOfTheCatalog) {
  auto victor = server_->SignedIn("victor@example.com");
  auto reply = victor.Get(Readiness());
  ASSERT_EQ(reply.status, 200u) << reply.body;
  auto report = reply.Json();
  EXPECT_EQ(report.at("as_of"), "2026-03-02");
  EXPECT_EQ(report.at("verdict"), "not_ready");
  EXPECT_TRUE(report.at("score").is_int64());
  const auto& clauses = report.at("clauses").as_array();
  ASSERT_EQ(clauses.size(), 7u);
  EXPECT_EQ(clauses[0].at("ref"), "4");
  std::vector<std::string> refs;
  for (const auto& clause : clauses) {
    for (const auto& r : clause.at("requirements").as_array()) {
      refs.emplace_back(r.at("ref").as_string());
    }
  }
  EXPECT_THAT(refs, ::testing::IsSupersetOf(
                        {"4.1", "4.4", "6.1", "6.1.3", "7.5.3", "9.2", "9.2.2", "9.3.3", "10.2"}));
  const auto* scope = FindCheck(report, "scope.published");
  ASSERT_NE(scope, nullptr);
  EXPECT_EQ(scope->at("status"), "fail");
  EXPECT_FALSE(scope->at("remedy").as_string().empty());
}

TEST_P(ReadinessApi, AsOfAPastDayIgnoresLaterChanges) {
  auto alice = server_->SignedIn("alice@example.com");
  auto issues = "/api/v1/orgs/" + org_ + "/context-issues";
  auto created = alice.Post(
      issues, Json({{"kind", "external"}, {"title", "Regulation"}, {"reviewed_on", "2026-03-01"}}));
  ASSERT_EQ(created.status, 201u) << created.body;
  auto today = alice.Get(Readiness());
  ASSERT_EQ(today.status, 200u);
  EXPECT_EQ(FindCheck(today.Json(), "context.issues_reviewed")->at("status"), "pass");
  // As of today, by date, is the same evaluation.
  EXPECT_EQ(alice.Get(Readiness() + "?as_of=2026-03-02").Json(), today.Json());

  // Two days later: a new unreviewed issue, the reviewed one deleted, other thresholds.
  server_->clock().Advance(std::chrono::hours(48));
  alice = server_->SignedIn("alice@example.com");  // the session expired meanwhile
  auto late = alice.Post(issues, Json({{"kind", "internal"}, {"title", "Reorganisation"}}));
  ASSERT_EQ(late.status, 201u);
  auto id = std::string(created.Json().at("id").as_string());
  EXPECT_EQ(alice.Delete(issues + "/" + id, {{"If-Match", "\"1\""}}).status, 204u);
  auto put = alice.Send("PUT", Readiness() + "/settings",
                        Json({{"policy_ack_percent", 50},
                              {"awareness_percent", 50},
                              {"overdue_tolerance_days", 0},
                              {"recent_months", 1}}),
                        {{"If-Match", "\"1\""}});
  ASSERT_EQ(put.status, 200u) << put.body;

  auto now = alice.Get(Readiness()).Json();
  EXPECT_EQ(now.at("as_of"), "2026-03-04");
  const auto* check = FindCheck(now, "context.issues_reviewed");
  EXPECT_EQ(check->at("status"), "fail");
  ASSERT_EQ(check->at("links").as_array().size(), 1u);
  EXPECT_EQ(check->at("links").at(0).at("id"), late.Json().at("id"));
  EXPECT_EQ(check->at("links").at(0).at("type"), "context_issue");

  auto again = alice.Get(Readiness() + "?as_of=2026-03-02");
  ASSERT_EQ(again.status, 200u);
  EXPECT_EQ(again.Json(), today.Json());
}

TEST_P(ReadinessApi, AChangeTheSameDayIsSeenAtOnce) {
  // The server keeps recent reports, keyed by the audit chain's length: a write in between
  // must never leave an old answer standing.
  auto alice = server_->SignedIn("alice@example.com");
  auto issues = "/api/v1/orgs/" + org_ + "/context-issues";
  auto created = alice.Post(issues, Json({{"kind", "external"}, {"title", "Regulation"}}));
  ASSERT_EQ(created.status, 201u) << created.body;
  const auto before = alice.Get(Readiness()).Json();
  EXPECT_EQ(FindCheck(before, "context.issues_reviewed")->at("status"), "fail");
  EXPECT_EQ(alice.Get(Readiness()).Json(), before);  // asked again: the same answer

  auto id = std::string(created.Json().at("id").as_string());
  auto reviewed = alice.Patch(issues + "/" + id, Json({{"reviewed_on", "2026-03-02"}}),
                              {{"If-Match", "\"1\""}});
  ASSERT_EQ(reviewed.status, 200u) << reviewed.body;
  const auto after = alice.Get(Readiness()).Json();
  EXPECT_EQ(FindCheck(after, "context.issues_reviewed")->at("status"), "pass");
}

TEST_P(ReadinessApi, TrendGivesEachDayTheEvaluationOfThatDay) {
  auto alice = server_->SignedIn("alice@example.com");
  auto issues = "/api/v1/orgs/" + org_ + "/context-issues";
  ASSERT_EQ(
      alice
          .Post(
              issues,
              Json({{"kind", "external"}, {"title", "Regulation"}, {"reviewed_on", "2026-03-01"}}))
          .status,
      201u);
  const auto day_one = alice.Get(Readiness() + "?as_of=2026-03-02").Json();
  server_->clock().Advance(std::chrono::hours(48));
  alice = server_->SignedIn("alice@example.com");
  ASSERT_EQ(alice.Post(issues, Json({{"kind", "internal"}, {"title", "Reorganisation"}})).status,
            201u);

  auto reply = alice.Get(Readiness() + "/trend?from=2026-03-01");
  ASSERT_EQ(reply.status, 200u) << reply.body;
  const auto items = reply.Json().at("items").as_array();
  ASSERT_EQ(items.size(), 4u);
  EXPECT_EQ(items[0].at("date"), "2026-03-01");
  EXPECT_EQ(items[3].at("date"), "2026-03-04");
  EXPECT_EQ(items[1].at("score"), day_one.at("score"));
  EXPECT_EQ(items[1].at("verdict"), day_one.at("verdict"));
  const auto today = alice.Get(Readiness()).Json();
  EXPECT_EQ(items[3].at("score"), today.at("score"));
  // The stored samples of past days answer the second time, with the same values.
  auto again = alice.Get(Readiness() + "/trend?from=2026-03-01&to=2026-03-03");
  ASSERT_EQ(again.status, 200u);
  ASSERT_EQ(again.Json().at("items").as_array().size(), 3u);
  EXPECT_EQ(again.Json().at("items").at(1), items[1]);
  // Thirty days by default, ending today.
  auto fallback = alice.Get(Readiness() + "/trend").Json().at("items").as_array();
  ASSERT_EQ(fallback.size(), 30u);
  EXPECT_EQ(fallback.back().at("date"), "2026-03-04");

  for (const auto& [query, field] :
       std::vector<std::pair<std::string, std::string>>{{"?to=2026-03-05", "to"},
                                                        {"?from=2026-03-04&to=2026-03-03", "from"},
                                                        {"?from=2025-01-01", "from"},
                                                        {"?from=soon", "from"}}) {
    auto bad = alice.Get(Readiness() + "/trend" + query);
    EXPECT_EQ(bad.status, 422u) << query;
    EXPECT_THAT(ErrorFields(bad), ::testing::ElementsAre(field)) << query;
  }
  auto mallory = server_->SignedIn("mallory@example.com");
  EXPECT_EQ(mallory.Get(Readiness() + "/trend").status, 404u);
}

TEST_P(ReadinessApi, RefusesBadAndFutureDates) {
  auto alice = server_->SignedIn("alice@example.com");
  for (const char* bad : {"2026-02-30", "yesterday", "2026-03-03"}) {
    auto reply = alice.Get(Readiness() + "?as_of=" + bad);
    EXPECT_EQ(reply.status, 422u) << bad;
    EXPECT_THAT(ErrorFields(reply), ::testing::ElementsAre("as_of")) << bad;
  }
  auto mallory = server_->SignedIn("mallory@example.com");
  EXPECT_EQ(mallory.Get(Readiness()).status, 404u);
}

TEST_P(ReadinessApi, SettingsHaveDefaultsAndOptimisticConcurrency) {
  auto victor = server_->SignedIn("victor@example.com");
  auto reply = victor.Get(Readiness() + "/settings");
  ASSERT_EQ(reply.status, 200u);
  EXPECT_EQ(reply.Json().at("policy_ack_percent"), 80);
  EXPECT_EQ(reply.Json().at("recent_months"), 12);
  EXPECT_EQ(reply.Header("etag"), "\"1\"");
  const std::string body = Json({{"policy_ack_percent", 90},
                                 {"awareness_percent", 70},
                                 {"overdue_tolerance_days", 14},
                                 {"recent_months", 12}});
  EXPECT_EQ(victor.Send("PUT", Readiness() + "/settings", body, {{"If-Match", "\"1\""}}).status,
            403u);
  auto maria = server_->SignedIn("maria@example.com");
  auto bad = maria.Send("PUT", Readiness() + "/settings",
                        Json({{"policy_ack_percent", 101},
                              {"awareness_percent", 70},
                              {"overdue_tolerance_days", 14},
                              {"recent_months", 0}}),
                        {{"If-Match", "\"1\""}});
  EXPECT_EQ(bad.status, 422u);
  EXPECT_THAT(ErrorFields(bad),
              ::testing::UnorderedElementsAre("policy_ack_percent", "recent_months"));
  auto saved = maria.Send("PUT", Readiness() + "/settings", body, {{"If-Match", "\"1\""}});
  ASSERT_EQ(saved.status, 200u) << saved.body;
  EXPECT_EQ(saved.Json().at("policy_ack_percent"), 90);
  EXPECT_EQ(saved.Header("etag"), "\"2\"");
  EXPECT_EQ(maria.Send("PUT", Readiness() + "/settings", body, {{"If-Match", "\"1\""}}).status,
            412u);
  EXPECT_EQ(maria.Send("PUT", Readiness() + "/settings", body, {}).status, 428u);
  EXPECT_EQ(victor.Get(Readiness() + "/settings").Json().at("awareness_percent"), 70);
}

TEST_P(ReadinessApi, CommandLineAnswersTheSameJsonAndExitsOneWhenNotReady) {
  auto alice = server_->SignedIn("alice@example.com");
  auto api = alice.Get(Readiness()).Json();
  std::ostringstream json;
  auto status = cli::Readiness(server_->app(), org_, "", "json", json);
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(*status, 1);
  EXPECT_EQ(boost::json::parse(json.str()), api);
  std::ostringstream text;
  EXPECT_EQ(cli::Readiness(server_->app(), org_, "2026-03-01", "text", text).value_or(-1), 1);
  EXPECT_THAT(text.str(), ::testing::HasSubstr("Readiness as of 2026-03-01: not_ready"));
  EXPECT_THAT(text.str(), ::testing::HasSubstr("[fail] scope.published"));
  EXPECT_FALSE(cli::Readiness(server_->app(), org_, "2027-01-01", "text", text).has_value());
  EXPECT_FALSE(cli::Readiness(server_->app(), "no-such-org", "", "text", text).has_value());
}

INSTANTIATE_TEST_SUITE_P(Engines, ReadinessApi, ::testing::ValuesIn(TestEngines()), EngineName);

}  // namespace
}  // namespace certus::testing
