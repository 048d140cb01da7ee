#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/encoding.hpp"
#include "interchange/csv.hpp"
#include "interchange/oscal.hpp"

namespace certus::interchange {

namespace {

// A file that is wrong on every line would otherwise produce a response as long as the file.
constexpr std::size_t kMaxFieldErrors = 100;

constexpr std::array<std::string_view, 5> kColumns{
    "source_framework", "source_ref", "target_framework", "target_ref", "relationship"};
constexpr std::array<std::string_view, 5> kRelationships{"equivalent", "subset", "superset",
                                                         "intersects", "related"};

std::string Trimmed(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n";
  auto first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  auto last = text.find_last_not_of(kSpace);
  return std::string(text.substr(first, last - first + 1));
}

std::string LineName(std::size_t line) { return "line " + std::to_string(line); }

}  // namespace

Expected<std::vector<MappingRow>> ParseMappingCsv(std::string_view text) {
  CsvTable table = CERTUS_TRY(ParseCsv(text));

  // Columns by name, in any order; extra columns are ignored.
  std::array<std::optional<std::size_t>, kColumns.size()> index;
  for (std::size_t i = 0; i < table.header.size(); ++i) {
    std::string name = AsciiLower(Trimmed(table.header[i]));
    for (std::size_t c = 0; c < kColumns.size(); ++c)
      if (name == kColumns[c] && !index[c]) index[c] = i;
  }
  std::string missing;
  for (std::size_t c = 0; c < kColumns.size(); ++c) {
    if (index[c]) continue;
    if (!missing.empty()) missing += ", ";
    missing += kColumns[c];
  }
  if (!missing.empty())
    return Fail(Error::Field(LineName(1), "the header lacks the column(s) " + missing +
                                              "; expected source_framework, source_ref, "
                                              "target_framework, target_ref, relationship"));

  std::vector<MappingRow> rows;
  rows.reserve(table.records.size());
  std::vector<FieldError> errors;
  for (const CsvRecord& record : table.records) {
    std::array<std::string, kColumns.size()> values;
    std::string problems;
    for (std::size_t c = 0; c < kColumns.size(); ++c) {
      std::size_t at = *index[c];
      values[c] = at < record.fields.size() ? Trimmed(record.fields[at]) : std::string();
      if (values[c].empty()) {
        if (!problems.empty()) problems += "; ";
        problems += std::string(kColumns[c]) + " is empty";
      }
    }
    std::string relationship = AsciiLower(values[4]);
    if (!relationship.empty() && std::find(kRelationships.begin(), kRelationships.end(),
                                           relationship) == kRelationships.end()) {
      if (!problems.empty()) problems += "; ";
      problems += "relationship \"" + values[4] +
                  "\" is not one of equivalent, subset, superset, intersects, related";
    }
    if (!problems.empty()) {
      if (errors.size() < kMaxFieldErrors) errors.push_back({LineName(record.line), problems});
      continue;
    }
    rows.push_back({.line = record.line,
                    .source_framework = std::move(values[0]),
                    .source_ref = std::move(values[1]),
                    .target_framework = std::move(values[2]),
                    .target_ref = std::move(values[3]),
                    .relationship = std::move(relationship)});
  }
  if (!errors.empty()) return Fail(Error::Validation(std::move(errors)));
  return rows;
}

}  // namespace certus::interchange
