// HTTP scenarios for management reviews (ISO 27001 9.3): top management attends (9.3.1),
// the inputs of 9.3.2 a–g assembled from the records as of the review's date, decisions
// and actions (9.3.3) carried into the next review, and the rules for closing.
#include <gmock/gmock.h>

#include "tests/api/api_fixture.hpp"

namespace certus::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr std::chrono::hours kDay{24};

class ManagementReviewsApi : public ApiTest {
 protected:
  std::string Reviews() const { return "/api/v1/orgs/" + org_ + "/management-reviews"; }
  std::string Url(const boost::json::value& review) const {
    return Reviews() + "/" + std::string(review.at("id").as_string());
  }
  static std::vector<std::pair<std::string, std::string>> IfMatch(const boost::json::value& o) {
    return {{"If-Match", "\"" + std::to_string(o.at("version").as_int64()) + "\""}};
  }
  static std::string UserIdOf(HttpClient& client) {
    return std::string(client.Get("/api/v1/auth/me").Json().at("user").at("id").as_string());
  }
  void MakeTopManagement(const std::string& user_id) {
    auto alice = server_->SignedIn("alice@example.com");
    auto reply =
        alice.Post("/api/v1/orgs/" + org_ + "/roles",
                   Json({{"name", "Board"},
                         {"top_management", true},
                         {"assignee_ids", boost::json::array{boost::json::value(user_id)}}}));
    ASSERT_EQ(reply.status, 201u) << reply.body;
  }
  boost::json::value Create(HttpClient& client, const boost::json::object& body) {
    auto reply = client.Post(Reviews(), Json(body));
    EXPECT_EQ(reply.status, 201u) << reply.body;
    return reply.Json();
  }
  boost::json::value Step(HttpClient& client, const boost::json::value& review,
                          const std::string& step, unsigned expected = 200) {
    auto reply = client.Post(Url(review) + "/" + step, "");
    EXPECT_EQ(reply.status, expected) << reply.body;
    return reply.Json();
  }
  /// Notes on every input a–g; answers the review as it is afterwards.
  boost::json::value NoteEverything(HttpClient& client, boost::json::value review) {
    for (const char* key : {"a", "b", "c", "d", "e", "f", "g"}) {
      auto reply = client.Send("PUT", Url(review) + "/inputs/" + key,
                               Json({{"notes", std::string("Reviewed ") + key}}), IfMatch(review));
      EXPECT_EQ(reply.status, 200u) << reply.body;
      review = reply.Json();
    }
    return review;
  }
  static void Seed(HttpClient& client, const std::string& url, const std::string& body) {
    auto reply = client.Post(url, body);
    ASSERT_EQ(reply.status, 201u) << url << ": " << reply.body;
  }
  static const boost::json::value& Input(const boost::json::value& pack, const std::string& key) {
    for (const auto& input : pack.at("inputs").as_array()) {
      if (input.at("key").as_string() == key) return input;
    }
    throw std::logic_error("no input " + key);
  }
  static std::vector<std::string> Refs(const boost::json::value& items) {
    std::vector<std::string> refs;
    for (const auto& item : items.as_array()) refs.emplace_back(item.at("ref").as_string());
    return refs;
  }
};

