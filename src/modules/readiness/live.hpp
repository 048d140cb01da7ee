#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "modules/readiness/model.hpp"

namespace certus::readiness {

/// The ISMS of one organization as it stands now, kept between evaluations of today and
/// brought up to date with the audit events appended since, instead of being replayed from
/// the whole log each time (docs/adr/0026-readiness-from-a-live-snapshot.md). Folding an
/// event does what RecordFolder does with it in a replay, so an evaluation of the live
/// snapshot equals one of the replayed day. Not thread-safe.
class LiveSnapshot final {
 public:
  /// From a replay of every event up to sequence number `seq`, records sorted by id.
  LiveSnapshot(Snapshot snapshot, std::int64_t seq);

  /// Folds the event `seq` of the chain; events come in sequence order, each once. Events of
  /// an object type the rules do not read are passed over by the caller.
  void Fold(std::int64_t seq, std::string_view object_type, std::string_view object_id,
            std::string_view action, std::string_view after_json, std::string_view occurred_at);

  /// Passes over the event `seq`, of a type no rule reads.
  void PassOver(std::int64_t seq) { seq_ = seq; }

  /// The records, with `as_of` and `until` as the last evaluation set them.
  Snapshot& snapshot() { return snapshot_; }
  /// The sequence number of the last event folded.
  std::int64_t seq() const { return seq_; }
  /// The latest moment of any event folded: a day before it cannot be evaluated from here.
  const std::string& latest_at() const { return latest_at_; }
  /// How many events were folded since it was built: the same count, the same records.
  std::uint64_t changes() const { return changes_; }
  /// How many records it holds (what it costs in memory).
  std::size_t size() const;

 private:
  using Key = std::pair<std::string, std::string>;  // object type, object id

  Record* Find(std::string_view object_type, std::string_view object_id);
  void Erase(std::string_view object_type, std::string_view object_id);

  Snapshot snapshot_;
  std::int64_t seq_;
  std::string latest_at_;
  std::uint64_t changes_ = 0;
  /// Objects with events but no state of their own yet: not records for the rules.
  std::map<Key, Record, std::less<>> stateless_;
  /// When deleted objects were deleted: the creation time, should an id come back.
  std::map<Key, std::string, std::less<>> deleted_at_;
};

}  // namespace certus::readiness
