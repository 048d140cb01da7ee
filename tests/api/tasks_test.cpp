// HTTP scenarios for tasks and the calendar (issue 7 item 2): every dated duty of the ISMS,
// read from the module that owns it, with its owner, due date and a link to its source;
// recurring activities scheduled. The FakeClock starts on 2026-03-02.
#include <set>
#include <sstream>

#include <gmock/gmock.h>

#include "cli/tasks_command.hpp"
#include "tests/api/api_fixture.hpp"

namespace certus::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

class TasksApi : public ApiTest {
 protected:
  std::string Base() const { return "/api/v1/orgs/" + org_; }
  std::string Tasks(const std::string& query = "") const {
    return Base() + "/tasks" + (query.empty() ? "" : "?" + query);
  }
  /// Every task of two years around today.
  std::string All() const { return Tasks("from=2025-01-01&to=2027-12-31"); }

  static std::string S(const boost::json::value& text) { return std::string(text.as_string()); }
  static std::string Id(const boost::json::value& object) {
    return std::string(object.at("id").as_string());
  }
  std::string IdOf(const std::string& email) {
    auto client = server_->SignedIn(email);
    return std::string(client.Get("/api/v1/auth/me").Json().at("user").at("id").as_string());
  }
  static std::vector<std::pair<std::string, std::string>> IfMatch(const boost::json::value& o) {
    return {{"If-Match", "\"" + std::to_string(o.at("version").as_int64()) + "\""}};
  }

  boost::json::value Created(HttpClient& client, const std::string& url,
                             const boost::json::object& body) {
    auto reply = client.Post(url, Json(body));
    EXPECT_EQ(reply.status, 201u) << url << ": " << reply.body;
    return reply.Json();
  }

  static boost::json::array Items(const Reply& reply) {
    EXPECT_EQ(reply.status, 200u) << reply.body;
    return reply.Json().at("items").as_array();
  }

  /// The tasks of `kind` in a list.
  static std::vector<boost::json::object> OfKind(const boost::json::array& items,
                                                 const std::string& kind) {
    std::vector<boost::json::object> found;
    for (const auto& item : items) {
      if (item.at("kind") == kind.c_str()) found.push_back(item.as_object());
    }
    return found;
  }

  static std::vector<std::string> Kinds(const boost::json::array& items) {
    std::vector<std::string> kinds;
    for (const auto& item : items) kinds.emplace_back(item.at("kind").as_string());
    return kinds;
  }

  /// A risk owned by `owner` with a treatment action of `action_owner` due on `due`.
  std::pair<boost::json::value, boost::json::value> RiskWithAction(HttpClient& client,
                                                                   const std::string& owner,
                                                                   const std::string& action_owner,
                                                                   const std::string& due) {
    auto risk = Created(
        client, Base() + "/risks",
        {{"title", "Stolen laptop"}, {"owner_id", owner}, {"likelihood", 3}, {"impact", 3}});
    boost::json::object body{
        {"risk_id", risk.at("id")}, {"title", "Encrypt disks"}, {"due_on", due}};
    if (!action_owner.empty()) body["owner_id"] = action_owner;
    auto action = Created(client, Base() + "/treatments", body);
    return {risk, action};
  }

  void MakeTopManagement(HttpClient& client, const std::string& user_id) {
    Created(client, Base() + "/roles",
            {{"name", "Board"},
             {"top_management", true},
             {"assignee_ids", boost::json::array{boost::json::value(user_id)}}});
  }
};

