#pragma once

#include <boost/json/value.hpp>

#include "modules/audits/model.hpp"

namespace certus::audits {

/// The API's and the audit log's JSON for the records of internal audit.
boost::json::value ToJson(const Audit& audit);
boost::json::value ToJson(const Auditor& auditor);
boost::json::value ToJson(const Conflict& conflict);
boost::json::value ToJson(const ChecklistItem& item);
boost::json::value ToJson(const Finding& finding);
boost::json::value ToJson(const Programme& programme);
boost::json::value ToJson(const ProgrammeCoverage& coverage);

}  // namespace certus::audits
