// HTTP scenarios for the people register, competence requirements, evidence of competence
// and the gap analysis (ISO 27001 7.2), and the policy acknowledgment rate of the awareness
// figures (7.3).
#include <gmock/gmock.h>

#include "tests/api/api_fixture.hpp"

namespace certus::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class PeopleApi : public ApiTest {
 protected:
  std::string Base() const { return "/api/v1/orgs/" + org_; }
  std::string People() const { return Base() + "/people"; }
  std::string Competences() const { return Base() + "/competences"; }

  static std::string Id(const boost::json::value& object) {
    return std::string(object.at("id").as_string());
  }

  std::string IdOf(const std::string& email) {
    auto client = server_->SignedIn(email);
    return std::string(client.Get("/api/v1/auth/me").Json().at("user").at("id").as_string());
  }

  boost::json::value Create(HttpClient& client, const std::string& url,
                            const boost::json::object& body) {
    auto reply = client.Post(url, Json(body));
    EXPECT_EQ(reply.status, 201u) << reply.body;
    return reply.Json();
  }

  static std::vector<std::string> States(const boost::json::value& person) {
    std::vector<std::string> out;
    for (const auto& c : person.at("competences").as_array()) {
      out.push_back(std::string(c.at("ref").as_string()) + ":" +
                    std::string(c.at("state").as_string()));
    }
    return out;
  }
};

TEST_P(PeopleApi, RegisterCreatesListsUpdatesAndDeletesPeople) {
  auto alice = server_->SignedIn("alice@example.com");
  auto reply = alice.Post(People(), Json({{"name", "Ada Lovelace"},
                                          {"email", "Ada@Example.com"},
                                          {"job_role", "Developer"},
                                          {"department", "Engineering"},
                                          {"start_date", "2024-05-01"}}));
  ASSERT_EQ(reply.status, 201u) << reply.body;
  auto ada = reply.Json();
  EXPECT_EQ(ada.at("ref"), "PER-0001");
  EXPECT_EQ(ada.at("in_scope"), true);
  EXPECT_EQ(ada.at("status"), "active");
  EXPECT_EQ(ada.at("user_id"), nullptr);
  EXPECT_EQ(reply.Header("etag"), "\"1\"");
  EXPECT_EQ(reply.Header("location"), People() + "/" + Id(ada));

  // One person per email, whatever its case.
  auto twice = alice.Post(People(), Json({{"name", "Ada again"}, {"email", "ada@example.COM"}}));
  EXPECT_EQ(twice.status, 409u);
  EXPECT_THAT(twice.body, HasSubstr("PER-0001"));

  auto invalid = alice.Post(People(), Json({{"email", "not an email"}, {"colour", "red"}}));
  EXPECT_EQ(invalid.status, 422u);
  EXPECT_THAT(ErrorFields(invalid), ::testing::UnorderedElementsAre("name", "email", "colour"));

  auto outsider = alice.Post(
      People(), Json({{"name", "M"}, {"email", "m@example.com"}, {"user_id", mallory_id_}}));
  EXPECT_EQ(outsider.status, 422u);
  EXPECT_THAT(ErrorFields(outsider), ElementsAre("user_id"));

  auto maria_id = IdOf("maria@example.com");
  auto maria = Create(alice, People(),
                      {{"name", "Maria"},
                       {"email", "maria@example.com"},
                       {"department", "Security"},
                       {"user_id", maria_id}});
  auto linked_twice = alice.Post(
      People(), Json({{"name", "Maria 2"}, {"email", "m2@example.com"}, {"user_id", maria_id}}));
  EXPECT_EQ(linked_twice.status, 409u);
  Create(alice, People(),
         {{"name", "Zed Contractor"},
          {"email", "zed@example.com"},
          {"in_scope", false},
          {"department", "Engineering"}});

  auto page = alice.Get(People() + "?limit=2").Json();
  ASSERT_EQ(page.at("items").as_array().size(), 2u);
  EXPECT_EQ(page.at("items").at(0).at("name"), "Ada Lovelace");
  ASSERT_TRUE(page.at("next_cursor").is_string());
  auto rest =
      alice.Get(People() + "?limit=2&cursor=" + std::string(page.at("next_cursor").as_string()))
          .Json();
  ASSERT_EQ(rest.at("items").as_array().size(), 1u);
  EXPECT_EQ(rest.at("items").at(0).at("name"), "Zed Contractor");
  EXPECT_EQ(alice.Get(People() + "?department=Engineering&in_scope=true")
                .Json()
                .at("items")
                .as_array()
                .size(),
            1u);
  EXPECT_EQ(alice.Get(People() + "?q=lovelace").Json().at("items").as_array().size(), 1u);
  EXPECT_EQ(alice.Get(People() + "?in_scope=maybe").status, 422u);

  const std::string url = People() + "/" + Id(ada);
  EXPECT_EQ(alice.Patch(url, Json({{"job_role", "Lead"}})).status, 428u);
  auto left = alice.Patch(url, Json({{"status", "left"}}), {{"If-Match", "\"1\""}});
  ASSERT_EQ(left.status, 200u) << left.body;
  EXPECT_EQ(left.Json().at("left_on"), "2026-03-02");
  EXPECT_EQ(alice.Patch(url, Json({{"job_role", "Lead"}}), {{"If-Match", "\"1\""}}).status, 412u);
  auto before_start = alice.Patch(url, Json({{"left_on", "2020-01-01"}}), {{"If-Match", "\"2\""}});
  EXPECT_EQ(before_start.status, 422u);

  EXPECT_EQ(alice.Get(url + "/history").Json().at("items").as_array().size(), 2u);
  EXPECT_EQ(alice.Delete(People() + "/" + Id(maria), {{"If-Match", "\"1\""}}).status, 204u);
  EXPECT_EQ(alice.Get(People() + "/" + Id(maria)).status, 404u);
  EXPECT_EQ(alice.Get(Base() + "/audit-log/verify").Json().at("ok"), true);
}

