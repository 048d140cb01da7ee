#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

#include <gtest/gtest.h>
#include <unistd.h>

#include "interchange/csv.hpp"
#include "reports/table.hpp"

namespace certus::reports {
namespace {

/// Gives back fontconfig's process-wide state after the last test, for LeakSanitizer.
class ReleaseFontCachesAtExit final : public ::testing::Environment {
 public:
  void TearDown() override { ReleaseFontCaches(); }
};
// gtest owns the environment.
[[maybe_unused]] ::testing::Environment* const kReleaseFontCaches =
    ::testing::AddGlobalTestEnvironment(new ReleaseFontCachesAtExit);

/// A folder of its own under the system temporary folder, removed at the end of the test.
class TempDir final {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "certus-reports-XXXXXX");
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }

  std::string Write(const std::string& name, const std::string& bytes) const {
    std::string file = (path_ / name).string();
    std::ofstream(file, std::ios::binary) << bytes;
    return file;
  }

 private:
  std::filesystem::path path_;
};

/// Standard output of a shell command; the test fails if it exits non-zero.
std::string Shell(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) {
    ADD_FAILURE() << "popen " << command;
    return out;
  }
  std::array<char, 4096> buffer{};
  std::size_t read = 0;
  while ((read = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
    out.append(buffer.data(), read);
  EXPECT_EQ(::pclose(pipe), 0) << command;
  return out;
}

TableDocument SmallTable() {
  return {.title = "Statement of Applicability",
          .facts = {{"Organization", "Acme Widgets"},
                    {"Version", "3"},
                    {"Approved by", "Maria Manager"},
                    {"Date", "2026-11-24"}},
          .columns = {{"Control", 10}, {"Title", 30}, {"Justification", 60}},
          .rows = {{"A.5.1", "Policies for information security", "Required by clause 5.2"},
                   {"A.5.2", "Roles, and \"responsibilities\"", "line one\nline two"},
                   {"A.8.24", "=HYPERLINK(\"http://evil\")", "@SUM(A1)"}}};
}

std::string LongText() {
  std::string text;
  for (int i = 0; i < 60; ++i) text += "wrapword" + std::to_string(i) + " ";
  return text;
}

TableDocument BigTable(std::size_t rows) {
  TableDocument table{
      .title = "Risk register", .facts = {{"Organization", "Acme"}}, .columns = {}, .rows = {}};
  for (int c = 0; c < 8; ++c) table.columns.push_back({"Column " + std::to_string(c), 15});
  for (std::size_t r = 0; r < rows; ++r) {
    std::vector<std::string> row;
    row.reserve(8);
    for (int c = 0; c < 8; ++c) {
      row.push_back("Row " + std::to_string(r) + " cell " + std::to_string(c) +
                    (c == 3 ? " with some longer text that wraps over a couple of lines" : ""));
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

TEST(ReportsCsv, QuotesWhatRfc4180RequiresAndEndsLinesWithCrlf) {
  const std::string csv = WriteCsv(SmallTable());
  EXPECT_EQ(csv,
            "Control,Title,Justification\r\n"
            "A.5.1,Policies for information security,Required by clause 5.2\r\n"
            "A.5.2,\"Roles, and \"\"responsibilities\"\"\",\"line one\nline two\"\r\n"
            "A.8.24,\"'=HYPERLINK(\"\"http://evil\"\")\",'@SUM(A1)\r\n");
}

TEST(ReportsCsv, PrefixesEveryFormulaStartAndPadsShortRows) {
  const TableDocument table{.title = "t",
                            .facts = {},
                            .columns = {{"a"}, {"b"}, {"c"}, {"d"}, {"e"}},
                            .rows = {{"=1+1", "+1", "-2", "@x", "a=b"}, {"only"}}};
  EXPECT_EQ(WriteCsv(table), "a,b,c,d,e\r\n'=1+1,'+1,'-2,'@x,a=b\r\nonly,,,,\r\n");
}

TEST(ReportsCsv, ReadsBackThroughTheImporter) {
  const TableDocument table = SmallTable();
  auto parsed = interchange::ParseCsv(WriteCsv(table));
  ASSERT_TRUE(parsed) << parsed.error().message();
  EXPECT_EQ(parsed->header, (std::vector<std::string>{"Control", "Title", "Justification"}));
  ASSERT_EQ(parsed->records.size(), 3U);
  EXPECT_EQ(parsed->records[1].fields, table.rows[1]);
  EXPECT_EQ(parsed->records[2].line, 5U);  // the quoted newline of row 2 takes a line
}

TEST(ReportsXlsx, HasFrozenBoldHeaderAutofilterWidthsAndTheCells) {
  TableDocument table = SmallTable();
  table.title = "Statement: of [Applicability]/2026 and a title longer than 31";
  auto xlsx = WriteXlsx(table);
  ASSERT_TRUE(xlsx) << xlsx.error().log_detail();
  ASSERT_GT(xlsx->size(), 4U);
  EXPECT_EQ(xlsx->substr(0, 2), "PK");

  const TempDir dir;
  const std::string file = dir.Write("soa.xlsx", *xlsx);
  const std::string sheet = Shell("unzip -p '" + file + "' xl/worksheets/sheet1.xml");
  const std::string strings = Shell("unzip -p '" + file + "' xl/sharedStrings.xml");
  const std::string workbook = Shell("unzip -p '" + file + "' xl/workbook.xml");
  const std::string styles = Shell("unzip -p '" + file + "' xl/styles.xml");

  EXPECT_NE(sheet.find("ySplit=\"1\""), std::string::npos) << sheet;
  EXPECT_NE(sheet.find("state=\"frozen\""), std::string::npos);
  EXPECT_NE(sheet.find("<autoFilter ref=\"A1:C4\""), std::string::npos);
  EXPECT_TRUE(std::regex_search(sheet, std::regex(R"(<col min="3" max="3" width="60\.7)")))
      << sheet;
  EXPECT_NE(styles.find("<b/>"), std::string::npos);
  EXPECT_NE(styles.find("wrapText=\"1\""), std::string::npos);
  // Forbidden characters replaced, cut at 31 characters.
  EXPECT_NE(workbook.find("name=\"Statement  of  Applicability  2\""), std::string::npos)
      << workbook;

  for (const char* text : {"Control", "Justification", "Policies for information security",
                           "Roles, and \"responsibilities\"", "line one\nline two",
                           "=HYPERLINK(\"http://evil\")", "@SUM(A1)"}) {
    EXPECT_NE(strings.find(text), std::string::npos) << text << "\n" << strings;
  }
  // Text cells only: nothing an opened export could execute.
  EXPECT_EQ(sheet.find("<f>"), std::string::npos);
}

TEST(ReportsXlsx, CutsACellOverExcelsLimitInsteadOfFailing) {
  const TableDocument table{
      .title = "Long", .facts = {}, .columns = {{"Text"}}, .rows = {{std::string(40000, 'x')}}};
  auto xlsx = WriteXlsx(table);
  ASSERT_TRUE(xlsx) << xlsx.error().log_detail();
  const TempDir dir;
  const std::string strings =
      Shell("unzip -p '" + dir.Write("long.xlsx", *xlsx) + "' xl/sharedStrings.xml");
  EXPECT_NE(strings.find(std::string(32000, 'x') + std::string(755, 'x') + " [truncated]"),
            std::string::npos);
}

TEST(ReportsPdf, TitlePageFactsWrappedCellsAndPageNumbers) {
  TableDocument table = SmallTable();
  table.rows.push_back({"A.5.3", "Segregation of duties", LongText()});
  auto pdf = WritePdf(table);
  ASSERT_TRUE(pdf) << pdf.error().log_detail();
  EXPECT_EQ(pdf->substr(0, 5), "%PDF-");

  const TempDir dir;
  const std::string text = Shell("pdftotext -layout '" + dir.Write("soa.pdf", *pdf) + "' -");
  EXPECT_NE(text.find("Statement of Applicability"), std::string::npos) << text;
  for (const auto& [label, value] : table.facts) {
    EXPECT_NE(text.find(label), std::string::npos) << label;
    EXPECT_NE(text.find(value), std::string::npos) << value;
  }
  for (int i = 0; i < 60; ++i) {
    const std::string word = "wrapword" + std::to_string(i);
    EXPECT_TRUE(std::regex_search(text, std::regex("\\b" + word + "\\b"))) << word;
  }
  EXPECT_NE(text.find("Justification"), std::string::npos);
  EXPECT_NE(text.find("Page 1 of 2"), std::string::npos) << text;
  EXPECT_NE(text.find("Page 2 of 2"), std::string::npos);
}

TEST(ReportsPdf, AThousandRowsSpanPagesWithTheHeaderOnEach) {
  auto pdf = WritePdf(BigTable(1000));
  ASSERT_TRUE(pdf) << pdf.error().log_detail();
  const TempDir dir;
  const std::string file = dir.Write("big.pdf", *pdf);
  const std::string info = Shell("pdfinfo '" + file + "'");
  std::smatch pages;
  ASSERT_TRUE(std::regex_search(info, pages, std::regex(R"(Pages:\s+(\d+))"))) << info;
  const int page_count = std::stoi(pages[1]);
  EXPECT_GT(page_count, 2);
  EXPECT_TRUE(std::regex_search(info, std::regex(R"(Page size:\s+841\.\d+ x 595\.\d+)"))) << info;

  const std::string text = Shell("pdftotext -layout '" + file + "' -");
  const std::string last =
      "Page " + std::to_string(page_count) + " of " + std::to_string(page_count);
  EXPECT_NE(text.find("Page 1 of " + std::to_string(page_count)), std::string::npos);
  EXPECT_NE(text.find(last), std::string::npos);
  EXPECT_NE(text.find("Row 999 cell 7"), std::string::npos);
  // pdftotext separates pages with a form feed: the header opens every table page.
  std::size_t table_pages = 0;
  std::size_t start = text.find('\f') + 1;
  while (start < text.size()) {
    const std::size_t end = text.find('\f', start);
    const std::string page = text.substr(start, end - start);
    if (!page.empty()) {
      ++table_pages;
      EXPECT_NE(page.find("Column 0"), std::string::npos) << page;
      // No row is split: each wrapped cell that starts on this page also ends on it.
      const auto count = [&](const char* pattern) {
        const std::regex regex(pattern);
        return std::distance(std::sregex_iterator(page.begin(), page.end(), regex),
                             std::sregex_iterator());
      };
      EXPECT_EQ(count(R"(cell 3\b)"), count(R"(\blines\b)")) << page;
      EXPECT_GT(count(R"(cell 3\b)"), 0);
    }
    if (end == std::string::npos) break;
    start = end + 1;
  }
  EXPECT_EQ(table_pages, static_cast<std::size_t>(page_count - 1));
}

TEST(ReportsPdf, ARowTallerThanAPageSplitsBetweenLinesAndLosesNone) {
  TableDocument table{
      .title = "Tall", .facts = {}, .columns = {{"Id", 5}, {"Text", 50}}, .rows = {}};
  std::string tall;
  for (int i = 0; i < 150; ++i) tall += "tall-line-" + std::to_string(i) + "\n";
  table.rows = {{"short", "before"}, {"T1", tall}, {"after", "end"}};
  auto pdf = WritePdf(table);
  ASSERT_TRUE(pdf) << pdf.error().log_detail();
  const TempDir dir;
  const std::string text = Shell("pdftotext -layout '" + dir.Write("tall.pdf", *pdf) + "' -");
  for (int i = 0; i < 150; ++i) {
    const std::string line = "tall-line-" + std::to_string(i);
    const std::regex once("\\b" + line + "\\b");
    EXPECT_EQ(
        std::distance(std::sregex_iterator(text.begin(), text.end(), once), std::sregex_iterator()),
        1)
        << line;
  }
  EXPECT_NE(text.find("Page 3 of"), std::string::npos);
}

TEST(ReportsPdf, ToleratesInvalidUtf8AndNoRows) {
  TableDocument table{.title = "Bad \xff title", .facts = {}, .columns = {{"A"}}, .rows = {}};
  table.rows = {{"ok \xc3"}};
  auto pdf = WritePdf(table);
  ASSERT_TRUE(pdf) << pdf.error().log_detail();
  table.rows.clear();
  EXPECT_TRUE(WritePdf(table));
  EXPECT_TRUE(WriteXlsx(table));
  table.columns.clear();
  auto title_only = WritePdf(table);
  ASSERT_TRUE(title_only);
  const TempDir dir;
  EXPECT_NE(Shell("pdftotext '" + dir.Write("t.pdf", *title_only) + "' -").find("Page 1 of 1"),
            std::string::npos);
}

}  // namespace
}  // namespace certus::reports
