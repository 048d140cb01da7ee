// HTTP scenarios for the register seen whole: scoring with a custom matrix, the heat map,
// re-rating after a methodology change, the treatment plan, exports and retained risk
// assessments (ISO 27001 6.1.2, 6.1.3, 8.2, 8.3).
#include <algorithm>

#include <gmock/gmock.h>

#include "tests/api/api_fixture.hpp"

namespace certus::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

class RiskAnalysisApi : public ApiTest {
 protected:
  std::string Org() const { return "/api/v1/orgs/" + org_; }
  std::string Risks() const { return Org() + "/risks"; }
  std::string Assessments() const { return Org() + "/risk-assessments"; }

  std::string IdOf(const std::string& email) {
    auto client = server_->SignedIn(email);
    return std::string(client.Get("/api/v1/auth/me").Json().at("user").at("id").as_string());
  }

  boost::json::value CreateRisk(HttpClient& client, const std::string& title, int likelihood,
                                int impact, const boost::json::object& extra = {}) {
    boost::json::object body{
        {"title", title}, {"owner_id", alice_id_}, {"likelihood", likelihood}, {"impact", impact}};
    for (const auto& [key, value] : extra) body[key] = value;
    auto reply = client.Post(Risks(), Json(body));
    EXPECT_EQ(reply.status, 201u) << reply.body;
    return reply.Json();
  }

  Reply PatchRisk(HttpClient& client, const boost::json::value& risk,
                  const boost::json::object& body) {
    return client.Send("PATCH", Risks() + "/" + std::string(risk.at("id").as_string()), Json(body),
                       {{"If-Match", "\"" + std::to_string(risk.at("version").as_int64()) + "\""}});
  }

  static boost::json::array Scale(int levels) {
    boost::json::array scale;
    for (int i = 1; i <= levels; ++i) {
      scale.push_back({{"value", i}, {"label", "Level " + std::to_string(i)}});
    }
    return scale;
  }

  /// Puts `criteria` as a draft over the version in force and approves it.
  void Adopt(HttpClient& client, const boost::json::object& criteria) {
    auto current = client.Get(Org() + "/risk-methodology");
    ASSERT_EQ(current.status, 200u) << current.body;
    auto put = client.Send("PUT", Org() + "/risk-methodology", Json(criteria),
                           {{"If-Match", current.Header("etag")}});
    ASSERT_EQ(put.status, 200u) << put.body;
    auto approve = client.Send("POST", Org() + "/risk-methodology/approve", "{}",
                               {{"If-Match", put.Header("etag")}});
    ASSERT_EQ(approve.status, 200u) << approve.body;
  }

  /// A 3×3 matrix that weighs impact more than likelihood (scores 1–9).
  static boost::json::object Matrix3x3() {
    return {{"likelihood_scale", Scale(3)},
            {"impact_scale", Scale(3)},
            {"scoring", "matrix"},
            {"matrix", boost::json::array{boost::json::array{1, 3, 6}, boost::json::array{2, 5, 8},
                                          boost::json::array{3, 7, 9}}},
            {"bands",
             boost::json::array{
                 {{"name", "Low"}, {"min_score", 1}, {"max_score", 4}, {"colour", "#00aa00"}},
                 {{"name", "High"}, {"min_score", 5}, {"max_score", 9}, {"colour", "#aa0000"}}}},
            {"acceptance_threshold", 4},
            {"reassessment_interval_months", 12}};
  }
};

TEST_P(RiskAnalysisApi, ACustomMatrixScoresRisks) {
  auto alice = server_->SignedIn("alice@example.com");
  Adopt(alice, Matrix3x3());
  auto methodology = alice.Get(Org() + "/risk-methodology").Json();
  EXPECT_EQ(methodology.at("scoring"), "matrix");
  EXPECT_EQ(methodology.at("max_score"), 9);

  auto risk = CreateRisk(alice, "Phishing", 1, 3);
  EXPECT_EQ(risk.at("inherent_score"), 6);
  EXPECT_EQ(risk.at("inherent_level"), "High");
  auto rated = PatchRisk(alice, risk, {{"residual_likelihood", 2}, {"residual_impact", 1}});
  ASSERT_EQ(rated.status, 200u) << rated.body;
  EXPECT_EQ(rated.Json().at("residual_score"), 2);
  EXPECT_EQ(rated.Json().at("residual_level"), "Low");
}

