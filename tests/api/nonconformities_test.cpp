// HTTP scenarios for nonconformities and corrective action (ISO 27001 10.2): correction,
// root cause, corrective actions, effectiveness reviews by someone independent of the
// actions, and closure refused until all of it is recorded.
#include <gmock/gmock.h>

#include "tests/api/api_fixture.hpp"

namespace certus::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

class NonconformitiesApi : public ApiTest {
 protected:
  std::string Ncs() const { return "/api/v1/orgs/" + org_ + "/nonconformities"; }
  std::string Actions() const { return "/api/v1/orgs/" + org_ + "/corrective-actions"; }
  static std::string Id(const boost::json::value& object) {
    return std::string(object.at("id").as_string());
  }
  std::string Url(const boost::json::value& nc) const { return Ncs() + "/" + Id(nc); }
  std::string ActionUrl(const boost::json::value& a) const { return Actions() + "/" + Id(a); }
  static std::vector<std::pair<std::string, std::string>> IfMatch(
      const boost::json::value& object) {
    return {{"If-Match", "\"" + std::to_string(object.at("version").as_int64()) + "\""}};
  }

  std::string IdOf(const std::string& email) {
    auto client = server_->SignedIn(email);
    return std::string(client.Get("/api/v1/auth/me").Json().at("user").at("id").as_string());
  }

  boost::json::value Create(HttpClient& client, boost::json::object body = {}) {
    if (!body.contains("title")) body["title"] = "Access reviews not performed in Q1";
    if (!body.contains("source")) body["source"] = "internal_audit";
    if (!body.contains("severity")) body["severity"] = "minor";
    auto reply = client.Post(Ncs(), Json(body));
    EXPECT_EQ(reply.status, 201u) << reply.body;
    return reply.Json();
  }

  boost::json::value Patch(HttpClient& client, const boost::json::value& nc,
                           const boost::json::object& body, unsigned status = 200) {
    auto reply = client.Patch(Url(nc), Json(body), IfMatch(nc));
    EXPECT_EQ(reply.status, status) << reply.body;
    return reply.Json();
  }

  boost::json::value AddAction(HttpClient& client, const boost::json::value& nc,
                               const std::string& owner, const std::string& title = "Fix it") {
    auto reply =
        client.Post(Url(nc) + "/corrective-actions",
                    Json({{"title", title}, {"owner_id", owner}, {"due_on", "2026-04-01"}}));
    EXPECT_EQ(reply.status, 201u) << reply.body;
    return reply.Json();
  }

  boost::json::value SetActionStatus(HttpClient& client, const boost::json::value& action,
                                     const std::string& status) {
    auto reply = client.Patch(ActionUrl(action), Json({{"status", status}}), IfMatch(action));
    EXPECT_EQ(reply.status, 200u) << reply.body;
    return reply.Json();
  }

  static std::vector<std::string> Blockers(const boost::json::value& nc) {
    std::vector<std::string> codes;
    for (const auto& b : nc.at("closure_blockers").as_array()) {
      codes.emplace_back(b.at("code").as_string());
    }
    return codes;
  }

  boost::json::value Fresh(HttpClient& client, const boost::json::value& nc) {
    return client.Get(Url(nc)).Json();
  }

  /// An NC with correction, root cause, similar check and one action owned by `owner`, done.
  std::pair<boost::json::value, boost::json::value> ReadyForReview(HttpClient& client,
                                                                   const std::string& owner) {
    auto nc = Create(client);
    nc = Patch(client, nc,
               {{"correction", "Reviewed the access of the three leavers."},
                {"root_cause", "No owner for the quarterly review."},
                {"root_cause_method", "five_whys"},
                {"similar_check", "Checked the other two systems: reviews done."}});
    auto action = AddAction(client, nc, owner);
    action = SetActionStatus(client, action, "done");
    return {Fresh(client, nc), action};
  }
};

