#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace certus::reports {

/// One column of a tabular report. `width` is in characters (XLSX column width; the PDF
/// shares the page width between columns in proportion to it).
struct Column {
  std::string heading;
  double width = 20;
};

/// A report as a domain-free table: the SoA, the risk register, the treatment plan. The
/// modules build it from their records; the writers below turn it into bytes. Every cell is
/// text, already formatted (dates as YYYY-MM-DD, booleans as the module words them).
struct TableDocument {
  std::string title;  ///< "Statement of Applicability"; sheet name and PDF title
  /// Label/value pairs shown on the PDF title page and above nothing in CSV/XLSX:
  /// {"Organization", "Acme"}, {"Version", "3"}, {"Approved by", "…"}, {"Date", "…"}.
  std::vector<std::pair<std::string, std::string>> facts;
  std::vector<Column> columns;
  std::vector<std::vector<std::string>> rows;  ///< each row has columns.size() cells
};

/// RFC 4180 CSV, UTF-8 without BOM, CRLF line ends: the header row, then one line per row.
/// Cells starting with = + - @ (a spreadsheet formula) are prefixed with a single quote so
/// that an export never executes as a formula when opened.
std::string WriteCsv(const TableDocument& table);

/// One worksheet named after the title: header row in bold and frozen, an autofilter over
/// all columns, wrapped text, the given column widths.
Expected<std::string> WriteXlsx(const TableDocument& table);

/// A printable A4 landscape PDF: a title page (title and facts), then the table with the
/// header row repeated on every page, cell text wrapped, and "Page n of m" in the footer.
Expected<std::string> WritePdf(const TableDocument& table);

/// Frees what fontconfig and cairo keep for the whole process once the first PDF has been
/// written (a few hundred bytes, reused by later PDFs). For leak checkers at exit only: call
/// it after every thread has finished writing PDFs.
void ReleaseFontCaches();

}  // namespace certus::reports
