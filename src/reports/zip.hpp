#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace certus::reports {

/// One member of a ZIP archive: a relative path with `/` separators ("documents/POL-001.pdf")
/// and its bytes. `modified` is the date the archive records for it (midnight UTC); giving
/// every entry the same fixed date makes the archive a function of its contents.
struct ZipEntry {
  std::string path;
  std::string data;
  std::chrono::year_month_day modified{std::chrono::year{1980}, std::chrono::January,
                                       std::chrono::day{1}};
};

/// A ZIP archive (PKWARE APPNOTE, deflated members, no ZIP64) of `entries` in the order
/// given, built in memory with minizip. The same entries give the same bytes: no clock, no
/// host data, Unix mode 0644 for every member. kInternal for a path that is empty, absolute,
/// holds a backslash, a `.` or `..` segment or an empty segment, is given twice, or for a
/// member or archive that reaches 4 GiB; kInternal too when minizip fails. Thread-safe.
Expected<std::string> WriteZip(const std::vector<ZipEntry>& entries);

/// The members of a ZIP archive in archive order, each with its bytes (checked against its
/// CRC-32) and its date. kValidation when `archive` is not a ZIP archive minizip can read.
/// For tests and for checking what WriteZip wrote.
Expected<std::vector<ZipEntry>> ReadZip(std::string_view archive);

}  // namespace certus::reports