TEST_P(RiskAnalysisApi, AMatrixOfTheWrongShapeOrOrderIs422) {
  auto alice = server_->SignedIn("alice@example.com");
  auto current = alice.Get(Org() + "/risk-methodology");
  auto criteria = Matrix3x3();
  criteria["matrix"] = boost::json::array{boost::json::array{1, 2}, boost::json::array{3, 4}};
  auto shape = alice.Send("PUT", Org() + "/risk-methodology", Json(criteria),
                          {{"If-Match", current.Header("etag")}});
  EXPECT_EQ(shape.status, 422u);
  EXPECT_THAT(ErrorFields(shape), ElementsAre("matrix"));

  criteria["matrix"] = boost::json::array{boost::json::array{1, 3, 6},
                                          boost::json::array{2, 1, 8},  // lower than above
                                          boost::json::array{3, 7, 9}};
  auto order = alice.Send("PUT", Org() + "/risk-methodology", Json(criteria),
                          {{"If-Match", current.Header("etag")}});
  EXPECT_EQ(order.status, 422u);
  EXPECT_THAT(ErrorFields(order), ElementsAre("matrix"));

  criteria["scoring"] = "product";
  criteria["matrix"] = boost::json::array{boost::json::array{1}};
  auto stray = alice.Send("PUT", Org() + "/risk-methodology", Json(criteria),
                          {{"If-Match", current.Header("etag")}});
  EXPECT_EQ(stray.status, 422u);
  // Nothing was stored.
  EXPECT_EQ(alice.Get(Org() + "/risk-methodology").Json().at("draft"), nullptr);
}

TEST_P(RiskAnalysisApi, TheHeatMapCountsOpenRisksPerCell) {
  auto alice = server_->SignedIn("alice@example.com");
  auto a = CreateRisk(alice, "A", 4, 5);
  auto b = CreateRisk(alice, "B", 4, 5, {{"residual_likelihood", 2}, {"residual_impact", 2}});
  CreateRisk(alice, "C", 1, 1);

  auto viewer = server_->SignedIn("victor@example.com");
  auto inherent = viewer.Get(Risks() + "/heatmap");
  ASSERT_EQ(inherent.status, 200u) << inherent.body;
  auto json = inherent.Json();
  EXPECT_EQ(json.at("basis"), "inherent");
  const auto& cells = json.at("cells").as_array();
  ASSERT_EQ(cells.size(), 25u);
  const auto& hot = cells[(4 - 1) * 5 + (5 - 1)];
  EXPECT_EQ(hot.at("likelihood"), 4);
  EXPECT_EQ(hot.at("impact"), 5);
  EXPECT_EQ(hot.at("score"), 20);
  EXPECT_EQ(hot.at("level"), "Critical");
  EXPECT_EQ(hot.at("count"), 2);
  EXPECT_EQ(cells[0].at("count"), 1);

  auto residual = viewer.Get(Risks() + "/heatmap?basis=residual").Json();
  EXPECT_EQ(residual.at("without_residual"), 2);
  const auto& rcells = residual.at("cells").as_array();
  EXPECT_EQ(rcells[(4 - 1) * 5 + (5 - 1)].at("risk_ids"), boost::json::array{a.at("id")});
  EXPECT_EQ(rcells[(2 - 1) * 5 + (2 - 1)].at("risk_ids"), boost::json::array{b.at("id")});

  EXPECT_EQ(viewer.Get(Risks() + "/heatmap?basis=sideways").status, 422u);
  auto mallory = server_->SignedIn("mallory@example.com");
  EXPECT_EQ(mallory.Get(Risks() + "/heatmap").status, 404u);
}

