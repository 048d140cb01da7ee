// CSV files (risk register import, framework mappings): interchange::ParseCsv and
// interchange::ParseMappingCsv (src/interchange/csv.hpp, oscal.hpp). The risk register's own
// rules over the parsed rows are risk_import_fuzz.cpp.
//
// Invariants: a failure is 422 with a message ("Line N: …" naming a line of the file); a
// parsed table has a header and records of exactly the header's width, on increasing lines
// within the file; written back as RFC 4180 (every field quoted) it parses to the same table;
// mapping rows come from lines of the file and have a known relationship.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/encoding.hpp"
#include "fuzz/check.hpp"
#include "interchange/csv.hpp"
#include "interchange/oscal.hpp"

namespace {

using certus::ErrorCode;
using certus::interchange::CsvTable;

std::string Quoted(std::string_view field) {
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string WriteCsv(const CsvTable& table) {
  std::string out;
  const auto row = [&](const std::vector<std::string>& fields) {
    for (std::size_t i = 0; i < fields.size(); ++i) out += (i ? "," : "") + Quoted(fields[i]);
    out += "\r\n";
  };
  row(table.header);
  for (const auto& record : table.records) row(record.fields);
  return out;
}

/// Physical lines as the parser counts them: CRLF, LF or a lone CR each end one.
std::size_t LineCount(std::string_view text) {
  std::size_t lines = 1;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n')))
      ++lines;
  }
  return lines;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = certus::fuzz::Text(data, size);
  const std::size_t lines = LineCount(text);
  auto table = certus::interchange::ParseCsv(text);
  if (!table) {
    FUZZ_CHECK(table.error().code() == ErrorCode::kValidation, table.error().message());
    FUZZ_CHECK(!table.error().message().empty(), text);
  } else {
    FUZZ_CHECK(!table->header.empty(), text);
    std::size_t previous = 1;
    for (const auto& record : table->records) {
      FUZZ_CHECK(record.fields.size() == table->header.size(), text);
      FUZZ_CHECK(record.line > previous && record.line <= lines, std::to_string(record.line));
      previous = record.line;
      for (const auto& field : record.fields) FUZZ_CHECK(certus::IsValidUtf8(field), field);
    }
    const std::string written = WriteCsv(*table);
    auto again = certus::interchange::ParseCsv(written);
    FUZZ_CHECK(again.has_value(), written);
    FUZZ_CHECK(again->header == table->header, written);
    FUZZ_CHECK(again->records.size() == table->records.size(), written);
    for (std::size_t i = 0; i < table->records.size(); ++i) {
      FUZZ_CHECK(again->records[i].fields == table->records[i].fields, written);
    }
  }

  auto rows = certus::interchange::ParseMappingCsv(text);
  if (!rows) {
    FUZZ_CHECK(rows.error().code() == ErrorCode::kValidation, rows.error().message());
    FUZZ_CHECK(rows.error().fields().size() <= 100, rows.error().message());
    return 0;
  }
  FUZZ_CHECK(table.has_value(), text);
  constexpr std::string_view kRelationships[] = {"equivalent", "subset", "superset", "intersects",
                                                 "related"};
  for (const auto& row : *rows) {
    FUZZ_CHECK(row.line >= 2 && row.line <= lines, std::to_string(row.line));
    FUZZ_CHECK(!row.source_framework.empty() && !row.source_ref.empty() &&
                   !row.target_framework.empty() && !row.target_ref.empty(),
               std::to_string(row.line));
    FUZZ_CHECK(std::find(std::begin(kRelationships), std::end(kRelationships), row.relationship) !=
                   std::end(kRelationships),
               row.relationship);
  }
  return 0;
}
