// HTTP scenarios for planning of changes (ISO 27001 6.3): changes of the ISMS planned with
// purpose, consequences, integrity, resources and responsibilities, approved by someone other
// than the requester, implemented only once approved, then reviewed.
#include <gmock/gmock.h>

#include "tests/api/api_fixture.hpp"

namespace certus::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

class ChangesApi : public ApiTest {
 protected:
  std::string Changes() const { return "/api/v1/orgs/" + org_ + "/changes"; }
  static std::string Url(const std::string& base, const boost::json::value& object) {
    return base + "/" + std::string(object.at("id").as_string());
  }
  std::string Url(const boost::json::value& change) const { return Url(Changes(), change); }

  std::string UserId(const std::string& email) {
    auto client = server_->SignedIn(email);
    return std::string(client.Get("/api/v1/auth/me").Json().at("user").at("id").as_string());
  }

  boost::json::value Created(const Reply& reply) {
    EXPECT_EQ(reply.status, 201u) << reply.body;
    return reply.Json();
  }

  /// A change whose plan is complete (6.3 a–d).
  static boost::json::object Planned(const std::string& title) {
    return {{"title", title},
            {"purpose", "Single sign-on for every SaaS application"},
            {"consequences", "Users re-enrol; a day of help-desk load"},
            {"integrity_considerations", "Access control policy and A.5.15 stay in force"},
            {"resources", "Two engineers for a week; IdP licence"},
            {"responsibilities", "IT operations configures; HR informs staff"},
            {"planned_on", "2026-04-01"}};
  }

  Reply Step(HttpClient& client, const boost::json::value& change, const std::string& step,
             const boost::json::object& body = {}) {
    return client.Post(Url(change) + "/" + step, Json(body));
  }
};

TEST_P(ChangesApi, CreateRecordsThePlanAndItsLinks) {
  auto alice = server_->SignedIn("alice@example.com");
  auto risk =
      Created(alice.Post("/api/v1/orgs/" + org_ + "/risks", Json({{"title", "Password reuse"},
                                                                  {"owner_id", alice_id_},
                                                                  {"likelihood", 3},
                                                                  {"impact", 3}})));
  auto document = Created(alice.Post("/api/v1/orgs/" + org_ + "/documents",
                                     Json({{"type", "policy"}, {"title", "Access control"}})));
  auto controls = alice.Get("/api/v1/orgs/" + org_ + "/controls?limit=1").Json();
  auto control = controls.at("items").as_array()[0];
  auto body = Planned("Introduce SSO");
  body["risk_ids"] = boost::json::array{risk.at("id")};
  body["control_ids"] = boost::json::array{control.at("id")};
  body["document_ids"] = boost::json::array{document.at("id")};
  body["nonconformity_id"] = "00000000-0000-4000-8000-0000000000aa";
  auto reply = alice.Post(Changes(), Json(body));
  auto change = Created(reply);
  EXPECT_EQ(change.at("ref"), "CHG-0001");
  EXPECT_EQ(change.at("status"), "planned");
  EXPECT_EQ(change.at("owner_id"), boost::json::value(alice_id_));
  EXPECT_EQ(change.at("requested_by"), boost::json::value(alice_id_));
  EXPECT_EQ(change.at("planned_on"), "2026-04-01");
  EXPECT_EQ(change.at("risk_ids"), boost::json::array{risk.at("id")});
  EXPECT_EQ(change.at("control_ids"), boost::json::array{control.at("id")});
  EXPECT_EQ(change.at("document_ids"), boost::json::array{document.at("id")});
  ASSERT_EQ(change.at("links").as_array().size(), 3u);
  EXPECT_EQ(change.at("links").as_array()[0].at("label"), "R-0001 Password reuse");
  EXPECT_EQ(change.at("nonconformity_id"), "00000000-0000-4000-8000-0000000000aa");
  EXPECT_EQ(change.at("approval"), nullptr);
  EXPECT_EQ(reply.Header("etag"), "\"1\"");
  EXPECT_EQ(reply.Header("location"), Url(change));
  EXPECT_EQ(alice.Get(Url(change)).Json(), change);

  auto risk_id = std::string(risk.at("id").as_string());
  EXPECT_EQ(alice.Get(Changes() + "?risk_id=" + risk_id).Json().at("items").as_array().size(), 1u);
  EXPECT_EQ(alice.Get(Changes() + "?status=approved,reviewed").Json().at("items").as_array().size(),
            0u);
  EXPECT_THAT(ErrorFields(alice.Get(Changes() + "?status=done")), ElementsAre("status"));

  // Unlinking one kind leaves the others.
  auto unlinked =
      alice.Patch(Url(change), Json({{"risk_ids", boost::json::array{}}}), {{"If-Match", "\"1\""}});
  ASSERT_EQ(unlinked.status, 200u) << unlinked.body;
  EXPECT_EQ(unlinked.Json().at("risk_ids").as_array().size(), 0u);
  EXPECT_EQ(unlinked.Json().at("links").as_array().size(), 2u);
}

