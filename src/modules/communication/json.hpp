#pragma once

#include <boost/json/value.hpp>

#include "modules/communication/model.hpp"

namespace certus::communication {

/// The API's and the audit log's JSON for a plan item (with its derived dates).
boost::json::value ToJson(const PlanItem& item);
/// The API's and the audit log's JSON for a recorded communication.
boost::json::value ToJson(const Communication& entry);

}  // namespace certus::communication