TEST_P(NonconformitiesApi, CreateAnswers201WithRefStatusAndBlockers) {
  auto carl = server_->SignedIn("carl@example.com");
  auto reply = carl.Post(Ncs(), Json({{"title", "Logging disabled on the payroll server"},
                                      {"description", "Found in audit IA-2026-1."},
                                      {"source", "internal_audit"},
                                      {"source_ref", "F-0003"},
                                      {"requirement_ref", "A.8.15"},
                                      {"severity", "major"},
                                      {"reported_on", "2026-03-01"}}));
  ASSERT_EQ(reply.status, 201u) << reply.body;
  auto nc = reply.Json();
  EXPECT_EQ(nc.at("ref"), "NC-0001");
  EXPECT_EQ(nc.at("status"), "open");
  EXPECT_EQ(nc.at("source"), "internal_audit");
  EXPECT_EQ(nc.at("source_ref"), "F-0003");
  EXPECT_EQ(nc.at("requirement_ref"), "A.8.15");
  EXPECT_EQ(nc.at("severity"), "major");
  EXPECT_EQ(nc.at("reported_on"), "2026-03-01");
  const auto carl_id = IdOf("carl@example.com");
  EXPECT_EQ(nc.at("reported_by"), boost::json::value(carl_id));
  EXPECT_EQ(nc.at("owner_id"), boost::json::value(carl_id));
  EXPECT_EQ(nc.at("closed_on"), nullptr);
  EXPECT_THAT(Blockers(nc),
              ElementsAre("correction_missing", "root_cause_missing", "similar_check_missing",
                          "no_corrective_actions", "effectiveness_not_confirmed"));
  EXPECT_EQ(reply.Header("etag"), "\"1\"");
  EXPECT_EQ(reply.Header("location"), Url(nc));
  EXPECT_EQ(carl.Get(Url(nc)).Json(), nc);
  EXPECT_EQ(Create(carl).at("ref"), "NC-0002");
}

TEST_P(NonconformitiesApi, ValidationNamesEveryBadField) {
  auto alice = server_->SignedIn("alice@example.com");
  auto missing = alice.Post(Ncs(), "{}");
  EXPECT_EQ(missing.status, 422u);
  EXPECT_THAT(ErrorFields(missing), UnorderedElementsAre("title", "source", "severity"));
  auto wrong = alice.Post(Ncs(), Json({{"title", "x"},
                                       {"source", "suggestion"},
                                       {"severity", "critical"},
                                       {"requirement_ref", "11.2"},
                                       {"reported_on", "2026-03-03"},
                                       {"root_cause_method", "guessing"},
                                       {"change_ids", {"not-a-uuid"}},
                                       {"colour", "red"}}));
  EXPECT_EQ(wrong.status, 422u);
  EXPECT_THAT(ErrorFields(wrong),
              UnorderedElementsAre("source", "severity", "requirement_ref", "reported_on",
                                   "root_cause_method", "change_ids[0]", "colour"));
  for (auto ref : {"4", "9.2.2", "10.2", "A.5.1", "A.8.34", "6.1.3"}) {
    auto ok = Create(alice, {{"requirement_ref", ref}});
    EXPECT_EQ(ok.at("requirement_ref"), ref);
  }
  for (auto ref : {"3.1", "A.9.1", "A.5", "9.2.a", "A.05.1", "clause 9"}) {
    auto reply = alice.Post(Ncs(), Json({{"title", "x"},
                                         {"source", "other"},
                                         {"severity", "minor"},
                                         {"requirement_ref", ref}}));
    EXPECT_THAT(ErrorFields(reply), ElementsAre("requirement_ref")) << ref;
  }
  auto outsider = alice.Post(
      Ncs(),
      Json(
          {{"title", "x"}, {"source", "other"}, {"severity", "minor"}, {"owner_id", mallory_id_}}));
  EXPECT_THAT(ErrorFields(outsider), ElementsAre("owner_id"));
}

