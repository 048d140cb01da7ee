#pragma once

#include <boost/json/value.hpp>

#include "identity/model.hpp"

namespace certus::identity {

/// The API's (and the audit log's) JSON for identity objects. Never includes hashes.
boost::json::value ToJson(const User& user);
boost::json::value ToJson(const Organization& org);
boost::json::value ToJson(const OrgWithRole& org);
boost::json::value ToJson(const Member& member);
boost::json::value ToJson(const ApiToken& token);

}  // namespace certus::identity
