// HTTP scenarios for ISMS roles, the RACI matrix (ISO 27001 5.3) and the top-management
// check other modules use (5.2: the security policy's approver).
#include <gmock/gmock.h>

#include "tests/api/api_fixture.hpp"

namespace certus::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

class RolesApi : public ApiTest {
 protected:
  std::string Roles() const { return "/api/v1/orgs/" + org_ + "/roles"; }
  std::string Raci() const { return "/api/v1/orgs/" + org_ + "/raci"; }

  std::string Url(const boost::json::value& role) const {
    return Roles() + "/" + std::string(role.at("id").as_string());
  }

  std::string IdOf(const std::string& email) {
    auto client = server_->SignedIn(email);
    return std::string(client.Get("/api/v1/auth/me").Json().at("user").at("id").as_string());
  }

  boost::json::value CreateRole(HttpClient& client, const boost::json::object& body) {
    auto reply = client.Post(Roles(), Json(body));
    EXPECT_EQ(reply.status, 201u) << reply.body;
    return reply.Json();
  }

  static std::string Id(const boost::json::value& object) {
    return std::string(object.at("id").as_string());
  }

  static boost::json::object Cell(const std::string& process, const boost::json::value& role,
                                  const std::string& letter) {
    return {{"process", process}, {"role_id", role.at("id")}, {"responsibility", letter}};
  }

  Reply PutRaci(HttpClient& client, boost::json::array cells, const std::string& if_match) {
    std::vector<std::pair<std::string, std::string>> headers;
    if (!if_match.empty()) headers.emplace_back("If-Match", if_match);
    return client.Send("PUT", Raci(), Json({{"assignments", std::move(cells)}}), headers);
  }

  bool HoldsTopManagement(const std::string& user_id) {
    auto held = server_->app().leadership().HoldsTopManagementRole(OrgId(org_), UserId(user_id));
    EXPECT_TRUE(held) << held.error().message();
    return held && *held;
  }
};

TEST_P(RolesApi, CreateAnswers201WithAssigneesAndFlags) {
  auto alice = server_->SignedIn("alice@example.com");
  auto maria_id = IdOf("maria@example.com");
  auto reply = alice.Post(Roles(), Json({{"name", "Chief executive"},
                                         {"description", "Runs the company."},
                                         {"responsibilities", "Approves the policy."},
                                         {"authorities", "Signs budgets."},
                                         {"assignee_ids", {maria_id, alice_id_, maria_id}},
                                         {"top_management", true}}));
  ASSERT_EQ(reply.status, 201u) << reply.body;
  auto role = reply.Json();
  EXPECT_EQ(role.at("ref"), "ROLE-0001");
  EXPECT_EQ(role.at("name"), "Chief executive");
  EXPECT_EQ(role.at("responsibilities"), "Approves the policy.");
  EXPECT_EQ(role.at("authorities"), "Signs budgets.");
  EXPECT_EQ(role.at("top_management"), true);
  EXPECT_EQ(role.at("isms_owner"), false);
  EXPECT_EQ(role.at("assignee_ids").as_array().size(), 2u);  // duplicates collapse
  EXPECT_EQ(reply.Header("etag"), "\"1\"");
  EXPECT_EQ(reply.Header("location"), Url(role));
  EXPECT_EQ(alice.Get(Url(role)).Json(), role);

  auto plain = CreateRole(alice, {{"name", "Risk owner"}});
  EXPECT_EQ(plain.at("ref"), "ROLE-0002");
  EXPECT_EQ(plain.at("assignee_ids").as_array().size(), 0u);
  EXPECT_EQ(plain.at("top_management"), false);
}

TEST_P(RolesApi, ValidationNamesEveryBadFieldAndUnknownAssignees) {
  auto alice = server_->SignedIn("alice@example.com");
  auto missing = alice.Post(Roles(), "{}");
  EXPECT_EQ(missing.status, 422u);
  EXPECT_THAT(ErrorFields(missing), ElementsAre("name"));
  auto wrong = alice.Post(Roles(), Json({{"name", ""},
                                         {"top_management", "yes"},
                                         {"isms_owner", 1},
                                         {"assignee_ids", "alice"},
                                         {"rank", 3}}));
  EXPECT_EQ(wrong.status, 422u);
  EXPECT_THAT(ErrorFields(wrong),
              UnorderedElementsAre("name", "top_management", "isms_owner", "assignee_ids", "rank"));

  // Assignees must be members of the organization: the answer names the unknown ones.
  auto unknown = alice.Post(
      Roles(), Json({{"name", "CISO"}, {"assignee_ids", {alice_id_, mallory_id_, "nobody"}}}));
  EXPECT_EQ(unknown.status, 422u) << unknown.body;
  EXPECT_THAT(ErrorFields(unknown), ElementsAre("assignee_ids[1]", "assignee_ids[2]"));
  EXPECT_THAT(unknown.body, HasSubstr(mallory_id_));
  EXPECT_THAT(unknown.body, HasSubstr("nobody"));
  EXPECT_EQ(alice.Get(Roles()).Json().at("items").as_array().size(), 0u);
}