TEST_P(ChangesApi, ValidationNamesEveryBadField) {
  auto alice = server_->SignedIn("alice@example.com");
  auto missing = alice.Post(Changes(), "{}");
  EXPECT_EQ(missing.status, 422u);
  EXPECT_THAT(ErrorFields(missing), ElementsAre("title"));
  auto wrong = alice.Post(Changes(), Json({{"title", ""},
                                           {"planned_on", "next week"},
                                           {"risk_ids", {"R-0001"}},
                                           {"control_ids", "A.5.1"},
                                           {"nonconformity_id", "NC-1"},
                                           {"status", "approved"},
                                           {"urgency", "high"}}));
  EXPECT_EQ(wrong.status, 422u);
  EXPECT_THAT(ErrorFields(wrong),
              UnorderedElementsAre("title", "planned_on", "risk_ids[0]", "control_ids",
                                   "nonconformity_id", "urgency"));
  auto unknown =
      alice.Post(Changes(), Json({{"title", "x"},
                                  {"owner_id", mallory_id_},
                                  {"risk_ids", {"00000000-0000-4000-8000-000000000001"}},
                                  {"document_ids", {"00000000-0000-4000-8000-000000000002"}}}));
  EXPECT_THAT(ErrorFields(unknown),
              UnorderedElementsAre("owner_id", "risk_ids[0]", "document_ids[0]"));
  EXPECT_EQ(alice.Get(Changes()).Json().at("items").as_array().size(), 0u);
}

