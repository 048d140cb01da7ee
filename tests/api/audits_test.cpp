// HTTP scenarios for internal audit (ISO 27001 9.2): auditors independent of what they audit
// (9.2.2 b) or a manager's recorded waiver, the checklist generated from the scope, findings
// that raise nonconformities (10.2), the report to management (9.2.2 d) and the coverage of
// an audit programme (9.2.2 a).
#include <gmock/gmock.h>

#include "storage/database.hpp"
#include "tests/api/api_fixture.hpp"

namespace certus::testing {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

class AuditsApi : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    for (const char* email : {"tina@example.com", "dora@example.com"}) {
      server_->CreateUser(email);
      server_->AddMember(org_, alice_id_, email, Role::kContributor);
    }
  }

  std::string Base() const { return "/api/v1/orgs/" + org_; }
  std::string Audits() const { return Base() + "/audits"; }
  std::string Programmes() const { return Base() + "/audit-programmes"; }
  static std::string Id(const boost::json::value& object) {
    return std::string(object.at("id").as_string());
  }
  std::string Url(const boost::json::value& audit) const { return Audits() + "/" + Id(audit); }
  static std::vector<std::pair<std::string, std::string>> IfMatch(
      const boost::json::value& object) {
    return {{"If-Match", "\"" + std::to_string(object.at("version").as_int64()) + "\""}};
  }

  std::string IdOf(const std::string& email) {
    auto client = server_->SignedIn(email);
    return std::string(client.Get("/api/v1/auth/me").Json().at("user").at("id").as_string());
  }

  boost::json::value Control(HttpClient& client, const std::string& ref) {
    auto page = client.Get(Base() + "/controls?limit=500").Json();
    for (const auto& item : page.at("items").as_array()) {
      if (item.at("ref_id") == ref.c_str()) return item;
    }
    ADD_FAILURE() << "no control " << ref;
    return nullptr;
  }

  boost::json::value PatchControl(HttpClient& client, const boost::json::value& control,
                                  const boost::json::object& body) {
    auto reply = client.Patch(Base() + "/controls/" + Id(control), Json(body), IfMatch(control));
    EXPECT_EQ(reply.status, 200u) << reply.body;
    return reply.Json();
  }

  boost::json::value Create(HttpClient& client, boost::json::object body = {}) {
    if (!body.contains("title")) body["title"] = "ISMS internal audit 2026";
    auto reply = client.Post(Audits(), Json(body));
    EXPECT_EQ(reply.status, 201u) << reply.body;
    return reply.Json();
  }

  Reply AddAuditor(HttpClient& client, const boost::json::value& audit, const std::string& user,
                   const std::string& role = "member", const char* waiver = nullptr) {
    boost::json::object body{{"user_id", user}, {"role", role}};
    if (waiver) body["waiver"] = boost::json::object{{"justification", waiver}};
    return client.Post(Url(audit) + "/auditors", Json(body));
  }

  static std::vector<std::string> ConflictKeys(const Reply& reply) {
    std::vector<std::string> out;
    auto json = reply.Json();
    for (const auto& c : json.at("conflicts").as_array()) {
      out.push_back(std::string(c.at("type").as_string()) + " " +
                    std::string(c.at("ref").as_string()) + " " +
                    std::string(c.at("reason").as_string()));
    }
    return out;
  }

  boost::json::value Step(HttpClient& client, const boost::json::value& audit, const char* step,
                          unsigned status = 200) {
    auto reply = client.Post(Url(audit) + "/" + step, "");
    EXPECT_EQ(reply.status, status) << reply.body;
    return reply.Json();
  }

  boost::json::value Generate(HttpClient& client, const boost::json::value& audit) {
    auto reply = client.Post(Url(audit) + "/checklist", "");
    EXPECT_EQ(reply.status, 200u) << reply.body;
    return reply.Json();
  }

  static std::vector<std::string> Refs(const boost::json::value& list) {
    std::vector<std::string> refs;
    for (const auto& item : list.at("items").as_array()) {
      refs.emplace_back(item.at("requirement_ref").as_string());
    }
    return refs;
  }

  /// A risk owned by `owner` treated by control `control_id`, with an action owned by
  /// `action_owner`.
  std::pair<boost::json::value, boost::json::value> RiskWithAction(
      HttpClient& client, const std::string& owner, const std::string& control_id,
      const std::string& action_owner) {
    auto risk =
        client.Post(Base() + "/risks",
                    Json({{"title", "Log tampering"},
                          {"owner_id", owner},
                          {"likelihood", 3},
                          {"impact", 3},
                          {"control_ids", boost::json::array{boost::json::value(control_id)}}}));
    EXPECT_EQ(risk.status, 201u) << risk.body;
    auto action = client.Post(Base() + "/treatments", Json({{"risk_id", risk.Json().at("id")},
                                                            {"title", "Ship logs"},
                                                            {"owner_id", action_owner}}));
    EXPECT_EQ(action.status, 201u) << action.body;
    return {risk.Json(), action.Json()};
  }
};

