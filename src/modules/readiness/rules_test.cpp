#include <functional>
#include <set>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "modules/readiness/json.hpp"
#include "modules/readiness/rule.hpp"
#include "modules/readiness/service.hpp"
#include "modules/readiness/store.hpp"

namespace certus::readiness {
namespace {

constexpr const char* kOld = "2026-01-01T09:00:00.000000Z";

Record R(std::string id, std::string_view json, const std::string& created_at = kOld,
         std::vector<SubEvent> events = {}) {
  Record r;
  r.id = std::move(id);
  r.json = boost::json::parse(json).as_object();
  r.json["id"] = r.id;
  r.created_at = created_at;
  r.updated_at = created_at;
  r.events = std::move(events);
  return r;
}

SubEvent E(std::string action, std::string_view after, std::string at = kOld) {
  return {std::move(action), boost::json::parse(after).as_object(), std::move(at)};
}

/// An ISMS in which every rule passes, as of 2026-06-30.
Snapshot Healthy() {
  Snapshot s;
  s.as_of = Date(std::chrono::year(2026), std::chrono::month(6), std::chrono::day(30));
  s.until = "2026-07-01T00:00:00.000000Z";
  auto& r = s.records;
  r["context_issue"] = {R("ci1", R"({"ref":"CTX-0001","reviewed_on":"2026-03-01"})")};
  r["interested_party"] = {R("ip1", R"({"ref":"IP-0001","requirements":[{"text":"x"}]})")};
  const std::string publish = R"({"number":1,"status":"published","approval":{"by_id":"u9"}})";
  r["document"] = {
      R("d1", R"({"ref":"SCO-0001","type":"scope","owner_id":"u1","review_interval_months":12})",
        kOld, {E("publish", publish, "2026-02-01T09:00:00.000000Z")}),
      R("d2",
        R"({"ref":"POL-0001","type":"policy","is_security_policy":true,"owner_id":"u1",
            "review_interval_months":12})",
        kOld,
        {E("publish", publish, "2026-02-01T09:00:00.000000Z"),
         E("acknowledge", R"({"version_number":1,"user_id":"u1"})"),
         E("acknowledge", R"({"version_number":1,"user_id":"u2"})")})};
  r["management_review"] = {R("mr1",
                              R"({"ref":"MR-0001","status":"closed","held_on":"2026-04-01",
          "input_notes":{"a":"x","b":"x","c":"x","d":"x","e":"x","f":"x","g":"x"}})")};
  r["management_review_decision"] = {R("dec1", R"({"review_id":"mr1"})")};
  r["leadership_record"] = {
      R("lr1", R"({"ref":"LR-0001","kind":"resource_decision","date":"2026-03-01"})")};
  r["person"] = {
      R("pe1", R"({"ref":"PER-0001","in_scope":true,"status":"active","user_id":"u1"})", kOld,
        {E("add_competence_evidence", R"({"competence_id":"comp1","expires_on":null})")}),
      R("pe2", R"({"ref":"PER-0002","in_scope":true,"status":"active","user_id":"u2"})")};
  r["isms_role"] = {R("role1", R"({"ref":"ROLE-0001","assignee_ids":["u1"]})")};
  r["competence"] = {R("comp1", R"({"ref":"COMP-0001","isms_role_ids":["role1"]})")};
  r["training"] = {
      R("t1", R"({"ref":"TRN-0001"})", kOld,
        {E("complete", R"({"person_id":"pe1"})"), E("complete", R"({"person_id":"pe2"})")})};
  r["communication_plan_item"] = {R("cp1", R"({"ref":"COM-0001"})")};
  r["risk_methodology"] = {R(
      "m1", R"({"status":"approved","acceptance_threshold":6,"reassessment_interval_months":12})")};
  r["risk"] = {R("r1",
                 R"({"ref":"R-0001","owner_id":"u1","likelihood":3,"impact":3,"inherent_score":9,
                     "treatment":"mitigate","control_ids":["c1"],"acceptance":null})")};
  r["treatment"] = {R(
      "tr1", R"({"ref":"TRT-0001","risk_id":"r1","status":"in_progress","due_on":"2026-12-01"})")};
  r["risk_assessment"] = {R("ra1", R"({"ref":"RA-0001"})", "2026-03-01T09:00:00.000000Z")};
  r["control"] = {R("c1", R"({"ref_id":"A.5.1","applicable":true,"justification":"R-0001",
                              "owner_id":"u1"})")};
  r["soa_version"] = {R("v1", R"({"number":1})", "2026-02-01T09:00:00.000000Z")};
  r["objective"] = {R("o1", R"({"ref":"OBJ-0001","owner_id":"u1","metric_id":"me1",
                                "target":null,"state":"active"})")};
  r["metric"] = {R("me1", R"({"ref":"MET-0001","status":"active","frequency":"monthly"})", kOld,
                   {E("record_measurement", R"({"measured_on":"2026-06-15"})")})};
  r["audit"] = {R("a1", R"({"ref":"AUD-0001","status":"reported","reported_on":"2026-05-01",
                            "clause_refs":["4","5","6.1","7","8","9.2","10"],
                            "planned_start":"2026-04-01","planned_end":"2026-04-10"})")};
  r["audit_programme"] = {R("ap1", R"({"ref":"AP-0001"})")};
  r["audit_auditor"] = {R("aa1", R"({"audit_id":"a1","conflicts":[],"waiver":null})")};
  r["nonconformity"] = {R("nc1", R"({"ref":"NC-0001","reported_on":"2026-05-02","correction":"x",
                                     "root_cause":"y","status":"open"})")};
  r["corrective_action"] = {R("ca1", R"({"ref":"CA-0001","nonconformity_id":"nc1",
                                         "status":"in_progress","due_on":"2026-08-01"})")};
  return s;
}

