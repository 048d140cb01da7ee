#include "auditlog/audit_log.hpp"

#include <boost/json.hpp>

#include "core/encoding.hpp"
#include "core/time.hpp"

namespace certus::auditlog {

namespace {

const std::string kGenesis(64, '0');

constexpr std::string_view kColumns =
    "id, chain, seq, occurred_at, actor_id, actor_label, object_type, object_id, action, "
    "before_json, after_json, request_id, prev_hash, hash";

StoredEvent FromRow(const storage::Row& row) {
  return {row.Int(0),   row.Text(1),  row.Int(2),   row.Text(3), row.Text(4),
          row.Text(5),  row.Text(6),  row.Text(7),  row.Text(8), row.Text(9),
          row.Text(10), row.Text(11), row.Text(12), row.Text(13)};
}

}  // namespace

std::string AuditLog::Hash(const std::string& prev_hash, const StoredEvent& event) {
  // The canonical form: a JSON array in a fixed order; before/after are included as the
  // exact text stored, so hashing never depends on re-serialization.
  boost::json::array canonical{event.chain,      event.seq,         event.occurred_at,
                               event.actor_id,   event.actor_label, event.object_type,
                               event.object_id,  event.action,      event.before_json,
                               event.after_json, event.request_id};
  return Sha256Hex(prev_hash + "\n" + boost::json::serialize(canonical));
}

Expected<void> AuditLog::Append(storage::Transaction& tx, const Event& event) {
  // Taking the head with an UPDATE serializes appends to one chain on both engines
  // (SQLite has one writer; PostgreSQL row-locks the head until commit). The INSERT first
  // makes sure there is a head to lock even when two first events race.
  CERTUS_TRY(
      tx.Execute("INSERT INTO audit_heads (chain, seq, hash) VALUES ($1, 0, $2) ON CONFLICT "
                 "(chain) DO NOTHING",
                 {event.chain, kGenesis}));
  auto head = CERTUS_TRY(tx.Execute(
      "UPDATE audit_heads SET seq = seq + 1 WHERE chain = $1 RETURNING seq, hash", {event.chain}));
  StoredEvent stored;
  stored.seq = head.rows.at(0).Int(0);
  stored.prev_hash = head.rows.at(0).Text(1);
  stored.chain = event.chain;
  stored.occurred_at = FormatTimestamp(clock_.Now());
  stored.actor_id = event.actor_id;
  stored.actor_label = event.actor_label;
  stored.object_type = event.object_type;
  stored.object_id = event.object_id;
  stored.action = event.action;
  stored.before_json = boost::json::serialize(event.before);
  stored.after_json = boost::json::serialize(event.after);
  stored.request_id = event.request_id;
  stored.hash = Hash(stored.prev_hash, stored);

  CERTUS_TRY(tx.Execute(
      "INSERT INTO audit_events (chain, seq, occurred_at, actor_id, actor_label, object_type, "
      "object_id, action, before_json, after_json, request_id, prev_hash, hash) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
      {stored.chain, stored.seq, stored.occurred_at, stored.actor_id, stored.actor_label,
       stored.object_type, stored.object_id, stored.action, stored.before_json, stored.after_json,
       stored.request_id, stored.prev_hash, stored.hash}));
  CERTUS_TRY(
      tx.Execute("UPDATE audit_heads SET hash = $2 WHERE chain = $1", {stored.chain, stored.hash}));
  return {};
}

Expected<Page<StoredEvent>> AuditLog::List(storage::Transaction& tx, const std::string& chain,
                                           const PageQuery& page) {
  std::int64_t before_seq = INT64_MAX;
  if (page.after) before_seq = std::stoll(page.after->sort_key);
  auto result = CERTUS_TRY(
      tx.Execute(std::string("SELECT ") + std::string(kColumns) +
                     " FROM audit_events WHERE chain = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3",
                 {chain, before_seq, static_cast<std::int64_t>(page.limit + 1)}));
  Page<StoredEvent> out;
  for (const auto& row : result.rows) out.items.push_back(FromRow(row));
  if (out.items.size() > static_cast<std::size_t>(page.limit)) {
    out.items.pop_back();
    out.next = Cursor{std::to_string(out.items.back().seq), std::to_string(out.items.back().id)};
  }
  return out;
}

Expected<std::vector<StoredEvent>> AuditLog::History(storage::Transaction& tx,
                                                     const std::string& chain,
                                                     const std::string& object_type,
                                                     const std::string& object_id) {
  auto result = CERTUS_TRY(
      tx.Execute(std::string("SELECT ") + std::string(kColumns) +
                     " FROM audit_events WHERE chain = $1 AND object_type = $2 AND object_id = $3 "
                     "ORDER BY seq",
                 {chain, object_type, object_id}));
  std::vector<StoredEvent> events;
  for (const auto& row : result.rows) events.push_back(FromRow(row));
  return events;
}

Expected<VerifyResult> AuditLog::Verify(storage::Transaction& tx, const std::string& chain) {
  VerifyResult verdict;
  auto fail = [&](std::int64_t id, std::string problem) {
    verdict.ok = false;
    verdict.first_bad_event = id;
    verdict.problem = std::move(problem);
  };
  std::string prev_hash = kGenesis;
  std::int64_t expected_seq = 1;
  auto result = CERTUS_TRY(tx.Execute(std::string("SELECT ") + std::string(kColumns) +
                                          " FROM audit_events WHERE chain = $1 ORDER BY seq",
                                      {chain}));
  for (const auto& row : result.rows) {
    StoredEvent event = FromRow(row);
    ++verdict.events;
    if (!verdict.ok) continue;
    if (event.seq != expected_seq) {
      fail(event.id, "event " + std::to_string(expected_seq) + " of the chain is missing");
    } else if (event.prev_hash != prev_hash) {
      fail(event.id, "the event does not follow its predecessor");
    } else if (Hash(prev_hash, event) != event.hash) {
      fail(event.id, "the event was altered after it was written");
    }
    prev_hash = event.hash;
    ++expected_seq;
  }
  auto head = CERTUS_TRY(tx.Execute("SELECT seq, hash FROM audit_heads WHERE chain = $1", {chain}));
  if (verdict.ok && !head.rows.empty() &&
      (head.rows[0].Int(0) != expected_seq - 1 || head.rows[0].Text(1) != prev_hash)) {
    verdict.ok = false;
    verdict.problem = "events at the end of the chain are missing";
  }
  if (verdict.ok && head.rows.empty() && verdict.events > 0) {
    verdict.ok = false;
    verdict.problem = "the chain head is missing";
  }
  return verdict;
}

Expected<std::vector<std::string>> AuditLog::Chains(storage::Transaction& tx) {
  auto result = CERTUS_TRY(tx.Execute("SELECT chain FROM audit_heads ORDER BY chain"));
  std::vector<std::string> chains;
  for (const auto& row : result.rows) chains.push_back(row.Text(0));
  return chains;
}

}  // namespace certus::auditlog
