#pragma once

#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "modules/controls/model.hpp"
#include "modules/controls/soa.hpp"

namespace certus::controls {

/// The API's and the audit log's JSON for one SoA row.
boost::json::value ToJson(const Control& control);
/// A row of the SoA record: the control's JSON plus the requirements it satisfies. The
/// rows of an approved version are exactly these, as they were.
boost::json::value SoaRowJson(const Control& control,
                              const std::vector<MappedRequirement>& requirements);
/// An approved SoA version without its rows.
boost::json::object ToJson(const SoaVersion& version);
boost::json::object ToJson(const SoaSummary& summary);
boost::json::object ToJson(const SoaDocument& soa);
boost::json::object ToJson(const SoaDiff& diff);
boost::json::object ToJson(const Coverage& coverage);

}  // namespace certus::controls
