#include "modules/controls/soa.hpp"

#include <array>
#include <map>

#include <boost/json.hpp>

namespace certus::controls {

namespace {

constexpr std::array kFormats = {
    std::pair{"xlsx", ExportFormat::kXlsx}, std::pair{"pdf", ExportFormat::kPdf},
    std::pair{"csv", ExportFormat::kCsv}, std::pair{"json", ExportFormat::kJson},
    std::pair{"oscal", ExportFormat::kOscal}};

/// The fields a reader of the SoA cares about, in the order a diff lists them.
constexpr std::array<const char*, 7> kDiffFields = {
    "applicable",        "justification", "implementation_status", "owner_email", "implementation",
    "inclusion_reasons", "title"};

std::string TextOf(const boost::json::object& row, std::string_view field) {
  const auto* value = row.if_contains(field);
  if (value == nullptr || !value->is_string()) return {};
  return std::string(value->as_string());
}

std::optional<bool> ApplicableOf(const boost::json::object& row) {
  const auto* value = row.if_contains("applicable");
  if (value == nullptr || !value->is_bool()) return std::nullopt;
  return value->as_bool();
}

std::vector<std::string> StringsOf(const boost::json::object& row, std::string_view field) {
  std::vector<std::string> values;
  const auto* value = row.if_contains(field);
  if (value == nullptr || !value->is_array()) return values;
  for (const auto& item : value->as_array()) {
    if (item.is_string()) values.emplace_back(item.as_string());
  }
  return values;
}

std::string Join(const std::vector<std::string>& values, std::string_view separator) {
  std::string out;
  for (const auto& value : values) {
    if (!out.empty()) out += separator;
    out += value;
  }
  return out;
}

/// "partially_implemented" → "Partially implemented".
std::string Words(std::string text) {
  for (char& c : text) {
    if (c == '_') c = ' ';
  }
  if (!text.empty() && text[0] >= 'a' && text[0] <= 'z') text[0] = static_cast<char>(text[0] - 32);
  return text;
}

std::map<std::string, const boost::json::object*> ByRef(const boost::json::array& rows) {
  std::map<std::string, const boost::json::object*> by_ref;
  for (const auto& row : rows) {
    if (row.is_object())
      by_ref[NaturalSortKey(TextOf(row.as_object(), "ref_id"))] = &row.as_object();
  }
  return by_ref;
}

}  // namespace

const std::vector<std::string>& ExportFormatNames() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> names;
    names.reserve(kFormats.size());
    for (const auto& [name, format] : kFormats) names.emplace_back(name);
    return names;
  }();
  return kNames;
}

std::optional<ExportFormat> ParseExportFormat(std::string_view name) {
  for (const auto& [format_name, format] : kFormats) {
    if (name == format_name) return format;
  }
  return std::nullopt;
}

SoaSummary SummarizeRows(const boost::json::array& rows) {
  SoaSummary summary;
  for (const auto& value : rows) {
    if (!value.is_object()) continue;
    const auto& row = value.as_object();
    ++summary.total;
    auto applicable = ApplicableOf(row);
    if (!applicable) {
      ++summary.undecided;
    } else if (*applicable) {
      ++summary.applicable;
    } else {
      ++summary.excluded;
    }
    auto status = ParseImplementationStatus(TextOf(row, "implementation_status"))
                      .value_or(ImplementationStatus::kNotStarted);
    switch (status) {
      case ImplementationStatus::kNotStarted: ++summary.not_started; break;
      case ImplementationStatus::kPlanned: ++summary.planned; break;
      case ImplementationStatus::kPartiallyImplemented: ++summary.partially_implemented; break;
      case ImplementationStatus::kImplemented: ++summary.implemented; break;
    }
  }
  return summary;
}