TEST_P(TasksApi, EverySourceKindAppearsWithItsOwnerDueDateAndLink) {
  auto alice = server_->SignedIn("alice@example.com");
  const auto carl_id = IdOf("carl@example.com");
  const auto maria_id = IdOf("maria@example.com");
  auto [risk, action] = RiskWithAction(alice, carl_id, maria_id, "2026-03-01");

  auto nc = Created(
      alice, Base() + "/nonconformities",
      {{"title", "Logs not reviewed"}, {"source", "internal_audit"}, {"severity", "minor"}});
  Created(alice, Base() + "/nonconformities/" + Id(nc) + "/corrective-actions",
          {{"title", "Weekly log review"}, {"owner_id", carl_id}, {"due_on", "2026-04-01"}});
  auto review = Created(alice, Base() + "/management-reviews",
                        {{"title", "Spring review"}, {"planned_on", "2026-05-04"}});
  Created(alice, Base() + "/management-reviews/" + Id(review) + "/actions",
          {{"title", "Budget for SIEM"}, {"owner_id", maria_id}, {"due_on", "2026-04-15"}});
  auto document = Created(alice, Base() + "/documents",
                          {{"type", "procedure"},
                           {"title", "Backup procedure"},
                           {"owner_id", carl_id},
                           {"next_review_on", "2026-06-01"}});
  auto audrey = server_->SignedIn("audrey@example.com");
  auto audit = Created(audrey, Base() + "/audits",
                       {{"title", "Access control"},
                        {"clause_refs", boost::json::array{"9.2"}},
                        {"planned_start", "2026-04-10"},
                        {"planned_end", "2026-04-12"}});
  auto programme = Created(alice, Base() + "/audit-programmes",
                           {{"name", "Cycle 2026-2028"},
                            {"cycle_start", "2026-07-01"},
                            {"cycle_end", "2028-12-31"},
                            {"owner_id", maria_id}});
  auto evidence = Created(alice, Base() + "/evidence",
                          {{"kind", "note"},
                           {"title", "Pentest report"},
                           {"note", "Summary"},
                           {"owner_id", carl_id},
                           {"valid_until", "2026-03-20"}});
  auto training = Created(alice, Base() + "/trainings",
                          {{"title", "Phishing awareness"}, {"due_on", "2026-03-31"}});
  ASSERT_EQ(alice
                .Patch(Base() + "/trainings/" + Id(training), Json({{"status", "open"}}),
                       IfMatch(training))
                .status,
            200u);
  auto metric = Created(alice, Base() + "/metrics",
                        {{"name", "Patch rate"},
                         {"direction", "higher_is_better"},
                         {"target", 95},
                         {"frequency", "monthly"},
                         {"owner_id", maria_id}});

  auto victor = server_->SignedIn("victor@example.com");  // every member reads
  auto reply = victor.Get(All());
  auto items = Items(reply);
  EXPECT_EQ(reply.Json().at("total"), items.size());

  auto treatment = OfKind(items, "treatment_action");
  ASSERT_EQ(treatment.size(), 1u);
  EXPECT_EQ(treatment[0].at("source_type"), "risk");
  EXPECT_EQ(treatment[0].at("source_id"), risk.at("id"));
  EXPECT_EQ(treatment[0].at("ref"), risk.at("ref"));
  EXPECT_EQ(treatment[0].at("owner"), boost::json::value(maria_id));
  EXPECT_EQ(treatment[0].at("due"), "2026-03-01");
  EXPECT_EQ(treatment[0].at("overdue"), true);
  EXPECT_EQ(treatment[0].at("scheduled"), false);
  EXPECT_EQ(S(treatment[0].at("link")), "/orgs/" + org_ + "/risks?risk=" + Id(risk));
  EXPECT_EQ(S(treatment[0].at("key")),
            "treatment_action:" + Id(risk) + ":" + Id(action) + ":2026-03-01");
  EXPECT_THAT(std::string(treatment[0].at("title").as_string()),
              ::testing::HasSubstr("Encrypt disks"));

  auto risk_review = OfKind(items, "risk_review");
  ASSERT_EQ(risk_review.size(), 1u);
  EXPECT_EQ(risk_review[0].at("owner"), boost::json::value(carl_id));
  EXPECT_EQ(risk_review[0].at("due"), risk.at("next_review_on"));

  auto corrective = OfKind(items, "corrective_action");
  ASSERT_EQ(corrective.size(), 1u);
  EXPECT_EQ(corrective[0].at("source_type"), "nonconformity");
  EXPECT_EQ(corrective[0].at("ref"), nc.at("ref"));
  EXPECT_EQ(corrective[0].at("owner"), boost::json::value(carl_id));
  EXPECT_EQ(corrective[0].at("due"), "2026-04-01");
  EXPECT_EQ(corrective[0].at("overdue"), false);
  EXPECT_EQ(S(corrective[0].at("link")), "/orgs/" + org_ + "/nonconformities/" + Id(nc));

  auto review_action = OfKind(items, "review_action");
  ASSERT_EQ(review_action.size(), 1u);
  EXPECT_EQ(review_action[0].at("source_id"), review.at("id"));
  EXPECT_EQ(review_action[0].at("owner"), boost::json::value(maria_id));
  EXPECT_EQ(review_action[0].at("due"), "2026-04-15");

  // The planned review itself is the duty; no yearly review is scheduled beside it.
  auto reviews = OfKind(items, "management_review");
  ASSERT_EQ(reviews.size(), 1u);
  EXPECT_EQ(reviews[0].at("due"), "2026-05-04");
  EXPECT_EQ(reviews[0].at("scheduled"), false);
  EXPECT_EQ(S(reviews[0].at("link")), "/orgs/" + org_ + "/management-reviews/" + Id(review));

  auto document_review = OfKind(items, "document_review");
  ASSERT_EQ(document_review.size(), 1u);
  EXPECT_EQ(document_review[0].at("ref"), document.at("ref"));
  EXPECT_EQ(document_review[0].at("owner"), boost::json::value(carl_id));
  EXPECT_EQ(document_review[0].at("due"), "2026-06-01");
  EXPECT_EQ(S(document_review[0].at("link")), "/orgs/" + org_ + "/documents/" + Id(document));

  auto audits = OfKind(items, "audit");
  ASSERT_EQ(audits.size(), 2u);
  EXPECT_EQ(audits[0].at("source_type"), "audit");
  EXPECT_EQ(audits[0].at("due"), "2026-04-10");
  EXPECT_EQ(audits[0].at("owner"), boost::json::value(IdOf("audrey@example.com")));
  EXPECT_EQ(S(audits[0].at("link")), "/orgs/" + org_ + "/audits/" + Id(audit));
  EXPECT_EQ(audits[1].at("source_type"), "audit_programme");
  EXPECT_EQ(audits[1].at("due"), "2026-07-01");
  EXPECT_EQ(audits[1].at("scheduled"), true);
  EXPECT_EQ(audits[1].at("owner"), boost::json::value(maria_id));
  EXPECT_EQ(S(audits[1].at("link")), "/orgs/" + org_ + "/audit-programmes/" + Id(programme));

  auto expiring = OfKind(items, "evidence_expiry");
  ASSERT_EQ(expiring.size(), 1u);
  EXPECT_EQ(expiring[0].at("owner"), boost::json::value(carl_id));
  EXPECT_EQ(expiring[0].at("due"), "2026-03-20");
  EXPECT_EQ(S(expiring[0].at("link")), "/orgs/" + org_ + "/evidence/" + Id(evidence));

  auto trainings = OfKind(items, "training");
  ASSERT_EQ(trainings.size(), 1u);
  EXPECT_EQ(trainings[0].at("due"), "2026-03-31");
  EXPECT_EQ(trainings[0].at("owner"), nullptr);
  EXPECT_EQ(S(trainings[0].at("link")), "/orgs/" + org_ + "/trainings/" + Id(training));

  // A metric never measured is due one period after it was defined (9.1), as its own due_on.
  auto measurement = OfKind(items, "measurement");
  ASSERT_EQ(measurement.size(), 1u);
  EXPECT_EQ(measurement[0].at("due"), "2026-04-02");
  EXPECT_EQ(measurement[0].at("scheduled"), true);
  EXPECT_EQ(measurement[0].at("owner"), boost::json::value(maria_id));
  EXPECT_EQ(S(measurement[0].at("link")), "/orgs/" + org_ + "/metrics/" + Id(metric));

  // Sorted by due date.
  for (std::size_t i = 1; i < items.size(); ++i) {
    EXPECT_LE(items[i - 1].at("due").as_string(), items[i].at("due").as_string());
  }
  // Nothing of another organization, and outsiders see nothing.
  auto mallory = server_->SignedIn("mallory@example.com");
  EXPECT_EQ(mallory.Get(All()).status, 404u);
  EXPECT_EQ(Items(mallory.Get("/api/v1/orgs/" + other_org_ + "/tasks?overdue=true")).size(), 0u);
}