TEST_P(RolesApi, OnlyOneRoleOwnsTheIsms) {
  auto alice = server_->SignedIn("alice@example.com");
  auto ciso = CreateRole(alice, {{"name", "CISO"}, {"isms_owner", true}});
  auto refused = alice.Post(Roles(), Json({{"name", "ISMS manager"}, {"isms_owner", true}}));
  EXPECT_EQ(refused.status, 409u);
  EXPECT_THAT(refused.Json().at("detail").as_string().c_str(), HasSubstr("CISO"));
  EXPECT_THAT(refused.Json().at("detail").as_string().c_str(), HasSubstr("ROLE-0001"));

  auto manager = CreateRole(alice, {{"name", "ISMS manager"}});
  auto patch = alice.Patch(Url(manager), Json({{"isms_owner", true}}), {{"If-Match", "\"1\""}});
  EXPECT_EQ(patch.status, 409u);
  // Re-saving the owner itself is fine; moving the flag takes two steps.
  EXPECT_EQ(alice
                .Patch(Url(ciso), Json({{"isms_owner", true}, {"description", "Owner"}}),
                       {{"If-Match", "\"1\""}})
                .status,
            200u);
  EXPECT_EQ(alice.Patch(Url(ciso), Json({{"isms_owner", false}}), {{"If-Match", "\"2\""}}).status,
            200u);
  auto moved = alice.Patch(Url(manager), Json({{"isms_owner", true}}), {{"If-Match", "\"1\""}});
  EXPECT_EQ(moved.status, 200u) << moved.body;
  EXPECT_EQ(moved.Json().at("isms_owner"), true);

  // Names are unique too.
  auto same = alice.Post(Roles(), Json({{"name", "CISO"}}));
  EXPECT_EQ(same.status, 409u);
  EXPECT_EQ(alice.Patch(Url(manager), Json({{"name", "CISO"}}), {{"If-Match", "\"2\""}}).status,
            409u);
}

TEST_P(RolesApi, ManagersWriteOthersOnlyRead) {
  auto alice = server_->SignedIn("alice@example.com");
  auto role = CreateRole(alice, {{"name", "Board"}, {"top_management", true}});
  for (auto email : {"victor@example.com", "audrey@example.com", "carl@example.com"}) {
    auto client = server_->SignedIn(email);
    EXPECT_EQ(client.Get(Roles()).status, 200u) << email;
    EXPECT_EQ(client.Get(Url(role)).status, 200u) << email;
    EXPECT_EQ(client.Get(Url(role) + "/history").status, 200u) << email;
    EXPECT_EQ(client.Get(Raci()).status, 200u) << email;
    EXPECT_EQ(client.Post(Roles(), Json({{"name", "x"}})).status, 403u) << email;
    EXPECT_EQ(client.Post(Roles(), "{}").status, 403u) << email;  // the role first, then the body
    EXPECT_EQ(client.Send("PUT", Raci(), "{}", {{"If-Match", "\"1\""}}).status, 403u) << email;
    EXPECT_EQ(client.Patch(Url(role), Json({{"name", "x"}}), {{"If-Match", "\"1\""}}).status, 403u)
        << email;
    EXPECT_EQ(client.Delete(Url(role), {{"If-Match", "\"1\""}}).status, 403u) << email;
    EXPECT_EQ(PutRaci(client, {Cell("context", role, "A")}, "\"1\"").status, 403u) << email;
  }
  auto maria = server_->SignedIn("maria@example.com");
  EXPECT_EQ(maria.Patch(Url(role), Json({{"authorities", "All"}}), {{"If-Match", "\"1\""}}).status,
            200u);
  EXPECT_EQ(PutRaci(maria, {Cell("context", role, "A")}, "\"1\"").status, 200u);
}

