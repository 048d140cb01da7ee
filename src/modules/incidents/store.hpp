#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/page.hpp"
#include "modules/incidents/model.hpp"
#include "storage/database.hpp"

namespace certus::incidents {

/// SQL for incidents, their links and their timeline. Every function runs in the caller's
/// transaction.
class IncidentStore final {
 public:
  using Tx = storage::Transaction;

  static const std::vector<std::string>& SortFields();

  Expected<void> Insert(Tx& tx, const Incident& incident);
  Expected<std::optional<Incident>> Find(Tx& tx, const OrgId& org, const IncidentId& id);
  Expected<Page<Incident>> List(Tx& tx, const OrgId& org, const IncidentFilter& filter,
                                const PageQuery& page);
  /// Writes `incident` and its links if the stored version is `expected_version`.
  Expected<bool> Update(Tx& tx, const Incident& incident, std::int64_t expected_version);

  /// Appends an entry; the table's triggers refuse any later change.
  Expected<void> InsertEntry(Tx& tx, const TimelineEntry& entry);
  /// Oldest first: by when it happened, then when it was recorded.
  Expected<std::vector<TimelineEntry>> ListEntries(Tx& tx, const OrgId& org, const IncidentId& id);

  /// The incidents detected on or after `from` and before `until` (both YYYY-MM-DD), without
  /// links: what the summary counts.
  Expected<std::vector<Incident>> DetectedBetween(Tx& tx, const OrgId& org, const std::string& from,
                                                  const std::string& until);

 private:
  Expected<void> LoadLinks(Tx& tx, std::vector<Incident>& incidents);
  Expected<void> WriteLinks(Tx& tx, const Incident& incident);
};

}  // namespace certus::incidents
