#include "interchange/csv.hpp"

#include <string>

#include <gtest/gtest.h>

namespace certus::interchange {
namespace {

using Fields = std::vector<std::string>;

std::string ErrorOf(std::string_view text) {
  auto parsed = ParseCsv(text);
  if (parsed) return "parsed";
  EXPECT_EQ(parsed.error().code(), ErrorCode::kValidation);
  return parsed.error().message();
}

TEST(Csv, QuotedFieldsKeepCommasQuotesAndNewlinesAndLinesCountPhysically) {
  auto parsed = ParseCsv(
      "id, title ,note\n"
      "1,\"a, b\",\"say \"\"hi\"\"\"\n"
      "2,\"two\nlines\nhere\",x\n"
      "3,plain,\"\"\n");
  ASSERT_TRUE(parsed) << parsed.error().message();
  EXPECT_EQ(parsed->header, (Fields{"id", "title", "note"}));
  ASSERT_EQ(parsed->records.size(), 3U);
  EXPECT_EQ(parsed->records[0].line, 2U);
  EXPECT_EQ(parsed->records[0].fields, (Fields{"1", "a, b", "say \"hi\""}));
  EXPECT_EQ(parsed->records[1].line, 3U);
  EXPECT_EQ(parsed->records[1].fields, (Fields{"2", "two\nlines\nhere", "x"}));
  EXPECT_EQ(parsed->records[2].line, 6U);
  EXPECT_EQ(parsed->records[2].fields, (Fields{"3", "plain", ""}));
}

TEST(Csv, CrlfAndLfGiveTheSameRecords) {
  auto lf = ParseCsv("a,b\n1,2\n3,\"x\ny\"\n4,5");
  auto crlf = ParseCsv("a,b\r\n1,2\r\n3,\"x\r\ny\"\r\n4,5\r\n");
  ASSERT_TRUE(lf);
  ASSERT_TRUE(crlf);
  ASSERT_EQ(lf->records.size(), 3U);
  ASSERT_EQ(crlf->records.size(), 3U);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(lf->records[i].line, crlf->records[i].line);
  EXPECT_EQ(crlf->records[0].fields, (Fields{"1", "2"}));
  EXPECT_EQ(crlf->records[1].fields, (Fields{"3", "x\r\ny"}));  // kept as written
  EXPECT_EQ(crlf->records[2].fields, (Fields{"4", "5"}));
  EXPECT_EQ(crlf->records[2].line, 5U);
}

TEST(Csv, SkipsTheBomAndBlankLinesAndPadsShortRecords) {
  auto parsed = ParseCsv(
      "\xEF\xBB\xBFref,name,extra\r\n\r\nA.5.1,Policies\r\n  \r\n,,\r\nA.5.2,Roles,x\r\n\r\n");
  ASSERT_TRUE(parsed) << parsed.error().message();
  EXPECT_EQ(parsed->header, (Fields{"ref", "name", "extra"}));
  ASSERT_EQ(parsed->records.size(), 2U);
  EXPECT_EQ(parsed->records[0].line, 3U);
  EXPECT_EQ(parsed->records[0].fields, (Fields{"A.5.1", "Policies", ""}));
  EXPECT_EQ(parsed->records[1].line, 6U);
  EXPECT_EQ(parsed->records[1].fields, (Fields{"A.5.2", "Roles", "x"}));
  // A quoted empty value is data, not a blank line.
  auto quoted = ParseCsv("a\n\"\"\n");
  ASSERT_TRUE(quoted);
  ASSERT_EQ(quoted->records.size(), 1U);
  EXPECT_EQ(quoted->records[0].fields, Fields{""});
}

TEST(Csv, InvalidUtf8NamesItsLine) {
  EXPECT_EQ(ErrorOf("a,b\n1,2\n3,\"x\ny\xff\"\n"), "Line 4: the text is not valid UTF-8.");
  EXPECT_EQ(ErrorOf("a,b\n\xc3\x28,1\n"), "Line 2: the text is not valid UTF-8.");
  EXPECT_EQ(ErrorOf("a\n\xed\xa0\x80\n"), "Line 2: the text is not valid UTF-8.");  // surrogate
  EXPECT_EQ(ErrorOf("a\n\xc0\xaf\n"), "Line 2: the text is not valid UTF-8.");      // overlong
  EXPECT_EQ(ErrorOf("a\nok\n\xf4\x90\x80\x80"), "Line 3: the text is not valid UTF-8.");
  EXPECT_EQ(ErrorOf("a\n\xe2\x82"), "Line 2: the text is not valid UTF-8.");  // cut short
  auto valid = ParseCsv("name\nZürich — 東京 \xF0\x9F\x94\x92\n");
  ASSERT_TRUE(valid);
  EXPECT_EQ(valid->records[0].fields[0], "Zürich — 東京 \xF0\x9F\x94\x92");
}

// Found by fuzz/risk_import_fuzz.cpp: a NUL in a field passed the parser and failed the whole
// risk import with a storage error (400, no line) when the row reached the database.
TEST(Csv, NulCharacterNamesItsLine) {
  EXPECT_EQ(ErrorOf(std::string_view("a,b\n1,x\0y\n", 10)),
            "Line 2: the text contains a NUL character.");
  EXPECT_EQ(ErrorOf(std::string_view("a\n\"x\r\ny\0\"\n", 10)),
            "Line 3: the text contains a NUL character.");  // inside quotes, after a CRLF
  EXPECT_EQ(ErrorOf(std::string_view("\0", 1)), "Line 1: the text contains a NUL character.");
}

TEST(Csv, UnterminatedQuoteNamesTheLineWhereItOpened) {
  EXPECT_EQ(ErrorOf("a,b\n1,2\n3,\"open\nmore\nstill\n"), "Line 3: a quoted field is not closed.");
  EXPECT_EQ(ErrorOf("a,b\n1,\"x\"y\n"),
            "Line 2: a closing quote must be followed by a comma or a line end.");
}

TEST(Csv, TooManyFieldsNamesTheRecordsFirstLine) {
  EXPECT_EQ(ErrorOf("a,b\n1,2\n\"x\ny\",2,3\n"),
            "Line 3: the record has 3 fields but the header has 2.");
}

TEST(Csv, NoHeaderIsAnError) {
  EXPECT_EQ(ErrorOf(""), "The CSV file has no header row.");
  EXPECT_EQ(ErrorOf("\xEF\xBB\xBF\r\n\n  \n"), "The CSV file has no header row.");
}

TEST(Csv, ParsesAHundredThousandRows) {
  std::string text = "ref,title,applicable,justification\r\n";
  for (int i = 0; i < 100000; ++i) {
    text += "A." + std::to_string(i) + ",\"Title, " + std::to_string(i) +
            "\",yes,\"Because \"\"we\"\" must\nreally\"\r\n";
  }
  auto parsed = ParseCsv(text);
  ASSERT_TRUE(parsed) << parsed.error().message();
  ASSERT_EQ(parsed->records.size(), 100000U);
  EXPECT_EQ(parsed->records.back().line, 2U + 2U * 99999U);
  EXPECT_EQ(parsed->records.back().fields,
            (Fields{"A.99999", "Title, 99999", "yes", "Because \"we\" must\nreally"}));
}

}  // namespace
}  // namespace certus::interchange