TEST_P(AuditsApi, CreateAnswers201WithRefScopeAndEtag) {
  auto audrey = server_->SignedIn("audrey@example.com");
  auto control = Control(audrey, "A.8.15");
  auto reply =
      audrey.Post(Audits(), Json({{"title", "Logging and audit"},
                                  {"clause_refs", {"9.2", "10"}},
                                  {"control_ids", {control.at("id")}},
                                  {"departments", {"IT", "Operations"}},
                                  {"criteria", "ISO/IEC 27001:2022 and our logging policy"},
                                  {"planned_start", "2026-04-01"},
                                  {"planned_end", "2026-04-03"}}));
  ASSERT_EQ(reply.status, 201u) << reply.body;
  auto audit = reply.Json();
  EXPECT_EQ(audit.at("ref"), "AUD-0001");
  EXPECT_EQ(audit.at("status"), "planned");
  EXPECT_EQ(audit.at("clause_refs"), boost::json::value({"9.2", "10"}));
  EXPECT_EQ(reply.Header("etag"), "\"1\"");
  EXPECT_EQ(reply.Header("location"), Url(audit));
  EXPECT_EQ(audrey.Get(Url(audit)).Json(), audit);
  auto list = audrey.Get(Audits() + "?status=planned&q=logging").Json();
  ASSERT_EQ(list.at("items").as_array().size(), 1u);
  EXPECT_EQ(audrey.Get(Audits() + "?status=closed").Json().at("items").as_array().size(), 0u);
  auto history = audrey.Get(Url(audit) + "/history");
  EXPECT_EQ(history.status, 200u) << history.body;
}

TEST_P(AuditsApi, InvalidScopeIs422AndChangesNothing) {
  auto audrey = server_->SignedIn("audrey@example.com");
  auto reply =
      audrey.Post(Audits(), Json({{"title", "Bad"},
                                  {"clause_refs", {"A.5.1", "11"}},
                                  {"control_ids", {"00000000-0000-0000-0000-000000000000"}},
                                  {"planned_start", "2026-04-03"},
                                  {"planned_end", "2026-04-01"}}));
  ASSERT_EQ(reply.status, 422u) << reply.body;
  EXPECT_THAT(ErrorFields(reply), UnorderedElementsAre("clause_refs[0]", "clause_refs[1]",
                                                       "control_ids[0]", "planned_end"));
  EXPECT_EQ(audrey.Post(Audits(), Json({{"criteria", "x"}})).status, 422u);
  EXPECT_EQ(audrey.Get(Audits()).Json().at("items").as_array().size(), 0u);
}

TEST_P(AuditsApi, PatchNeedsIfMatchAndRefusesStaleVersions) {
  auto audrey = server_->SignedIn("audrey@example.com");
  auto audit = Create(audrey);
  EXPECT_EQ(audrey.Patch(Url(audit), Json({{"title", "New"}})).status, 428u);
  auto ok = audrey.Patch(Url(audit), Json({{"title", "New"}}), IfMatch(audit));
  ASSERT_EQ(ok.status, 200u) << ok.body;
  EXPECT_EQ(ok.Json().at("version"), 2);
  EXPECT_EQ(audrey.Patch(Url(audit), Json({{"title", "Newer"}}), IfMatch(audit)).status, 412u);
  auto bad = audrey.Patch(Url(audit), Json({{"clause_refs", {"4.9"}}}), IfMatch(ok.Json()));
  EXPECT_EQ(bad.status, 422u);
  EXPECT_THAT(ErrorFields(bad), ElementsAre("clause_refs[0]"));
}

