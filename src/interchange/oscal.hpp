#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include "core/error.hpp"

namespace certus::interchange {

/// One group, control or control enhancement of an OSCAL catalog, flattened in document
/// order. Enhancements are children of their control (`parent_ref` = "ac-2" for "ac-2.1").
struct CatalogEntry {
  std::string ref_id;  ///< the OSCAL id: "ac", "ac-2", "ac-2.1"
  std::string kind;    ///< "group", "control" or "enhancement"
  std::string title;
  std::string parent_ref;     ///< empty at the top level
  std::string label;          ///< the "label" prop when present ("AC-2(1)")
  std::string statement;      ///< the statement part as plain text, params shown as {{ id }}
  std::string guidance;       ///< the guidance part as plain text
  bool withdrawn = false;     ///< props status=withdrawn
  boost::json::value params;  ///< the control's "params" array as in the document (or null)
  boost::json::value parts;   ///< the control's "parts" array as in the document (or null)
};

struct Catalog {
  std::string uuid;
  std::string title;
  std::string version;        ///< metadata.version
  std::string oscal_version;  ///< metadata.oscal-version
  std::vector<CatalogEntry> entries;
};

/// Parses an OSCAL 1.x catalog (`{"catalog": {...}}`). kMalformed when the text is not JSON;
/// kValidation with field paths (e.g. "catalog.groups[2].controls[0].id") when it is not a
/// catalog: another OSCAL model at the top, missing uuid/metadata/title, a control without
/// id or title, duplicate ids.
Expected<Catalog> ParseOscalCatalog(std::string_view json_text);

/// One SoA row, as the OSCAL export sees it.
struct ImplementedControl {
  std::string ref_id;  ///< "A.5.1"
  std::string title;
  std::optional<bool> applicable;
  std::string justification;
  std::vector<std::string> inclusion_reasons;
  std::string implementation_status;  ///< not_started, planned, partially_implemented, implemented
  std::string implementation;         ///< how it is done
  std::string owner_email;
};

struct ComponentDefinitionInput {
  std::string org_id;  ///< seeds the deterministic UUIDs
  std::string org_name;
  std::string framework_title;   ///< "ISO/IEC 27001:2022"
  std::string framework_source;  ///< the control-implementation "source" URI
  std::string version_label;     ///< "SoA version 3" or "current (unapproved)"
  std::string last_modified;     ///< RFC 3339
  std::vector<ImplementedControl> controls;
};

/// The organization's controls and their implementation as an OSCAL 1.1.3
/// component-definition (one component of type "policy" — "this-system" is for SSPs only —,
/// one control-implementation, one implemented-requirement per applicable control, excluded
/// and undecided controls listed as props with their justification in remarks). UUIDs are
/// version 5, derived from org id and control ref, so the same SoA exports the same
/// document. Pretty-printed; validates against oscal_complete_schema-1.1.3.json.
std::string WriteOscalComponentDefinition(const ComponentDefinitionInput& input);

/// A version 5 (SHA-1, name-based) UUID of `name` in the namespace `namespace_uuid`
/// (RFC 9562 5.5), lowercase.
std::string NameBasedUuid(std::string_view namespace_uuid, std::string_view name);

/// The OSCAL control-id (an XML NCName token) for a ref: lowercased, characters outside
/// [a-z0-9._-] replaced by "-", "_" prefixed unless it starts with a letter ("A.5.1" ->
/// "a.5.1", "4.1" -> "_4.1").
std::string OscalControlId(std::string_view ref);

/// One row of a framework mapping file: `source_framework,source_ref,target_framework,
/// target_ref,relationship` (relationship: equivalent, subset, superset, intersects, related).
struct MappingRow {
  std::size_t line = 0;
  std::string source_framework;
  std::string source_ref;
  std::string target_framework;
  std::string target_ref;
  std::string relationship;
};

/// Parses a mapping CSV (header required, columns by name); kValidation naming each bad line.
Expected<std::vector<MappingRow>> ParseMappingCsv(std::string_view text);

}  // namespace certus::interchange
