#pragma once

#include <boost/json/value.hpp>

#include "modules/context/interested_party_model.hpp"

namespace certus::context {

/// The API's and the audit log's JSON for an interested party, with its requirements and
/// `unaddressed_count`.
boost::json::value ToJson(const InterestedParty& party);

}  // namespace certus::context