boost::json::object& Json(Snapshot& s, const std::string& type, std::size_t i = 0) {
  return s.records[type].at(i).json;
}

Check RunRule(const std::string& id, const Snapshot& s, const Settings& settings = {}) {
  const Rule* rule = FindRule(id);
  EXPECT_NE(rule, nullptr) << id;
  return rule ? rule->Evaluate(s, settings) : Check{};
}

TEST(ReadinessRules, EveryRulePassesOnAHealthyIsms) {
  const Snapshot s = Healthy();
  for (const auto& rule : AllRules()) {
    const Check check = rule->Evaluate(s, {});
    EXPECT_EQ(check.status, Status::kPass) << rule->id() << ": " << check.message;
    EXPECT_EQ(check.id, rule->id());
    EXPECT_EQ(check.requirement_ref, rule->requirement_ref());
    EXPECT_TRUE(check.remedy.empty());
  }
  const Report report = ReadinessService::Assemble(s, {});
  EXPECT_EQ(report.verdict, "ready_for_stage_2");
  EXPECT_EQ(report.score, 100);
}

TEST(ReadinessRules, RuleIdsAreUniqueAndCiteCatalogRequirements) {
  std::set<std::string> ids;
  const Report report = ReadinessService::Assemble(Healthy(), {});
  std::set<std::string> refs;
  for (const auto& c : report.clauses) {
    for (const auto& r : c.requirements) refs.insert(r.ref);
  }
  for (const auto& rule : AllRules()) {
    EXPECT_TRUE(ids.insert(std::string(rule->id())).second) << rule->id();
    EXPECT_TRUE(refs.contains(std::string(rule->requirement_ref()))) << rule->id();
  }
  EXPECT_TRUE(refs.contains("6.1"));
  EXPECT_TRUE(refs.contains("10.2"));
}

struct FailCase {
  std::string rule;
  std::function<void(Snapshot&)> breaks;
  Status expected = Status::kFail;
  std::string linked = {};  ///< the id of a record the check must link, if any
};

class ReadinessRuleFails : public ::testing::TestWithParam<FailCase> {};