TEST_P(AuditsApi, AuditorsWriteAuditsButContributorsAndViewersDoNot) {
  auto carl = server_->SignedIn("carl@example.com");
  auto victor = server_->SignedIn("victor@example.com");
  auto audrey = server_->SignedIn("audrey@example.com");
  EXPECT_EQ(carl.Post(Audits(), Json({{"title", "Mine"}})).status, 403u);
  EXPECT_EQ(victor.Post(Audits(), Json({{"title", "Mine"}})).status, 403u);
  auto audit = Create(audrey);
  Step(audrey, audit, "start");
  auto finding = Json({{"type", "observation"}, {"statement", "Logs kept only 7 days."}});
  EXPECT_EQ(victor.Post(Url(audit) + "/findings", finding).status, 403u);
  EXPECT_EQ(carl.Post(Url(audit) + "/findings", finding).status, 403u);
  EXPECT_EQ(audrey.Post(Url(audit) + "/findings", finding).status, 201u);
  EXPECT_EQ(victor.Get(Url(audit) + "/findings").Json().at("items").as_array().size(), 1u);
  // Programmes are planned by managers.
  auto programme =
      Json({{"name", "2026-2028"}, {"cycle_start", "2026-01-01"}, {"cycle_end", "2028-12-31"}});
  EXPECT_EQ(audrey.Post(Programmes(), programme).status, 403u);
  EXPECT_EQ(carl.Post(Programmes(), programme).status, 403u);
}

TEST_P(AuditsApi, OwnersOfControlsRisksAndTreatmentsInScopeAreNotIndependent) {
  auto alice = server_->SignedIn("alice@example.com");
  auto control = Control(alice, "A.8.15");
  PatchControl(alice, control, {{"owner_id", IdOf("carl@example.com")}});
  RiskWithAction(alice, IdOf("victor@example.com"), Id(control), IdOf("tina@example.com"));
  auto audit = Create(alice, {{"control_ids", {control.at("id")}}});

  auto carl = AddAuditor(alice, audit, IdOf("carl@example.com"), "lead");
  ASSERT_EQ(carl.status, 409u) << carl.body;
  EXPECT_THAT(carl.Json().at("detail").as_string().c_str(), HasSubstr("9.2.2 b"));
  EXPECT_THAT(ConflictKeys(carl), ElementsAre("control A.8.15 owns the control"));
  EXPECT_EQ(carl.Json().at("conflicts").at(0).at("id"), control.at("id"));

  auto victor = AddAuditor(alice, audit, IdOf("victor@example.com"));
  ASSERT_EQ(victor.status, 409u) << victor.body;
  EXPECT_THAT(ConflictKeys(victor), ElementsAre("risk R-0001 owns the risk"));

  auto tina = AddAuditor(alice, audit, IdOf("tina@example.com"));
  ASSERT_EQ(tina.status, 409u) << tina.body;
  EXPECT_THAT(ConflictKeys(tina), ElementsAre("treatment T-0001 owns the treatment action"));

  // Someone with no part in it is independent.
  auto audrey = AddAuditor(alice, audit, IdOf("audrey@example.com"), "lead");
  ASSERT_EQ(audrey.status, 201u) << audrey.body;
  EXPECT_EQ(audrey.Json().at("role"), "lead");
  EXPECT_EQ(audrey.Json().at("waiver"), nullptr);
  auto auditors = alice.Get(Url(audit) + "/auditors").Json().at("items").as_array();
  ASSERT_EQ(auditors.size(), 1u);
  EXPECT_EQ(auditors[0].at("email"), "audrey@example.com");
}

