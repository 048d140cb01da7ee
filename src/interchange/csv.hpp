#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace certus::interchange {

/// One data record of a CSV file; `line` is the 1-based line where it starts in the file
/// (the header is line 1), so that import reports can name it.
struct CsvRecord {
  std::size_t line = 0;
  std::vector<std::string> fields;
};

struct CsvTable {
  std::vector<std::string> header;  ///< trimmed, as written
  std::vector<CsvRecord> records;   ///< blank lines skipped
};

/// Parses RFC 4180 CSV (comma separated, double-quote quoting, CRLF or LF line ends, an
/// optional UTF-8 BOM). Fails with kValidation naming the line for invalid UTF-8, a NUL
/// character, an unterminated quote, a record with more fields than the header, or an empty
/// header. Records with fewer fields than the header are padded with empty strings.
Expected<CsvTable> ParseCsv(std::string_view text);

}  // namespace certus::interchange
