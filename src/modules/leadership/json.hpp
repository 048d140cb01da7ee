#pragma once

#include <string>

#include <boost/json/value.hpp>

#include "modules/leadership/model.hpp"

namespace certus::leadership {

/// The API's and the audit log's JSON for a role.
boost::json::value ToJson(const IsmsRole& role);
/// The API's JSON for the RACI matrix: the processes (rows), the roles (columns) and the
/// assignments (cells: process, role_id, responsibility R/A/C/I).
boost::json::value ToJson(const RaciMatrix& matrix);
/// The audit log's JSON for the RACI matrix: version and cells only.
boost::json::value CellsJson(const RaciMatrix& matrix);
/// The API's and the audit log's JSON for a leadership record.
boost::json::value ToJson(const LeadershipRecord& record);

/// `12345` minor units → `"123.45"`.
std::string FormatAmount(std::int64_t amount_minor);

}  // namespace certus::leadership
