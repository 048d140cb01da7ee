#pragma once

#include "http/router.hpp"
#include "modules/risk/assessment_service.hpp"

namespace certus::risk {

/// /api/v1/orgs/{org}/risk-assessments[/{id}[/risks]], …/risk-assessments/compare,
/// …/risks/heatmap, …/risks/export, …/risk-methodology/re-rating,
/// …/risk-treatment-plan[/export].
void AddAssessmentRoutes(http::Router& router, AssessmentService& service);

}  // namespace certus::risk
