#pragma once

#include <boost/json/value.hpp>

#include "modules/improvement/model.hpp"

namespace certus::improvement {

/// The API's and the audit log's JSON for a nonconformity, with its status and closure
/// blockers (as decorated by the service).
boost::json::value ToJson(const Nonconformity& nc);
/// The API's and the audit log's JSON for a corrective action.
boost::json::value ToJson(const CorrectiveAction& action);
/// The API's and the audit log's JSON for an effectiveness review.
boost::json::value ToJson(const EffectivenessReview& review);
/// The API's and the audit log's JSON for an opportunity for improvement.
boost::json::value ToJson(const Improvement& improvement);

}  // namespace certus::improvement