TEST_P(AuditsApi, RiskClausesBringEveryRiskIntoScope) {
  auto alice = server_->SignedIn("alice@example.com");
  auto control = Control(alice, "A.5.1");
  RiskWithAction(alice, IdOf("victor@example.com"), Id(control), IdOf("tina@example.com"));
  auto audit = Create(alice, {{"clause_refs", {"9.2"}}});
  EXPECT_EQ(AddAuditor(alice, audit, IdOf("victor@example.com")).status, 201u);
  auto risky = Create(alice, {{"clause_refs", {"6.1.2"}}});
  auto victor = AddAuditor(alice, risky, IdOf("victor@example.com"));
  ASSERT_EQ(victor.status, 409u);
  EXPECT_THAT(ConflictKeys(victor), ElementsAre("risk R-0001 owns the risk"));
  auto parent = Create(alice, {{"clause_refs", {"6"}}});
  auto tina = AddAuditor(alice, parent, IdOf("tina@example.com"));
  ASSERT_EQ(tina.status, 409u);
  EXPECT_THAT(ConflictKeys(tina), ElementsAre("treatment T-0001 owns the treatment action"));
}

TEST_P(AuditsApi, OwnersWritersAndApproversOfDocumentsInScopeAreNotIndependent) {
  auto alice = server_->SignedIn("alice@example.com");
  auto maria = server_->SignedIn("maria@example.com");
  auto created = alice.Post(Base() + "/documents", Json({{"type", "policy"},
                                                         {"title", "Logging policy"},
                                                         {"owner_id", IdOf("dora@example.com")}}));
  ASSERT_EQ(created.status, 201u) << created.body;
  auto doc = created.Json();
  const auto doc_url = Base() + "/documents/" + Id(doc);
  ASSERT_EQ(maria
                .Post(doc_url + "/versions",
                      Json({{"content", "# Logging"}, {"change_summary", "first"}}))
                .status,
            201u);
  ASSERT_EQ(maria.Post(doc_url + "/versions/1/submit", "{}").status, 200u);
  auto approved = alice.Post(doc_url + "/versions/1/approve", Json({{"comment", "fine"}}));
  ASSERT_EQ(approved.status, 200u) << approved.body;

  auto audit = Create(alice, {{"document_ids", {doc.at("id")}}});
  const std::string ref(doc.at("ref").as_string());
  auto dora = AddAuditor(alice, audit, IdOf("dora@example.com"));
  ASSERT_EQ(dora.status, 409u) << dora.body;
  EXPECT_THAT(ConflictKeys(dora), ElementsAre("document " + ref + " owns the document"));
  auto writer = AddAuditor(alice, audit, IdOf("maria@example.com"));
  ASSERT_EQ(writer.status, 409u);
  EXPECT_THAT(ConflictKeys(writer),
              ElementsAre("document " + ref + " wrote a version of the document"));
  auto approver = AddAuditor(alice, audit, alice_id_);
  ASSERT_EQ(approver.status, 409u);
  EXPECT_THAT(ConflictKeys(approver),
              ElementsAre("document " + ref + " approved a version of the document"));
  EXPECT_EQ(alice.Get(Url(audit) + "/auditors").Json().at("items").as_array().size(), 0u);
}

TEST_P(AuditsApi, ManagersMayRecordAJustifiedWaiverThatStaysVisible) {
  auto maria = server_->SignedIn("maria@example.com");
  auto audrey = server_->SignedIn("audrey@example.com");
  auto control = Control(maria, "A.8.15");
  PatchControl(maria, control, {{"owner_id", IdOf("carl@example.com")}});
  auto audit = Create(maria, {{"control_ids", {control.at("id")}}});
  const auto carl = IdOf("carl@example.com");
  auto short_reason = AddAuditor(maria, audit, carl, "member", "small team");
  EXPECT_EQ(short_reason.status, 422u);
  EXPECT_THAT(ErrorFields(short_reason), ElementsAre("waiver.justification"));
  EXPECT_EQ(AddAuditor(audrey, audit, carl, "member",
                       "Only person who knows the SIEM; reviewed by the lead auditor.")
                .status,
            403u);
  auto waived = AddAuditor(maria, audit, carl, "member",
                           "Only person who knows the SIEM; reviewed by the lead auditor.");
  ASSERT_EQ(waived.status, 201u) << waived.body;
  auto waiver = waived.Json().at("waiver");
  EXPECT_EQ(waiver.at("by"), boost::json::value(IdOf("maria@example.com")));
  EXPECT_EQ(waiver.at("conflicts").at(0).at("ref"), "A.8.15");
  auto shown = maria.Get(Url(audit)).Json().at("auditors").at(0);
  EXPECT_EQ(shown.at("waiver").at("justification"),
            "Only person who knows the SIEM; reviewed by the lead auditor.");
  // Removing takes If-Match.
  EXPECT_EQ(maria.Delete(Url(audit) + "/auditors/" + carl).status, 428u);
  EXPECT_EQ(maria.Delete(Url(audit) + "/auditors/" + carl, {{"If-Match", "\"9\""}}).status, 412u);
  EXPECT_EQ(maria.Delete(Url(audit) + "/auditors/" + carl, {{"If-Match", "\"1\""}}).status, 204u);
}