TEST_P(ChangesApi, TheWholeWorkflowWithApprovalByAnotherPerson) {
  auto carl = server_->SignedIn("carl@example.com");
  auto maria = server_->SignedIn("maria@example.com");
  auto alice = server_->SignedIn("alice@example.com");
  auto change = Created(carl.Post(Changes(), Json({{"title", "Move backups to a second region"}})));
  EXPECT_EQ(change.at("requested_by_email"), "carl@example.com");

  // 6.3 a–d: the plan is complete before anyone is asked to approve it.
  auto incomplete = Step(carl, change, "submit");
  EXPECT_EQ(incomplete.status, 409u);
  EXPECT_THAT(incomplete.body, HasSubstr("6.3"));
  EXPECT_THAT(incomplete.body, HasSubstr("purpose (a)"));
  auto body = Planned("Move backups to a second region");
  ASSERT_EQ(carl.Patch(Url(change), Json(body), {{"If-Match", "\"1\""}}).status, 200u);
  // Approval and implementation wait for their turn.
  EXPECT_EQ(Step(maria, change, "approve").status, 409u);
  auto early = Step(carl, change, "implement", {{"comment", "Done"}});
  EXPECT_EQ(early.status, 409u);
  EXPECT_THAT(early.body, HasSubstr("must be approved before it is implemented"));

  auto submitted = Step(carl, change, "submit");
  ASSERT_EQ(submitted.status, 200u) << submitted.body;
  EXPECT_EQ(submitted.Json().at("status"), "submitted");
  EXPECT_EQ(Step(carl, change, "approve").status, 403u);  // contributors do not approve

  // Whoever requested a change does not approve it.
  auto own = Created(maria.Post(Changes(), Json(Planned("Rotate the root keys"))));
  ASSERT_EQ(Step(maria, own, "submit").status, 200u);
  auto self = Step(maria, own, "approve");
  EXPECT_EQ(self.status, 409u);
  EXPECT_THAT(self.body, HasSubstr("someone other than its requester"));
  EXPECT_EQ(Step(alice, own, "approve").status, 200u);

  auto approved = Step(maria, change, "approve", {{"comment", "Go ahead"}});
  ASSERT_EQ(approved.status, 200u) << approved.body;
  EXPECT_EQ(approved.Json().at("status"), "approved");
  EXPECT_EQ(approved.Json().at("approval").at("email"), "maria@example.com");
  EXPECT_EQ(approved.Json().at("approval").at("comment"), "Go ahead");
  EXPECT_EQ(approved.Header("etag"), "\"4\"");

  // The approved plan stands; the date and notes may still move.
  auto replan =
      carl.Patch(Url(change), Json({{"resources", "One engineer"}}), {{"If-Match", "\"4\""}});
  EXPECT_EQ(replan.status, 409u);
  EXPECT_THAT(replan.body, HasSubstr("resources"));
  ASSERT_EQ(carl.Patch(Url(change), Json({{"planned_on", "2026-04-15"}, {"notes", "Slipped"}}),
                       {{"If-Match", "\"4\""}})
                .status,
            200u);

  ASSERT_EQ(Step(carl, change, "start").status, 200u);
  EXPECT_THAT(ErrorFields(Step(carl, change, "implement")), ElementsAre("comment"));
  EXPECT_THAT(ErrorFields(Step(carl, change, "implement",
                               {{"comment", "Done"}, {"implemented_on", "2026-03-05"}})),
              ElementsAre("implemented_on"));
  auto implemented =
      Step(carl, change, "implement",
           {{"comment", "Backups replicate hourly"}, {"implemented_on", "2026-03-01"}});
  ASSERT_EQ(implemented.status, 200u) << implemented.body;
  EXPECT_EQ(implemented.Json().at("status"), "implemented");
  EXPECT_EQ(implemented.Json().at("implemented_on"), "2026-03-01");
  EXPECT_EQ(implemented.Json().at("implementation").at("comment"), "Backups replicate hourly");

  EXPECT_EQ(Step(carl, change, "review", {{"achieved_purpose", true}}).status, 403u);
  EXPECT_THAT(ErrorFields(Step(maria, change, "review")), ElementsAre("achieved_purpose"));
  auto reviewed = Step(maria, change, "review",
                       {{"achieved_purpose", true}, {"comment", "Restore test passed"}});
  ASSERT_EQ(reviewed.status, 200u) << reviewed.body;
  EXPECT_EQ(reviewed.Json().at("status"), "reviewed");
  EXPECT_EQ(reviewed.Json().at("achieved_purpose"), true);
  EXPECT_EQ(reviewed.Json().at("review").at("email"), "maria@example.com");

  // A closed change is a record.
  EXPECT_EQ(carl.Patch(Url(change), Json({{"notes", "x"}}), {{"If-Match", "\"8\""}}).status, 409u);
  EXPECT_EQ(Step(carl, change, "cancel", {{"comment", "x"}}).status, 409u);
  auto history = alice.Get(Url(change) + "/history").Json();
  std::vector<std::string> actions;
  for (const auto& event : history.at("items").as_array())
    actions.emplace_back(event.at("action").as_string());
  EXPECT_THAT(actions, ElementsAre("create", "update", "submit", "approve", "update", "start",
                                   "implement", "review"));
}

