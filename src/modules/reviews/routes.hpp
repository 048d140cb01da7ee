#pragma once

#include "http/router.hpp"
#include "modules/reviews/service.hpp"

namespace certus::reviews {

/// `/api/v1/orgs/{org}/management-reviews…` (with inputs, decisions, actions, minutes) and
/// `/api/v1/orgs/{org}/review-actions/{id}`.
void AddRoutes(http::Router& router, ReviewService& service);

}  // namespace certus::reviews
