// HTTP scenarios for the risk methodology (ISO 27001 6.1.2): the default, drafts, approval.
#include <gmock/gmock.h>

#include "tests/api/api_fixture.hpp"

namespace certus::testing {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

class RiskMethodologyApi : public ApiTest {
 protected:
  std::string Url() const { return "/api/v1/orgs/" + org_ + "/risk-methodology"; }

  Reply Put(HttpClient& client, const boost::json::value& body, const std::string& version) {
    std::vector<std::pair<std::string, std::string>> headers;
    if (!version.empty()) headers.emplace_back("If-Match", "\"" + version + "\"");
    return client.Send("PUT", Url(), Json(body), headers);
  }

  Reply Approve(HttpClient& client, const std::string& version) {
    std::vector<std::pair<std::string, std::string>> headers;
    if (!version.empty()) headers.emplace_back("If-Match", "\"" + version + "\"");
    return client.Send("POST", Url() + "/approve", "{}", headers);
  }

  static boost::json::array Scale(int levels) {
    boost::json::array scale;
    for (int i = 1; i <= levels; ++i) {
      scale.push_back({{"value", i}, {"label", "Level " + std::to_string(i)}});
    }
    return scale;
  }

  /// A valid 4×4 methodology (scores 1–16).
  static boost::json::object FourByFour() {
    return {{"likelihood_scale", Scale(4)},
            {"impact_scale", Scale(4)},
            {"scoring", "product"},
            {"bands",
             boost::json::array{
                 {{"name", "Low"}, {"min_score", 1}, {"max_score", 6}, {"colour", "#00aa00"}},
                 {{"name", "High"}, {"min_score", 7}, {"max_score", 16}, {"colour", "#aa0000"}}}},
            {"acceptance_threshold", 6},
            {"reassessment_interval_months", 6}};
  }
};

TEST_P(RiskMethodologyApi, EveryOrganizationStartsWithAnApprovedDefault5x5) {
  auto victor = server_->SignedIn("victor@example.com");
  auto reply = victor.Get(Url());
  ASSERT_EQ(reply.status, 200u) << reply.body;
  auto json = reply.Json();
  EXPECT_EQ(json.at("status"), "approved");
  EXPECT_EQ(json.at("version"), 1);
  EXPECT_EQ(json.at("scoring"), "product");
  EXPECT_EQ(json.at("max_score"), 25);
  EXPECT_EQ(json.at("likelihood_scale").as_array().size(), 5u);
  EXPECT_EQ(json.at("impact_scale").as_array().size(), 5u);
  EXPECT_EQ(json.at("acceptance_threshold"), 8);
  EXPECT_EQ(json.at("reassessment_interval_months"), 12);
  EXPECT_EQ(json.at("approved_by_email"), "system");
  EXPECT_EQ(json.at("draft"), nullptr);
  const auto& bands = json.at("bands").as_array();
  ASSERT_EQ(bands.size(), 4u);
  EXPECT_EQ(bands[0].at("name"), "Low");
  EXPECT_EQ(bands[3].at("name"), "Critical");
  EXPECT_EQ(bands[3].at("min_score"), 17);
  EXPECT_EQ(bands[3].at("max_score"), 25);
  EXPECT_EQ(reply.Header("etag"), "\"1\"");

  // Created once, by the system, in the audit log; a second read creates nothing.
  EXPECT_EQ(victor.Get(Url()).Json(), json);
  auto versions = victor.Get(Url() + "/versions").Json();
  EXPECT_EQ(versions.at("items").as_array().size(), 1u);
  auto alice = server_->SignedIn("alice@example.com");
  auto log = alice.Get("/api/v1/orgs/" + org_ + "/audit-log?limit=1").Json();
  EXPECT_EQ(log.at("items").as_array()[0].at("object_type"), "risk_methodology");
  EXPECT_EQ(log.at("items").as_array()[0].at("actor_email"), "system");
}

TEST_P(RiskMethodologyApi, PutStoresADraftThatComesIntoForceOnApproval) {
  auto maria = server_->SignedIn("maria@example.com");
  auto put = Put(maria, FourByFour(), "1");
  ASSERT_EQ(put.status, 200u) << put.body;
  auto state = put.Json();
  EXPECT_EQ(state.at("version"), 1);  // the default stays in force
  EXPECT_EQ(state.at("max_score"), 25);
  EXPECT_EQ(state.at("draft").at("version"), 2);
  EXPECT_EQ(state.at("draft").at("status"), "draft");
  EXPECT_EQ(state.at("draft").at("max_score"), 16);
  EXPECT_EQ(state.at("draft").at("created_by_email"), "maria@example.com");
  EXPECT_EQ(put.Header("etag"), "\"2\"");

  // A second PUT replaces the draft; the first is discarded, not lost.
  auto changed = FourByFour();
  changed["acceptance_threshold"] = 4;
  auto second = Put(maria, changed, "2");
  ASSERT_EQ(second.status, 200u) << second.body;
  EXPECT_EQ(second.Json().at("draft").at("version"), 3);

  auto alice = server_->SignedIn("alice@example.com");
  // Alice read draft 2; Maria has since replaced it with draft 3.
  EXPECT_EQ(Approve(alice, "2").status, 412u);
  EXPECT_EQ(Approve(alice, "").status, 428u);
  auto approved = Approve(alice, "3");
  ASSERT_EQ(approved.status, 200u) << approved.body;
  auto now = approved.Json();
  EXPECT_EQ(now.at("version"), 3);
  EXPECT_EQ(now.at("status"), "approved");
  EXPECT_EQ(now.at("acceptance_threshold"), 4);
  EXPECT_EQ(now.at("approved_by_email"), "alice@example.com");
  EXPECT_EQ(now.at("approved_by_id"), boost::json::value(alice_id_));
  EXPECT_EQ(now.at("approved_at"), "2026-03-02T09:00:00.000000Z");
  EXPECT_EQ(now.at("draft"), nullptr);
  EXPECT_EQ(alice.Get(Url()).Json(), now);

  auto versions = alice.Get(Url() + "/versions").Json().at("items").as_array();
  ASSERT_EQ(versions.size(), 3u);
  EXPECT_EQ(versions[0].at("status"), "approved");
  EXPECT_EQ(versions[1].at("status"), "discarded");
  EXPECT_EQ(versions[2].at("status"), "superseded");

  // Nothing left to approve.
  auto again = Approve(alice, "3");
  EXPECT_EQ(again.status, 409u);
}

TEST_P(RiskMethodologyApi, ApprovingWithoutADraftIs409) {
  auto alice = server_->SignedIn("alice@example.com");
  auto reply = Approve(alice, "1");
  EXPECT_EQ(reply.status, 409u) << reply.body;
  EXPECT_EQ(reply.Header("content-type"), "application/problem+json");
  EXPECT_EQ(alice.Get(Url()).Json().at("version"), 1);
}

TEST_P(RiskMethodologyApi, PutNeedsIfMatchAndRefusesStaleVersions) {
  auto maria = server_->SignedIn("maria@example.com");
  EXPECT_EQ(Put(maria, FourByFour(), "").status, 428u);
  EXPECT_EQ(Put(maria, FourByFour(), "7").status, 412u);
  ASSERT_EQ(Put(maria, FourByFour(), "1").status, 200u);
  // Alice read version 1 before Maria saved her draft.
  auto alice = server_->SignedIn("alice@example.com");
  EXPECT_EQ(Put(alice, FourByFour(), "1").status, 412u);
  EXPECT_EQ(alice.Get(Url()).Header("etag"), "\"2\"");
}

TEST_P(RiskMethodologyApi, BadCriteriaAre422NamingTheFields) {
  auto alice = server_->SignedIn("alice@example.com");
  auto gap = FourByFour();
  gap["bands"].as_array()[1].as_object()["min_score"] = 8;  // 7 is in no band
  EXPECT_THAT(ErrorFields(Put(alice, gap, "1")), ElementsAre("bands"));

  auto overlap = FourByFour();
  overlap["bands"].as_array()[1].as_object()["min_score"] = 5;
  EXPECT_THAT(ErrorFields(Put(alice, overlap, "1")), ElementsAre("bands"));

  auto short_bands = FourByFour();
  short_bands["bands"].as_array()[1].as_object()["max_score"] = 15;
  EXPECT_THAT(ErrorFields(Put(alice, short_bands, "1")), ElementsAre("bands"));

  auto threshold = FourByFour();
  threshold["acceptance_threshold"] = 17;  // above the highest score, 16
  threshold["reassessment_interval_months"] = 61;
  threshold["bands"].as_array()[0].as_object()["colour"] = "green";
  EXPECT_THAT(ErrorFields(Put(alice, threshold, "1")),
              UnorderedElementsAre("acceptance_threshold", "reassessment_interval_months",
                                   "bands[0].colour"));

  auto scales = FourByFour();
  scales["likelihood_scale"] = Scale(2);
  scales["impact_scale"] = Scale(11);
  EXPECT_THAT(ErrorFields(Put(alice, scales, "1")), Contains("likelihood_scale"));

  auto order = FourByFour();
  order["impact_scale"].as_array()[1].as_object()["value"] = 3;
  order["impact_scale"].as_array()[2].as_object()["label"] = "";
  EXPECT_THAT(ErrorFields(Put(alice, order, "1")),
              UnorderedElementsAre("impact_scale[1].value", "impact_scale[2].label"));

  auto missing = Put(alice, boost::json::object{{"scoring", "cubic"}, {"colour", 1}}, "1");
  EXPECT_EQ(missing.status, 422u);
  EXPECT_THAT(ErrorFields(missing), UnorderedElementsAre("likelihood_scale", "impact_scale",
                                                         "bands", "scoring", "acceptance_threshold",
                                                         "reassessment_interval_months", "colour"));

  EXPECT_EQ(alice.Send("PUT", Url(), "{\"bands\": ", {{"If-Match", "\"1\""}}).status, 400u);
  // Nothing was stored.
  EXPECT_EQ(alice.Get(Url()).Json().at("draft"), nullptr);
  EXPECT_EQ(alice.Get(Url() + "/versions").Json().at("items").as_array().size(), 1u);
}

TEST_P(RiskMethodologyApi, WhatGetAnswersCanBePutBack) {
  auto alice = server_->SignedIn("alice@example.com");
  auto current = alice.Get(Url()).Json().as_object();
  current["acceptance_threshold"] = 10;
  auto reply = Put(alice, current, "1");
  ASSERT_EQ(reply.status, 200u) << reply.body;
  EXPECT_EQ(reply.Json().at("draft").at("acceptance_threshold"), 10);
}

TEST_P(RiskMethodologyApi, OnlyManagersAndAdminsChangeOrApprove) {
  for (auto email : {"victor@example.com", "audrey@example.com", "carl@example.com"}) {
    auto client = server_->SignedIn(email);
    EXPECT_EQ(client.Get(Url()).status, 200u) << email;
    EXPECT_EQ(Put(client, FourByFour(), "1").status, 403u) << email;
    EXPECT_EQ(Approve(client, "2").status, 403u) << email;
  }
  auto maria = server_->SignedIn("maria@example.com");
  ASSERT_EQ(Put(maria, FourByFour(), "1").status, 200u);
  EXPECT_EQ(Approve(maria, "2").status, 200u);
}

TEST_P(RiskMethodologyApi, OtherOrganizationsSeeNothingAndChangeNothing) {
  auto mallory = server_->SignedIn("mallory@example.com");
  EXPECT_EQ(mallory.Get(Url()).status, 404u);
  EXPECT_EQ(mallory.Get(Url() + "/versions").status, 404u);
  EXPECT_EQ(Put(mallory, FourByFour(), "1").status, 404u);
  EXPECT_EQ(Approve(mallory, "1").status, 404u);
  // Their own organization has its own default.
  auto theirs = mallory.Get("/api/v1/orgs/" + other_org_ + "/risk-methodology");
  EXPECT_EQ(theirs.status, 200u);
  auto anonymous = server_->Client();
  EXPECT_EQ(anonymous.Get(Url()).status, 401u);
}

TEST_P(RiskMethodologyApi, ChangesAreAuditedAndTheLogVerifies) {
  auto alice = server_->SignedIn("alice@example.com");
  ASSERT_EQ(Put(alice, FourByFour(), "1").status, 200u);
  ASSERT_EQ(Approve(alice, "2").status, 200u);
  auto log = alice.Get("/api/v1/orgs/" + org_ + "/audit-log?limit=3").Json();
  const auto& items = log.at("items").as_array();
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].at("action"), "approve");
  EXPECT_EQ(items[1].at("action"), "supersede");
  EXPECT_EQ(items[2].at("action"), "create");
  EXPECT_EQ(alice.Get("/api/v1/orgs/" + org_ + "/audit-log/verify").Json().at("ok"), true);
}

INSTANTIATE_TEST_SUITE_P(Engines, RiskMethodologyApi, ::testing::ValuesIn(TestEngines()),
                         EngineName);

}  // namespace
}  // namespace certus::testing