TEST_P(NonconformitiesApi, StatusWalksCorrectionRootCauseActionsVerifyingClosed) {
  auto alice = server_->SignedIn("alice@example.com");
  auto maria = server_->SignedIn("maria@example.com");
  const auto carl_id = IdOf("carl@example.com");
  auto nc = Create(alice);
  EXPECT_EQ(nc.at("status"), "open");

  nc = Patch(alice, nc, {{"correction", "Disabled the stale accounts."}});
  EXPECT_EQ(nc.at("status"), "correcting");
  EXPECT_EQ(nc.at("correction_on"), "2026-03-02");

  nc = Patch(alice, nc,
             {{"root_cause", "Leaver process does not notify IT."},
              {"root_cause_method", "fishbone"},
              {"similar_check", "Same gap in the contractor process: CA raised."},
              {"change_ids", {"0195f3a0-0000-7000-8000-000000000001"}}});
  EXPECT_EQ(nc.at("status"), "actions");
  EXPECT_EQ(nc.at("root_cause_method"), "fishbone");
  EXPECT_THAT(nc.at("change_ids").as_array(),
              ElementsAre(boost::json::value("0195f3a0-0000-7000-8000-000000000001")));
  EXPECT_THAT(Blockers(nc), ElementsAre("no_corrective_actions", "effectiveness_not_confirmed"));

  auto first = AddAction(alice, nc, carl_id, "Notify IT from HR system");
  auto second = AddAction(alice, nc, carl_id, "Contractor leavers too");
  EXPECT_EQ(first.at("ref"), "CA-0001");
  EXPECT_EQ(first.at("status"), "planned");
  EXPECT_EQ(first.at("nonconformity_ref"), "NC-0001");
  nc = Fresh(alice, nc);
  EXPECT_EQ(nc.at("status"), "actions");
  EXPECT_EQ(nc.at("actions_total"), 2);
  auto blockers = nc.at("closure_blockers").as_array();
  ASSERT_EQ(blockers.size(), 2u);
  EXPECT_EQ(blockers[0].at("code"), "actions_not_done");
  EXPECT_THAT(std::string(blockers[0].at("message").as_string()), HasSubstr("CA-0001, CA-0002"));

  first = SetActionStatus(alice, first, "done");
  EXPECT_EQ(first.at("done_on"), "2026-03-02");
  EXPECT_EQ(Fresh(alice, nc).at("status"), "actions");
  second = SetActionStatus(alice, second, "cancelled");
  nc = Fresh(alice, nc);
  EXPECT_EQ(nc.at("status"), "verifying");
  EXPECT_EQ(nc.at("actions_total"), 1);
  EXPECT_EQ(nc.at("actions_done"), 1);
  EXPECT_THAT(Blockers(nc), ElementsAre("effectiveness_not_confirmed"));

  auto review = maria.Post(Url(nc) + "/effectiveness-reviews",
                           Json({{"effective", true}, {"note", "No stale accounts in April."}}));
  ASSERT_EQ(review.status, 201u) << review.body;
  EXPECT_EQ(review.Json().at("reviewed_by"), boost::json::value(IdOf("maria@example.com")));
  nc = Fresh(alice, nc);
  EXPECT_TRUE(Blockers(nc).empty());

  auto closed = maria.Post(Url(nc) + "/close", "{}", IfMatch(nc));
  ASSERT_EQ(closed.status, 200u) << closed.body;
  EXPECT_EQ(closed.Json().at("status"), "closed");
  EXPECT_EQ(closed.Json().at("closed_on"), "2026-03-02");
  EXPECT_EQ(closed.Json().at("closed_by"), boost::json::value(IdOf("maria@example.com")));

  // The history tells the story, and the list filters by status.
  auto history = alice.Get(Url(nc) + "/history").Json().at("items").as_array();
  EXPECT_GE(history.size(), 5u);
  EXPECT_EQ(alice.Get(Ncs() + "?status=closed").Json().at("items").as_array().size(), 1u);
  EXPECT_EQ(alice.Get(Ncs() + "?status=open").Json().at("items").as_array().size(), 0u);
}

