#pragma once

#include <boost/json/value.hpp>

#include "modules/incidents/model.hpp"

namespace certus::incidents {

/// The API's and the audit log's JSON for an incident, with its derived hours to contain
/// and to resolve.
boost::json::value ToJson(const Incident& incident);
/// The API's and the audit log's JSON for a timeline entry.
boost::json::value ToJson(const TimelineEntry& entry);
boost::json::value ToJson(const IncidentSummary& summary);

}  // namespace certus::incidents