TEST_P(TasksApi, DoneRecordsDisappear) {
  auto alice = server_->SignedIn("alice@example.com");
  auto [risk, action] = RiskWithAction(alice, alice_id_, "", "2026-03-10");
  auto nc = Created(alice, Base() + "/nonconformities",
                    {{"title", "x"}, {"source", "internal_audit"}, {"severity", "minor"}});
  auto corrective = Created(alice, Base() + "/nonconformities/" + Id(nc) + "/corrective-actions",
                            {{"title", "Fix"}, {"owner_id", alice_id_}, {"due_on", "2026-03-10"}});
  auto evidence = Created(alice, Base() + "/evidence",
                          {{"kind", "note"},
                           {"title", "Old certificate"},
                           {"note", "x"},
                           {"valid_until", "2026-03-10"}});
  auto before = Items(alice.Get(Tasks("due_before=2026-03-10")));
  // The action names nobody: the duty falls to the risk owner.
  ASSERT_EQ(OfKind(before, "treatment_action").size(), 1u);
  EXPECT_EQ(OfKind(before, "treatment_action")[0].at("owner"), boost::json::value(alice_id_));
  // The risk register's default methodology asks for a first assessment today.
  EXPECT_THAT(Kinds(before), UnorderedElementsAre("treatment_action", "corrective_action",
                                                  "evidence_expiry", "risk_reassessment"));

  ASSERT_EQ(
      alice.Patch(Base() + "/treatments/" + Id(action), Json({{"status", "done"}}), IfMatch(action))
          .status,
      200u);
  ASSERT_EQ(alice
                .Patch(Base() + "/corrective-actions/" + Id(corrective),
                       Json({{"status", "cancelled"}}), IfMatch(corrective))
                .status,
            200u);
  ASSERT_EQ(alice
                .Patch(Base() + "/evidence/" + Id(evidence), Json({{"archived", true}}),
                       IfMatch(evidence))
                .status,
            200u);
  EXPECT_THAT(Kinds(Items(alice.Get(Tasks("due_before=2026-03-10")))),
              ElementsAre("risk_reassessment"));
}