TEST_P(RiskAnalysisApi, TheHeatMapCountsWithoutIdsWhenAskedAndACellFiltersTheRegister) {
  auto alice = server_->SignedIn("alice@example.com");
  auto a = CreateRisk(alice, "A", 4, 5);
  auto b = CreateRisk(alice, "B", 4, 5, {{"residual_likelihood", 2}, {"residual_impact", 2}});
  auto c = CreateRisk(alice, "C", 2, 2);
  auto closed = CreateRisk(alice, "Closed", 4, 5);
  ASSERT_EQ(PatchRisk(alice, closed, {{"status", "closed"}}).status, 200u);

  // Counts only: the same cells and counts, no ids.
  auto counts = alice.Get(Risks() + "/heatmap?ids=false");
  ASSERT_EQ(counts.status, 200u) << counts.body;
  const auto counted = counts.Json();
  const auto& cells = counted.at("cells").as_array();
  ASSERT_EQ(cells.size(), 25u);
  EXPECT_EQ(cells[(4 - 1) * 5 + (5 - 1)].at("count"), 2);
  EXPECT_EQ(cells[(2 - 1) * 5 + (2 - 1)].at("count"), 1);
  for (const auto& cell : cells) EXPECT_FALSE(cell.as_object().contains("risk_ids"));
  auto residual = alice.Get(Risks() + "/heatmap?basis=residual&ids=false").Json();
  EXPECT_EQ(residual.at("without_residual"), 2);
  EXPECT_EQ(residual.at("cells").at((4 - 1) * 5 + (5 - 1)).at("count"), 1);
  EXPECT_EQ(residual.at("cells").at((2 - 1) * 5 + (2 - 1)).at("count"), 2);
  // With ids (the default), every id of a cell, whichever order.
  auto full = alice.Get(Risks() + "/heatmap?basis=residual").Json();
  auto ids = full.at("cells").at((2 - 1) * 5 + (2 - 1)).at("risk_ids").as_array();
  EXPECT_THAT(std::vector<boost::json::value>(ids.begin(), ids.end()),
              ::testing::UnorderedElementsAre(b.at("id"), c.at("id")));
  EXPECT_EQ(alice.Get(Risks() + "/heatmap?ids=maybe").status, 422u);

  // The register filtered to a cell lists exactly the risks the cell counts.
  auto titles = [&](const std::string& query) {
    auto reply = alice.Get(Risks() + "?" + query);
    EXPECT_EQ(reply.status, 200u) << reply.body;
    std::vector<std::string> out;
    const auto json = reply.Json();
    for (const auto& risk : json.at("items").as_array()) {
      out.emplace_back(risk.at("title").as_string());
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  EXPECT_THAT(titles("likelihood=4&impact=5"), ElementsAre("A", "B", "Closed"));
  EXPECT_THAT(titles("status=open&likelihood=4&impact=5"), ElementsAre("A", "B"));
  EXPECT_THAT(titles("status=open&basis=residual&likelihood=4&impact=5"), ElementsAre("A"));
  EXPECT_THAT(titles("status=open&basis=residual&likelihood=2&impact=2"), ElementsAre("B", "C"));
  EXPECT_THAT(titles("basis=inherent&likelihood=2&impact=2"), ElementsAre("C"));
  EXPECT_THAT(titles("likelihood=4"), ElementsAre("A", "B", "Closed"));
  EXPECT_THAT(titles("impact=2"), ElementsAre("C"));
  EXPECT_EQ(alice.Get(Risks() + "?likelihood=0").status, 422u);
  EXPECT_EQ(alice.Get(Risks() + "?impact=x").status, 422u);
  EXPECT_EQ(alice.Get(Risks() + "?basis=sideways").status, 422u);
  // Paging through a filtered cell keeps to the cell.
  auto first = alice.Get(Risks() + "?likelihood=4&impact=5&limit=2").Json();
  ASSERT_EQ(first.at("items").as_array().size(), 2u);
  ASSERT_TRUE(first.at("next_cursor").is_string());
  auto rest = alice
                  .Get(Risks() + "?likelihood=4&impact=5&limit=2&cursor=" +
                       std::string(first.at("next_cursor").as_string()))
                  .Json();
  EXPECT_EQ(rest.at("items").as_array().size(), 1u);
  EXPECT_TRUE(rest.at("next_cursor").is_null());
}

TEST_P(RiskAnalysisApi, RatingsANewMethodologyNoLongerFitsAreListedNotRescaled) {
  auto alice = server_->SignedIn("alice@example.com");
  auto beyond = CreateRisk(alice, "Beyond the new scale", 5, 2);
  auto fits = CreateRisk(alice, "Fits", 2, 2);
  Adopt(alice, Matrix3x3());

  auto reply = alice.Get(Org() + "/risk-methodology/re-rating");
  ASSERT_EQ(reply.status, 200u) << reply.body;
  const auto listed = reply.Json();
  const auto& items = listed.at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].at("ref"), beyond.at("ref"));
  EXPECT_THAT(std::string(items[0].at("reasons").as_array()[0].as_string()),
              HasSubstr("beyond the likelihood scale"));
  // 2×2 scored 4 by the product; the matrix scores it 5, in another band.
  EXPECT_EQ(items[1].at("ref"), fits.at("ref"));
  EXPECT_THAT(std::string(items[1].at("reasons").as_array()[0].as_string()),
              HasSubstr("score 4 would now be 5"));
  // The stored ratings are untouched until someone re-rates.
  auto stored = alice.Get(Risks() + "/" + std::string(beyond.at("id").as_string())).Json();
  EXPECT_EQ(stored.at("likelihood"), 5);
  EXPECT_EQ(stored.at("inherent_score"), 10);

  auto again = PatchRisk(alice, fits, {{"likelihood", 2}, {"impact", 2}});
  ASSERT_EQ(again.status, 200u) << again.body;
  EXPECT_EQ(again.Json().at("inherent_score"), 5);
  EXPECT_EQ(alice.Get(Org() + "/risk-methodology/re-rating").Json().at("items").as_array().size(),
            1u);
}

