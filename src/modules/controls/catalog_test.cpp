// The built-in ISO/IEC 27001:2022 catalog against the reference list in ../shared.
#include "modules/controls/catalog.hpp"

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace certus::controls {
namespace {

struct ReferenceRow {
  std::string ref_id;
  std::string kind;  ///< clause, requirement, annex_a_control
  std::string section;
  std::string title;
};

std::vector<std::string> SplitTabs(const std::string& line) {
  std::vector<std::string> cells;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = line.find('\t', start);
    cells.push_back(line.substr(start, end == std::string::npos ? end : end - start));
    if (end == std::string::npos) return cells;
    start = end + 1;
  }
}

std::filesystem::path ReferencePath() {
  return std::filesystem::path(CERTUS_SOURCE_DIR) / ".." / "shared" / "reference" /
         "iso27001-2022.tsv";
}

std::vector<ReferenceRow> ReadReference(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::vector<ReferenceRow> rows;
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    if (header) {
      header = false;
      continue;
    }
    auto cells = SplitTabs(line);
    EXPECT_EQ(cells.size(), 4u) << line;
    if (cells.size() != 4) continue;
    rows.push_back({cells[0], cells[1], cells[2], cells[3]});
  }
  return rows;
}

TEST(Iso27001Catalog, HasClausesThemesAndThe93AnnexAControlsInOrder) {
  const auto& rows = Iso27001Catalog();
  std::vector<std::string> themes;
  int controls = 0;
  for (const auto& row : rows) {
    if (row.kind == "theme") themes.push_back(row.ref_id);
    if (row.kind == "control") {
      ++controls;
      EXPECT_EQ(row.ref_id.rfind(row.parent + ".", 0), 0u) << row.ref_id << " under " << row.parent;
      EXPECT_FALSE(row.control_type.empty()) << row.ref_id << " has no control type attribute";
    }
  }
  EXPECT_EQ(controls, 93);
  EXPECT_EQ(themes, (std::vector<std::string>{"A.5", "A.6", "A.7", "A.8"}));
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows.front().ref_id, "4");
  EXPECT_EQ(rows.back().ref_id, "A.8.34");
}

TEST(Iso27001Catalog, EqualsTheSharedReferenceInIdsTitlesAndOrder) {
  const auto path = ReferencePath();
  if (!std::filesystem::exists(path)) {
    GTEST_SKIP() << "../shared/reference/iso27001-2022.tsv is absent (only the project is "
                    "checked out); the reference comparison needs it";
  }
  const auto reference = ReadReference(path);
  ASSERT_EQ(reference.size(), 134u) << "the reference file changed shape";

  std::vector<const CatalogRow*> builtin;
  for (const auto& row : Iso27001Catalog()) {
    if (row.kind != "theme") builtin.push_back(&row);
  }
  ASSERT_EQ(builtin.size(), reference.size());
  for (std::size_t i = 0; i < reference.size(); ++i) {
    const auto& want = reference[i];
    const auto& have = *builtin[i];
    SCOPED_TRACE("reference row " + std::to_string(i + 2) + " " + want.ref_id);
    EXPECT_EQ(have.ref_id, want.ref_id);
    EXPECT_EQ(have.title, want.title);
    const std::string kind = want.kind == "annex_a_control" ? "control" : want.kind;
    EXPECT_EQ(have.kind, kind);
    if (kind == "control") {
      EXPECT_EQ(have.theme, want.section);
    }
  }
}

}  // namespace
}  // namespace certus::controls