TEST_P(TasksApi, ExpiringCompetenceIsDueUntilRenewed) {
  auto alice = server_->SignedIn("alice@example.com");
  const auto maria_id = IdOf("maria@example.com");
  auto competence = Created(alice, Base() + "/competences", {{"name", "Secure coding"}});
  auto person = Created(alice, Base() + "/people",
                        {{"name", "Maria"}, {"email", "maria@example.com"}, {"user_id", maria_id}});
  const std::string evidence = Base() + "/people/" + Id(person) + "/competence-evidence";
  Created(alice, evidence,
          {{"competence_id", Id(competence)},
           {"kind", "certification"},
           {"title", "CSSLP"},
           {"obtained_on", "2023-05-01"},
           {"expires_on", "2026-05-01"}});
  auto due = OfKind(Items(alice.Get(All())), "training");
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].at("source_type"), "person");
  EXPECT_EQ(due[0].at("ref"), person.at("ref"));
  EXPECT_EQ(due[0].at("owner"), boost::json::value(maria_id));
  EXPECT_EQ(due[0].at("due"), "2026-05-01");
  EXPECT_EQ(S(due[0].at("link")), "/orgs/" + org_ + "/people/" + Id(person));
  EXPECT_EQ(Items(server_->SignedIn("maria@example.com").Get(Tasks("assignee=me"))).size(), 1u);

  // Renewed by later evidence: nothing is due any more.
  Created(alice, evidence,
          {{"competence_id", Id(competence)},
           {"kind", "certification"},
           {"title", "CSSLP renewal"},
           {"obtained_on", "2026-03-01"},
           {"expires_on", "2029-05-01"}});
  auto renewed = OfKind(Items(alice.Get(All())), "training");
  EXPECT_EQ(renewed.size(), 0u);
}

