#pragma once

#include <boost/json/value.hpp>

#include "modules/objectives/model.hpp"

namespace certus::objectives {

/// The API's JSON: stored fields and the derived ones (latest value, due date, status).
boost::json::value ToJson(const Metric& metric);
boost::json::value ToJson(const Measurement& measurement);
boost::json::value ToJson(const Objective& objective);

/// The audit log's JSON: stored fields only, so that the log records changes people made,
/// not the passing of time.
boost::json::value StoredJson(const Metric& metric);
boost::json::value StoredJson(const Objective& objective);

/// A number as JSON: an integer when it is a whole one (95, not 9.5E1), else a double.
boost::json::value NumberJson(double value);

}  // namespace certus::objectives
