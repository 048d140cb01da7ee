#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "core/strong_id.hpp"

namespace certus::controls {

using FrameworkId = StrongId<struct FrameworkTag>;
using RequirementId = StrongId<struct RequirementTag>;

/// Where a framework's rows came from. Persisted as "builtin" or "oscal".
enum class FrameworkSource { kBuiltin, kOscal };

std::string_view SourceName(FrameworkSource source);

/// A catalog of requirements: ISO/IEC 27001:2022 (built in) or an imported OSCAL catalog.
/// Installation-wide: every organization reads the same frameworks.
struct Framework {
  FrameworkId id;
  std::string key;  ///< a slug, unique; mapping files name frameworks by it
  std::string title;
  std::string version;
  FrameworkSource source = FrameworkSource::kBuiltin;
  std::optional<std::string> oscal_uuid;
  std::optional<std::string> oscal_version;
  std::int64_t requirement_count = 0;  ///< computed when read
  std::string created_at;
  std::string created_by;  ///< the importer's email, "system" for built-in catalogs
};

/// The ISO/IEC 27002:2022 attributes of a control, each a list of hashtag values.
struct RequirementAttributes {
  std::vector<std::string> control_type;
  std::vector<std::string> security_properties;
  std::vector<std::string> cybersecurity_concepts;
  std::vector<std::string> operational_capabilities;
  std::vector<std::string> security_domains;
};

/// One row of a framework in catalog order. Kinds: clause, requirement, theme, control
/// (ISO); group, control, enhancement (OSCAL).
struct Requirement {
  RequirementId id;
  FrameworkId framework_id;
  std::string ref_id;  ///< "A.5.1", "ac-2.1"
  std::string kind;
  std::string title;
  std::optional<std::string> parent_ref;
  std::string theme;  ///< ISO: "Organizational controls"; OSCAL: the top-level group's title
  std::string text;   ///< the statement, as plain text
  std::string guidance;
  std::string label;  ///< OSCAL label prop ("AC-2(1)"), empty when absent
  bool withdrawn = false;
  RequirementAttributes attributes;
  boost::json::value params;  ///< OSCAL params as imported, null otherwise
  boost::json::value parts;   ///< OSCAL parts as imported, null otherwise
  std::int64_t sort_order = 0;
};

struct RequirementFilter {
  std::optional<std::string> text;  ///< in ref_id, label or title, case-insensitive
  std::optional<std::string> kind;
  std::optional<std::string> parent;  ///< parent_ref equals
};

/// What an OSCAL import wrote.
struct ImportCounts {
  std::int64_t groups = 0;
  std::int64_t controls = 0;
  std::int64_t enhancements = 0;
};

struct ImportedFramework {
  Framework framework;
  ImportCounts counts;
};

/// Persisted relationship names of a mapping (as in NIST OLIR / OSCAL mapping models).
inline const std::vector<std::string>& MappingRelationships() {
  static const std::vector<std::string> kNames = {"equivalent", "subset", "superset", "intersects",
                                                  "related"};
  return kNames;
}

/// A requirement of one framework related to a requirement of another, seen from the source.
struct Mapping {
  FrameworkId source_framework_id;
  std::string source_ref;
  FrameworkId target_framework_id;
  std::string target_ref;
  std::string relationship;  ///< one of MappingRelationships()
};

}  // namespace certus::controls
