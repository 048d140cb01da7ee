#pragma once

#include <boost/json/value.hpp>

#include "core/strong_id.hpp"
#include "modules/readiness/model.hpp"

namespace certus::readiness {

boost::json::value ToJson(const Check& check);
boost::json::value ToJson(const Report& report);
boost::json::value ToJson(const Sample& sample);
/// The thresholds as the API answers them and as the audit log keeps them (with the
/// organization's id as the record's id, when given).
boost::json::value ToJson(const Settings& settings, const OrgId& org = OrgId());

}  // namespace certus::readiness