TEST_P(AuditsApi, ScopeChangesAreRecheckedAgainstTheAuditors) {
  auto alice = server_->SignedIn("alice@example.com");
  auto control = Control(alice, "A.8.15");
  PatchControl(alice, control, {{"owner_id", IdOf("carl@example.com")}});
  auto audit = Create(alice, {{"clause_refs", {"9.2"}}});
  ASSERT_EQ(AddAuditor(alice, audit, IdOf("carl@example.com")).status, 201u);
  audit = alice.Get(Url(audit)).Json();
  auto refused =
      alice.Patch(Url(audit), Json({{"control_ids", {control.at("id")}}}), IfMatch(audit));
  ASSERT_EQ(refused.status, 409u) << refused.body;
  EXPECT_THAT(refused.Json().at("detail").as_string().c_str(), HasSubstr("9.2.2 b"));
  EXPECT_EQ(refused.Json().at("conflicts").at(0).at("ref"), "A.8.15");
  EXPECT_EQ(refused.Json().at("conflicts").at(0).at("email"), "carl@example.com");
  EXPECT_EQ(alice.Get(Url(audit)).Json().at("control_ids").as_array().size(), 0u);
}

TEST_P(AuditsApi, ChecklistIsGeneratedFromTheScopeOnce) {
  auto audrey = server_->SignedIn("audrey@example.com");
  auto control = Control(audrey, "A.8.15");
  auto audit = Create(audrey, {{"clause_refs", {"9.2"}}, {"control_ids", {control.at("id")}}});
  auto list = Generate(audrey, audit);
  EXPECT_THAT(Refs(list), ElementsAre("9.2", "9.2.1", "9.2.2", "A.8.15"));
  auto item = list.at("items").at(3);
  EXPECT_EQ(item.at("kind"), "control");
  EXPECT_THAT(item.at("question").as_string().c_str(), HasSubstr("Is there evidence that"));
  EXPECT_EQ(item.at("result"), nullptr);
  EXPECT_THAT(Refs(Generate(audrey, audit)), ElementsAre("9.2", "9.2.1", "9.2.2", "A.8.15"));
  audit = audrey.Get(Url(audit)).Json();
  ASSERT_EQ(audrey.Patch(Url(audit), Json({{"clause_refs", {"9.2", "10"}}}), IfMatch(audit)).status,
            200u);
  EXPECT_THAT(Refs(Generate(audrey, audit)),
              ElementsAre("9.2", "9.2.1", "9.2.2", "A.8.15", "10.1", "10.2"));

  const auto item_url = Url(audit) + "/checklist/" + Id(item);
  EXPECT_EQ(audrey.Patch(item_url, Json({{"result", "conforming"}})).status, 428u);
  auto bad =
      audrey.Patch(item_url, Json({{"result", "fine"}, {"evidence_links", {"not-an-evidence-id"}}}),
                   IfMatch(item));
  EXPECT_EQ(bad.status, 422u);
  EXPECT_THAT(ErrorFields(bad), UnorderedElementsAre("result"));
  auto unknown =
      audrey.Patch(item_url, Json({{"evidence_links", {"not-an-evidence-id"}}}), IfMatch(item));
  EXPECT_EQ(unknown.status, 422u);
  EXPECT_THAT(ErrorFields(unknown), ElementsAre("evidence_links[0]"));
  auto ok = audrey.Patch(item_url,
                         Json({{"result", "nonconforming"},
                               {"notes", "No log review since January."},
                               {"evidence_links", {"https://siem.example.com/report/7"}}}),
                         IfMatch(item));
  ASSERT_EQ(ok.status, 200u) << ok.body;
  EXPECT_EQ(ok.Json().at("result"), "nonconforming");
  EXPECT_EQ(ok.Json().at("version"), 2);
  EXPECT_EQ(audrey.Patch(item_url, Json({{"notes", "x"}}), IfMatch(item)).status, 412u);
  EXPECT_EQ(audrey.Get(Url(audit) + "/checklist").Json().at("items").at(3).at("result"),
            "nonconforming");
}

