#pragma once

#include "http/router.hpp"
#include "modules/tasks/service.hpp"

namespace certus::tasks {

/// GET /api/v1/orgs/{org}/tasks and GET /api/v1/orgs/{org}/calendar: read-only, every member.
void AddRoutes(http::Router& router, TaskService& service);

}  // namespace certus::tasks
