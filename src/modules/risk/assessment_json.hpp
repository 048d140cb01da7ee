#pragma once

#include <boost/json/value.hpp>

#include "modules/risk/assessment_model.hpp"

namespace certus::risk {

boost::json::value ToJson(const RatedRisk& risk);
boost::json::value ToJson(const RiskAssessment& assessment);
boost::json::value ToJson(const AssessmentComparison& comparison);
/// The heat map as JSON text (written directly: it may name 100,000 risks).
std::string HeatmapJsonText(const Heatmap& heatmap);
boost::json::value ToJson(const ReRating& rerating);
boost::json::value ToJson(const TreatmentPlan& plan);

}  // namespace certus::risk
