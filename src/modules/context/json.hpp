#pragma once

#include <boost/json/value.hpp>

#include "modules/context/model.hpp"

namespace certus::context {

/// The API's and the audit log's JSON for a context issue.
boost::json::value ToJson(const ContextIssue& issue);

}  // namespace certus::context
