#pragma once

#include <boost/json/value.hpp>

#include "modules/controls/framework_model.hpp"

namespace certus::controls {

/// The API's and the audit log's JSON for a framework.
boost::json::value ToJson(const Framework& framework);
/// A framework with what its import wrote: `"imported": {"groups", "controls", "enhancements"}`.
boost::json::value ToJson(const ImportedFramework& imported);
boost::json::value ToJson(const Requirement& requirement);
/// One mapping as the source framework sees it.
boost::json::value ToJson(const Mapping& mapping);

/// `{"control_type": [...], ...}`, every key present; also the stored form.
boost::json::value ToJson(const RequirementAttributes& attributes);
/// The inverse of ToJson; absent or malformed keys read as empty lists.
RequirementAttributes AttributesFromJson(const boost::json::value& json);

}  // namespace certus::controls