TEST_P(RolesApi, PatchAndDeleteNeedIfMatchAndRefuseStaleVersions) {
  auto alice = server_->SignedIn("alice@example.com");
  auto role = CreateRole(alice, {{"name", "DPO"}});
  EXPECT_EQ(alice.Patch(Url(role), Json({{"name", "x"}})).status, 428u);
  auto carl_id = IdOf("carl@example.com");
  auto ok = alice.Patch(Url(role), Json({{"assignee_ids", {carl_id}}}), {{"If-Match", "\"1\""}});
  ASSERT_EQ(ok.status, 200u) << ok.body;
  EXPECT_THAT(ok.Json().at("assignee_ids").as_array(), ElementsAre(boost::json::value(carl_id)));
  EXPECT_EQ(ok.Json().at("name"), "DPO");
  EXPECT_EQ(alice.Patch(Url(role), Json({{"name", "Stale"}}), {{"If-Match", "\"1\""}}).status,
            412u);
  auto emptied = alice.Patch(Url(role), Json({{"assignee_ids", boost::json::array{}}}),
                             {{"If-Match", "\"2\""}});
  EXPECT_EQ(emptied.Json().at("assignee_ids").as_array().size(), 0u);
  EXPECT_EQ(alice.Delete(Url(role)).status, 428u);
  EXPECT_EQ(alice.Delete(Url(role), {{"If-Match", "\"2\""}}).status, 412u);
  EXPECT_EQ(alice.Delete(Url(role), {{"If-Match", "\"3\""}}).status, 204u);
  EXPECT_EQ(alice.Get(Url(role)).status, 404u);
  auto history = alice.Get(Url(role) + "/history").Json();
  ASSERT_EQ(history.at("items").as_array().size(), 4u);
  EXPECT_EQ(history.at("items").at(1).at("after").at("assignee_ids").at(0),
            boost::json::value(carl_id));
  EXPECT_EQ(history.at("items").at(3).at("action"), "delete");
}

TEST_P(RolesApi, ListFiltersByFlagAssigneeAndText) {
  auto alice = server_->SignedIn("alice@example.com");
  auto carl_id = IdOf("carl@example.com");
  CreateRole(alice, {{"name", "CEO"}, {"top_management", true}, {"assignee_ids", {alice_id_}}});
  CreateRole(alice, {{"name", "CFO"}, {"top_management", true}, {"assignee_ids", {carl_id}}});
  CreateRole(alice, {{"name", "Asset owner"},
                     {"responsibilities", "Keeps the inventory"},
                     {"assignee_ids", {carl_id, alice_id_}}});
  auto names = [&](const std::string& query) {
    std::vector<std::string> out;
    auto reply = alice.Get(Roles() + query);
    EXPECT_EQ(reply.status, 200u) << reply.body;
    const auto json = reply.Json();
    for (const auto& item : json.at("items").as_array())
      out.emplace_back(item.at("name").as_string());
    return out;
  };
  EXPECT_THAT(names(""), ElementsAre("Asset owner", "CEO", "CFO"));
  EXPECT_THAT(names("?top_management=true"), ElementsAre("CEO", "CFO"));
  EXPECT_THAT(names("?top_management=false"), ElementsAre("Asset owner"));
  EXPECT_THAT(names("?assignee_id=" + carl_id), ElementsAre("Asset owner", "CFO"));
  EXPECT_THAT(names("?q=inventory"), ElementsAre("Asset owner"));
  EXPECT_THAT(names("?sort=-ref&limit=2"), ElementsAre("Asset owner", "CFO"));
  EXPECT_THAT(ErrorFields(alice.Get(Roles() + "?top_management=1")), ElementsAre("top_management"));
}

