#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
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
  /// `page_rows`: events read per query while replaying (tests make it small).
  explicit ReadinessStore(std::int64_t page_rows = 10000) : page_rows_(page_rows) {}

  /// Every record of `object_type` in the organization's chain as of `until` (exclusive),
  /// rebuilt from its events in one query ordered by the index audit_events_object
  /// (chain, object_type, object_id, seq). A `delete` removes the record.
  Expected<std::vector<Record>> Replay(storage::Transaction& tx, const OrgId& org,
                                       const std::string& object_type, const std::string& until);

  /// One audit event, as the live snapshot folds it.
  struct Event {
    std::int64_t seq;
    std::string object_type;
    std::string object_id;
    std::string action;
    std::string occurred_at;
    std::string after_json;  ///< `null` when the event has none
  };
  /// The organization's events after sequence number `after` up to `upto`, in order, a page
  /// of them per query, each handed to `fold`.
  Expected<void> EventsSince(storage::Transaction& tx, const OrgId& org, std::int64_t after,
                             std::int64_t upto, const std::function<void(const Event&)>& fold);

  /// The sequence number of the first of the organization's events (up to `last_seq`) that
  /// happened at or after `instant`, or `last_seq + 1` when none did; by a binary search over
  /// sequence numbers, so it takes the events' times to grow with them.
  Expected<std::int64_t> FirstSeqFrom(storage::Transaction& tx, const OrgId& org,
                                      const std::string& instant, std::int64_t last_seq);

  /// The sequence number of the organization's latest audit event (0 when none): any change
  /// readiness could see makes it grow.
  Expected<std::int64_t> LastSeq(storage::Transaction& tx, const OrgId& org);

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

 private:
  std::int64_t page_rows_;
};

/// Folds the events of one object type, ordered by object id then sequence, into records.
/// An object's events are held until the next object starts; then only the ones that count
/// are parsed: its latest state, and the events that are not states of the record (a version,
/// a measurement). A state whose JSON opens with the record's own id is known to be one
/// without parsing; the store does not even read its text (`after_json` empty), only the
/// latest one's afterwards (`Unread`). So a register edited a million times folds in the time
/// of its records, not of its history. Exposed for tests.
class RecordFolder final {
 public:
  /// `after_json` empty: a state of the record whose text was not read (sequence `seq`).
  void Add(std::string_view object_id, std::string_view action,
           std::optional<std::string> after_json, std::string_view occurred_at,
           std::int64_t seq = 0);
  std::vector<Record> Finish();

  /// A record of Finish's answer whose state is the event `seq`, not yet read.
  struct Unread {
    std::size_t record;
    std::int64_t seq;
  };
  const std::vector<Unread>& unread() const { return unread_; }

 private:
  struct Pending {
    std::string action;
    std::optional<std::string> after_json;
    std::string occurred_at;
    std::int64_t seq;
  };
  void Flush();

  std::vector<Record> done_;
  std::vector<Unread> unread_;
  bool open_ = false;  ///< an object's events are pending
  std::string object_id_;
  std::string created_at_;  ///< the first event's, or the last deletion's
  std::vector<Pending> pending_;
};

}  // namespace certus::readiness
