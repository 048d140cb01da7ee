// HTTP scenarios for context issues (ISO 27001 4.1): the pattern every module copies.
#include <gmock/gmock.h>

#include "tests/api/api_fixture.hpp"

namespace certus::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

class ContextIssuesApi : public ApiTest {
 protected:
  boost::json::value CreateIssue(HttpClient& client, const std::string& title,
                                 const std::string& kind = "external") {
    auto reply = client.Post(Issues(), Json({{"kind", kind}, {"title", title}}));
    EXPECT_EQ(reply.status, 201u) << reply.body;
    return reply.Json();
  }
};

TEST_P(ContextIssuesApi, CreateAnswers201WithLocationEtagAndTheObject) {
  auto alice = server_->SignedIn("alice@example.com");
  auto reply = alice.Post(Issues(), Json({{"kind", "external"},
                                          {"title", "New privacy regulation"},
                                          {"description", "The regulator publishes rules in 2026."},
                                          {"effect", "Changes what we must protect."},
                                          {"reviewed_on", "2026-02-01"}}));
  ASSERT_EQ(reply.status, 201u) << reply.body;
  auto issue = reply.Json();
  EXPECT_EQ(issue.at("ref"), "CTX-0001");
  EXPECT_EQ(issue.at("kind"), "external");
  EXPECT_EQ(issue.at("title"), "New privacy regulation");
  EXPECT_EQ(issue.at("reviewed_on"), "2026-02-01");
  EXPECT_EQ(issue.at("version"), 1);
  EXPECT_EQ(issue.at("created_at"), "2026-03-02T09:00:00.000000Z");
  EXPECT_EQ(reply.Header("etag"), "\"1\"");
  EXPECT_EQ(reply.Header("location"), Issues() + "/" + std::string(issue.at("id").as_string()));

  auto fetched = alice.Get(reply.Header("location"));
  EXPECT_EQ(fetched.status, 200u);
  EXPECT_EQ(fetched.Json(), issue);
  EXPECT_EQ(fetched.Header("etag"), "\"1\"");
}

TEST_P(ContextIssuesApi, RefsCountUpPerOrganization) {
  auto alice = server_->SignedIn("alice@example.com");
  CreateIssue(alice, "One");
  EXPECT_EQ(CreateIssue(alice, "Two").at("ref"), "CTX-0002");
  auto mallory = server_->SignedIn("mallory@example.com");
  auto reply = mallory.Post("/api/v1/orgs/" + other_org_ + "/context-issues",
                            Json({{"kind", "internal"}, {"title", "Theirs"}}));
  EXPECT_EQ(reply.Json().at("ref"), "CTX-0001");
}

TEST_P(ContextIssuesApi, ValidationNamesEveryBadField) {
  auto alice = server_->SignedIn("alice@example.com");
  auto missing = alice.Post(Issues(), "{}");
  EXPECT_EQ(missing.status, 422u);
  EXPECT_EQ(missing.Header("content-type"), "application/problem+json");
  EXPECT_THAT(ErrorFields(missing), UnorderedElementsAre("kind", "title"));

  auto wrong = alice.Post(Issues(), Json({{"kind", "sideways"},
                                          {"title", 42},
                                          {"reviewed_on", "2026-02-30"},
                                          {"colour", "blue"}}));
  EXPECT_EQ(wrong.status, 422u);
  EXPECT_THAT(ErrorFields(wrong), UnorderedElementsAre("kind", "title", "reviewed_on", "colour"));
  auto problem = wrong.Json();
  EXPECT_EQ(problem.at("status"), 422);
  EXPECT_EQ(problem.at("type"), "urn:certus:problem:validation");

  auto blank = alice.Post(Issues(), Json({{"kind", "internal"}, {"title", "   "}}));
  EXPECT_THAT(ErrorFields(blank), ElementsAre("title"));

  auto future = alice.Post(
      Issues(), Json({{"kind", "internal"}, {"title", "Later"}, {"reviewed_on", "2026-03-03"}}));
  EXPECT_EQ(future.status, 422u);
  EXPECT_THAT(ErrorFields(future), ElementsAre("reviewed_on"));

  // Every invalid field at once, the date rule of the service included.
  auto all =
      alice.Post(Issues(), Json({{"kind", ""}, {"title", ""}, {"reviewed_on", "2999-01-01"}}));
  EXPECT_THAT(ErrorFields(all), UnorderedElementsAre("kind", "title", "reviewed_on"));

  auto too_long =
      alice.Post(Issues(), Json({{"kind", "internal"}, {"title", std::string(201, 'x')}}));
  EXPECT_THAT(ErrorFields(too_long), ElementsAre("title"));

  // Nothing of the above was written.
  EXPECT_EQ(alice.Get(Issues()).Json().at("items").as_array().size(), 0u);
}

