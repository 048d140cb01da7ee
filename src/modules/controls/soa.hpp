#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include "interchange/oscal.hpp"
#include "modules/controls/model.hpp"
#include "reports/table.hpp"

namespace certus::controls {

// The Statement of Applicability as a record (ISO 27001 6.1.3 d): its rows are the JSON of
// the controls (json.hpp's SoaRowJson), the same for the current SoA and for an approved
// version's snapshot, so that summaries, diffs and exports work alike on both.

/// A framework requirement an SoA row satisfies: the Annex A control itself, or a
/// requirement of another framework mapped to it.
struct MappedRequirement {
  std::string framework_id;
  std::string ref_id;
  std::string title;
};

struct SoaSummary {
  std::int64_t total = 0;
  std::int64_t applicable = 0;
  std::int64_t excluded = 0;
  std::int64_t undecided = 0;
  std::int64_t implemented = 0;
  std::int64_t partially_implemented = 0;
  std::int64_t planned = 0;
  std::int64_t not_started = 0;
};

/// The current SoA.
struct SoaDocument {
  std::string framework_id;
  boost::json::array rows;
  SoaSummary summary;
  std::optional<SoaVersion> latest_version;  ///< rows_json left empty
  bool changed_since_latest_version = false;
};

struct FieldChange {
  std::string field;
  boost::json::value from;
  boost::json::value to;
};

struct RowChange {
  std::string ref_id;
  std::string title;
  std::string change;  ///< added, removed or changed
  std::vector<FieldChange> fields;
};

struct SoaDiff {
  std::int64_t from = 0;
  std::optional<std::int64_t> to;  ///< nullopt: the current SoA
  std::vector<RowChange> changes;
};

enum class ExportFormat { kXlsx, kPdf, kCsv, kJson, kOscal };

const std::vector<std::string>& ExportFormatNames();
std::optional<ExportFormat> ParseExportFormat(std::string_view name);

/// An exported file: its bytes, media type and suggested file name.
struct ExportedFile {
  std::string filename;
  std::string media_type;
  std::string body;
};

struct CoverageControl {
  std::string ref_id;
  ImplementationStatus implementation_status = ImplementationStatus::kNotStarted;
  std::optional<bool> applicable;
};

struct CoverageItem {
  std::string ref_id;
  std::string title;
  std::string status;  ///< covered, partial or not_covered
  std::vector<CoverageControl> controls;
};

/// How far the organization's controls cover the requirements of one framework.
struct Coverage {
  std::string framework_id;
  std::int64_t total = 0;
  std::int64_t covered = 0;
  std::int64_t partial = 0;
  std::int64_t not_covered = 0;
  double percent = 0;  ///< covered / total × 100, one decimal
  std::vector<CoverageItem> items;
};

/// Counts of applicability and implementation over `rows`.
SoaSummary SummarizeRows(const boost::json::array& rows);

/// The rows added, removed or changed from `from` to `to` (matched by ref_id), in natural
/// ref order; unchanged rows are absent.
std::vector<RowChange> DiffRows(const boost::json::array& from, const boost::json::array& to);

/// The SoA as a table: Ref, Control, Theme, Applicable, Justification, Reasons, Status,
/// Owner, Implementation, Linked risks.
reports::TableDocument SoaTable(const boost::json::array& rows,
                                std::vector<std::pair<std::string, std::string>> facts);

/// The SoA rows as OSCAL's implemented controls.
std::vector<interchange::ImplementedControl> ImplementedControls(const boost::json::array& rows);

/// A lowercase file-name slug of `name` ("Acme Ltd" → "acme-ltd"); `fallback` when empty.
std::string FileSlug(std::string_view name, std::string_view fallback);

}  // namespace certus::controls
