#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/page.hpp"
#include "storage/database.hpp"

namespace certus::auditlog {

/// The chain of installation-wide events (users, organizations being created).
inline constexpr std::string_view kInstallationChain = "installation";

/// A change to record. `before` is null for creations, `after` null for deletions.
struct Event {
  std::string chain;        ///< the organization id, or kInstallationChain
  std::string actor_id;     ///< empty for the system (e.g. `certus init`)
  std::string actor_label;  ///< the actor's email when the event happened
  std::string object_type;  ///< e.g. `context_issue`
  std::string object_id;
  std::string action;  ///< create, update, delete, or a verb of the module (approve, …)
  boost::json::value before;
  boost::json::value after;
  std::string request_id;
};

/// An event as stored, with its place in the chain.
struct StoredEvent {
  std::int64_t id = 0;
  std::string chain;
  std::int64_t seq = 0;
  std::string occurred_at;
  std::string actor_id;
  std::string actor_label;
  std::string object_type;
  std::string object_id;
  std::string action;
  std::string before_json;  ///< canonical JSON text, `null` when absent
  std::string after_json;
  std::string request_id;
  std::string prev_hash;
  std::string hash;
};

struct VerifyResult {
  bool ok = true;
  std::int64_t events = 0;
  std::optional<std::int64_t> first_bad_event;  ///< id of the first event that fails
  std::string problem;                          ///< what is wrong, for people; empty when ok
};

/// The append-only, hash-chained log of every change (DESIGN §5). Each chain (one per
/// organization, one for the installation) is a sequence 1, 2, 3, …; each event's hash is
/// SHA-256 over the previous hash and the event's canonical form, so editing, removing or
/// reordering any event breaks verification. Appends happen in the caller's transaction:
/// the event is committed exactly when the change it records is. Thread-safe (stateless
/// apart from the clock).
class AuditLog final {
 public:
  explicit AuditLog(const Clock& clock) : clock_(clock) {}

  Expected<void> Append(storage::Transaction& tx, const Event& event);
  /// Appends `events` in order, exactly as many Append calls would (the same sequence
  /// numbers, timestamps from one reading of the clock, the same hashes), but reads and
  /// writes each chain's head once and inserts the events in multi-row statements. For
  /// bulk changes such as imports. Events may belong to several chains.
  Expected<void> AppendAll(storage::Transaction& tx, std::span<const Event> events);

  /// Newest first. The cursor's sort key is the sequence number.
  Expected<Page<StoredEvent>> List(storage::Transaction& tx, const std::string& chain,
                                   const PageQuery& page);
  /// Every event about one object, oldest first.
  Expected<std::vector<StoredEvent>> History(storage::Transaction& tx, const std::string& chain,
                                             const std::string& object_type,
                                             const std::string& object_id);
  /// Recomputes one chain from its first event and compares it with the stored head.
  Expected<VerifyResult> Verify(storage::Transaction& tx, const std::string& chain);
  /// Every chain that has events.
  Expected<std::vector<std::string>> Chains(storage::Transaction& tx);

  /// The hash of an event given its predecessor's; exposed for tests.
  static std::string Hash(const std::string& prev_hash, const StoredEvent& event);

 private:
  const Clock& clock_;
};

}  // namespace certus::auditlog