TEST_P(RolesApi, HoldsTopManagementRoleFollowsAssignmentsAndFlags) {
  auto alice = server_->SignedIn("alice@example.com");
  auto maria_id = IdOf("maria@example.com");
  auto carl_id = IdOf("carl@example.com");
  EXPECT_FALSE(HoldsTopManagement(maria_id));
  auto board = CreateRole(alice, {{"name", "Board"}, {"assignee_ids", {maria_id}}});
  EXPECT_FALSE(HoldsTopManagement(maria_id));  // not flagged yet
  alice.Patch(Url(board), Json({{"top_management", true}}), {{"If-Match", "\"1\""}});
  EXPECT_TRUE(HoldsTopManagement(maria_id));
  EXPECT_FALSE(HoldsTopManagement(carl_id));
  CreateRole(alice, {{"name", "Engineer"}, {"assignee_ids", {carl_id}}});
  EXPECT_FALSE(HoldsTopManagement(carl_id));
  // Only in its own organization.
  auto in_other =
      server_->app().leadership().HoldsTopManagementRole(OrgId(other_org_), UserId(maria_id));
  ASSERT_TRUE(in_other);
  EXPECT_FALSE(*in_other);
  alice.Patch(Url(board), Json({{"assignee_ids", {carl_id}}}), {{"If-Match", "\"2\""}});
  EXPECT_FALSE(HoldsTopManagement(maria_id));
  EXPECT_TRUE(HoldsTopManagement(carl_id));
  alice.Delete(Url(board), {{"If-Match", "\"3\""}});
  EXPECT_FALSE(HoldsTopManagement(carl_id));
}

TEST_P(RolesApi, RaciListsTheIsmsProcessesWithTheirClauses) {
  auto alice = server_->SignedIn("alice@example.com");
  auto reply = alice.Get(Raci());
  ASSERT_EQ(reply.status, 200u) << reply.body;
  EXPECT_EQ(reply.Header("etag"), "\"1\"");
  auto raci = reply.Json();
  EXPECT_EQ(raci.at("version"), 1);
  EXPECT_EQ(raci.at("assignments").as_array().size(), 0u);
  EXPECT_EQ(raci.at("roles").as_array().size(), 0u);
  EXPECT_EQ(raci.at("updated_at"), nullptr);
  std::map<std::string, std::string> clauses;
  for (const auto& p : raci.at("processes").as_array())
    clauses[std::string(p.at("key").as_string())] = std::string(p.at("clause").as_string());
  EXPECT_EQ(clauses.at("context"), "4");
  EXPECT_EQ(clauses.at("leadership"), "5");
  EXPECT_EQ(clauses.at("risk_assessment"), "6.1.2");
  EXPECT_EQ(clauses.at("risk_treatment"), "6.1.3");
  EXPECT_EQ(clauses.at("objectives"), "6.2");
  EXPECT_EQ(clauses.at("document_control"), "7.5");
  EXPECT_EQ(clauses.at("operations"), "8");
  EXPECT_EQ(clauses.at("monitoring"), "9.1");
  EXPECT_EQ(clauses.at("internal_audit"), "9.2");
  EXPECT_EQ(clauses.at("management_review"), "9.3");
  EXPECT_EQ(clauses.at("improvement"), "10.1");
  EXPECT_EQ(clauses.at("nonconformity"), "10.2");
  EXPECT_EQ(raci.at("processes").at(0).at("key"), "context");
}

