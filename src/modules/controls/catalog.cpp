#include "modules/controls/catalog.hpp"

#include <stdexcept>

#include "core/embedded_file.hpp"

namespace certus::controls {

std::vector<EmbeddedFile> BuiltinCatalogFiles();

namespace {

std::vector<std::string_view> SplitOn(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

std::vector<std::string> Hashtags(std::string_view cell) {
  std::vector<std::string> values;
  for (std::string_view value : SplitOn(cell, ' ')) {
    if (!value.empty()) values.emplace_back(value);
  }
  return values;
}

std::vector<CatalogRow> Parse(std::string_view text) {
  std::vector<CatalogRow> rows;
  bool header = true;
  for (std::string_view line : SplitOn(text, '\n')) {
    if (line.empty()) continue;
    if (header) {
      header = false;
      continue;
    }
    const std::vector<std::string_view> cells = SplitOn(line, '\t');
    if (cells.size() != 10) throw std::logic_error("catalog row without 10 cells");
    rows.push_back({.ref_id = std::string(cells[0]),
                    .kind = std::string(cells[1]),
                    .parent = std::string(cells[2]),
                    .theme = std::string(cells[3]),
                    .title = std::string(cells[4]),
                    .control_type = Hashtags(cells[5]),
                    .security_properties = Hashtags(cells[6]),
                    .cybersecurity_concepts = Hashtags(cells[7]),
                    .operational_capabilities = Hashtags(cells[8]),
                    .security_domains = Hashtags(cells[9])});
  }
  return rows;
}

}  // namespace

const std::vector<CatalogRow>& Iso27001Catalog() {
  // The file is part of the binary and checked by a test; a malformed one is a build bug.
  static const std::vector<CatalogRow> rows = [] {
    for (const EmbeddedFile& file : BuiltinCatalogFiles()) {
      if (file.name == "iso27001-2022.tsv") return Parse(file.content);
    }
    throw std::logic_error("iso27001-2022.tsv is not embedded");
  }();
  return rows;
}

}  // namespace certus::controls
