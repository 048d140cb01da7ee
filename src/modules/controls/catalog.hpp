#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace certus::controls {

/// The key and id of the built-in framework; its rows come from catalogs/iso27001-2022.tsv.
inline constexpr std::string_view kIso27001Id = "iso27001-2022";

/// One row of a built-in catalog file: a clause (4), a requirement (6.1.3), an Annex A theme
/// (A.5) or an Annex A control (A.5.1). The ISO/IEC 27002:2022 attributes are optional
/// metadata, each a list of hashtag values ("#Preventive").
struct CatalogRow {
  std::string ref_id;
  std::string kind;    ///< clause, requirement, theme or control
  std::string parent;  ///< ref_id of the parent row, empty at the top
  std::string theme;   ///< for controls: "Organizational controls", …
  std::string title;
  std::vector<std::string> control_type;
  std::vector<std::string> security_properties;
  std::vector<std::string> cybersecurity_concepts;
  std::vector<std::string> operational_capabilities;
  std::vector<std::string> security_domains;
};

/// The rows of ISO/IEC 27001:2022 in catalog order, parsed once from the embedded file.
const std::vector<CatalogRow>& Iso27001Catalog();

}  // namespace certus::controls
