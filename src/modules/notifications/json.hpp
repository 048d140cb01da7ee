#pragma once

#include <boost/json/value.hpp>

#include "modules/notifications/model.hpp"

namespace certus::notifications {

boost::json::value ToJson(const Notification& notification);
boost::json::value ToJson(const Preferences& preferences);
/// Never includes the secret.
boost::json::value ToJson(const Webhook& webhook);
boost::json::value ToJson(const Delivery& delivery);

}  // namespace certus::notifications