TEST_P(PeopleApi, OnlyManagersWriteAndOtherOrganizationsSeeNothing) {
  auto alice = server_->SignedIn("alice@example.com");
  auto ada = Create(alice, People(), {{"name", "Ada"}, {"email", "ada@example.com"}});
  auto carl = server_->SignedIn("carl@example.com");
  EXPECT_EQ(carl.Post(People(), Json({{"name", "X"}, {"email", "x@example.com"}})).status, 403u);
  EXPECT_EQ(carl.Get(People()).status, 200u);
  auto maria = server_->SignedIn("maria@example.com");
  EXPECT_EQ(maria.Post(Competences(), Json({{"name", "Secure coding"}})).status, 201u);
  auto mallory = server_->SignedIn("mallory@example.com");
  EXPECT_EQ(mallory.Get(People()).status, 404u);
  EXPECT_EQ(mallory.Get(People() + "/" + Id(ada)).status, 404u);
  EXPECT_EQ(mallory.Get(People() + "/" + Id(ada) + "/history").status, 404u);
  EXPECT_EQ(mallory.Get(Base() + "/awareness").status, 404u);
  // Their own organization does not find our person either.
  EXPECT_EQ(mallory.Get("/api/v1/orgs/" + other_org_ + "/people/" + Id(ada)).status, 404u);
  EXPECT_EQ(server_->Client().Get(People()).status, 401u);
}