TEST_P(ContextIssuesApi, MalformedJsonIs400AndInvalidUtf8Too) {
  auto alice = server_->SignedIn("alice@example.com");
  EXPECT_EQ(alice.Post(Issues(), "{\"kind\": ").status, 400u);
  EXPECT_EQ(alice.Post(Issues(), "{\"kind\":\"internal\",\"title\":\"\xff\xfe\"}").status, 400u);
  EXPECT_EQ(alice.Post(Issues(), "[1, 2]").status, 422u);
  EXPECT_EQ(alice.Get(Issues()).Json().at("items").as_array().size(), 0u);
}

TEST_P(ContextIssuesApi, SqlMetacharactersAreStoredAsText) {
  auto alice = server_->SignedIn("alice@example.com");
  std::string title = "'; DROP TABLE context_issues; -- \"%_\\";
  auto created = CreateIssue(alice, title);
  EXPECT_EQ(created.at("title"), boost::json::value(title));
  auto found = alice.Get(Issues() + "?q=%25_");  // q=%_ must match literally
  ASSERT_EQ(found.status, 200u);
  EXPECT_EQ(found.Json().at("items").as_array().size(), 1u);
  CreateIssue(alice, "plain");
  EXPECT_EQ(alice.Get(Issues() + "?q=%25_").Json().at("items").as_array().size(), 1u);
}

TEST_P(ContextIssuesApi, PatchNeedsIfMatchAndRefusesStaleVersions) {
  auto alice = server_->SignedIn("alice@example.com");
  auto issue = CreateIssue(alice, "Supplier concentration");
  auto url = Issues() + "/" + std::string(issue.at("id").as_string());

  auto without = alice.Patch(url, Json({{"title", "Changed"}}));
  EXPECT_EQ(without.status, 428u);

  auto ok = alice.Patch(url, Json({{"title", "Changed"}, {"reviewed_on", nullptr}}),
                        {{"If-Match", "\"1\""}});
  ASSERT_EQ(ok.status, 200u) << ok.body;
  EXPECT_EQ(ok.Json().at("title"), "Changed");
  EXPECT_EQ(ok.Json().at("kind"), "external");  // untouched fields stay
  EXPECT_EQ(ok.Json().at("version"), 2);
  EXPECT_EQ(ok.Header("etag"), "\"2\"");

  // Maria read version 1 and saves after Alice: her change would silently overwrite.
  auto maria = server_->SignedIn("maria@example.com");
  auto stale = maria.Patch(url, Json({{"title", "Maria's title"}}), {{"If-Match", "\"1\""}});
  EXPECT_EQ(stale.status, 412u);
  EXPECT_EQ(alice.Get(url).Json().at("title"), "Changed");

  auto garbage = alice.Patch(url, Json({{"title", "x"}}), {{"If-Match", "banana"}});
  EXPECT_EQ(garbage.status, 412u);

  auto invalid = alice.Patch(url, Json({{"kind", "neither"}}), {{"If-Match", "\"2\""}});
  EXPECT_EQ(invalid.status, 422u);
  EXPECT_EQ(alice.Get(url).Json().at("version"), 2);
}

TEST_P(ContextIssuesApi, DeleteNeedsIfMatchThenIsGone) {
  auto alice = server_->SignedIn("alice@example.com");
  auto issue = CreateIssue(alice, "Obsolete");
  auto url = Issues() + "/" + std::string(issue.at("id").as_string());
  EXPECT_EQ(alice.Delete(url).status, 428u);
  EXPECT_EQ(alice.Delete(url, {{"If-Match", "\"7\""}}).status, 412u);
  EXPECT_EQ(alice.Delete(url, {{"If-Match", "\"1\""}}).status, 204u);
  EXPECT_EQ(alice.Get(url).status, 404u);
  EXPECT_EQ(alice.Delete(url, {{"If-Match", "\"1\""}}).status, 404u);
}

