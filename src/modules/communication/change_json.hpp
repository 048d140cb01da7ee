#pragma once

#include <boost/json/value.hpp>

#include "modules/communication/change_model.hpp"

namespace certus::communication {

/// The API's and the audit log's JSON for a change of the ISMS.
boost::json::value ToJson(const Change& change);

}  // namespace certus::communication