TEST_P(NonconformitiesApi, CloseIsRefusedNamingEachMissingStep) {
  auto alice = server_->SignedIn("alice@example.com");
  auto maria = server_->SignedIn("maria@example.com");
  const auto carl_id = IdOf("carl@example.com");
  auto nc = Create(alice);
  auto close = [&](const std::string& expected) {
    auto reply = maria.Post(Url(nc) + "/close", "");
    EXPECT_EQ(reply.status, 409u) << reply.body;
    EXPECT_THAT(std::string(reply.Json().at("detail").as_string()), HasSubstr(expected));
    return reply;
  };
  auto detail = close("10.2 a");
  EXPECT_THAT(detail.body, HasSubstr("root cause"));
  EXPECT_THAT(detail.body, HasSubstr("10.2 b 3"));
  EXPECT_THAT(detail.body, HasSubstr("10.2 c"));
  EXPECT_THAT(detail.body, HasSubstr("10.2 d"));

  nc = Patch(alice, nc, {{"correction", "Contained."}});
  close("root cause");
  nc = Patch(alice, nc, {{"root_cause", "Missing procedure."}});
  close("similar nonconformities");
  nc = Patch(alice, nc, {{"similar_check", "None elsewhere."}});
  close("Plan a corrective action");
  auto action = AddAction(alice, nc, carl_id);
  close("CA-0001 is not done");
  action = SetActionStatus(alice, action, "in_progress");
  close("CA-0001 is not done");
  action = SetActionStatus(alice, action, "done");
  close("Review the effectiveness");
  EXPECT_EQ(maria.Post(Url(nc) + "/effectiveness-reviews", Json({{"effective", true}})).status,
            201u);
  nc = Fresh(alice, nc);
  // Reopening a done action makes the earlier review lapse.
  action = SetActionStatus(alice, action, "in_progress");
  nc = Fresh(alice, nc);
  EXPECT_THAT(Blockers(nc), ElementsAre("actions_not_done", "effectiveness_not_confirmed"));
  action = SetActionStatus(alice, action, "done");
  close("Review the effectiveness");
  EXPECT_EQ(maria.Post(Url(nc) + "/effectiveness-reviews", Json({{"effective", true}})).status,
            201u);
  nc = Fresh(alice, nc);
  // A stale If-Match is refused; without one the current version is closed.
  EXPECT_EQ(maria.Post(Url(nc) + "/close", "", {{"If-Match", "\"1\""}}).status, 412u);
  auto closed = maria.Post(Url(nc) + "/close", "");
  ASSERT_EQ(closed.status, 200u) << closed.body;
  EXPECT_EQ(maria.Post(Url(nc) + "/close", "").status, 409u);

  // A closed nonconformity is a record: no edits, no new actions, no reviews.
  nc = closed.Json();
  auto patch = alice.Patch(Url(nc), Json({{"title", "x"}}), IfMatch(nc));
  EXPECT_EQ(patch.status, 409u);
  EXPECT_THAT(patch.body, HasSubstr("is closed"));
  EXPECT_EQ(
      alice.Post(Url(nc) + "/corrective-actions", Json({{"title", "More"}, {"owner_id", carl_id}}))
          .status,
      409u);
  action = alice.Get(ActionUrl(action)).Json();
  EXPECT_EQ(alice.Patch(ActionUrl(action), Json({{"title", "x"}}), IfMatch(action)).status, 409u);
  EXPECT_EQ(maria.Post(Url(nc) + "/effectiveness-reviews", Json({{"effective", true}})).status,
            409u);
}

TEST_P(NonconformitiesApi, EffectivenessIsReviewedBySomeoneWhoOwnsNoAction) {
  auto alice = server_->SignedIn("alice@example.com");
  auto maria = server_->SignedIn("maria@example.com");
  const auto maria_id = IdOf("maria@example.com");
  auto [nc, action] = ReadyForReview(alice, maria_id);
  // Maria owns CA-0001: she may not judge her own action (10.2 d).
  auto own = maria.Post(Url(nc) + "/effectiveness-reviews", Json({{"effective", true}}));
  EXPECT_EQ(own.status, 409u);
  EXPECT_THAT(std::string(own.Json().at("detail").as_string()), HasSubstr("CA-0001"));
  EXPECT_THAT(std::string(own.Json().at("detail").as_string()), HasSubstr("10.2 d"));
  // Alice (admin, owns none) may.
  auto review = alice.Post(Url(nc) + "/effectiveness-reviews",
                           Json({{"effective", true}, {"note", "Verified in the logs."}}));
  ASSERT_EQ(review.status, 201u) << review.body;
  auto list = alice.Get(Url(nc) + "/effectiveness-reviews").Json().at("items").as_array();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].at("effective"), true);
  EXPECT_EQ(list[0].at("note"), "Verified in the logs.");

  // A cancelled action's owner did nothing to judge: handing CA-0001 back frees Maria.
  auto [nc2, action2] = ReadyForReview(alice, maria_id);
  auto carl_id = IdOf("carl@example.com");
  auto extra = AddAction(alice, nc2, carl_id);
  SetActionStatus(alice, extra, "done");
  action2 = SetActionStatus(alice, action2, "cancelled");
  EXPECT_EQ(maria.Post(Url(nc2) + "/effectiveness-reviews", Json({{"effective", true}})).status,
            201u);
}

