#pragma once

#include <boost/json/value.hpp>

#include "modules/reviews/model.hpp"

namespace certus::reviews {

boost::json::value ToJson(const ManagementReview& review);
boost::json::value ToJson(const ReviewDecision& decision);
boost::json::value ToJson(const ReviewAction& action);
boost::json::value ToJson(const InputPack& pack);

}  // namespace certus::reviews