TEST_P(RiskAnalysisApi, TheTreatmentPlanGroupsActionsByRiskAndFlagsOverdueOnes) {
  auto alice = server_->SignedIn("alice@example.com");
  auto risk = CreateRisk(alice, "Ransomware", 4, 4);
  for (const auto& [title, due] : std::vector<std::pair<std::string, std::string>>{
           {"Offline backups", "2026-01-15"}, {"EDR rollout", "2026-06-30"}}) {
    auto action = alice.Post(Org() + "/treatments", Json({{"risk_id", risk.at("id")},
                                                          {"title", title},
                                                          {"due_on", due},
                                                          {"owner_id", alice_id_}}));
    ASSERT_EQ(action.status, 201u) << action.body;
  }
  CreateRisk(alice, "Untreated and unplanned", 1, 1);

  auto plan = alice.Get(Org() + "/risk-treatment-plan");
  ASSERT_EQ(plan.status, 200u) << plan.body;
  auto json = plan.Json();
  EXPECT_EQ(json.at("as_of"), "2026-03-02");
  const auto& items = json.at("items").as_array();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].at("risk").at("ref"), risk.at("ref"));
  const auto& actions = items[0].at("actions").as_array();
  ASSERT_EQ(actions.size(), 2u);
  EXPECT_EQ(actions[0].at("title"), "Offline backups");
  EXPECT_EQ(actions[0].at("overdue"), true);
  EXPECT_EQ(actions[1].at("overdue"), false);
  EXPECT_EQ(json.at("summary").at("overdue"), 1);
  EXPECT_EQ(
      alice.Get(Org() + "/risk-treatment-plan?overdue=true").Json().at("items").as_array().size(),
      1u);

  auto csv = alice.Get(Org() + "/risk-treatment-plan/export?format=csv");
  ASSERT_EQ(csv.status, 200u);
  EXPECT_THAT(csv.Header("content-disposition"), HasSubstr("attachment"));
  EXPECT_THAT(csv.body, HasSubstr("Offline backups"));
  EXPECT_THAT(csv.body, HasSubstr("overdue"));
  auto xlsx = alice.Get(Org() + "/risk-treatment-plan/export?format=xlsx");
  ASSERT_EQ(xlsx.status, 200u);
  EXPECT_THAT(xlsx.body, StartsWith("PK"));
}

TEST_P(RiskAnalysisApi, TheRegisterExportsAsCsvWithOwnersByEmail) {
  auto alice = server_->SignedIn("alice@example.com");
  CreateRisk(alice, "Lost laptop, \"unencrypted\"", 3, 4);
  auto csv = alice.Get(Risks() + "/export?format=csv");
  ASSERT_EQ(csv.status, 200u) << csv.body;
  EXPECT_THAT(csv.Header("content-type"), StartsWith("text/csv"));
  EXPECT_THAT(csv.body, StartsWith("ref,title,description,threat,vulnerability,owner,likelihood,"
                                   "impact,inherent_score,inherent_level,treatment"));
  EXPECT_THAT(csv.body,
              HasSubstr("R-0001,\"Lost laptop, "
                        "\"\"unencrypted\"\"\",,,,alice@example.com,3,4,12,High,undecided"));
  EXPECT_EQ(alice.Get(Risks() + "/export?format=pdf").status, 422u);
  auto mallory = server_->SignedIn("mallory@example.com");
  EXPECT_EQ(mallory.Get(Risks() + "/export?format=csv").status, 404u);
}