TEST_P(RolesApi, RaciAllowsOneAccountableRolePerProcess) {
  auto alice = server_->SignedIn("alice@example.com");
  auto ceo = CreateRole(alice, {{"name", "CEO"}, {"top_management", true}});
  auto ciso = CreateRole(alice, {{"name", "CISO"}, {"isms_owner", true}});
  auto it = CreateRole(alice, {{"name", "IT"}});

  EXPECT_EQ(PutRaci(alice, {Cell("context", ceo, "A")}, "").status, 428u);
  auto two_a = PutRaci(alice,
                       {Cell("risk_assessment", ciso, "A"), Cell("risk_assessment", it, "R"),
                        Cell("risk_assessment", ceo, "A"), Cell("context", ceo, "A")},
                       "\"1\"");
  EXPECT_EQ(two_a.status, 422u);
  EXPECT_THAT(ErrorFields(two_a), ElementsAre("assignments[2].responsibility"));
  EXPECT_THAT(two_a.body, HasSubstr("risk_assessment"));

  auto wrong = PutRaci(alice,
                       {Cell("coffee", ceo, "R"), Cell("context", ceo, "X"),
                        boost::json::object{{"process", "context"}}, Cell("context", it, "R"),
                        Cell("context", it, "C")},
                       "\"1\"");
  EXPECT_EQ(wrong.status, 422u);
  EXPECT_THAT(ErrorFields(wrong),
              UnorderedElementsAre("assignments[1].responsibility", "assignments[2].role_id",
                                   "assignments[2].responsibility"));
  auto rules =
      PutRaci(alice, {Cell("coffee", ceo, "R"), Cell("context", it, "R"), Cell("context", it, "C")},
              "\"1\"");
  EXPECT_THAT(ErrorFields(rules), ElementsAre("assignments[0].process", "assignments[2].role_id"));
  auto unknown_role = PutRaci(
      alice,
      {boost::json::object{{"process", "context"}, {"role_id", "ghost"}, {"responsibility", "R"}}},
      "\"1\"");
  EXPECT_EQ(unknown_role.status, 422u);
  EXPECT_THAT(ErrorFields(unknown_role), ElementsAre("assignments[0].role_id"));
  EXPECT_EQ(alice.Send("PUT", Raci(), "{}", {{"If-Match", "\"1\""}}).status, 422u);
  EXPECT_EQ(alice.Get(Raci()).Json().at("version"), 1);

  auto saved = PutRaci(
      alice,
      {Cell("risk_assessment", ciso, "A"), Cell("risk_assessment", it, "R"),
       Cell("risk_assessment", ceo, "I"), Cell("context", ceo, "A"), Cell("context", ciso, "R")},
      "\"1\"");
  ASSERT_EQ(saved.status, 200u) << saved.body;
  EXPECT_EQ(saved.Header("etag"), "\"2\"");
  auto raci = saved.Json();
  EXPECT_EQ(raci.at("version"), 2);
  EXPECT_EQ(raci.at("updated_by_email"), "alice@example.com");
  EXPECT_EQ(raci.at("roles").as_array().size(), 3u);
  const auto& cells = raci.at("assignments").as_array();
  ASSERT_EQ(cells.size(), 5u);
  EXPECT_EQ(cells[0].at("process"), "context");  // in process order
  EXPECT_EQ(alice.Get(Raci()).Json(), raci);

  // A stale matrix is refused; the GET's JSON can be sent back as it is.
  EXPECT_EQ(PutRaci(alice, {}, "\"1\"").status, 412u);
  auto echoed = alice.Send("PUT", Raci(), Json(raci), {{"If-Match", "\"2\""}});
  ASSERT_EQ(echoed.status, 200u) << echoed.body;
  EXPECT_EQ(echoed.Json().at("version"), 3);
  EXPECT_EQ(echoed.Json().at("assignments"), raci.at("assignments"));

  // Deleting a role takes its cells away, in a new version of the matrix.
  EXPECT_EQ(alice.Delete(Url(it), {{"If-Match", "\"1\""}}).status, 204u);
  auto after = alice.Get(Raci());
  EXPECT_EQ(after.Json().at("version"), 4);
  EXPECT_EQ(after.Json().at("assignments").as_array().size(), 4u);
  EXPECT_EQ(after.Json().at("roles").as_array().size(), 2u);

  auto cleared = PutRaci(alice, {}, "\"4\"");
  ASSERT_EQ(cleared.status, 200u);
  EXPECT_EQ(cleared.Json().at("assignments").as_array().size(), 0u);
  EXPECT_EQ(alice.Get("/api/v1/orgs/" + org_ + "/audit-log/verify").Json().at("ok"), true);
}

TEST_P(RolesApi, OtherOrganizationsSeeNothingAndChangeNothing) {
  auto alice = server_->SignedIn("alice@example.com");
  auto role = CreateRole(alice, {{"name", "CEO"}});
  auto mallory = server_->SignedIn("mallory@example.com");
  EXPECT_EQ(mallory.Get(Roles()).status, 404u);
  EXPECT_EQ(mallory.Get(Url(role)).status, 404u);
  EXPECT_EQ(mallory.Get(Url(role) + "/history").status, 404u);
  EXPECT_EQ(mallory.Get(Raci()).status, 404u);
  EXPECT_EQ(PutRaci(mallory, {}, "\"1\"").status, 404u);
  EXPECT_EQ(mallory.Patch(Url(role), Json({{"name", "x"}}), {{"If-Match", "\"1\""}}).status, 404u);
  // Their own matrix cannot name our roles.
  auto foreign =
      mallory.Send("PUT", "/api/v1/orgs/" + other_org_ + "/raci",
                   Json({{"assignments", {Cell("context", role, "A")}}}), {{"If-Match", "\"1\""}});
  EXPECT_EQ(foreign.status, 422u);
  EXPECT_EQ(server_->Client().Get(Raci()).status, 401u);
}

INSTANTIATE_TEST_SUITE_P(Engines, RolesApi, ::testing::ValuesIn(TestEngines()), EngineName);

}  // namespace
}  // namespace certus::testing
