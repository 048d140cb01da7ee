#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <mutex>
#include <string_view>

#include <unistd.h>
#include <xlsxwriter.h>

#include "reports/table.hpp"
#include "reports/utf8.hpp"

namespace certus::reports {

namespace {

// Excel's limits: 32,767 characters in a cell, 31 in a sheet name.
constexpr std::size_t kMaxCellCodePoints = 32767;
constexpr std::size_t kMaxSheetNameCodePoints = 31;
constexpr std::string_view kTruncated = " [truncated]";

/// A private temporary file, removed when this goes out of scope. libxlsxwriter 1.1.4 can
/// only write to a named file, so the workbook is written here and read back.
class TempFile final {
 public:
  static Expected<TempFile> Create() {
    const char* tmpdir = std::getenv("TMPDIR");
    std::string dir = tmpdir != nullptr && *tmpdir != '\0' ? tmpdir : "/tmp";
    std::string path = dir + "/certus-xlsx-XXXXXX";
    // mkstemp creates the file with mode 0600, so no other user can read the export.
    const int fd = ::mkstemp(path.data());
    if (fd < 0) {
      return tl::unexpected(Error::Internal("mkstemp in " + dir + ": " + std::strerror(errno)));
    }
    ::close(fd);
    return TempFile(std::move(dir), std::move(path));
  }

  TempFile(TempFile&& other) noexcept : dir_(std::move(other.dir_)), path_(std::move(other.path_)) {
    other.path_.clear();
  }
  TempFile& operator=(TempFile&&) = delete;
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    if (!path_.empty()) ::unlink(path_.c_str());
  }

  std::string& dir() { return dir_; }
  const std::string& path() const { return path_; }

 private:
  TempFile(std::string dir, std::string path) : dir_(std::move(dir)), path_(std::move(path)) {}

  std::string dir_;
  std::string path_;
};

struct WorkbookFree {
  void operator()(lxw_workbook* workbook) const { lxw_workbook_free(workbook); }
};
using WorkbookPtr = std::unique_ptr<lxw_workbook, WorkbookFree>;

/// Excel refuses sheet names with []:*?/\, a leading or trailing apostrophe, or more than
/// 31 characters.
std::string SheetName(std::string_view title) {
  std::string name = detail::CleanText(title);
  for (char& c : name) {
    if (std::string_view("[]:*?/\\").find(c) != std::string_view::npos ||
        static_cast<unsigned char>(c) < 0x20U) {
      c = ' ';
    }
  }
  name = std::string(detail::PrefixCodePoints(name, kMaxSheetNameCodePoints));
  const std::size_t first = name.find_first_not_of(" '");
  if (first == std::string::npos) return "Sheet1";
  const std::size_t last = name.find_last_not_of(" '");
  return name.substr(first, last - first + 1);
}

/// The cell as libxlsxwriter needs it: valid UTF-8 within Excel's length limit. A longer
/// text is cut and marked rather than failing the whole export.
std::string CellText(std::string_view cell) {
  std::string text = detail::CleanText(cell);
  if (text.size() <= kMaxCellCodePoints) return text;  // bytes bound code points
  const std::string_view kept =
      detail::PrefixCodePoints(text, kMaxCellCodePoints - kTruncated.size());
  if (kept.size() == text.size()) return text;
  return std::string(kept) + std::string(kTruncated);
}

Expected<void> Check(lxw_error error, std::string_view what) {
  if (error == LXW_NO_ERROR) return {};
  return tl::unexpected(Error::Internal("xlsx " + std::string(what) + ": " + lxw_strerror(error)));
}

Expected<std::string> ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return tl::unexpected(Error::Internal("cannot read back " + path));
  return bytes;
}

}  // namespace

Expected<std::string> WriteXlsx(const TableDocument& table) {
  const std::size_t column_count = table.columns.size();
  if (table.rows.size() + 1 > LXW_ROW_MAX || column_count > LXW_COL_MAX) {
    return tl::unexpected(
        Error(ErrorCode::kValidation, "The report is larger than a spreadsheet can hold."));
  }
  TempFile file = CERTUS_TRY(TempFile::Create());
  lxw_workbook_options options{};
  options.tmpdir = file.dir().data();
  WorkbookPtr workbook(workbook_new_opt(file.path().c_str(), &options));
  if (!workbook) return tl::unexpected(Error::Internal("workbook_new_opt failed"));

  const std::string sheet_name = SheetName(table.title);
  lxw_worksheet* sheet = workbook_add_worksheet(workbook.get(), sheet_name.c_str());
  if (sheet == nullptr) return tl::unexpected(Error::Internal("workbook_add_worksheet failed"));

  lxw_format* header_format = workbook_add_format(workbook.get());
  format_set_bold(header_format);
  format_set_text_wrap(header_format);
  format_set_align(header_format, LXW_ALIGN_VERTICAL_TOP);
  format_set_bg_color(header_format, 0xD9E1F2);
  format_set_bottom(header_format, LXW_BORDER_THIN);
  lxw_format* cell_format = workbook_add_format(workbook.get());
  format_set_text_wrap(cell_format);
  format_set_align(cell_format, LXW_ALIGN_VERTICAL_TOP);

  for (std::size_t c = 0; c < column_count; ++c) {
    const auto col = static_cast<lxw_col_t>(c);
    const double width = table.columns[c].width > 0 ? table.columns[c].width : 20;
    CERTUS_CHECK(Check(worksheet_set_column(sheet, col, col, width, cell_format), "column"));
    CERTUS_CHECK(
        Check(worksheet_write_string(sheet, 0, col, CellText(table.columns[c].heading).c_str(),
                                     header_format),
              "header"));
  }
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const auto& row = table.rows[r];
    const auto sheet_row = static_cast<lxw_row_t>(r + 1);
    for (std::size_t c = 0; c < column_count && c < row.size(); ++c) {
      if (row[c].empty()) continue;
      // write_string, never write_formula: "=..." stays text, so an export cannot execute.
      CERTUS_CHECK(Check(worksheet_write_string(sheet, sheet_row, static_cast<lxw_col_t>(c),
                                                CellText(row[c]).c_str(), cell_format),
                         "cell"));
    }
  }
  worksheet_freeze_panes(sheet, 1, 0);
  if (column_count > 0) {
    CERTUS_CHECK(Check(worksheet_autofilter(sheet, 0, 0, static_cast<lxw_row_t>(table.rows.size()),
                                            static_cast<lxw_col_t>(column_count - 1)),
                       "autofilter"));
  }

  // workbook_close writes the file and frees the workbook, whatever it returns. It dates
  // docProps/core.xml with gmtime(), whose result lives in libc's one static struct tm:
  // two exports closing at once would race on it (ThreadSanitizer, ADR 0021). One at a time.
  static std::mutex closing;
  std::unique_lock lock(closing);
  const lxw_error closed = workbook_close(workbook.release());
  lock.unlock();
  CERTUS_CHECK(Check(closed, "close"));
  return ReadAll(file.path());
}

}  // namespace certus::reports