TEST_P(RiskAnalysisApi, RetainedAssessmentsAreImmutableAndComparable) {
  auto alice = server_->SignedIn("alice@example.com");
  auto stays = CreateRisk(alice, "Stays", 2, 2);
  auto rerated = CreateRisk(alice, "Re-rated", 2, 3);
  auto removed = CreateRisk(alice, "Removed", 1, 1);

  auto victor = server_->SignedIn("victor@example.com");
  EXPECT_EQ(victor.Post(Assessments(), Json({{"name", "Q1"}})).status, 403u);
  EXPECT_EQ(alice.Post(Assessments(), Json({{"notes", "no name"}})).status, 422u);
  auto first = alice.Post(Assessments(), Json({{"name", "Q1 2026"}, {"notes", "annual"}}));
  ASSERT_EQ(first.status, 201u) << first.body;
  auto q1 = first.Json();
  EXPECT_EQ(q1.at("ref"), "RA-0001");
  EXPECT_EQ(q1.at("risk_count"), 3);
  EXPECT_EQ(q1.at("taken_by_email"), "alice@example.com");
  EXPECT_EQ(q1.at("methodology").at("version"), 1);
  const std::string url = Assessments() + "/" + std::string(q1.at("id").as_string());
  EXPECT_EQ(first.Header("location"), url);

  for (const char* method : {"PATCH", "PUT", "DELETE"}) {
    auto edit = alice.Send(method, url, Json({{"name", "rewritten"}}), {{"If-Match", "\"1\""}});
    EXPECT_EQ(edit.status, 409u) << method;
  }
  EXPECT_EQ(victor.Get(url).Json().at("name"), "Q1 2026");

  // The register moves on; the assessment does not.
  ASSERT_EQ(PatchRisk(alice, rerated, {{"likelihood", 5}}).status, 200u);
  ASSERT_EQ(alice
                .Send("DELETE", Risks() + "/" + std::string(removed.at("id").as_string()), "",
                      {{"If-Match", "\"1\""}})
                .status,
            204u);
  auto added = CreateRisk(alice, "Added", 3, 3);

  auto rows = victor.Get(url + "/risks?limit=2");
  ASSERT_EQ(rows.status, 200u) << rows.body;
  auto page = rows.Json();
  ASSERT_EQ(page.at("items").as_array().size(), 2u);
  EXPECT_EQ(page.at("items").as_array()[1].at("impact"), 3);
  EXPECT_EQ(page.at("items").as_array()[1].at("likelihood"), 2);
  auto rest =
      victor.Get(url + "/risks?limit=2&cursor=" + std::string(page.at("next_cursor").as_string()))
          .Json();
  ASSERT_EQ(rest.at("items").as_array().size(), 1u);
  EXPECT_EQ(rest.at("items").as_array()[0].at("title"), "Removed");
  EXPECT_EQ(rest.at("next_cursor"), nullptr);

  auto today = victor.Get(Assessments() + "/compare?from=" + std::string(q1.at("id").as_string()));
  ASSERT_EQ(today.status, 200u) << today.body;
  auto diff = today.Json();
  EXPECT_EQ(diff.at("to"), nullptr);
  ASSERT_EQ(diff.at("added").as_array().size(), 1u);
  EXPECT_EQ(diff.at("added").as_array()[0].at("id"), added.at("id"));
  ASSERT_EQ(diff.at("removed").as_array().size(), 1u);
  EXPECT_EQ(diff.at("removed").as_array()[0].at("id"), removed.at("id"));
  ASSERT_EQ(diff.at("rerated").as_array().size(), 1u);
  EXPECT_EQ(diff.at("rerated").as_array()[0].at("id"), rerated.at("id"));
  EXPECT_EQ(diff.at("rerated").as_array()[0].at("fields").as_array()[0],
            (boost::json::object{{"field", "likelihood"}, {"from", "2"}, {"to", "5"}}));
  EXPECT_EQ(diff.at("changed").as_array().size(), 0u);
  (void)stays;

  auto second = alice.Post(Assessments(), Json({{"name", "Q2 2026"}})).Json();
  auto between = victor
                     .Get(Assessments() + "/compare?from=" + std::string(q1.at("id").as_string()) +
                          "&to=" + std::string(second.at("id").as_string()))
                     .Json();
  EXPECT_EQ(between.at("to").at("ref"), "RA-0002");
  EXPECT_EQ(between.at("rerated").as_array().size(), 1u);
  auto list = victor.Get(Assessments()).Json().at("items").as_array();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].at("ref"), "RA-0002");  // newest first

  EXPECT_EQ(victor.Get(Assessments() + "/compare").status, 422u);
  auto mallory = server_->SignedIn("mallory@example.com");
  EXPECT_EQ(mallory.Get(url).status, 404u);
  EXPECT_EQ(mallory.Get(Assessments()).status, 404u);
}

INSTANTIATE_TEST_SUITE_P(Engines, RiskAnalysisApi, ::testing::ValuesIn(TestEngines()), EngineName);

}  // namespace
}  // namespace certus::testing