std::vector<RowChange> DiffRows(const boost::json::array& from, const boost::json::array& to) {
  const auto before = ByRef(from);
  const auto after = ByRef(to);
  std::vector<RowChange> changes;
  auto b = before.begin();
  auto a = after.begin();
  // Both maps are in natural ref order: walk them together.
  while (b != before.end() || a != after.end()) {
    if (a == after.end() || (b != before.end() && b->first < a->first)) {
      changes.push_back({TextOf(*b->second, "ref_id"), TextOf(*b->second, "title"), "removed", {}});
      ++b;
      continue;
    }
    if (b == before.end() || a->first < b->first) {
      changes.push_back({TextOf(*a->second, "ref_id"), TextOf(*a->second, "title"), "added", {}});
      ++a;
      continue;
    }
    RowChange change{TextOf(*a->second, "ref_id"), TextOf(*a->second, "title"), "changed", {}};
    for (const char* field : kDiffFields) {
      const auto* old_value = b->second->if_contains(field);
      const auto* new_value = a->second->if_contains(field);
      boost::json::value old_json = old_value != nullptr ? *old_value : nullptr;
      boost::json::value new_json = new_value != nullptr ? *new_value : nullptr;
      if (old_json != new_json) change.fields.push_back({field, old_json, new_json});
    }
    if (!change.fields.empty()) changes.push_back(std::move(change));
    ++a;
    ++b;
  }
  return changes;
}

reports::TableDocument SoaTable(const boost::json::array& rows,
                                std::vector<std::pair<std::string, std::string>> facts) {
  reports::TableDocument table;
  table.title = "Statement of Applicability";
  table.facts = std::move(facts);
  // Widths in characters; the PDF shares the page in proportion, so "A.5.10" fits the Ref.
  table.columns = {{"Ref", 12},         {"Control", 34},       {"Theme", 18},
                   {"Applicable", 11},  {"Justification", 38}, {"Reasons", 18},
                   {"Status", 16},      {"Owner", 22},         {"Implementation", 38},
                   {"Linked risks", 14}};
  table.rows.reserve(rows.size());
  for (const auto& value : rows) {
    if (!value.is_object()) continue;
    const auto& row = value.as_object();
    auto applicable = ApplicableOf(row);
    std::vector<std::string> reasons;
    for (const auto& reason : StringsOf(row, "inclusion_reasons")) {
      reasons.push_back(reason == "legal_regulatory" ? "Legal or regulatory" : Words(reason));
    }
    std::vector<std::string> risk_refs;
    if (const auto* risks = row.if_contains("risks"); risks != nullptr && risks->is_array()) {
      for (const auto& risk : risks->as_array()) {
        if (risk.is_object()) risk_refs.push_back(TextOf(risk.as_object(), "ref"));
      }
    }
    table.rows.push_back({TextOf(row, "ref_id"), TextOf(row, "title"), TextOf(row, "theme"),
                          !applicable ? "Undecided" : (*applicable ? "Yes" : "No"),
                          TextOf(row, "justification"), Join(reasons, "; "),
                          Words(TextOf(row, "implementation_status")), TextOf(row, "owner_email"),
                          TextOf(row, "implementation"), Join(risk_refs, ", ")});
  }
  return table;
}

std::vector<interchange::ImplementedControl> ImplementedControls(const boost::json::array& rows) {
  std::vector<interchange::ImplementedControl> controls;
  controls.reserve(rows.size());
  for (const auto& value : rows) {
    if (!value.is_object()) continue;
    const auto& row = value.as_object();
    controls.push_back({TextOf(row, "ref_id"), TextOf(row, "title"), ApplicableOf(row),
                        TextOf(row, "justification"), StringsOf(row, "inclusion_reasons"),
                        TextOf(row, "implementation_status"), TextOf(row, "implementation"),
                        TextOf(row, "owner_email")});
  }
  return controls;
}

std::string FileSlug(std::string_view name, std::string_view fallback) {
  std::string slug;
  for (char c : name) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      slug += c;
    } else if (c >= 'A' && c <= 'Z') {
      slug += static_cast<char>(c + 32);
    } else if (!slug.empty() && slug.back() != '-') {
      slug += '-';
    }
  }
  while (!slug.empty() && slug.back() == '-') slug.pop_back();
  if (slug.size() > 60) slug.resize(60);
  return slug.empty() ? std::string(fallback) : slug;
}

}  // namespace certus::controls