TEST_P(PeopleApi, GapAnalysisFollowsJobRolesIsmsRolesAndEvidence) {
  auto alice = server_->SignedIn("alice@example.com");
  auto maria_id = IdOf("maria@example.com");
  auto role = Create(alice, Base() + "/roles",
                     {{"name", "Incident handler"}, {"assignee_ids", {maria_id}}});
  auto coding = Create(alice, Competences(),
                       {{"name", "Secure coding"},
                        {"job_roles", {"Developer"}},
                        {"evidence_kinds", {"training", "certification"}}});
  EXPECT_EQ(coding.at("ref"), "CMP-0001");
  auto incidents =
      Create(alice, Competences(), {{"name", "Incident response"}, {"isms_role_ids", {Id(role)}}});
  EXPECT_EQ(incidents.at("evidence_kinds").as_array().size(), 4u);
  auto unknown_role = alice.Post(
      Competences(),
      Json({{"name", "X"}, {"isms_role_ids", {"00000000-0000-4000-8000-00000000000f"}}}));
  EXPECT_EQ(unknown_role.status, 422u);
  EXPECT_THAT(ErrorFields(unknown_role), ElementsAre("isms_role_ids[0]"));
  EXPECT_EQ(alice.Post(Competences(), Json({{"name", "Secure coding"}})).status, 409u);
  EXPECT_EQ(
      alice.Post(Competences(), Json({{"name", "Y"}, {"evidence_kinds", boost::json::array{}}}))
          .status,
      422u);

  auto person = Create(alice, People(),
                       {{"name", "Maria"},
                        {"email", "maria@example.com"},
                        {"job_role", "  developer "},
                        {"department", "Engineering"},
                        {"user_id", maria_id}});
  const std::string url = People() + "/" + Id(person);
  auto detail = alice.Get(url).Json();
  EXPECT_THAT(States(detail), ElementsAre("CMP-0002:missing", "CMP-0001:missing"));
  EXPECT_EQ(detail.at("isms_role_ids").at(0), role.at("id"));
  EXPECT_EQ(detail.at("competences").at(0).at("required_by").at(0), "ROLE-0001");
  EXPECT_EQ(detail.at("competences").at(1).at("required_by").at(0), "job_role");

  const std::string evidence = url + "/competence-evidence";
  auto not_accepted = alice.Post(evidence, Json({{"competence_id", Id(coding)},
                                                 {"kind", "experience"},
                                                 {"title", "Years of Java"},
                                                 {"obtained_on", "2025-01-01"}}));
  EXPECT_EQ(not_accepted.status, 422u);
  EXPECT_THAT(ErrorFields(not_accepted), ElementsAre("kind"));
  auto future = alice.Post(evidence, Json({{"competence_id", Id(coding)},
                                           {"kind", "training"},
                                           {"title", "OWASP"},
                                           {"obtained_on", "2027-01-01"},
                                           {"expires_on", "2026-01-01"}}));
  EXPECT_EQ(future.status, 422u);
  EXPECT_THAT(ErrorFields(future), ::testing::UnorderedElementsAre("obtained_on", "expires_on"));
  auto unknown = alice.Post(evidence, Json({{"competence_id", "nope"},
                                            {"kind", "training"},
                                            {"title", "OWASP"},
                                            {"obtained_on", "2025-01-01"},
                                            {"evidence_id", "nope"}}));
  EXPECT_EQ(unknown.status, 422u);

  auto expired = Create(alice, evidence,
                        {{"competence_id", Id(coding)},
                         {"kind", "certification"},
                         {"title", "CSSLP"},
                         {"obtained_on", "2023-01-01"},
                         {"expires_on", "2026-01-01"}});
  EXPECT_EQ(expired.at("recorded_by"), "alice@example.com");
  Create(alice, evidence,
         {{"competence_id", Id(incidents)},
          {"kind", "experience"},
          {"title", "Two years in the SOC"},
          {"obtained_on", "2025-06-01"}});
  detail = alice.Get(url).Json();
  EXPECT_THAT(States(detail), ElementsAre("CMP-0002:met", "CMP-0001:expired"));
  EXPECT_EQ(detail.at("competences_met"), 1);

  auto gaps = alice.Get(Base() + "/competence-gaps").Json().at("items");
  ASSERT_EQ(gaps.as_array().size(), 1u);
  EXPECT_EQ(gaps.at(0).at("ref"), "PER-0001");
  EXPECT_EQ(gaps.at(0).at("gaps").at(0).at("state"), "expired");
  EXPECT_EQ(
      alice.Get(Base() + "/competence-gaps?department=Sales").Json().at("items").as_array().size(),
      0u);

  // Evidence is retained documented information (7.2 d): the competence and the person stay.
  auto in_use = alice.Delete(Competences() + "/" + Id(coding), {{"If-Match", "\"1\""}});
  EXPECT_EQ(in_use.status, 409u);
  EXPECT_THAT(in_use.body, HasSubstr("7.2 d"));
  EXPECT_EQ(alice.Delete(url, {{"If-Match", "\"1\""}}).status, 409u);

  const std::string expired_url = evidence + "/" + Id(expired);
  EXPECT_EQ(alice.Delete(expired_url).status, 428u);
  EXPECT_EQ(alice.Delete(expired_url, {{"If-Match", "\"2\""}}).status, 412u);
  EXPECT_EQ(
      server_->SignedIn("victor@example.com").Delete(expired_url, {{"If-Match", "\"1\""}}).status,
      403u);
  EXPECT_EQ(alice.Delete(expired_url, {{"If-Match", "\"1\""}}).status, 204u);
  EXPECT_EQ(alice.Get(evidence).Json().at("items").as_array().size(), 1u);
  EXPECT_THAT(States(alice.Get(url).Json()), ElementsAre("CMP-0002:met", "CMP-0001:missing"));
  // The person's history shows the evidence that came and went.
  EXPECT_EQ(alice.Get(url + "/history").Json().at("items").as_array().size(), 4u);
  EXPECT_EQ(alice.Get(Base() + "/audit-log/verify").Json().at("ok"), true);
}