TEST_P(ContextIssuesApi, HistoryListsEveryChangeWithWhoAndWhat) {
  auto alice = server_->SignedIn("alice@example.com");
  auto issue = CreateIssue(alice, "Cloud migration");
  auto url = Issues() + "/" + std::string(issue.at("id").as_string());
  alice.Patch(url, Json({{"effect", "New shared-responsibility boundaries"}}),
              {{"If-Match", "\"1\""}});
  alice.Delete(url, {{"If-Match", "\"2\""}});

  auto history = alice.Get(url + "/history");
  ASSERT_EQ(history.status, 200u) << history.body;
  auto history_json = history.Json();
  const auto& items = history_json.at("items").as_array();
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].at("action"), "create");
  EXPECT_EQ(items[0].at("before"), nullptr);
  EXPECT_EQ(items[1].at("action"), "update");
  EXPECT_EQ(items[1].at("before").at("effect"), "");
  EXPECT_EQ(items[1].at("after").at("effect"), "New shared-responsibility boundaries");
  EXPECT_EQ(items[2].at("action"), "delete");
  EXPECT_EQ(items[2].at("actor_email"), "alice@example.com");
  EXPECT_EQ(alice.Get(Issues() + "/no-such-id/history").status, 404u);
}

TEST_P(ContextIssuesApi, ListFiltersSortsAndPagesWithoutGapsOrRepeats) {
  auto alice = server_->SignedIn("alice@example.com");
  std::vector<boost::json::value> all;
  all.reserve(23);
  for (int i = 0; i < 23; ++i) {
    all.push_back(CreateIssue(alice, "Issue " + std::to_string(100 + (i * 7) % 23),
                              i % 2 ? "internal" : "external"));
  }
  std::vector<std::string> titles;
  std::string cursor;
  int pages = 0;
  do {
    auto reply =
        alice.Get(Issues() + "?limit=5&sort=-title" + (cursor.empty() ? "" : "&cursor=" + cursor));
    ASSERT_EQ(reply.status, 200u) << reply.body;
    auto json = reply.Json();
    for (const auto& item : json.at("items").as_array())
      titles.emplace_back(item.at("title").as_string());
    cursor =
        json.at("next_cursor").is_null() ? "" : std::string(json.at("next_cursor").as_string());
    ++pages;
  } while (!cursor.empty());
  EXPECT_EQ(pages, 5);
  ASSERT_EQ(titles.size(), 23u);
  EXPECT_TRUE(std::is_sorted(titles.rbegin(), titles.rend()));
  EXPECT_EQ(std::set<std::string>(titles.begin(), titles.end()).size(), 23u);

  auto internal = alice.Get(Issues() + "?kind=internal&limit=500").Json();
  EXPECT_EQ(internal.at("items").as_array().size(), 11u);
  auto searched = alice.Get(Issues() + "?q=issue%20110").Json();
  EXPECT_EQ(searched.at("items").as_array().size(), 1u);

  EXPECT_THAT(ErrorFields(alice.Get(Issues() + "?limit=0")), ElementsAre("limit"));
  EXPECT_THAT(ErrorFields(alice.Get(Issues() + "?limit=501")), ElementsAre("limit"));
  EXPECT_THAT(ErrorFields(alice.Get(Issues() + "?sort=password")), ElementsAre("sort"));
  EXPECT_THAT(ErrorFields(alice.Get(Issues() + "?kind=both")), ElementsAre("kind"));
  EXPECT_THAT(ErrorFields(alice.Get(Issues() + "?cursor=not-a-cursor")), ElementsAre("cursor"));
  // A cursor made for one sort order does not continue another.
  auto first = alice.Get(Issues() + "?limit=5&sort=title").Json();
  auto foreign = alice.Get(
      Issues() + "?sort=-created_at&cursor=" + std::string(first.at("next_cursor").as_string()));
  EXPECT_THAT(ErrorFields(foreign), ElementsAre("cursor"));
}