TEST_P(AuditsApi, NonconformityFindingsRaiseLinkedNonconformities) {
  auto audrey = server_->SignedIn("audrey@example.com");
  auto audit = Create(audrey, {{"clause_refs", {"9.2"}}});
  auto early = audrey.Post(Url(audit) + "/findings",
                           Json({{"type", "observation"}, {"statement", "Too early"}}));
  EXPECT_EQ(early.status, 409u);
  EXPECT_THAT(early.Json().at("detail").as_string().c_str(), HasSubstr("in progress"));
  Step(audrey, audit, "start");
  auto reply = audrey.Post(Url(audit) + "/findings",
                           Json({{"type", "minor_nonconformity"},
                                 {"requirement_ref", "A.8.15"},
                                 {"statement", "Security logs are not reviewed."},
                                 {"evidence", "SIEM shows no review since January."}}));
  ASSERT_EQ(reply.status, 201u) << reply.body;
  auto finding = reply.Json();
  EXPECT_EQ(finding.at("ref"), "AUD-0001-F01");
  EXPECT_EQ(finding.at("nonconformity_ref"), "NC-0001");
  auto nc = audrey
                .Get(Base() + "/nonconformities/" +
                     std::string(finding.at("nonconformity_id").as_string()))
                .Json();
  EXPECT_EQ(nc.at("source"), "internal_audit");
  EXPECT_EQ(nc.at("source_ref"), "AUD-0001-F01");
  EXPECT_EQ(nc.at("severity"), "minor");
  EXPECT_EQ(nc.at("requirement_ref"), "A.8.15");

  auto major = audrey.Post(Url(audit) + "/findings",
                           Json({{"type", "major_nonconformity"}, {"statement", "No audits."}}));
  ASSERT_EQ(major.status, 201u);
  EXPECT_EQ(major.Json().at("ref"), "AUD-0001-F02");
  auto ofi =
      audrey.Post(Url(audit) + "/findings",
                  Json({{"type", "opportunity_for_improvement"}, {"statement", "Automate"}}));
  ASSERT_EQ(ofi.status, 201u);
  EXPECT_EQ(ofi.Json().at("nonconformity_id"), nullptr);
  auto invalid =
      audrey.Post(Url(audit) + "/findings", Json({{"type", "bad"}, {"requirement_ref", "Z.1"}}));
  EXPECT_EQ(invalid.status, 422u);
  EXPECT_THAT(ErrorFields(invalid), Contains("type"));
  auto findings = audrey.Get(Url(audit) + "/findings").Json().at("items").as_array();
  ASSERT_EQ(findings.size(), 3u);
  EXPECT_EQ(audrey.Get(Base() + "/nonconformities").Json().at("items").as_array().size(), 2u);
  EXPECT_EQ(audrey.Get(Url(audit)).Json().at("findings_count"), 3);
}