TEST_P(NonconformitiesApi, ReviewBeforeActionsAreDoneIsRefused) {
  auto alice = server_->SignedIn("alice@example.com");
  auto maria = server_->SignedIn("maria@example.com");
  auto nc = Create(alice);
  auto early = maria.Post(Url(nc) + "/effectiveness-reviews", Json({{"effective", true}}));
  EXPECT_EQ(early.status, 409u);
  EXPECT_THAT(early.body, HasSubstr("once they are done"));
  nc = Patch(alice, nc, {{"correction", "c"}, {"root_cause", "r"}});
  auto action = AddAction(alice, nc, IdOf("carl@example.com"));
  auto pending = maria.Post(Url(nc) + "/effectiveness-reviews", Json({{"effective", true}}));
  EXPECT_EQ(pending.status, 409u);
  EXPECT_THAT(pending.body, HasSubstr("CA-0001 is not done"));
  // A not-effective review needs its reason.
  SetActionStatus(alice, action, "done");
  auto bare = maria.Post(Url(nc) + "/effectiveness-reviews", Json({{"effective", false}}));
  EXPECT_EQ(bare.status, 422u);
  EXPECT_THAT(ErrorFields(bare), ElementsAre("note"));
  EXPECT_THAT(ErrorFields(maria.Post(Url(nc) + "/effectiveness-reviews", "{}")),
              ElementsAre("effective"));
}

TEST_P(NonconformitiesApi, NotEffectiveReviewReopensUntilAFurtherActionIsDone) {
  auto alice = server_->SignedIn("alice@example.com");
  auto maria = server_->SignedIn("maria@example.com");
  const auto carl_id = IdOf("carl@example.com");
  auto [nc, action] = ReadyForReview(alice, carl_id);
  EXPECT_EQ(nc.at("status"), "verifying");
  auto review = maria.Post(Url(nc) + "/effectiveness-reviews",
                           Json({{"effective", false}, {"note", "Two stale accounts again."}}));
  ASSERT_EQ(review.status, 201u) << review.body;
  nc = Fresh(alice, nc);
  EXPECT_EQ(nc.at("status"), "actions");
  EXPECT_EQ(nc.at("reopened"), true);
  EXPECT_EQ(nc.at("reopen_count"), 1);
  EXPECT_THAT(Blockers(nc), ElementsAre("new_action_needed", "effectiveness_not_confirmed"));
  auto close = maria.Post(Url(nc) + "/close", "");
  EXPECT_EQ(close.status, 409u);
  EXPECT_THAT(close.body, HasSubstr("not effective"));
  // Reviewing again without a further action is refused.
  EXPECT_EQ(maria.Post(Url(nc) + "/effectiveness-reviews", Json({{"effective", true}})).status,
            409u);

  auto further = AddAction(alice, nc, carl_id, "Automate the leaver feed");
  nc = Fresh(alice, nc);
  EXPECT_EQ(nc.at("reopened"), false);
  EXPECT_EQ(nc.at("status"), "actions");
  SetActionStatus(alice, further, "done");
  EXPECT_EQ(Fresh(alice, nc).at("status"), "verifying");
  EXPECT_EQ(maria.Post(Url(nc) + "/effectiveness-reviews", Json({{"effective", true}})).status,
            201u);
  EXPECT_EQ(maria.Post(Url(nc) + "/close", "").status, 200u);
  EXPECT_EQ(alice.Get(Url(nc) + "/effectiveness-reviews").Json().at("items").as_array().size(), 2u);
}

