#include "storage/keyset.hpp"

namespace certus::storage {

std::string EscapeLike(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

void Query::AddTextSearch(std::string_view text, std::initializer_list<std::string_view> columns) {
  auto pattern = Bind("%" + EscapeLike(text) + "%");
  sql += " AND (";
  bool first = true;
  for (auto column : columns) {
    if (!first) sql += " OR ";
    first = false;
    sql += "LOWER(" + std::string(column) + ") LIKE LOWER(" + pattern + ") ESCAPE '\\'";
  }
  sql += ")";
}

}  // namespace certus::storage