TEST_P(AuditsApi, ReportingNeedsAReportAndEveryChecklistResult) {
  auto audrey = server_->SignedIn("audrey@example.com");
  auto audit = Create(audrey, {{"clause_refs", {"10"}}});
  Step(audrey, audit, "report", 409u);  // planned
  Step(audrey, audit, "close", 409u);
  Step(audrey, audit, "start");
  auto refused = audrey.Post(Url(audit) + "/report", "");
  ASSERT_EQ(refused.status, 409u);
  const std::string detail(refused.Json().at("detail").as_string());
  EXPECT_THAT(detail, HasSubstr("9.2.2 d"));
  EXPECT_THAT(detail, HasSubstr("summary"));
  EXPECT_THAT(detail, HasSubstr("checklist"));

  auto items = Generate(audrey, audit).at("items").as_array();
  auto put = audrey.Send("PUT", Url(audit) + "/report",
                         Json({{"summary", "Improvement process works."},
                               {"conclusion", "Conforms with one observation."},
                               {"distribution", {alice_id_}}}),
                         {});
  ASSERT_EQ(put.status, 200u) << put.body;
  EXPECT_EQ(put.Json().at("report").at("distribution").at(0), boost::json::value(alice_id_));
  auto bad =
      audrey.Send("PUT", Url(audit) + "/report", Json({{"distribution", {mallory_id_}}}), {});
  EXPECT_EQ(bad.status, 422u);
  EXPECT_THAT(ErrorFields(bad), ElementsAre("distribution[0]"));

  auto first = items.at(0);
  ASSERT_EQ(audrey
                .Patch(Url(audit) + "/checklist/" + Id(first), Json({{"result", "conforming"}}),
                       IfMatch(first))
                .status,
            200u);
  auto missing = audrey.Post(Url(audit) + "/report", "");
  ASSERT_EQ(missing.status, 409u);
  EXPECT_THAT(missing.Json().at("detail").as_string().c_str(), HasSubstr("10.2"));
  auto second = items.at(1);
  ASSERT_EQ(audrey
                .Patch(Url(audit) + "/checklist/" + Id(second), Json({{"result", "observation"}}),
                       IfMatch(second))
                .status,
            200u);
  auto reported = Step(audrey, audit, "report");
  EXPECT_EQ(reported.at("status"), "reported");
  EXPECT_NE(reported.at("reported_on"), nullptr);
  EXPECT_EQ(
      audrey.Post(Url(audit) + "/findings", Json({{"type", "observation"}, {"statement", "Late"}}))
          .status,
      409u);
  EXPECT_EQ(audrey.Patch(Url(audit), Json({{"title", "x"}}), IfMatch(reported)).status, 409u);

  auto pdf = audrey.Get(Url(audit) + "/report.pdf");
  ASSERT_EQ(pdf.status, 200u) << pdf.body;
  EXPECT_EQ(pdf.Header("content-type"), "application/pdf");
  EXPECT_EQ(pdf.body.substr(0, 5), "%PDF-");

  EXPECT_EQ(Step(audrey, audit, "close").at("status"), "closed");

  // For the management review (9.3.2 d).
  auto results = storage::InReadTransaction(server_->db(), [&](storage::Transaction& tx) {
    return server_->app().audits().ResultsBetween(tx, OrgId(org_), "2000-01-01", "2100-01-01");
  });
  ASSERT_TRUE(results) << results.error().message();
  ASSERT_EQ(results->size(), 1u);
  EXPECT_EQ(results->at(0).ref, "AUD-0001");
  EXPECT_EQ(results->at(0).conclusion, "Conforms with one observation.");
  EXPECT_EQ(results->at(0).findings_by_type.at("observation"), 0);
}

