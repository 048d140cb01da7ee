#pragma once

#include <boost/json/value.hpp>

#include "modules/people/model.hpp"

namespace certus::people {

/// The API's and the audit log's JSON of the people module's objects.
boost::json::value ToJson(const Person& person);
boost::json::value ToJson(const PersonDetail& detail);
boost::json::value ToJson(const Competence& competence);
boost::json::value ToJson(const CompetenceEvidence& evidence);
boost::json::value ToJson(const RequiredCompetence& requirement);
boost::json::value ToJson(const PersonGaps& gaps);
boost::json::value ToJson(const Training& training);
boost::json::value ToJson(const TrainingWithProgress& training);
boost::json::value ToJson(const TrainingDetail& detail);
boost::json::value ToJson(const Completion& completion);
boost::json::value ToJson(const Awareness& awareness);

}  // namespace certus::people