TEST_P(ChangesApi, RejectCancelAndDelete) {
  auto carl = server_->SignedIn("carl@example.com");
  auto maria = server_->SignedIn("maria@example.com");
  auto change = Created(carl.Post(Changes(), Json(Planned("New SIEM"))));
  ASSERT_EQ(Step(carl, change, "submit").status, 200u);
  EXPECT_THAT(ErrorFields(Step(maria, change, "reject")), ElementsAre("comment"));
  auto rejected = Step(maria, change, "reject", {{"comment", "No budget this year"}});
  ASSERT_EQ(rejected.status, 200u) << rejected.body;
  EXPECT_EQ(rejected.Json().at("status"), "rejected");
  EXPECT_EQ(rejected.Json().at("rejection").at("comment"), "No budget this year");
  EXPECT_EQ(rejected.Json().at("approval"), nullptr);
  auto gone = carl.Delete(Url(change), {{"If-Match", "\"3\""}});
  EXPECT_EQ(gone.status, 409u);
  EXPECT_THAT(gone.body, HasSubstr("cancel it instead"));

  auto second = Created(carl.Post(Changes(), Json(Planned("Second"))));
  EXPECT_THAT(ErrorFields(Step(carl, second, "cancel")), ElementsAre("comment"));
  auto cancelled = Step(carl, second, "cancel", {{"comment", "Superseded by CHG-0001"}});
  ASSERT_EQ(cancelled.status, 200u);
  EXPECT_EQ(cancelled.Json().at("cancellation").at("email"), "carl@example.com");

  // Cancelled after approval: the approval stays on record.
  auto third = Created(carl.Post(Changes(), Json(Planned("Third"))));
  ASSERT_EQ(Step(carl, third, "submit").status, 200u);
  ASSERT_EQ(Step(maria, third, "approve").status, 200u);
  auto withdrawn = Step(carl, third, "cancel", {{"comment", "Vendor went away"}});
  ASSERT_EQ(withdrawn.status, 200u) << withdrawn.body;
  EXPECT_EQ(withdrawn.Json().at("status"), "cancelled");
  EXPECT_EQ(withdrawn.Json().at("approval").at("email"), "maria@example.com");

  // A planned change never submitted may be deleted, by its requester or a manager only.
  auto draft = Created(maria.Post(Changes(), Json({{"title", "Draft idea"}})));
  EXPECT_EQ(carl.Delete(Url(draft), {{"If-Match", "\"1\""}}).status, 403u);
  EXPECT_EQ(carl.Patch(Url(draft), Json({{"notes", "x"}}), {{"If-Match", "\"1\""}}).status, 403u);
  EXPECT_EQ(Step(carl, draft, "submit").status, 403u);
  EXPECT_EQ(maria.Delete(Url(draft)).status, 428u);
  EXPECT_EQ(maria.Delete(Url(draft), {{"If-Match", "\"2\""}}).status, 412u);
  EXPECT_EQ(maria.Delete(Url(draft), {{"If-Match", "\"1\""}}).status, 204u);
  EXPECT_EQ(maria.Get(Url(draft)).status, 404u);
  // Stale steps are refused when the caller names a version.
  auto stale = maria.Post(Url(second) + "/submit", "{}", {{"If-Match", "\"1\""}});
  EXPECT_EQ(stale.status, 412u);
}

TEST_P(ChangesApi, ReadersReadAndOutsidersSeeNothing) {
  auto alice = server_->SignedIn("alice@example.com");
  auto change = Created(alice.Post(Changes(), Json(Planned("Ours"))));
  for (auto email : {"victor@example.com", "audrey@example.com"}) {
    auto reader = server_->SignedIn(email);
    EXPECT_EQ(reader.Get(Changes()).status, 200u) << email;
    EXPECT_EQ(reader.Get(Url(change) + "/history").status, 200u) << email;
    EXPECT_EQ(reader.Post(Changes(), Json(Planned("x"))).status, 403u) << email;
    EXPECT_EQ(Step(reader, change, "submit").status, 403u) << email;
  }
  auto mallory = server_->SignedIn("mallory@example.com");
  EXPECT_EQ(mallory.Get(Url(change)).status, 404u);
  EXPECT_EQ(Step(mallory, change, "submit").status, 404u);
  EXPECT_EQ(mallory.Get(Url("/api/v1/orgs/" + other_org_ + "/changes", change)).status, 404u);
  EXPECT_EQ(server_->Client().Get(Changes()).status, 401u);
}

INSTANTIATE_TEST_SUITE_P(Engines, ChangesApi, ::testing::ValuesIn(TestEngines()), EngineName);

}  // namespace
}  // namespace certus::testing