TEST_P(PeopleApi, AwarenessCountsPolicyAcknowledgmentsPerDepartment) {
  auto alice = server_->SignedIn("alice@example.com");
  auto maria = server_->SignedIn("maria@example.com");
  auto victor = server_->SignedIn("victor@example.com");
  Create(alice, People(),
         {{"name", "Victor"},
          {"email", "victor@example.com"},
          {"department", "Ops"},
          {"user_id", IdOf("victor@example.com")}});
  Create(alice, People(),
         {{"name", "Audrey"},
          {"email", "audrey@example.com"},
          {"department", "Ops"},
          {"user_id", IdOf("audrey@example.com")}});
  Create(alice, People(),
         {{"name", "No account"}, {"email", "n@example.com"}, {"department", "Ops"}});
  Create(alice, People(),
         {{"name", "Carl"},
          {"email", "carl@example.com"},
          {"department", "Sales"},
          {"user_id", IdOf("carl@example.com")}});

  auto before = alice.Get(Base() + "/awareness").Json();
  EXPECT_EQ(before.at("policy_acknowledgments_known"), true);
  EXPECT_EQ(before.at("total").at("policy_readers"), 0);
  EXPECT_EQ(before.at("total").at("policy_acknowledgment_rate"), nullptr);

  auto doc = Create(
      maria, Base() + "/documents",
      {{"type", "policy"}, {"title", "Acceptable use"}, {"distribution", {{"all_members", true}}}});
  const std::string doc_url = Base() + "/documents/" + Id(doc);
  auto version = Create(maria, doc_url + "/versions",
                        {{"content", "Be nice.\n"}, {"change_summary", "first"}});
  ASSERT_EQ(maria.Post(doc_url + "/versions/1/submit", "{}").status, 200u);
  ASSERT_EQ(alice.Post(doc_url + "/versions/1/approve", Json({{"comment", "ok"}})).status, 200u);
  ASSERT_EQ(alice.Post(doc_url + "/versions/1/publish", "{}").status, 200u);
  ASSERT_EQ(victor.Post(doc_url + "/acknowledgments", "").status, 201u);

  auto awareness = alice.Get(Base() + "/awareness").Json();
  const auto& departments = awareness.at("departments").as_array();
  ASSERT_EQ(departments.size(), 2u);
  EXPECT_EQ(departments[0].at("department"), "Ops");
  EXPECT_EQ(departments[0].at("people"), 3);
  EXPECT_EQ(departments[0].at("policy_readers"), 2);
  EXPECT_EQ(departments[0].at("policy_acknowledged"), 1);
  EXPECT_EQ(departments[0].at("policy_acknowledgment_rate"), 0.5);
  EXPECT_EQ(departments[1].at("department"), "Sales");
  EXPECT_EQ(departments[1].at("policy_acknowledgment_rate"), 0.0);
  EXPECT_EQ(awareness.at("total").at("policy_readers"), 3);
  EXPECT_EQ(awareness.at("total").at("training_completion_rate"), nullptr);
  // Every member reads the figures.
  EXPECT_EQ(victor.Get(Base() + "/awareness").status, 200u);
}

INSTANTIATE_TEST_SUITE_P(Engines, PeopleApi, ::testing::ValuesIn(TestEngines()), EngineName);

}  // namespace
}  // namespace certus::testing