TEST_P(ManagementReviewsApi, TopManagementMustAttendToHold) {
  auto alice = server_->SignedIn("alice@example.com");
  auto maria = server_->SignedIn("maria@example.com");
  const auto maria_id = UserIdOf(maria);
  auto review = Create(maria, {{"title", "Spring review"},
                               {"planned_on", "2026-03-02"},
                               {"attendee_ids", boost::json::array{boost::json::value(maria_id)}}});
  EXPECT_EQ(review.at("ref"), "MR-0001");
  EXPECT_EQ(review.at("status"), "planned");
  ASSERT_EQ(review.at("attendee_ids").as_array().size(), 1u);
  EXPECT_EQ(review.at("attendee_ids").as_array()[0], boost::json::value(maria_id));

  auto refused = maria.Post(Url(review) + "/hold", "");
  EXPECT_EQ(refused.status, 409u);
  EXPECT_THAT(refused.body, HasSubstr("9.3.1"));
  EXPECT_THAT(refused.body, HasSubstr("Top management"));

  MakeTopManagement(maria_id);
  auto held = Step(maria, review, "hold");
  EXPECT_EQ(held.at("status"), "held");
  EXPECT_EQ(held.at("held_on"), "2026-03-02");
  EXPECT_EQ(Step(maria, held, "hold", 409).at("status"), 409);

  // A held review keeps top management among its attendees.
  auto alice_id = UserIdOf(alice);
  auto dropped = maria.Patch(
      Url(held), Json({{"attendee_ids", boost::json::array{boost::json::value(alice_id)}}}),
      IfMatch(held));
  EXPECT_EQ(dropped.status, 409u);
  EXPECT_THAT(dropped.body, HasSubstr("9.3.1"));

  // Contributors and readers do not run reviews.
  auto carl = server_->SignedIn("carl@example.com");
  EXPECT_EQ(carl.Post(Reviews(), Json({{"title", "Mine"}, {"planned_on", "2026-04-01"}})).status,
            403u);
  EXPECT_EQ(server_->SignedIn("victor@example.com").Get(Url(review)).status, 200u);
  EXPECT_EQ(server_->SignedIn("mallory@example.com").Get(Url(review)).status, 404u);
}

TEST_P(ManagementReviewsApi, CloseNeedsHeldNotesOnEveryInputAndADecision) {
  auto alice = server_->SignedIn("alice@example.com");
  const auto alice_id = UserIdOf(alice);
  MakeTopManagement(alice_id);
  auto review = Create(alice, {{"title", "Annual review"},
                               {"planned_on", "2026-03-02"},
                               {"attendee_ids", boost::json::array{boost::json::value(alice_id)}}});
  EXPECT_EQ(review.at("closure_blockers").as_array().size(), 3u);
  auto early = alice.Post(Url(review) + "/close", "");
  EXPECT_EQ(early.status, 409u);
  EXPECT_THAT(early.body, HasSubstr("9.3.1"));
  EXPECT_THAT(early.body, HasSubstr("a, b, c, d, e, f, g"));
  EXPECT_THAT(early.body, HasSubstr("9.3.3"));

  review = Step(alice, review, "hold");
  review = NoteEverything(alice, review);
  auto no_decision = alice.Post(Url(review) + "/close", "");
  EXPECT_EQ(no_decision.status, 409u);
  EXPECT_THAT(no_decision.body, HasSubstr("decision"));
  EXPECT_THAT(no_decision.body, ::testing::Not(HasSubstr("9.3.2")));

  // Blank notes take an input back out of the covered ones.
  auto blank =
      alice.Send("PUT", Url(review) + "/inputs/f", Json({{"notes", "  "}}), IfMatch(review));
  ASSERT_EQ(blank.status, 200u) << blank.body;
  review = blank.Json();
  auto decision = alice.Post(Url(review) + "/decisions",
                             Json({{"text", "Fund a SIEM"}, {"category", "resources"}}));
  ASSERT_EQ(decision.status, 201u) << decision.body;
  EXPECT_EQ(decision.Json().at("ref"), "MRD-0001");
  auto missing_f = alice.Post(Url(review) + "/close", "");
  EXPECT_EQ(missing_f.status, 409u);
  EXPECT_THAT(missing_f.body, HasSubstr("9.3.2 f"));

  review = alice.Get(Url(review)).Json();
  auto noted = alice.Send("PUT", Url(review) + "/inputs/f", Json({{"notes", "Risks on track"}}),
                          IfMatch(review));
  ASSERT_EQ(noted.status, 200u) << noted.body;
  auto closed = Step(alice, noted.Json(), "close");
  EXPECT_EQ(closed.at("status"), "closed");
  EXPECT_EQ(closed.at("closed_on"), "2026-03-02");
  EXPECT_TRUE(closed.at("closure_blockers").as_array().empty());

  // Closed minutes are a record.
  EXPECT_EQ(alice.Post(Url(review) + "/decisions", Json({{"text", "More"}, {"category", "other"}}))
                .status,
            409u);
  EXPECT_EQ(
      alice.Send("PUT", Url(review) + "/inputs/a", Json({{"notes", "x"}}), IfMatch(closed)).status,
      409u);
  auto history = alice.Get(Url(review) + "/history");
  ASSERT_EQ(history.status, 200u) << history.body;
  EXPECT_GE(history.Json().at("items").as_array().size(), 10u);

  auto pdf = alice.Get(Url(review) + "/minutes.pdf");
  ASSERT_EQ(pdf.status, 200u) << pdf.body;
  EXPECT_EQ(pdf.Header("content-type"), "application/pdf");
  EXPECT_EQ(pdf.body.substr(0, 5), "%PDF-");
}

