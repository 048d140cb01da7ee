#pragma once

#include <optional>
#include <string>
#include <vector>

#include "modules/readiness/model.hpp"

namespace certus::readiness {

/// A document's versions as the snapshot knows them: its own JSON is written on create and
/// update only, its versions' workflow (approve, publish, supersede) is in its events.
struct DocumentView {
  const Record* record = nullptr;
  std::optional<std::int64_t> published_number;
  std::optional<Date> published_on;
  bool approved_by_someone = false;  ///< the published version carries an approval
  std::optional<Date> next_review_on;
  std::vector<std::string> acknowledged_user_ids;  ///< of the published version
};
DocumentView ViewDocument(const Record& document);

/// People doing work in the scope of the ISMS as of the snapshot (in_scope, not left).
std::vector<const Record*> PeopleInScope(const Snapshot& snapshot);

/// The approved risk methodology in force, if any.
const Record* ApprovedMethodology(const Snapshot& snapshot);

/// Measurement dates of a metric, from its events.
std::vector<Date> MeasurementDates(const Record& metric);

}  // namespace certus::readiness