TEST_P(AuditsApi, ProgrammeCoverageShowsAuditedPlannedAndUnaudited) {
  auto maria = server_->SignedIn("maria@example.com");
  auto audrey = server_->SignedIn("audrey@example.com");
  auto bad =
      maria.Post(Programmes(),
                 Json({{"name", "x"}, {"cycle_start", "2026-01-01"}, {"cycle_end", "2025-01-01"}}));
  EXPECT_EQ(bad.status, 422u);
  EXPECT_THAT(ErrorFields(bad), ElementsAre("cycle_end"));
  auto created = maria.Post(Programmes(), Json({{"name", "Cycle 2026-2028"},
                                                {"cycle_start", "2026-01-01"},
                                                {"cycle_end", "2028-12-31"},
                                                {"objectives", "Every clause and control once"}}));
  ASSERT_EQ(created.status, 201u) << created.body;
  auto programme = created.Json();
  EXPECT_EQ(programme.at("ref"), "PRG-01");
  const std::string programme_id = Id(programme);
  auto control = Control(maria, "A.8.15");
  PatchControl(maria, control,
               {{"applicable", true}, {"justification", "We keep logs of our systems."}});

  auto done = Create(audrey, {{"clause_refs", {"9.2"}}, {"programme_id", programme_id}});
  Step(audrey, done, "start");
  auto items = Generate(audrey, done).at("items").as_array();
  for (const auto& item : items) {
    ASSERT_EQ(audrey
                  .Patch(Url(done) + "/checklist/" + Id(item), Json({{"result", "conforming"}}),
                         IfMatch(item))
                  .status,
              200u);
  }
  ASSERT_EQ(
      audrey
          .Send("PUT", Url(done) + "/report",
                Json({{"summary", "s"}, {"conclusion", "c"}, {"distribution", {alice_id_}}}), {})
          .status,
      200u);
  Step(audrey, done, "report");
  Create(audrey, {{"clause_refs", {"10"}},
                  {"control_ids", {control.at("id")}},
                  {"programme_id", programme_id}});
  Create(audrey, {{"clause_refs", {"4"}}});  // not in the programme

  auto reply = audrey.Get(Programmes() + "/" + programme_id + "/coverage");
  ASSERT_EQ(reply.status, 200u) << reply.body;
  auto coverage = reply.Json();
  std::map<std::string, std::string> status;
  for (const auto& row : coverage.at("rows").as_array()) {
    status[std::string(row.at("ref").as_string())] = std::string(row.at("status").as_string());
  }
  EXPECT_EQ(status["9.2.2"], "audited");
  EXPECT_EQ(status["9.2"], "audited");
  EXPECT_EQ(status["10.1"], "planned");
  EXPECT_EQ(status["A.8.15"], "planned");
  EXPECT_EQ(status["4.1"], "unaudited");
  EXPECT_FALSE(status.contains("A.5.1"));  // applicability not decided
  EXPECT_EQ(coverage.at("totals").at("audited"), 3);
  EXPECT_EQ(coverage.at("totals").at("planned"), 3);
  EXPECT_EQ(
      audrey.Get(Audits() + "?programme_id=" + programme_id).Json().at("items").as_array().size(),
      2u);
  EXPECT_EQ(maria.Patch(Programmes() + "/" + programme_id, Json({{"name", "Cycle"}})).status, 428u);
  EXPECT_EQ(
      maria.Patch(Programmes() + "/" + programme_id, Json({{"name", "Cycle"}}), IfMatch(programme))
          .status,
      200u);
}

TEST_P(AuditsApi, WaivedConflictsStayWaivedWhenTheScopeChanges) {
  auto maria = server_->SignedIn("maria@example.com");
  auto control = Control(maria, "A.8.15");
  PatchControl(maria, control, {{"owner_id", IdOf("carl@example.com")}});
  auto audit = Create(maria, {{"control_ids", {control.at("id")}}});
  ASSERT_EQ(AddAuditor(maria, audit, IdOf("carl@example.com"), "lead",
                       "Only person who knows the SIEM; reviewed by the lead auditor.")
                .status,
            201u);
  // A second lead is refused.
  EXPECT_EQ(AddAuditor(maria, audit, IdOf("audrey@example.com"), "lead").status, 409u);
  audit = maria.Get(Url(audit)).Json();
  auto widened = maria.Patch(Url(audit), Json({{"clause_refs", {"9.2"}}}), IfMatch(audit));
  ASSERT_EQ(widened.status, 200u) << widened.body;
  // Workflow steps take an optional If-Match and refuse a stale one.
  EXPECT_EQ(maria.Post(Url(audit) + "/start", "", IfMatch(audit)).status, 412u);
  EXPECT_EQ(maria.Post(Url(audit) + "/start", "", IfMatch(widened.Json())).status, 200u);
}

INSTANTIATE_TEST_SUITE_P(Engines, AuditsApi, ::testing::ValuesIn(TestEngines()), EngineName);

}  // namespace
}  // namespace certus::testing