TEST_P(ReadinessRuleFails, FailsAndLinksWhatIsWanting) {
  const auto& c = GetParam();
  Snapshot s = Healthy();
  c.breaks(s);
  const Check check = RunRule(c.rule, s);
  EXPECT_EQ(check.status, c.expected) << c.rule << ": " << check.message;
  EXPECT_FALSE(check.message.empty());
  EXPECT_FALSE(check.remedy.empty());
  if (!c.linked.empty()) {
    bool found = false;
    for (const auto& l : check.links) found = found || l.id == c.linked;
    EXPECT_TRUE(found) << c.rule << " does not link " << c.linked;
  }
}

const auto kSet = [](const std::string& type, const std::string& key, const boost::json::value& v) {
  return [=](Snapshot& s) { Json(s, type)[key] = v; };
};
const auto kClear = [](const std::string& type) {
  return [=](Snapshot& s) { s.records[type].clear(); };
};

INSTANTIATE_TEST_SUITE_P(
    EveryRule, ReadinessRuleFails,
    ::testing::Values(
        FailCase{"context.issues_reviewed", kSet("context_issue", "reviewed_on", "2025-01-01"),
                 Status::kFail, "ci1"},
        FailCase{"context.issues_reviewed", kClear("context_issue")},
        FailCase{"context.interested_parties",
                 kSet("interested_party", "requirements", boost::json::array()), Status::kFail,
                 "ip1"},
        FailCase{"scope.published", [](Snapshot& s) { s.records["document"][0].events.clear(); },
                 Status::kFail, "d1"},
        FailCase{"leadership.management_review",
                 kSet("management_review", "held_on", "2025-01-01")},
        FailCase{"leadership.resources", kSet("leadership_record", "kind", "commitment")},
        FailCase{"policy.published", [](Snapshot& s) { s.records["document"][1].events.clear(); },
                 Status::kFail, "d2"},
        FailCase{"policy.acknowledged",
                 [](Snapshot& s) { s.records["document"][1].events.pop_back(); }, Status::kFail,
                 "pe2"},
        FailCase{"roles.assigned", kSet("isms_role", "assignee_ids", boost::json::array()),
                 Status::kFail, "role1"},
        FailCase{"roles.risk_owners", kSet("risk", "owner_id", ""), Status::kFail, "r1"},
        FailCase{"roles.control_owners", kSet("control", "owner_id", nullptr), Status::kFail,
                 "c1"},
        FailCase{"risk.methodology_approved", kSet("risk_methodology", "status", "draft")},
        FailCase{"risk.rated", kSet("risk", "likelihood", 0), Status::kFail, "r1"},
        FailCase{"risk.treated_or_accepted", kSet("risk", "treatment", "undecided"),
                 Status::kFail, "r1"},
        FailCase{"risk.treated_or_accepted",
                 [](Snapshot& s) {
                   Json(s, "risk")["treatment"] = "accept";
                   Json(s, "risk")["acceptance"] = boost::json::object{{"expires_on", "2026-01-01"}};
                 },
                 Status::kFail, "r1"},
        FailCase{"risk.mitigation_has_controls",
                 [](Snapshot& s) {
                   Json(s, "risk")["control_ids"] = boost::json::array();
                   s.records["treatment"].clear();
                 },
                 Status::kFail, "r1"},
        FailCase{"soa.controls_decided", kSet("control", "applicable", nullptr), Status::kFail,
                 "c1"},
        FailCase{"soa.relied_controls_applicable", kSet("control", "applicable", false),
                 Status::kFail, "c1"},
        FailCase{"soa.version_current",
                 [](Snapshot& s) { s.records["control"][0].updated_at = "2026-03-01T00:00:00Z"; },
                 Status::kFail, "c1"},
        FailCase{"soa.version_current", kClear("soa_version")},
        FailCase{"objectives.measurable", kSet("objective", "owner_id", ""), Status::kFail, "o1"},
        FailCase{"objectives.measured",
                 [](Snapshot& s) { s.records["metric"][0].events.clear(); }, Status::kFail, "o1"},
        FailCase{"changes.planned",
                 [](Snapshot& s) {
                   s.records["isms_change"] = {
                       R("ch1", R"({"ref":"CHG-0001","status":"implemented","approval":null})")};
                 },
                 Status::kFail, "ch1"},
        FailCase{"people.competence",
                 [](Snapshot& s) { s.records["person"][0].events.clear(); }, Status::kFail, "pe1"},
        FailCase{"people.competence",
                 [](Snapshot& s) {
                   s.records["person"][0].events = {E("add_competence_evidence",
                                                      R"({"competence_id":"comp1",
                                                          "expires_on":"2026-06-01"})")};
                 },
                 Status::kFail, "pe1"},
        FailCase{"people.awareness",
                 [](Snapshot& s) { s.records["training"][0].events.pop_back(); }, Status::kFail,
                 "pe2"},
        FailCase{"communication.planned", kClear("communication_plan_item")},
        FailCase{"documents.controlled", kSet("document", "owner_id", ""), Status::kFail, "d1"},
        FailCase{"documents.controlled",
                 [](Snapshot& s) { Json(s, "document")["review_interval_months"] = 3; },
                 Status::kFail, "d1"},
        FailCase{"operation.nothing_overdue", kSet("treatment", "due_on", "2026-05-01"),
                 Status::kFail, "tr1"},
        FailCase{"operation.nothing_overdue", kSet("corrective_action", "due_on", "2026-05-01"),
                 Status::kFail, "ca1"},
        FailCase{"operation.incidents_handled",
                 [](Snapshot& s) {
                   s.records["incident"] = {R("in1", R"({"ref":"INC-0001","status":"closed",
                                                        "lessons_learned":""})")};
                 },
                 Status::kWarn, "in1"},
        FailCase{"risk.assessment_recent",
                 [](Snapshot& s) {
                   s.records["risk_assessment"][0].created_at = "2025-03-01T00:00:00.000000Z";
                 },
                 Status::kFail, "ra1"},
        FailCase{"risk.assessment_recent",
                 [](Snapshot& s) {
                   s.records["isms_change"] = {R("ch1", R"({"ref":"CHG-0001","status":"reviewed",
                                              "approval":{},"implemented_on":"2026-04-01"})")};
                 },
                 Status::kWarn, "ch1"},
        FailCase{"risk.treatment_progress", kSet("treatment", "status", "planned"),
                 Status::kFail, "tr1"},
        FailCase{"performance.metrics_measured",
                 [](Snapshot& s) { s.records["metric"][0].events.clear(); }, Status::kFail,
                 "me1"},
        FailCase{"audit.recent", kSet("audit", "reported_on", "2025-01-01")},
        FailCase{"audit.programme_coverage",
                 kSet("audit", "clause_refs", boost::json::array{"4", "5"}), Status::kFail,
                 "ap1"},
        FailCase{"audit.independence",
                 [](Snapshot& s) {
                   Json(s, "audit_auditor")["conflicts"] =
                       boost::json::array{boost::json::object{{"reason", "own work"}}};
                 },
                 Status::kFail, "a1"},
        FailCase{"audit.reports_issued", kSet("audit", "status", "in_progress"), Status::kFail,
                 "a1"},
        FailCase{"review.recent", kSet("management_review", "status", "planned"), Status::kFail,
                 "mr1"},
        FailCase{"review.inputs",
                 [](Snapshot& s) { Json(s, "management_review")["input_notes"] = boost::json::object{{"a", "x"}}; },
                 Status::kFail, "mr1"},
        FailCase{"review.decisions", kClear("management_review_decision"), Status::kFail,
                 "mr1"},
        FailCase{"improvement.activity",
                 [](Snapshot& s) {
                   Json(s, "nonconformity")["reported_on"] = "2025-01-01";
                   s.records["corrective_action"][0].created_at = "2025-01-01T00:00:00.000000Z";
                 }},
        FailCase{"improvement.nonconformities_handled", kSet("nonconformity", "root_cause", ""),
                 Status::kFail, "nc1"}));

