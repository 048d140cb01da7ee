#include "auditlog/audit_log.hpp"

#include <algorithm>
#include <map>

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

namespace {

StoredEvent ToStored(const Event& event, std::int64_t seq, std::string prev_hash,
                     const std::string& occurred_at) {
  StoredEvent stored;
  stored.seq = seq;
  stored.prev_hash = std::move(prev_hash);
  stored.chain = event.chain;
  stored.occurred_at = occurred_at;
  stored.actor_id = event.actor_id;
  stored.actor_label = event.actor_label;
  stored.object_type = event.object_type;
  stored.object_id = event.object_id;
  stored.action = event.action;
  stored.before_json = boost::json::serialize(event.before);
  stored.after_json = boost::json::serialize(event.after);
  stored.request_id = event.request_id;
  stored.hash = AuditLog::Hash(stored.prev_hash, stored);
  return stored;
}

constexpr std::string_view kInsertColumns =
    "INSERT INTO audit_events (chain, seq, occurred_at, actor_id, actor_label, object_type, "
    "object_id, action, before_json, after_json, request_id, prev_hash, hash) VALUES ";
constexpr std::size_t kInsertParams = 13;
/// Events a multi-row INSERT carries: 13 * 256 parameters stay far below the limits of both
/// engines (SQLite 32766, PostgreSQL 65535), and full batches share one prepared statement.
constexpr std::size_t kInsertBatch = 256;

/// Inserts `events`: on PostgreSQL with as few statements as the batch size allows (a round
/// trip each); on SQLite, in process, one prepared single-row statement is as fast.
Expected<void> InsertEvents(storage::Transaction& tx, std::vector<StoredEvent>& events) {
  const std::size_t batch = tx.dialect() == storage::Dialect::kPostgres ? kInsertBatch : 1;
  std::string full_batch_sql;
  for (std::size_t begin = 0; begin < events.size(); begin += batch) {
    const std::size_t count = std::min(batch, events.size() - begin);
    std::string sql;
    if (count == batch && !full_batch_sql.empty()) {
      sql = full_batch_sql;
    } else {
      sql.reserve(kInsertColumns.size() + count * 64);
      sql += kInsertColumns;
      for (std::size_t row = 0; row < count; ++row) {
        sql += row == 0 ? "(" : ", (";
        for (std::size_t column = 0; column < kInsertParams; ++column) {
          if (column > 0) sql += ", ";
          sql += "$" + std::to_string(row * kInsertParams + column + 1);
        }
        sql += ")";
      }
      if (count == batch) full_batch_sql = sql;
    }
    std::vector<storage::Value> params;
    params.reserve(count * kInsertParams);
    for (std::size_t i = begin; i < begin + count; ++i) {
      auto& e = events[i];
      params.emplace_back(std::move(e.chain));
      params.emplace_back(e.seq);
      params.emplace_back(std::move(e.occurred_at));
      params.emplace_back(std::move(e.actor_id));
      params.emplace_back(std::move(e.actor_label));
      params.emplace_back(std::move(e.object_type));
      params.emplace_back(std::move(e.object_id));
      params.emplace_back(std::move(e.action));
      params.emplace_back(std::move(e.before_json));
      params.emplace_back(std::move(e.after_json));
      params.emplace_back(std::move(e.request_id));
      params.emplace_back(std::move(e.prev_hash));
      params.emplace_back(std::move(e.hash));
    }
    CERTUS_TRY(tx.Execute(sql, params));
  }
  return {};
}

}  // namespace

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
  std::vector<StoredEvent> stored;
  stored.push_back(ToStored(event, head.rows.at(0).Int(0), head.rows.at(0).Text(1),
                            FormatTimestamp(clock_.Now())));
  const std::string hash = stored.back().hash;
  CERTUS_CHECK(InsertEvents(tx, stored));
  CERTUS_TRY(tx.Execute("UPDATE audit_heads SET hash = $2 WHERE chain = $1", {event.chain, hash}));
  return {};
}

Expected<void> AuditLog::AppendAll(storage::Transaction& tx, std::span<const Event> events) {
  if (events.empty()) return {};
  const std::string occurred_at = FormatTimestamp(clock_.Now());
  // Chains in the order they first appear; each chain's events keep their order.
  std::vector<std::string> chains;
  std::map<std::string, std::vector<const Event*>, std::less<>> by_chain;
  for (const auto& event : events) {
    auto [it, inserted] = by_chain.try_emplace(event.chain);
    if (inserted) chains.push_back(event.chain);
    it->second.push_back(&event);
  }
  for (const auto& chain : chains) {
    const auto& chain_events = by_chain.at(chain);
    const auto count = static_cast<std::int64_t>(chain_events.size());
    // The head is taken exactly as Append takes it (the UPDATE locks it), advanced by the
    // whole batch at once.
    CERTUS_TRY(
        tx.Execute("INSERT INTO audit_heads (chain, seq, hash) VALUES ($1, 0, $2) ON CONFLICT "
                   "(chain) DO NOTHING",
                   {chain, kGenesis}));
    auto head = CERTUS_TRY(
        tx.Execute("UPDATE audit_heads SET seq = seq + $2 WHERE chain = $1 RETURNING seq, hash",
                   {chain, count}));
    std::int64_t seq = head.rows.at(0).Int(0) - count;
    std::string prev_hash = head.rows.at(0).Text(1);
    std::vector<StoredEvent> stored;
    stored.reserve(chain_events.size());
    for (const Event* event : chain_events) {
      stored.push_back(ToStored(*event, ++seq, std::move(prev_hash), occurred_at));
      prev_hash = stored.back().hash;
    }
    CERTUS_CHECK(InsertEvents(tx, stored));
    CERTUS_TRY(tx.Execute("UPDATE audit_heads SET hash = $2 WHERE chain = $1", {chain, prev_hash}));
  }
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