TEST_P(NonconformitiesApi, RolesContributorsOwnManagersVerify) {
  auto alice = server_->SignedIn("alice@example.com");
  auto carl = server_->SignedIn("carl@example.com");
  const auto carl_id = IdOf("carl@example.com");
  auto nc = Create(alice);  // owned and reported by Alice
  for (auto email : {"victor@example.com", "audrey@example.com"}) {
    auto client = server_->SignedIn(email);
    EXPECT_EQ(client.Get(Ncs()).status, 200u) << email;
    EXPECT_EQ(client.Get(Url(nc)).status, 200u) << email;
    EXPECT_EQ(client.Post(Ncs(), "{}").status, 403u) << email;
    EXPECT_EQ(client.Post(Url(nc) + "/close", "").status, 403u) << email;
  }
  // A contributor reports, and changes what they own or reported, not others' ones.
  auto own = Create(carl);
  EXPECT_EQ(Patch(carl, own, {{"correction", "Done"}}).at("status"), "correcting");
  auto refused = carl.Patch(Url(nc), Json({{"correction", "x"}}), IfMatch(nc));
  EXPECT_EQ(refused.status, 403u);
  EXPECT_EQ(
      carl.Post(Url(nc) + "/corrective-actions", Json({{"title", "x"}, {"owner_id", carl_id}}))
          .status,
      403u);
  // ... but does the actions they own on anyone's nonconformity.
  auto action = AddAction(alice, nc, carl_id);
  EXPECT_EQ(SetActionStatus(carl, action, "in_progress").at("status"), "in_progress");
  // Reviews and closure are for managers and admins.
  EXPECT_EQ(carl.Post(Url(own) + "/effectiveness-reviews", Json({{"effective", true}})).status,
            403u);
  EXPECT_EQ(carl.Post(Url(own) + "/close", "").status, 403u);
}

TEST_P(NonconformitiesApi, ActionsAcrossNonconformitiesMineAndOverdue) {
  auto alice = server_->SignedIn("alice@example.com");
  auto carl = server_->SignedIn("carl@example.com");
  const auto carl_id = IdOf("carl@example.com");
  auto nc1 = Create(alice);
  auto nc2 = Create(alice);
  auto late =
      alice.Post(Url(nc1) + "/corrective-actions",
                 Json({{"title", "Late"}, {"owner_id", carl_id}, {"due_on", "2026-02-01"}}));
  ASSERT_EQ(late.status, 201u) << late.body;
  EXPECT_EQ(late.Json().at("overdue"), true);
  AddAction(alice, nc2, carl_id, "Not yet due");
  AddAction(alice, nc2, alice_id_, "Alice's");
  auto titles = [&](HttpClient& client, const std::string& query) {
    std::vector<std::string> out;
    auto reply = client.Get(Actions() + query);
    EXPECT_EQ(reply.status, 200u) << reply.body;
    auto json = reply.Json();
    for (const auto& a : json.at("items").as_array()) out.emplace_back(a.at("title").as_string());
    return out;
  };
  EXPECT_THAT(titles(carl, "?owner=me&sort=ref"), ElementsAre("Late", "Not yet due"));
  EXPECT_THAT(titles(carl, "?owner=me&overdue=true"), ElementsAre("Late"));
  EXPECT_THAT(titles(alice, "?owner=me"), ElementsAre("Alice's"));
  EXPECT_THAT(titles(alice, "?nonconformity_id=" + Id(nc2) + "&sort=ref"),
              ElementsAre("Not yet due", "Alice's"));
  EXPECT_THAT(titles(alice, "?limit=1&sort=ref").size(), 1u);
  EXPECT_EQ(Fresh(alice, nc1).at("actions_overdue"), 1);
  EXPECT_THAT(ErrorFields(alice.Get(Actions() + "?overdue=maybe&status=x")),
              UnorderedElementsAre("overdue", "status"));
  // The list of one nonconformity's actions.
  EXPECT_EQ(alice.Get(Url(nc2) + "/corrective-actions").Json().at("items").as_array().size(), 2u);
  // Validation of actions.
  auto bad = alice.Post(Url(nc1) + "/corrective-actions",
                        Json({{"owner_id", mallory_id_}, {"due_on", "soon"}, {"status", "x"}}));
  EXPECT_EQ(bad.status, 422u);
  EXPECT_THAT(ErrorFields(bad), UnorderedElementsAre("title", "due_on", "status"));
  auto outsider = alice.Post(Url(nc1) + "/corrective-actions",
                             Json({{"title", "x"}, {"owner_id", mallory_id_}}));
  EXPECT_THAT(ErrorFields(outsider), ElementsAre("owner_id"));
}