TEST(ReadinessRules, ThresholdsComeFromTheSettings) {
  Snapshot s = Healthy();
  s.records["document"][1].events.pop_back();  // 1 of 2 people acknowledged
  Settings settings;
  settings.policy_ack_percent = 50;
  EXPECT_EQ(RunRule("policy.acknowledged", s, settings).status, Status::kPass);
  settings.policy_ack_percent = 51;
  EXPECT_EQ(RunRule("policy.acknowledged", s, settings).status, Status::kFail);

  Json(s, "treatment")["due_on"] = "2026-06-20";  // 10 days overdue
  settings.overdue_tolerance_days = 10;
  EXPECT_EQ(RunRule("operation.nothing_overdue", s, settings).status, Status::kPass);
  settings.overdue_tolerance_days = 9;
  EXPECT_EQ(RunRule("operation.nothing_overdue", s, settings).status, Status::kFail);
}

TEST(ReadinessRules, AuditsAndReviewsAreNotEvaluableWithoutRecords) {
  Snapshot s = Healthy();
  s.records["audit"].clear();
  EXPECT_EQ(RunRule("audit.independence", s).status, Status::kNotEvaluable);
  s.records["management_review"].clear();
  EXPECT_EQ(RunRule("review.inputs", s).status, Status::kNotEvaluable);
}