TEST_P(ManagementReviewsApi, ValidationAndStaleVersions) {
  auto alice = server_->SignedIn("alice@example.com");
  auto bad = alice.Post(Reviews(), Json({{"attendee_ids", boost::json::array{"nobody"}}}));
  EXPECT_EQ(bad.status, 422u);
  EXPECT_THAT(ErrorFields(bad), ::testing::UnorderedElementsAre("title", "planned_on"));
  auto outsider = alice.Post(
      Reviews(), Json({{"title", "X"},
                       {"planned_on", "2026-04-01"},
                       {"attendee_ids", boost::json::array{boost::json::value(mallory_id_)}}}));
  EXPECT_EQ(outsider.status, 422u);
  EXPECT_THAT(ErrorFields(outsider), ElementsAre("attendee_ids[0]"));

  auto review = Create(alice, {{"title", "Q2 review"}, {"planned_on", "2026-06-01"}});
  EXPECT_EQ(alice.Patch(Url(review), Json({{"title", "Renamed"}})).status, 428u);
  auto renamed = alice.Patch(Url(review), Json({{"title", "Renamed"}}), IfMatch(review));
  ASSERT_EQ(renamed.status, 200u) << renamed.body;
  EXPECT_EQ(renamed.Header("etag"), "\"2\"");
  EXPECT_EQ(alice.Patch(Url(review), Json({{"title", "Stale"}}), IfMatch(review)).status, 412u);
  EXPECT_EQ(
      alice.Send("PUT", Url(review) + "/inputs/a", Json({{"notes", "x"}}), IfMatch(review)).status,
      412u);
  EXPECT_EQ(
      alice.Send("PUT", Url(review) + "/inputs/z", Json({{"notes", "x"}}), IfMatch(renamed.Json()))
          .status,
      404u);
  auto bad_decision =
      alice.Post(Url(review) + "/decisions", Json({{"text", ""}, {"category", "budget"}}));
  EXPECT_EQ(bad_decision.status, 422u);
  EXPECT_THAT(ErrorFields(bad_decision), ::testing::UnorderedElementsAre("text", "category"));
  auto bad_action =
      alice.Post(Url(review) + "/actions", Json({{"title", "Do it"}, {"due_on", "soon"}}));
  EXPECT_EQ(bad_action.status, 422u);
  EXPECT_THAT(ErrorFields(bad_action), ::testing::UnorderedElementsAre("owner_id", "due_on"));
  EXPECT_EQ(alice.Post(Url(review) + "/hold", Json({{"held_on", "2026-12-31"}})).status, 422u);
}