TEST_P(NonconformitiesApi, IfMatchAndOtherOrganizations) {
  auto alice = server_->SignedIn("alice@example.com");
  auto nc = Create(alice);
  EXPECT_EQ(alice.Patch(Url(nc), Json({{"title", "x"}})).status, 428u);
  EXPECT_EQ(alice.Patch(Url(nc), Json({{"title", "x"}}), {{"If-Match", "\"7\""}}).status, 412u);
  auto action = AddAction(alice, nc, alice_id_);
  EXPECT_EQ(alice.Patch(ActionUrl(action), Json({{"title", "x"}})).status, 428u);
  EXPECT_EQ(alice.Patch(ActionUrl(action), Json({{"title", "x"}}), {{"If-Match", "\"9\""}}).status,
            412u);
  // Unchanged after the refusals.
  EXPECT_EQ(alice.Get(ActionUrl(action)).Json().at("title"), "Fix it");

  auto mallory = server_->SignedIn("mallory@example.com");
  EXPECT_EQ(mallory.Get(Ncs()).status, 404u);
  EXPECT_EQ(mallory.Get(Url(nc)).status, 404u);
  EXPECT_EQ(mallory.Get(ActionUrl(action)).status, 404u);
  EXPECT_EQ(mallory.Post(Url(nc) + "/close", "").status, 404u);
  const std::string theirs = "/api/v1/orgs/" + other_org_ + "/nonconformities/" + Id(nc);
  EXPECT_EQ(mallory.Get(theirs).status, 404u);
  EXPECT_EQ(
      mallory
          .Post(theirs + "/corrective-actions", Json({{"title", "x"}, {"owner_id", mallory_id_}}))
          .status,
      404u);
  EXPECT_EQ(server_->Client().Get(Ncs()).status, 401u);
}

TEST_P(NonconformitiesApi, OtherModulesCreateThroughTheService) {
  auto& service = server_->app().nonconformities();
  Actor auditor{certus::UserId(IdOf("audrey@example.com")), "audrey@example.com", Role::kAuditor,
                false, "test"};
  improvement::NonconformityPatch details;
  details.title = "Finding F-7: no evidence of awareness training";
  details.severity = improvement::Severity::kMajor;
  details.requirement_ref = "7.3";
  // The internal audit module records a finding and raises the nonconformity in one
  // transaction; it has checked the auditor's role itself.
  auto created = storage::InWriteTransaction(server_->db(), [&](storage::Transaction& tx) {
    return service.CreateIn(tx, auditor, OrgId(org_), improvement::Source::kInternalAudit,
                            std::string("finding-7"), details);
  });
  ASSERT_TRUE(created) << created.error().message();
  EXPECT_EQ(created->ref, "NC-0001");
  auto alice = server_->SignedIn("alice@example.com");
  auto nc = alice.Get(Ncs() + "/" + created->id.str()).Json();
  EXPECT_EQ(nc.at("source"), "internal_audit");
  EXPECT_EQ(nc.at("source_ref"), "finding-7");
  EXPECT_EQ(nc.at("severity"), "major");
  // Create checks the role: auditors do not raise nonconformities through the API.
  EXPECT_FALSE(service.Create(auditor, OrgId(org_), improvement::Source::kInternalAudit,
                              std::nullopt, details));
}

INSTANTIATE_TEST_SUITE_P(Engines, NonconformitiesApi, ::testing::ValuesIn(TestEngines()),
                         EngineName);

}  // namespace
}  // namespace certus::testing
