#pragma once

#include "http/router.hpp"
#include "modules/notifications/service.hpp"

namespace certus::notifications {

/// /api/v1/me/notifications[/…], /api/v1/me/notification-preferences and
/// /api/v1/orgs/{org}/webhooks[/{id}[/deliveries]].
void AddRoutes(http::Router& router, NotificationService& service);

}  // namespace certus::notifications