TEST_P(ManagementReviewsApi, InputPackIsAssembledAsOfTheReviewDate) {
  auto alice = server_->SignedIn("alice@example.com");
  auto carl = server_->SignedIn("carl@example.com");
  const auto alice_id = UserIdOf(alice);
  const auto carl_id = UserIdOf(carl);
  MakeTopManagement(alice_id);
  const std::string org = "/api/v1/orgs/" + org_;

  // 2026-03-02: the first review, held today, decides two actions.
  auto first = Create(alice, {{"title", "First review"},
                              {"planned_on", "2026-03-02"},
                              {"attendee_ids", boost::json::array{boost::json::value(alice_id)}}});
  auto first_pack = alice.Get(Url(first) + "/inputs").Json();
  EXPECT_EQ(first_pack.at("as_of"), "2026-03-02");
  EXPECT_EQ(first_pack.at("since"), "2025-03-02");
  EXPECT_TRUE(first_pack.at("previous_review_ref").is_null());
  ASSERT_EQ(first_pack.at("inputs").as_array().size(), 7u);
  // No internal audit has reported yet: the audit results are there, and empty.
  EXPECT_EQ(Input(first_pack, "d").at("data").at("audits").at("available"), true);
  EXPECT_TRUE(Input(first_pack, "d").at("data").at("audits").at("items").as_array().empty());
  first = Step(alice, first, "hold");
  auto follow_up = alice.Post(
      Url(first) + "/actions",
      Json({{"title", "Budget for a SIEM"}, {"owner_id", carl_id}, {"due_on", "2026-04-01"}}));
  ASSERT_EQ(follow_up.status, 201u) << follow_up.body;
  EXPECT_EQ(follow_up.Json().at("ref"), "MRA-0001");
  auto quick = alice.Post(Url(first) + "/actions",
                          Json({{"title", "Name a deputy CISO"}, {"owner_id", alice_id}}));
  ASSERT_EQ(quick.status, 201u);
  auto quick_url = org + "/review-actions/" + std::string(quick.Json().at("id").as_string());
  ASSERT_EQ(alice.Patch(quick_url, Json({{"status", "done"}}), IfMatch(quick.Json())).status, 200u);
  ASSERT_EQ(alice
                .Post(Url(first) + "/decisions",
                      Json({{"text", "Keep the scope"}, {"category", "change"}}))
                .status,
            201u);
  first = alice.Get(Url(first)).Json();
  first = NoteEverything(alice, first);
  Step(alice, first, "close");

  // 2026-04-01: what happens between the reviews.
  server_->clock().Advance(30 * kDay);
  alice = server_->SignedIn("alice@example.com");  // sessions expire with time
  Seed(alice, org + "/context-issues", Json({{"kind", "external"}, {"title", "New regulation"}}));
  Seed(alice, org + "/nonconformities",
       Json({{"title", "Customer data sent in clear"},
             {"source", "complaint"},
             {"severity", "major"}}));
  Seed(alice, org + "/communications",
       Json({{"subject", "Customer briefing"},
             {"communicated_on", "2026-04-01"},
             {"channel", "meeting"},
             {"audience_text", "Key customers"}}));
  Seed(alice, org + "/improvements", Json({{"title", "Automate leaver feed"}}));

  // The second review is planned for 2026-05-01; the pack is read a month later, after
  // more has happened, which must not appear in it.
  auto second = Create(alice, {{"title", "Second review"},
                               {"planned_on", "2026-05-01"},
                               {"attendee_ids", boost::json::array{boost::json::value(alice_id)}}});
  server_->clock().Advance(61 * kDay);  // 2026-06-01
  alice = server_->SignedIn("alice@example.com");
  carl = server_->SignedIn("carl@example.com");
  Seed(alice, org + "/context-issues", Json({{"kind", "internal"}, {"title", "Late issue"}}));
  Seed(alice, org + "/nonconformities",
       Json({{"title", "Late complaint"}, {"source", "complaint"}, {"severity", "minor"}}));
  // The follow-up action is done now, after the review date: on the date it was open.
  auto action =
      carl.Get(org + "/review-actions/" + std::string(follow_up.Json().at("id").as_string()));
  ASSERT_EQ(action.status, 200u) << action.body;
  auto done =
      carl.Patch(org + "/review-actions/" + std::string(follow_up.Json().at("id").as_string()),
                 Json({{"status", "done"}}), IfMatch(action.Json()));
  ASSERT_EQ(done.status, 200u) << done.body;
  EXPECT_EQ(done.Json().at("done_on"), "2026-06-01");

  auto reply = alice.Get(Url(second) + "/inputs");
  ASSERT_EQ(reply.status, 200u) << reply.body;
  auto pack = reply.Json();
  EXPECT_EQ(pack.at("as_of"), "2026-05-01");
  EXPECT_EQ(pack.at("since"), "2026-03-02");
  EXPECT_EQ(pack.at("previous_review_ref"), "MR-0001");

  // a) the first review's actions, as they stood on 2026-05-01.
  const auto& a = Input(pack, "a").at("data");
  ASSERT_EQ(a.at("actions").as_array().size(), 2u);
  const auto& siem = a.at("actions").as_array()[0];
  EXPECT_EQ(siem.at("ref"), "MRA-0001");
  EXPECT_EQ(siem.at("review_ref"), "MR-0001");
  EXPECT_EQ(siem.at("status"), "open");
  EXPECT_EQ(siem.at("overdue"), true);
  EXPECT_EQ(a.at("actions").as_array()[1].at("status"), "done");
  EXPECT_EQ(a.at("open").as_int64(), 1);

  // b) the new issue, not the late one.
  const auto& b = Input(pack, "b").at("data");
  std::vector<std::string> titles;
  for (const auto& issue : b.at("new").as_array())
    titles.emplace_back(issue.at("title").as_string());
  EXPECT_THAT(titles, ElementsAre("New regulation"));
  EXPECT_EQ(b.at("total").as_int64(), 1);

  // d) one nonconformity reported in the window and open on the date.
  const auto& d = Input(pack, "d").at("data");
  EXPECT_EQ(d.at("nonconformities").at("opened").as_int64(), 1);
  EXPECT_EQ(d.at("nonconformities").at("open").as_int64(), 1);
  EXPECT_EQ(d.at("nonconformities").at("open_major").as_int64(), 1);
  EXPECT_EQ(d.at("audits").at("available"), true);

  // e) the complaint and the communication of the window.
  const auto& e = Input(pack, "e").at("data");
  EXPECT_THAT(Refs(e.at("complaints")), ElementsAre("NC-0001"));
  EXPECT_EQ(e.at("communications").as_array().size(), 1u);

  // f) no risk assessment retained yet.
  EXPECT_TRUE(Input(pack, "f").at("data").at("assessment").is_null());

  // g) the opportunity raised in the window.
  EXPECT_THAT(Refs(Input(pack, "g").at("data").at("raised")), ElementsAre("OFI-0001"));
  EXPECT_FALSE(Input(pack, "g").at("summary").as_array().empty());

  // Held later, the date moves with it; never beyond today.
  auto held = alice.Post(Url(second) + "/hold", Json({{"held_on", "2026-05-20"}}));
  ASSERT_EQ(held.status, 200u) << held.body;
  EXPECT_EQ(alice.Get(Url(second) + "/inputs").Json().at("as_of"), "2026-05-20");

  // A nonconformity raised from the review names it as its source.
  auto nc = alice.Post(Url(second) + "/nonconformities",
                       Json({{"title", "Objectives not reviewed"}, {"severity", "minor"}}));
  ASSERT_EQ(nc.status, 201u) << nc.body;
  EXPECT_EQ(nc.Json().at("source"), "management_review");
  EXPECT_EQ(nc.Json().at("source_ref"), "MR-0002");
}

