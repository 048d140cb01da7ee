#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "interchange/oscal.hpp"

namespace certus::interchange {
namespace {

std::string FieldsOf(const Error& error) {
  std::string out = error.message() + "\n";
  for (const FieldError& field : error.fields()) out += field.field + ": " + field.message + "\n";
  return out;
}

TEST(MappingCsv, ParsesRowsByColumnName) {
  // Columns in another order, an extra column, CRLF line ends, spaces and case to normalize.
  auto rows = ParseMappingCsv(
      "relationship,target_ref,notes,source_ref,source_framework,target_framework\r\n"
      "related,ac-2,accounts,A.5.16,iso27001-2022,nist-800-53r5\r\n"
      " Equivalent , ac-1 ,,A.5.1,iso27001-2022,nist-800-53r5\r\n"
      "\r\n"
      "intersects,\"pm-1\",\"a, b\",A.5.1,iso27001-2022,nist-800-53r5\r\n");
  ASSERT_TRUE(rows) << FieldsOf(rows.error());
  ASSERT_EQ(rows->size(), 3U);
  EXPECT_EQ((*rows)[0].line, 2U);
  EXPECT_EQ((*rows)[0].source_framework, "iso27001-2022");
  EXPECT_EQ((*rows)[0].source_ref, "A.5.16");
  EXPECT_EQ((*rows)[0].target_framework, "nist-800-53r5");
  EXPECT_EQ((*rows)[0].target_ref, "ac-2");
  EXPECT_EQ((*rows)[0].relationship, "related");
  EXPECT_EQ((*rows)[1].relationship, "equivalent");
  EXPECT_EQ((*rows)[1].target_ref, "ac-1");
  EXPECT_EQ((*rows)[2].line, 5U);  // the blank line 4 is skipped but counted
  EXPECT_EQ((*rows)[2].target_ref, "pm-1");
}

TEST(MappingCsv, NamesEachBadLine) {
  auto rows = ParseMappingCsv(
      "source_framework,source_ref,target_framework,target_ref,relationship\n"
      "iso27001-2022,A.5.1,nist-800-53r5,ac-1,related\n"
      "iso27001-2022,A.5.2,nist-800-53r5,ac-2,same-as\n"
      "iso27001-2022,,nist-800-53r5,ac-3,related\n"
      "iso27001-2022,A.5.4,nist-800-53r5,ac-4,subset\n"
      "iso27001-2022,A.5.5\n");
  ASSERT_FALSE(rows);
  const Error& error = rows.error();
  EXPECT_EQ(error.code(), ErrorCode::kValidation);
  ASSERT_EQ(error.fields().size(), 3U) << FieldsOf(error);
  EXPECT_EQ(error.fields()[0].field, "line 3");
  EXPECT_EQ(error.fields()[0].message,
            "relationship \"same-as\" is not one of equivalent, subset, superset, intersects, "
            "related");
  EXPECT_EQ(error.fields()[1].field, "line 4");
  EXPECT_EQ(error.fields()[1].message, "source_ref is empty");
  EXPECT_EQ(error.fields()[2].field, "line 6");
  EXPECT_EQ(error.fields()[2].message,
            "target_framework is empty; target_ref is empty; relationship is empty");
}

TEST(MappingCsv, RefusesAHeaderWithoutTheRequiredColumns) {
  auto rows = ParseMappingCsv(
      "source_framework,source_ref,target,target_ref\n"
      "iso27001-2022,A.5.1,nist-800-53r5,ac-1\n");
  ASSERT_FALSE(rows);
  ASSERT_EQ(rows.error().fields().size(), 1U) << FieldsOf(rows.error());
  EXPECT_EQ(rows.error().fields()[0].field, "line 1");
  EXPECT_NE(rows.error().fields()[0].message.find("target_framework, relationship"),
            std::string::npos)
      << FieldsOf(rows.error());
}

TEST(MappingCsv, PassesOnCsvSyntaxErrors) {
  auto rows = ParseMappingCsv(
      "source_framework,source_ref,target_framework,target_ref,relationship\n"
      "iso27001-2022,\"A.5.1,nist-800-53r5,ac-1,related\n");
  ASSERT_FALSE(rows);
  EXPECT_EQ(rows.error().code(), ErrorCode::kValidation);
}

TEST(MappingCsv, ShippedIsoToNistMappingIsValid) {
  std::filesystem::path path = std::filesystem::path(CERTUS_SOURCE_DIR) / "catalogs" / "mappings" /
                               "iso27001-2022_nist-800-53r5.csv";
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << path;
  std::ostringstream text;
  text << in.rdbuf();
  auto rows = ParseMappingCsv(text.str());
  ASSERT_TRUE(rows) << FieldsOf(rows.error());
  EXPECT_EQ(rows->size(), 234U);  // as the README says

  // Every source ref is an Annex A control of the built-in catalog.
  std::ifstream tsv(std::filesystem::path(CERTUS_SOURCE_DIR) / "catalogs" / "iso27001-2022.tsv");
  ASSERT_TRUE(tsv);
  std::set<std::string> iso_refs;
  for (std::string line; std::getline(tsv, line);) iso_refs.insert(line.substr(0, line.find('\t')));
  const std::set<std::string> families{"ac", "at", "au", "ca", "cm", "cp", "ia", "ir", "ma", "mp",
                                       "pe", "pl", "pm", "ps", "pt", "ra", "sa", "sc", "si", "sr"};
  std::set<std::string> pairs;
  for (const MappingRow& row : *rows) {
    EXPECT_EQ(row.source_framework, "iso27001-2022") << "line " << row.line;
    EXPECT_EQ(row.target_framework, "nist-800-53r5") << "line " << row.line;
    EXPECT_EQ(row.source_ref.rfind("A.", 0), 0U) << "line " << row.line;
    EXPECT_TRUE(iso_refs.count(row.source_ref)) << row.source_ref << " on line " << row.line;
    EXPECT_TRUE(families.count(row.target_ref.substr(0, 2))) << row.target_ref;
    EXPECT_TRUE(pairs.insert(row.source_ref + " " + row.target_ref).second)
        << "duplicate pair on line " << row.line;
    // OSCAL-style NIST ids: lowercase family, dash, number, optional .enhancement.
    bool lowercase = row.target_ref.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-.") ==
                     std::string::npos;
    EXPECT_TRUE(lowercase && row.target_ref.find('-') == 2) << row.target_ref;
  }
}

}  // namespace
}  // namespace certus::interchange
