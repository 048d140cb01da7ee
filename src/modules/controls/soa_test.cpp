// The SoA's pure parts: natural order, summaries, diffs, the table and file names.
#include "modules/controls/soa.hpp"

#include <algorithm>

#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace certus::controls {
namespace {

using ::testing::ElementsAre;

boost::json::object RowOf(const std::string& ref, boost::json::value applicable,
                          const std::string& status) {
  return {{"ref_id", ref},
          {"title", "Control " + ref},
          {"theme", "Organizational controls"},
          {"applicable", std::move(applicable)},
          {"justification", ""},
          {"inclusion_reasons", boost::json::array()},
          {"implementation_status", status},
          {"owner_email", nullptr},
          {"implementation", ""},
          {"risks", boost::json::array()},
          {"version", 1}};
}

TEST(NaturalSortKey, OrdersNumbersByValue) {
  std::vector<std::string> refs = {"A.5.10", "A.8.1", "A.5.2", "C-10", "A.5.1", "C-9", "A.6.1"};
  std::sort(refs.begin(), refs.end(), [](const std::string& a, const std::string& b) {
    return NaturalSortKey(a) < NaturalSortKey(b);
  });
  EXPECT_THAT(refs, ElementsAre("A.5.1", "A.5.2", "A.5.10", "A.6.1", "A.8.1", "C-9", "C-10"));
  EXPECT_EQ(NaturalSortKey("A.5.2"), "A.000005.000002");
  EXPECT_EQ(NaturalSortKey("no digits"), "no digits");
}

TEST(SummarizeRows, CountsApplicabilityAndStatus) {
  boost::json::array rows{RowOf("A.5.1", true, "implemented"), RowOf("A.5.2", false, "planned"),
                          RowOf("A.5.3", nullptr, "not_started"),
                          RowOf("A.5.4", true, "partially_implemented")};
  auto summary = SummarizeRows(rows);
  EXPECT_EQ(summary.total, 4);
  EXPECT_EQ(summary.applicable, 2);
  EXPECT_EQ(summary.excluded, 1);
  EXPECT_EQ(summary.undecided, 1);
  EXPECT_EQ(summary.implemented, 1);
  EXPECT_EQ(summary.partially_implemented, 1);
  EXPECT_EQ(summary.planned, 1);
  EXPECT_EQ(summary.not_started, 1);
}

TEST(DiffRows, ListsAddedRemovedAndChangedRowsOnly) {
  boost::json::array from{RowOf("A.5.1", nullptr, "not_started"),
                          RowOf("A.5.2", nullptr, "not_started"),
                          RowOf("A.5.10", nullptr, "not_started")};
  boost::json::array to{RowOf("A.5.1", nullptr, "not_started"), RowOf("A.5.10", true, "planned"),
                        RowOf("C-1", nullptr, "not_started")};
  // Bookkeeping fields (version, updated_at, …) are not differences a reader cares about.
  to[0].as_object()["version"] = 7;
  auto changes = DiffRows(from, to);
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_EQ(changes[0].ref_id, "A.5.2");
  EXPECT_EQ(changes[0].change, "removed");
  EXPECT_EQ(changes[1].ref_id, "A.5.10");
  EXPECT_EQ(changes[1].change, "changed");
  ASSERT_EQ(changes[1].fields.size(), 2u);
  EXPECT_EQ(changes[1].fields[0].field, "applicable");
  EXPECT_EQ(changes[1].fields[0].from, nullptr);
  EXPECT_EQ(changes[1].fields[0].to, true);
  EXPECT_EQ(changes[1].fields[1].field, "implementation_status");
  EXPECT_EQ(changes[2].ref_id, "C-1");
  EXPECT_EQ(changes[2].change, "added");
  EXPECT_TRUE(DiffRows(from, from).empty());
}

TEST(SoaTable, HasTheTenColumnsAndWordsTheValues) {
  auto row = RowOf("A.5.1", false, "partially_implemented");
  row["inclusion_reasons"] = boost::json::array{"risk_treatment", "legal_regulatory"};
  row["risks"] = boost::json::array{boost::json::object{{"ref", "R-0001"}},
                                    boost::json::object{{"ref", "R-0002"}}};
  auto table = SoaTable(boost::json::array{row}, {{"Organization", "Acme"}});
  ASSERT_EQ(table.columns.size(), 10u);
  EXPECT_EQ(table.columns[9].heading, "Linked risks");
  ASSERT_EQ(table.rows.size(), 1u);
  EXPECT_THAT(table.rows[0], ElementsAre("A.5.1", "Control A.5.1", "Organizational controls", "No",
                                         "", "Risk treatment; Legal or regulatory",
                                         "Partially implemented", "", "", "R-0001, R-0002"));
  EXPECT_EQ(table.facts.at(0).second, "Acme");
}

TEST(FileSlug, KeepsLettersAndDigits) {
  EXPECT_EQ(FileSlug("Acme Ltd.", "x"), "acme-ltd");
  EXPECT_EQ(FileSlug("  Ünïcode & Co ", "x"), "n-code-co");
  EXPECT_EQ(FileSlug("!!!", "org-id"), "org-id");
}

TEST(ExportFormat, ParsesTheFiveNames) {
  EXPECT_EQ(ParseExportFormat("oscal"), ExportFormat::kOscal);
  EXPECT_EQ(ParseExportFormat("xlsx"), ExportFormat::kXlsx);
  EXPECT_FALSE(ParseExportFormat("docx"));
  EXPECT_THAT(ExportFormatNames(), ElementsAre("xlsx", "pdf", "csv", "json", "oscal"));
}

}  // namespace
}  // namespace certus::controls