TEST_P(ManagementReviewsApi, ActionOwnersUpdateStatusOnly) {
  auto alice = server_->SignedIn("alice@example.com");
  auto carl = server_->SignedIn("carl@example.com");
  auto review = Create(alice, {{"title", "R"}, {"planned_on", "2026-03-02"}});
  auto created =
      alice.Post(Url(review) + "/actions", Json({{"title", "Fix"}, {"owner_id", UserIdOf(carl)}}));
  ASSERT_EQ(created.status, 201u) << created.body;
  auto url = "/api/v1/orgs/" + org_ + "/review-actions/" +
             std::string(created.Json().at("id").as_string());
  EXPECT_EQ(carl.Patch(url, Json({{"title", "Other"}}), IfMatch(created.Json())).status, 403u);
  auto started = carl.Patch(url, Json({{"status", "in_progress"}}), IfMatch(created.Json()));
  ASSERT_EQ(started.status, 200u) << started.body;
  EXPECT_EQ(carl.Patch(url, Json({{"status", "done"}}), IfMatch(created.Json())).status, 412u);
  auto maria = server_->SignedIn("maria@example.com");
  EXPECT_EQ(maria.Patch(url, Json({{"status", "bogus"}}), IfMatch(started.Json())).status, 422u);
  auto listed = alice.Get(Url(review) + "/actions").Json().at("items").as_array();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].at("status"), "in_progress");
}

INSTANTIATE_TEST_SUITE_P(Engines, ManagementReviewsApi, ::testing::ValuesIn(TestEngines()),
                         EngineName);

}  // namespace
}  // namespace certus::testing
