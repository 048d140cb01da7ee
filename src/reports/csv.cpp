#include <string_view>

#include "reports/table.hpp"

namespace certus::reports {

namespace {

/// A leading = + - @ makes a spreadsheet read the cell as a formula (CSV injection).
bool LooksLikeFormula(std::string_view cell) {
  return !cell.empty() &&
         (cell.front() == '=' || cell.front() == '+' || cell.front() == '-' || cell.front() == '@');
}

void AppendCell(std::string& out, std::string_view cell) {
  const bool formula = LooksLikeFormula(cell);
  // RFC 4180 section 2, rules 5-7: quote a field holding a comma, a quote or a line break,
  // and double the quotes inside it.
  const bool quote = cell.find_first_of(",\"\r\n") != std::string_view::npos;
  if (quote) out.push_back('"');
  if (formula) out.push_back('\'');
  std::size_t start = 0;
  for (std::size_t q = cell.find('"'); q != std::string_view::npos; q = cell.find('"', q + 1)) {
    out.append(cell.substr(start, q + 1 - start));
    out.push_back('"');
    start = q + 1;
  }
  out.append(cell.substr(start));
  if (quote) out.push_back('"');
}

/// Appends one line of `count` cells, `cell_at(i)` giving the i-th; CRLF per RFC 4180.
template <typename CellAt>
void AppendRecord(std::string& out, std::size_t count, const CellAt& cell_at) {
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0) out.push_back(',');
    AppendCell(out, cell_at(i));
  }
  out.append("\r\n");
}

}  // namespace

std::string WriteCsv(const TableDocument& table) {
  const std::size_t count = table.columns.size();
  std::string out;
  out.reserve(64 * count * (table.rows.size() + 1));
  AppendRecord(out, count,
               [&](std::size_t i) -> std::string_view { return table.columns[i].heading; });
  for (const auto& row : table.rows) {
    // A short row (a caller's slip) is padded rather than read past its end.
    AppendRecord(out, count, [&](std::size_t i) -> std::string_view {
      return i < row.size() ? std::string_view(row[i]) : std::string_view();
    });
  }
  return out;
}

}  // namespace certus::reports
