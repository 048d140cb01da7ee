#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/strong_id.hpp"
#include "modules/readiness/model.hpp"
#include "storage/database.hpp"

namespace certus::readiness {

/// Reads the audit log (a deliberate cross-module read, see readiness-architecture.md) and
/// the `readiness_settings` table.
class ReadinessStore final {
 public:
  /// Every record of `object_type` in the organization's chain as of `until` (exclusive),
  /// rebuilt from its events in one query ordered by the index audit_events_object
  /// (chain, object_type, object_id, seq). A `delete` removes the record.
  Expected<std::vector<Record>> Replay(storage::Transaction& tx, const OrgId& org,
                                       const std::string& object_type, const std::string& until);

  /// The row of `readiness_settings`, if the organization saved one.
  Expected<std::optional<Settings>> FindSettings(storage::Transaction& tx, const OrgId& org);
  /// Inserts (expected_version 0) or updates the row; false when the version is stale.
  Expected<bool> SaveSettings(storage::Transaction& tx, const OrgId& org, const Settings& settings,
                              std::int64_t expected_version);

  /// The samples of days `from` through `to` (YYYY-MM-DD, inclusive) computed by
  /// `rules_version`, by day.
  Expected<std::vector<Sample>> Samples(storage::Transaction& tx, const OrgId& org,
                                        const std::string& from, const std::string& to,
                                        std::int64_t rules_version);
  /// Stores a day's sample, replacing one computed by other rules.
  Expected<void> SaveSample(storage::Transaction& tx, const OrgId& org, const Sample& sample,
                            std::int64_t rules_version);
};

/// Folds the events of one object type, ordered by object id then sequence, into records.
/// Exposed for tests.
class RecordFolder final {
 public:
  void Add(const std::string& object_id, const std::string& action, const std::string& after_json,
           const std::string& occurred_at);
  std::vector<Record> Finish();

 private:
  void Flush();
  std::vector<Record> done_;
  std::optional<Record> current_;
  bool has_state_ = false;
};

}  // namespace certus::readiness