TEST_P(TasksApi, OverdueAndAssigneeFilters) {
  auto alice = server_->SignedIn("alice@example.com");
  const auto carl_id = IdOf("carl@example.com");
  RiskWithAction(alice, alice_id_, carl_id, "2026-03-01");    // overdue, carl's
  RiskWithAction(alice, alice_id_, alice_id_, "2026-03-02");  // due today: not overdue
  RiskWithAction(alice, alice_id_, carl_id, "2026-03-20");

  auto overdue = Items(alice.Get(Tasks("overdue=true")));
  ASSERT_EQ(overdue.size(), 1u);
  EXPECT_EQ(overdue[0].at("due"), "2026-03-01");
  EXPECT_EQ(overdue[0].at("overdue"), true);

  auto carl = server_->SignedIn("carl@example.com");
  auto mine = Items(carl.Get(Tasks("assignee=me&due_before=2026-12-31")));
  ASSERT_EQ(mine.size(), 2u);
  EXPECT_EQ(mine[0].at("due"), "2026-03-01");
  EXPECT_EQ(mine[1].at("due"), "2026-03-20");
  EXPECT_EQ(Items(alice.Get(Tasks("assignee=" + carl_id + "&overdue=true"))).size(), 1u);
  auto alices = Items(alice.Get(Tasks("assignee=me&due_before=2026-03-31")));
  ASSERT_EQ(alices.size(), 1u);
  EXPECT_EQ(alices[0].at("due"), "2026-03-02");
  EXPECT_EQ(
      OfKind(Items(alice.Get(Tasks("from=2026-03-02&to=2026-03-02"))), "treatment_action").size(),
      1u);

  // Tomorrow the second is overdue too.
  server_->clock().Advance(std::chrono::hours(24));
  alice = server_->SignedIn("alice@example.com");
  EXPECT_EQ(OfKind(Items(alice.Get(Tasks("overdue=true"))), "treatment_action").size(), 2u);

  for (const auto& [query, field] : std::vector<std::pair<std::string, std::string>>{
           {"assignee=", "assignee"},
           {"assignee=carl", "assignee"},
           {"overdue=yes", "overdue"},
           {"due_before=2026-02-30", "due_before"},
           {"from=tomorrow", "from"},
           {"to=2026-13-01", "to"},
           {"from=2026-04-01&to=2026-03-01", "from"}}) {
    auto reply = alice.Get(Tasks(query));
    EXPECT_EQ(reply.status, 422u) << query;
    EXPECT_THAT(ErrorFields(reply), ElementsAre(field)) << query;
  }
  EXPECT_EQ(server_->SignedIn("mallory@example.com").Get(Tasks()).status, 404u);
}

TEST_P(TasksApi, ListsAPageAtATimeInDueOrder) {
  auto alice = server_->SignedIn("alice@example.com");
  for (const char* due : {"2026-03-05", "2026-03-01", "2026-04-09", "2026-03-05", "2026-05-01",
                          "2026-02-20", "2026-03-30"}) {
    RiskWithAction(alice, alice_id_, alice_id_, due);
  }
  auto whole = alice.Get(Tasks("from=2025-01-01&to=2027-12-31&limit=500"));
  ASSERT_EQ(whole.status, 200u) << whole.body;
  const auto all = whole.Json().at("items").as_array();
  EXPECT_EQ(whole.Json().at("next_cursor"), nullptr);
  ASSERT_GE(all.size(), 7u);

  // Pages of 3 follow next_cursor through the same list, in the same order.
  std::vector<std::string> keys;
  std::string cursor;
  for (int pages = 0; pages < 20; ++pages) {
    auto reply = alice.Get(Tasks("from=2025-01-01&to=2027-12-31&limit=3" +
                                 (cursor.empty() ? "" : "&cursor=" + cursor)));
    ASSERT_EQ(reply.status, 200u) << reply.body;
    const auto body = reply.Json().as_object();
    EXPECT_EQ(body.at("total").as_int64(), static_cast<std::int64_t>(all.size()));
    EXPECT_LE(body.at("items").as_array().size(), 3u);
    for (const auto& item : body.at("items").as_array()) keys.push_back(S(item.at("key")));
    if (body.at("next_cursor").is_null()) break;
    cursor = S(body.at("next_cursor"));
  }
  std::vector<std::string> expected;
  for (const auto& item : all) expected.push_back(S(item.at("key")));
  EXPECT_EQ(keys, expected);
  for (std::size_t i = 1; i < all.size(); ++i) {
    EXPECT_LE(S(all[i - 1].at("due")), S(all[i].at("due")));
  }
  // Without a limit, the first 50 (the collection default).
  EXPECT_EQ(Items(alice.Get(Tasks("from=2025-01-01&to=2027-12-31"))).size(),
            std::min<std::size_t>(all.size(), 50));

  for (const auto& [query, field] : std::vector<std::pair<std::string, std::string>>{
           {"limit=0", "limit"}, {"limit=501", "limit"}, {"cursor=not-a-cursor", "cursor"}}) {
    auto reply = alice.Get(Tasks(query));
    EXPECT_EQ(reply.status, 422u) << query;
    EXPECT_THAT(ErrorFields(reply), ElementsAre(field)) << query;
  }
}

