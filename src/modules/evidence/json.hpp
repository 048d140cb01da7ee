#pragma once

#include <boost/json/value.hpp>

#include "modules/evidence/model.hpp"

namespace certus::evidence {

/// The API's and the audit log's JSON for a piece of evidence.
boost::json::value ToJson(const Evidence& evidence);
boost::json::value ToJson(const EvidenceFile& file);

}  // namespace certus::evidence