TEST(ReadinessReport, VerdictFollowsTheDocumentationChecks) {
  Snapshot s = Healthy();
  Json(s, "treatment")["due_on"] = "2026-01-01";  // 8.1 fails: not documentation
  Report report = ReadinessService::Assemble(s, {});
  EXPECT_EQ(report.verdict, "ready_for_stage_1");
  EXPECT_LT(report.score, 100);
  for (const auto& clause : report.clauses) {
    if (clause.ref == "8") {
      EXPECT_EQ(clause.status, Status::kFail);
    }
    if (clause.ref == "4") {
      EXPECT_EQ(clause.status, Status::kPass);
    }
  }
  s.records["document"][0].events.clear();  // 4.3 scope unpublished
  report = ReadinessService::Assemble(s, {});
  EXPECT_EQ(report.verdict, "not_ready");
  // A parent takes the worst of its children: 9.2 from 9.2.2.
  Json(s, "audit")["clause_refs"] = boost::json::array{"4"};
  report = ReadinessService::Assemble(s, {});
  for (const auto& clause : report.clauses) {
    for (const auto& r : clause.requirements) {
      if (r.ref == "9.2") {
        EXPECT_EQ(r.status, Status::kFail);
      }
      if (r.ref == "6.1") {
        EXPECT_EQ(r.status, Status::kPass);
      }
      if (r.ref == "4.4") {
        EXPECT_EQ(r.status, Status::kNotEvaluable);
      }
    }
  }
  const auto json = ToJson(report).as_object();
  EXPECT_EQ(json.at("clauses").as_array().size(), 7u);
}

TEST(ReadinessFolder, KeepsTheLatestStateAndTheOtherEventsAndForgetsDeletions) {
  RecordFolder folder;
  folder.Add("a", "create", R"({"id":"a","title":"one"})", "2026-01-01T00:00:00.000000Z");
  folder.Add("a", "publish", R"({"id":"v1","number":1})", "2026-01-02T00:00:00.000000Z");
  folder.Add("a", "update", R"({"id":"a","title":"two"})", "2026-01-03T00:00:00.000000Z");
  folder.Add("b", "create", R"({"id":"b"})", "2026-01-01T00:00:00.000000Z");
  folder.Add("b", "delete", "null", "2026-01-02T00:00:00.000000Z");
  folder.Add("c", "approve", R"({"number":3})", "2026-01-04T00:00:00.000000Z");
  auto records = folder.Finish();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(Str(records[0].json, "title"), "two");
  EXPECT_EQ(records[0].created_at, "2026-01-01T00:00:00.000000Z");
  EXPECT_EQ(records[0].updated_at, "2026-01-03T00:00:00.000000Z");
  ASSERT_EQ(records[0].events.size(), 1u);
  EXPECT_EQ(records[0].events[0].action, "publish");
  EXPECT_EQ(records[1].id, "c");
  EXPECT_EQ(Int(records[1].json, "number"), 3);
}

}  // namespace
}  // namespace certus::readiness