TEST_P(TasksApi, PagesOfEverySizeConcatenateToTheWholeListWithEachFilter) {
  auto alice = server_->SignedIn("alice@example.com");
  const auto carl_id = IdOf("carl@example.com");
  // Many sources, with ties on the due date across kinds and within a kind, two actions of
  // one risk on one day (same kind, same ref: the key decides) and more than ten risks.
  const char* dues[] = {"2026-02-20", "2026-03-05", "2026-03-01", "2026-03-05",
                        "2026-04-09", "2026-03-05", "2026-02-20", "2026-05-01",
                        "2026-03-30", "2026-03-05", "2026-02-20", "2026-06-01"};
  int n = 0;
  for (const char* due : dues) {
    const bool carls = n++ % 3 == 0;
    auto [risk, action] = RiskWithAction(alice, carls ? carl_id : alice_id_,
                                         n % 2 == 0 ? carl_id : std::string(), due);
    if (n % 4 == 0) {
      Created(alice, Base() + "/treatments",
              {{"risk_id", risk.at("id")}, {"title", "Second action"}, {"due_on", due}});
    }
  }
  for (const char* due : {"2026-03-05", "2026-02-20", "2026-04-09"}) {
    Created(alice, Base() + "/documents",
            {{"type", "procedure"},
             {"title", std::string("Procedure due ") + due},
             {"owner_id", carl_id},
             {"next_review_on", due}});
    Created(alice, Base() + "/evidence",
            {{"kind", "note"},
             {"title", std::string("Evidence until ") + due},
             {"note", "Summary"},
             {"owner_id", alice_id_},
             {"valid_until", due}});
    auto nc = Created(
        alice, Base() + "/nonconformities",
        {{"title", "Logs not reviewed"}, {"source", "internal_audit"}, {"severity", "minor"}});
    Created(alice, Base() + "/nonconformities/" + Id(nc) + "/corrective-actions",
            {{"title", "Weekly log review"}, {"owner_id", carl_id}, {"due_on", due}});
    auto training =
        Created(alice, Base() + "/trainings", {{"title", "Awareness"}, {"due_on", due}});
    ASSERT_EQ(alice
                  .Patch(Base() + "/trainings/" + Id(training), Json({{"status", "open"}}),
                         IfMatch(training))
                  .status,
              200u);
  }
  Created(alice, Base() + "/metrics",
          {{"name", "Patch rate"},
           {"direction", "higher_is_better"},
           {"target", 95},
           {"frequency", "monthly"},
           {"owner_id", carl_id}});

  // The calendar is the whole list, sorted in one piece: the paged list must equal it.
  auto calendar = alice.Get(Base() + "/calendar?from=2026-01-01&to=2027-01-31");
  ASSERT_EQ(calendar.status, 200u) << calendar.body;
  const auto calendar_items = calendar.Json().at("items").as_array();
  std::vector<std::string> calendar_keys;
  std::set<std::string> kinds;
  for (const auto& item : calendar_items) {
    calendar_keys.push_back(S(item.at("key")));
    kinds.insert(S(item.at("kind")));
  }
  EXPECT_GE(kinds.size(), 6u);

  const std::vector<std::string> filters{"from=2026-01-01&to=2027-01-31",
                                         "from=2026-01-01&to=2027-01-31&assignee=me",
                                         "overdue=true",
                                         "overdue=true&assignee=me",
                                         "assignee=" + carl_id + "&due_before=2026-12-31",
                                         "from=2026-03-05&to=2026-03-05",
                                         "from=2026-03-05&to=2026-03-05&assignee=" + carl_id};
  for (const auto& filter : filters) {
    auto whole = alice.Get(Tasks(filter + "&limit=500"));
    ASSERT_EQ(whole.status, 200u) << whole.body;
    EXPECT_EQ(whole.Json().at("next_cursor"), nullptr) << filter;
    const auto all = whole.Json().at("items").as_array();
    EXPECT_EQ(whole.Json().at("total").as_int64(), static_cast<std::int64_t>(all.size())) << filter;
    EXPECT_GE(all.size(), 3u) << filter;
    std::vector<std::string> expected;
    for (const auto& item : all) expected.push_back(S(item.at("key")));
    if (filter == "from=2026-01-01&to=2027-01-31") {
      EXPECT_EQ(expected, calendar_keys);
    }
    for (int limit : {1, 2, 3}) {
      std::vector<std::string> keys;
      std::string cursor;
      for (int pages = 0; pages < 200; ++pages) {
        auto reply = alice.Get(Tasks(filter + "&limit=" + std::to_string(limit) +
                                     (cursor.empty() ? "" : "&cursor=" + cursor)));
        ASSERT_EQ(reply.status, 200u) << reply.body;
        const auto body = reply.Json().as_object();
        EXPECT_EQ(body.at("total").as_int64(), static_cast<std::int64_t>(all.size())) << filter;
        const auto& items = body.at("items").as_array();
        for (const auto& item : items) keys.push_back(S(item.at("key")));
        if (body.at("next_cursor").is_null()) break;
        EXPECT_EQ(items.size(), static_cast<std::size_t>(limit)) << filter;
        cursor = S(body.at("next_cursor"));
      }
      EXPECT_EQ(keys, expected) << filter << " limit=" << limit;
    }
  }
}