TEST_P(ContextIssuesApi, OtherOrganizationsSeeNothingAndChangeNothing) {
  auto alice = server_->SignedIn("alice@example.com");
  auto issue = CreateIssue(alice, "Confidential strategy");
  auto url = Issues() + "/" + std::string(issue.at("id").as_string());
  auto mallory = server_->SignedIn("mallory@example.com");
  EXPECT_EQ(mallory.Get(Issues()).status, 404u);
  EXPECT_EQ(mallory.Get(url).status, 404u);
  EXPECT_EQ(mallory.Get(url + "/history").status, 404u);
  EXPECT_EQ(mallory.Patch(url, Json({{"title", "pwned"}}), {{"If-Match", "\"1\""}}).status, 404u);
  EXPECT_EQ(mallory.Delete(url, {{"If-Match", "\"1\""}}).status, 404u);
  EXPECT_EQ(mallory.Post(Issues(), Json({{"kind", "internal"}, {"title", "x"}})).status, 404u);
  // Nor through their own organization's path.
  EXPECT_EQ(mallory
                .Get("/api/v1/orgs/" + other_org_ + "/context-issues/" +
                     std::string(issue.at("id").as_string()))
                .status,
            404u);
  EXPECT_EQ(alice.Get(url).Json().at("title"), "Confidential strategy");
}

TEST_P(ContextIssuesApi, ViewersAuditorsAndContributorsReadButDoNotWrite) {
  auto alice = server_->SignedIn("alice@example.com");
  auto issue = CreateIssue(alice, "Board priorities");
  auto url = Issues() + "/" + std::string(issue.at("id").as_string());
  for (auto email : {"victor@example.com", "audrey@example.com", "carl@example.com"}) {
    auto client = server_->SignedIn(email);
    EXPECT_EQ(client.Get(url).status, 200u) << email;
    EXPECT_EQ(client.Post(Issues(), Json({{"kind", "internal"}, {"title", "x"}})).status, 403u)
        << email;
    EXPECT_EQ(client.Patch(url, Json({{"title", "x"}}), {{"If-Match", "\"1\""}}).status, 403u)
        << email;
    EXPECT_EQ(client.Delete(url, {{"If-Match", "\"1\""}}).status, 403u) << email;
  }
  auto maria = server_->SignedIn("maria@example.com");
  EXPECT_EQ(maria.Patch(url, Json({{"title", "Managers write"}}), {{"If-Match", "\"1\""}}).status,
            200u);
}

TEST_P(ContextIssuesApi, ChangesNeedTheCsrfTokenWithACookie) {
  auto alice = server_->SignedIn("alice@example.com");
  alice.SkipCsrf(true);
  auto reply = alice.Post(Issues(), Json({{"kind", "internal"}, {"title", "Forged"}}));
  EXPECT_EQ(reply.status, 403u);
  EXPECT_EQ(alice.Get(Issues()).Json().at("items").as_array().size(), 0u);
}

TEST_P(ContextIssuesApi, EveryChangeIsInTheVerifiableAuditLog) {
  auto alice = server_->SignedIn("alice@example.com");
  auto issue = CreateIssue(alice, "Audit me");
  auto url = Issues() + "/" + std::string(issue.at("id").as_string());
  alice.Patch(url, Json({{"title", "Audited"}}), {{"If-Match", "\"1\""}});

  auto log = alice.Get("/api/v1/orgs/" + org_ + "/audit-log?limit=2");
  ASSERT_EQ(log.status, 200u) << log.body;
  EXPECT_EQ(log.Json().at("items").as_array()[0].at("action"), "update");
  EXPECT_FALSE(log.Json().at("next_cursor").is_null());

  auto verify = alice.Get("/api/v1/orgs/" + org_ + "/audit-log/verify").Json();
  EXPECT_EQ(verify.at("ok"), true);
  EXPECT_EQ(verify.at("first_bad_event"), nullptr);
  EXPECT_GE(verify.at("events").as_int64(), 7);

  auto victor = server_->SignedIn("victor@example.com");
  EXPECT_EQ(victor.Get("/api/v1/orgs/" + org_ + "/audit-log").status, 403u);

  // Someone edits an event in the database behind Certus's back.
  auto tampered = storage::InWriteTransaction(server_->db(), [&](storage::Transaction& tx) {
    return tx.Execute(
        "UPDATE audit_events SET after_json = $1 WHERE chain = $2 AND object_type = "
        "'context_issue' "
        "AND action = 'create'",
        {std::string("{\"title\":\"Something else\"}"), org_});
  });
  ASSERT_TRUE(tampered);
  auto broken = alice.Get("/api/v1/orgs/" + org_ + "/audit-log/verify").Json();
  EXPECT_EQ(broken.at("ok"), false);
  EXPECT_TRUE(broken.at("first_bad_event").is_string());
}

INSTANTIATE_TEST_SUITE_P(Engines, ContextIssuesApi, ::testing::ValuesIn(TestEngines()), EngineName);

}  // namespace
}  // namespace certus::testing
