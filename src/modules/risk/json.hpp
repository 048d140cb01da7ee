#pragma once

#include <boost/json/value.hpp>

#include "modules/risk/model.hpp"

namespace certus::risk {

/// The criteria as stored in the database and shown in the API.
boost::json::object CriteriaJson(const MethodologyCriteria& criteria);
/// Reads criteria written by CriteriaJson (trusted, stored text).
MethodologyCriteria CriteriaFromJson(const boost::json::value& json);

/// The API's and the audit log's JSON for a methodology version.
boost::json::value ToJson(const Methodology& methodology);
/// GET …/risk-methodology: the version in force, with `draft` (a version or null).
boost::json::value ToJson(const MethodologyState& state);
/// The API's and the audit log's JSON for an asset.
boost::json::value ToJson(const Asset& asset);

}  // namespace certus::risk