TEST_P(TasksApi, CalendarValidatesItsRange) {
  auto alice = server_->SignedIn("alice@example.com");
  RiskWithAction(alice, alice_id_, "", "2026-03-15");
  const std::string calendar = Base() + "/calendar";
  auto missing = alice.Get(calendar);
  EXPECT_EQ(missing.status, 422u);
  EXPECT_THAT(ErrorFields(missing), UnorderedElementsAre("from", "to"));
  auto only_from = alice.Get(calendar + "?from=2026-03-01");
  EXPECT_THAT(ErrorFields(only_from), ElementsAre("to"));
  auto wide = alice.Get(calendar + "?from=2026-01-01&to=2027-02-06");
  EXPECT_EQ(wide.status, 422u);
  EXPECT_THAT(ErrorFields(wide), ElementsAre("to"));
  auto reversed = alice.Get(calendar + "?from=2026-04-01&to=2026-03-01");
  EXPECT_EQ(reversed.status, 422u);
  EXPECT_THAT(ErrorFields(reversed), ElementsAre("from"));
  auto bad = alice.Get(calendar + "?from=2026-03-01&to=March");
  EXPECT_THAT(ErrorFields(bad), ElementsAre("to"));

  auto widest = alice.Get(calendar + "?from=2026-01-01&to=2027-02-05");  // 400 days
  EXPECT_EQ(widest.status, 200u) << widest.body;
  auto reply =
      server_->SignedIn("victor@example.com").Get(calendar + "?from=2026-03-01&to=2026-03-31");
  ASSERT_EQ(reply.status, 200u) << reply.body;
  auto body = reply.Json();
  EXPECT_EQ(body.at("from"), "2026-03-01");
  EXPECT_EQ(body.at("to"), "2026-03-31");
  auto actions = OfKind(body.at("items").as_array(), "treatment_action");
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0].at("due"), "2026-03-15");
  EXPECT_EQ(Items(alice.Get(calendar + "?from=2026-04-01&to=2026-04-30")).size(), 0u);
  EXPECT_EQ(server_->SignedIn("mallory@example.com")
                .Get(calendar + "?from=2026-03-01&to=2026-03-31")
                .status,
            404u);
}

TEST_P(TasksApi, TheYearlyManagementReviewIsScheduled) {
  auto alice = server_->SignedIn("alice@example.com");
  // No review ever: the first is due a year after the organization started.
  auto first = OfKind(Items(alice.Get(All())), "management_review");
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].at("due"), "2027-03-02");
  EXPECT_EQ(first[0].at("scheduled"), true);
  EXPECT_EQ(S(first[0].at("link")), "/orgs/" + org_ + "/management-reviews");

  MakeTopManagement(alice, alice_id_);
  auto review = Created(alice, Base() + "/management-reviews",
                        {{"title", "Annual review"},
                         {"planned_on", "2026-02-16"},
                         {"attendee_ids", boost::json::array{boost::json::value(alice_id_)}}});
  auto held = alice.Post(Base() + "/management-reviews/" + Id(review) + "/hold",
                         Json({{"held_on", "2026-02-16"}}));
  ASSERT_EQ(held.status, 200u) << held.body;
  auto next = OfKind(Items(alice.Get(All())), "management_review");
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].at("due"), "2027-02-16");
  EXPECT_EQ(next[0].at("scheduled"), true);
  EXPECT_EQ(next[0].at("source_id"), review.at("id"));
  EXPECT_EQ(S(next[0].at("key")), "management_review:" + Id(review) + ":2027-02-16");

  // The organization's interval (readiness setting recent_months) wins over the default.
  auto put = alice.Send("PUT", Base() + "/readiness/settings",
                        Json({{"policy_ack_percent", 80},
                              {"awareness_percent", 80},
                              {"overdue_tolerance_days", 30},
                              {"recent_months", 6}}),
                        {{"If-Match", "\"1\""}});
  ASSERT_EQ(put.status, 200u) << put.body;
  auto sooner = OfKind(Items(alice.Get(All())), "management_review");
  ASSERT_EQ(sooner.size(), 1u);
  EXPECT_EQ(sooner[0].at("due"), "2026-08-16");

  // Once the next review is planned, it replaces the schedule.
  Created(alice, Base() + "/management-reviews",
          {{"title", "Autumn review"}, {"planned_on", "2026-09-01"}});
  auto planned = OfKind(Items(alice.Get(All())), "management_review");
  ASSERT_EQ(planned.size(), 1u);
  EXPECT_EQ(planned[0].at("due"), "2026-09-01");
  EXPECT_EQ(planned[0].at("scheduled"), false);
}

