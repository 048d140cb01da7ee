#include "modules/readiness/live.hpp"

#include <algorithm>

#include <boost/json.hpp>

namespace certus::readiness {

namespace {

bool ById(const Record& record, std::string_view id) { return record.id < id; }

void Later(std::string& latest, std::string_view at) {
  if (at > latest) latest = at;
}

}  // namespace

LiveSnapshot::LiveSnapshot(Snapshot snapshot, std::int64_t seq)
    : snapshot_(std::move(snapshot)), seq_(seq) {
  for (const auto& [type, records] : snapshot_.records) {
    for (const auto& record : records) {
      Later(latest_at_, record.updated_at);
      for (const auto& event : record.events) Later(latest_at_, event.at);
    }
  }
}

Record* LiveSnapshot::Find(std::string_view object_type, std::string_view object_id) {
  auto type = snapshot_.records.find(object_type);
  if (type == snapshot_.records.end()) return nullptr;
  auto& records = type->second;
  auto it = std::lower_bound(records.begin(), records.end(), object_id, ById);
  return it != records.end() && it->id == object_id ? &*it : nullptr;
}

void LiveSnapshot::Erase(std::string_view object_type, std::string_view object_id) {
  auto type = snapshot_.records.find(object_type);
  if (type == snapshot_.records.end()) return;
  auto& records = type->second;
  auto it = std::lower_bound(records.begin(), records.end(), object_id, ById);
  if (it != records.end() && it->id == object_id) {
    records.erase(it);
  }
}

void LiveSnapshot::Fold(std::int64_t seq, std::string_view object_type, std::string_view object_id,
                        std::string_view action, std::string_view after_json,
                        std::string_view occurred_at) {
  seq_ = seq;
  ++changes_;
  Later(latest_at_, occurred_at);
  const Key key{std::string(object_type), std::string(object_id)};
  if (action == "delete") {
    Erase(object_type, object_id);
    stateless_.erase(key);
    deleted_at_[key] = occurred_at;
    return;
  }
  // As in a replay, an event whose text is not a JSON object is passed over.
  auto parsed = ParseRecordJson(after_json);
  if (!parsed) return;
  auto& object = *parsed;

  Record* record = Find(object_type, object_id);
  // The record itself carries its own id; an object without an id is the record's first
  // state (an SoA version); anything else is an event of the record (RecordFolder::Flush).
  const bool state =
      Str(object, "id") == object_id || (record == nullptr && !object.contains("id"));
  if (record != nullptr) {
    if (state) {
      record->json = std::move(object);
      record->updated_at = occurred_at;
    } else {
      record->events.push_back({std::string(action), std::move(object), std::string(occurred_at)});
    }
    return;
  }
  auto pending = stateless_.find(key);
  if (pending == stateless_.end()) {
    auto deleted = deleted_at_.find(key);
    const std::string created =
        deleted != deleted_at_.end() ? deleted->second : std::string(occurred_at);
    pending = stateless_.emplace(key, Record{key.second, {}, created, created, {}}).first;
  }
  if (!state) {
    pending->second.events.push_back(
        {std::string(action), std::move(object), std::string(occurred_at)});
    return;
  }
  Record born = std::move(pending->second);
  stateless_.erase(pending);
  born.json = std::move(object);
  born.updated_at = occurred_at;
  auto& records = snapshot_.records[key.first];
  auto at = std::lower_bound(records.begin(), records.end(), object_id, ById);
  records.insert(at, std::move(born));
}

std::size_t LiveSnapshot::size() const {
  std::size_t size = 0;
  for (const auto& [type, records] : snapshot_.records) size += records.size();
  return size;
}

}  // namespace certus::readiness