TEST_P(TasksApi, RiskReassessmentFollowsTheMethodologyInterval) {
  auto alice = server_->SignedIn("alice@example.com");
  const std::string methodology = Base() + "/risk-methodology";
  auto current = alice.Get(methodology);
  ASSERT_EQ(current.status, 200u) << current.body;
  const auto in_force = current.Json();
  boost::json::object criteria;
  for (const char* key :
       {"likelihood_scale", "impact_scale", "scoring", "bands", "acceptance_threshold", "matrix"}) {
    if (const auto* value = in_force.as_object().if_contains(key)) criteria[key] = *value;
  }
  criteria["reassessment_interval_months"] = 6;
  auto put = alice.Send("PUT", methodology, Json(criteria), {{"If-Match", current.Header("etag")}});
  ASSERT_EQ(put.status, 200u) << put.body;
  auto approve =
      alice.Send("POST", methodology + "/approve", "{}", {{"If-Match", put.Header("etag")}});
  ASSERT_EQ(approve.status, 200u) << approve.body;

  // Approved, nothing retained yet: the first assessment is due now.
  auto first = OfKind(Items(alice.Get(All())), "risk_reassessment");
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].at("due"), "2026-03-02");
  EXPECT_EQ(first[0].at("scheduled"), true);
  EXPECT_EQ(S(first[0].at("link")), "/orgs/" + org_ + "/risk-assessments");

  server_->clock().Advance(std::chrono::hours(24 * 3));
  alice = server_->SignedIn("alice@example.com");
  auto assessment = Created(alice, Base() + "/risk-assessments", {{"name", "Q1 2026"}});
  auto next = OfKind(Items(alice.Get(All())), "risk_reassessment");
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].at("due"), "2026-09-05");
  EXPECT_EQ(next[0].at("source_type"), "risk_assessment");
  EXPECT_EQ(next[0].at("source_id"), assessment.at("id"));
  EXPECT_EQ(next[0].at("overdue"), false);
}

TEST_P(TasksApi, CommandLineListsTheSameTasks) {
  auto alice = server_->SignedIn("alice@example.com");
  RiskWithAction(alice, alice_id_, alice_id_, "2026-03-01");
  std::ostringstream json;
  ASSERT_EQ(cli::Tasks(server_->app(), org_, alice_id_, true, "json", json).value_or(-1), 0);
  auto parsed = boost::json::parse(json.str());
  EXPECT_EQ(parsed.at("total"), 1);
  EXPECT_EQ(parsed.at("items").at(0).at("kind"), "treatment_action");
  EXPECT_EQ(parsed.at("items"), alice.Get(Tasks("overdue=true&assignee=me")).Json().at("items"));
  std::ostringstream text;
  ASSERT_EQ(cli::Tasks(server_->app(), org_, "", true, "text", text).value_or(-1), 0);
  EXPECT_THAT(text.str(), ::testing::HasSubstr("2026-03-01 OVERDUE treatment_action"));
  EXPECT_FALSE(cli::Tasks(server_->app(), "no-such-org", "", false, "text", text).has_value());
}

INSTANTIATE_TEST_SUITE_P(Engines, TasksApi, ::testing::ValuesIn(TestEngines()), EngineName);

}  // namespace
}  // namespace certus::testing
