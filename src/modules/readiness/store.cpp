#include "modules/readiness/store.hpp"

#include <algorithm>
#include <map>

#include <boost/json.hpp>
#include <fmt/format.h>

namespace certus::readiness {

namespace {

/// Whether a JSON text opens with `{"id":"<object_id>"`: then its top-level id is the
/// record's own, and the event is a state of the record (as services serialize records: the
/// id first). Any other text is parsed to find out.
bool OpensWithOwnId(std::string_view json, std::string_view object_id) {
  constexpr std::string_view kOpen = R"({"id":")";
  return json.size() > kOpen.size() + object_id.size() && json.starts_with(kOpen) &&
         json.substr(kOpen.size(), object_id.size()) == object_id &&
         json[kOpen.size() + object_id.size()] == '"';
}

}  // namespace

void RecordFolder::Add(std::string_view object_id, std::string_view action,
                       std::optional<std::string> after_json, std::string_view occurred_at,
                       std::int64_t seq) {
  if (!open_ || object_id != object_id_) {
    if (open_) Flush();
    object_id_ = object_id;
    created_at_ = occurred_at;
    open_ = true;
  }
  if (action == "delete") {
    // Gone; should the id come back (it never does today), it starts afresh.
    pending_.clear();
    created_at_ = occurred_at;
    return;
  }
  pending_.push_back({std::string(action), std::move(after_json), std::string(occurred_at), seq});
}

void RecordFolder::Flush() {
  // The record itself carries its own id; a version, a measurement, a completion or an
  // acknowledgment carries another one (or none) and is kept as an event of the record.
  // A record whose JSON has no id (an SoA version) is its first event.
  Record record{object_id_, {}, created_at_, created_at_, {}};
  std::optional<std::size_t> state;  // the latest state so far
  bool state_parsed = false;
  for (std::size_t i = 0; i < pending_.size(); ++i) {
    auto& event = pending_[i];
    if (!event.after_json || OpensWithOwnId(*event.after_json, object_id_)) {
      state = i;
      state_parsed = false;
      continue;
    }
    auto object = ParseRecordJson(*event.after_json);
    if (!object) continue;
    if (Str(*object, "id") == object_id_ || (!state && !object->contains("id"))) {
      record.json = std::move(*object);
      state = i;
      state_parsed = true;
    } else {
      record.events.push_back({event.action, std::move(*object), event.occurred_at});
    }
  }
  if (state && !state_parsed) {
    const auto& latest = pending_[*state];
    if (!latest.after_json) {
      unread_.push_back({done_.size(), latest.seq});
    } else if (auto object = ParseRecordJson(*latest.after_json)) {
      record.json = std::move(*object);
    } else {
      // Unreadable, like any event that does not parse: skipped, and the record folded again
      // without it (the state before it stands).
      pending_.erase(pending_.begin() + static_cast<std::ptrdiff_t>(*state));
      Flush();
      return;
    }
  }
  if (state) {
    record.updated_at = pending_[*state].occurred_at;
    done_.push_back(std::move(record));
  }
  pending_.clear();
}

std::vector<Record> RecordFolder::Finish() {
  if (open_) Flush();
  open_ = false;
  return std::move(done_);
}

Expected<std::vector<Record>> ReadinessStore::Replay(storage::Transaction& tx, const OrgId& org,
                                                     const std::string& object_type,
                                                     const std::string& until) {
  // One pass over the type's events in index order (chain, object_type, object_id, seq), a
  // page at a time. The text of an event that opens with its record's own id is a state of
  // the record and is not read here: of those, only each record's latest is read, below.
  constexpr std::string_view kOwnState =
      "substr(after_json, 1, length(object_id) + 8) = '{\"id\":\"' || object_id || '\"'";
  const std::string page_sql = fmt::format(
      "SELECT object_id, seq, action, occurred_at, "
      "CASE WHEN {0} THEN NULL ELSE COALESCE(after_json, 'null') END "
      "FROM audit_events WHERE chain = $1 AND object_type = $2 AND occurred_at < $3 "
      "AND (object_id, seq) > ($4, $5) ORDER BY object_id, seq LIMIT $6",
      kOwnState);
  RecordFolder folder;
  std::string after_object;
  std::int64_t after_seq = -1;
  for (;;) {
    auto page = CERTUS_TRY(
        tx.Execute(page_sql, {org.str(), object_type, until, after_object, after_seq, page_rows_}));
    for (auto& row : page.rows) {
      folder.Add(row.Text(0), row.Text(2), row.OptText(4), row.Text(3), row.Int(1));
    }
    if (static_cast<std::int64_t>(page.rows.size()) < page_rows_) break;
    after_object = page.rows.back().Text(0);
    after_seq = page.rows.back().Int(1);
  }
  auto records = folder.Finish();
  const auto& unread = folder.unread();
  // The latest states, by sequence number, a batch of them per query.
  constexpr std::size_t kBatch = 500;
  std::vector<std::size_t> dropped;
  for (std::size_t begin = 0; begin < unread.size(); begin += kBatch) {
    const std::size_t end = std::min(unread.size(), begin + kBatch);
    std::string sql = "SELECT seq, after_json FROM audit_events WHERE chain = $1 AND seq IN (";
    std::vector<storage::Value> params{org.str()};
    std::map<std::int64_t, std::size_t> record_of;
    for (std::size_t i = begin; i < end; ++i) {
      sql += fmt::format("{}${}", i == begin ? "" : ", ", params.size() + 1);
      params.emplace_back(unread[i].seq);
      record_of[unread[i].seq] = unread[i].record;
    }
    sql += ")";
    auto result = CERTUS_TRY(tx.Execute(sql, params));
    for (auto& row : result.rows) {
      auto& record = records[record_of.at(row.Int(0))];
      if (auto object = ParseRecordJson(row.Text(1))) {
        record.json = std::move(*object);
        record_of.erase(row.Int(0));
      }
    }
    // A latest state that does not parse (never seen): that record the slow way, every
    // event read, where an unreadable event is skipped and the state before it stands.
    for (const auto& [seq, index] : record_of) {
      auto& record = records[index];
      auto events = CERTUS_TRY(
          tx.Execute("SELECT action, COALESCE(after_json, 'null'), occurred_at FROM audit_events "
                     "WHERE chain = $1 AND object_type = $2 AND object_id = $3 "
                     "AND occurred_at < $4 ORDER BY seq",
                     {org.str(), object_type, record.id, until}));
      RecordFolder exact;
      for (auto& row : events.rows) {
        exact.Add(record.id, row.Text(0), row.Text(1), row.Text(2));
      }
      auto folded = exact.Finish();
      if (folded.empty()) {
        dropped.push_back(index);  // no readable state at all
      } else {
        record = std::move(folded.front());
      }
    }
  }
  std::sort(dropped.rbegin(), dropped.rend());
  for (std::size_t index : dropped) {
    records.erase(records.begin() + static_cast<std::ptrdiff_t>(index));
  }
  return records;
}

Expected<void> ReadinessStore::EventsSince(storage::Transaction& tx, const OrgId& org,
                                           std::int64_t after, std::int64_t upto,
                                           const std::function<void(const Event&)>& fold) {
  for (;;) {
    auto page = CERTUS_TRY(tx.Execute(
        "SELECT seq, object_type, object_id, action, occurred_at, COALESCE(after_json, 'null') "
        "FROM audit_events WHERE chain = $1 AND seq > $2 AND seq <= $3 ORDER BY seq LIMIT $4",
        {org.str(), after, upto, page_rows_}));
    for (const auto& row : page.rows) {
      fold({row.Int(0), row.Text(1), row.Text(2), row.Text(3), row.Text(4), row.Text(5)});
    }
    if (static_cast<std::int64_t>(page.rows.size()) < page_rows_) return {};
    after = page.rows.back().Int(0);
  }
}

Expected<std::int64_t> ReadinessStore::FirstSeqFrom(storage::Transaction& tx, const OrgId& org,
                                                    const std::string& instant,
                                                    std::int64_t last_seq) {
  std::int64_t low = 1;              // every event before low happened before instant
  std::int64_t high = last_seq + 1;  // every event from high on happened at or after it
  while (low < high) {
    const std::int64_t middle = low + ((high - low) / 2);
    auto result = CERTUS_TRY(tx.Execute(
        "SELECT occurred_at FROM audit_events WHERE chain = $1 AND seq = $2", {org.str(), middle}));
    if (!result.rows.empty() && result.rows.front().Text(0) < instant) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  return low;
}

Expected<std::int64_t> ReadinessStore::LastSeq(storage::Transaction& tx, const OrgId& org) {
  auto result = CERTUS_TRY(
      tx.Execute("SELECT COALESCE(MAX(seq), 0) FROM audit_events WHERE chain = $1", {org.str()}));
  return result.rows.front().Int(0);
}

Expected<std::optional<Settings>> ReadinessStore::FindSettings(storage::Transaction& tx,
                                                               const OrgId& org) {
  auto result = CERTUS_TRY(tx.Execute(
      "SELECT policy_ack_percent, awareness_percent, overdue_tolerance_days, recent_months, "
      "version, updated_at "
      "FROM readiness_settings WHERE org_id = $1",
      {org.str()}));
  if (result.rows.empty()) return std::optional<Settings>();
  const auto& row = result.rows.front();
  return std::optional<Settings>(
      Settings{row.Int(0), row.Int(1), row.Int(2), row.Int(3), row.Int(4), row.Text(5)});
}

Expected<bool> ReadinessStore::SaveSettings(storage::Transaction& tx, const OrgId& org,
                                            const Settings& s, std::int64_t expected_version) {
  if (expected_version == 0) {
    auto result = CERTUS_TRY(
        tx.Execute("INSERT INTO readiness_settings (org_id, policy_ack_percent, awareness_percent, "
                   "overdue_tolerance_days, recent_months, version, updated_at) "
                   "VALUES ($1, $2, $3, $4, $5, $6, $7) "
                   "ON CONFLICT (org_id) DO NOTHING",
                   {org.str(), s.policy_ack_percent, s.awareness_percent, s.overdue_tolerance_days,
                    s.recent_months, s.version, s.updated_at}));
    return result.affected == 1;
  }
  auto result = CERTUS_TRY(
      tx.Execute("UPDATE readiness_settings SET policy_ack_percent = $2, awareness_percent = $3, "
                 "overdue_tolerance_days = $4, recent_months = $5, version = $6, updated_at = $7 "
                 "WHERE org_id = $1 AND version = $8",
                 {org.str(), s.policy_ack_percent, s.awareness_percent, s.overdue_tolerance_days,
                  s.recent_months, s.version, s.updated_at, expected_version}));
  return result.affected == 1;
}

Expected<std::vector<Sample>> ReadinessStore::Samples(storage::Transaction& tx, const OrgId& org,
                                                      const std::string& from,
                                                      const std::string& to,
                                                      std::int64_t rules_version) {
  auto result =
      CERTUS_TRY(tx.Execute("SELECT day, verdict, score FROM readiness_samples "
                            "WHERE org_id = $1 AND day >= $2 AND day <= $3 AND rules_version = $4 "
                            "ORDER BY day",
                            {org.str(), from, to, rules_version}));
  std::vector<Sample> samples;
  samples.reserve(result.rows.size());
  for (const auto& row : result.rows) samples.push_back({row.Text(0), row.Text(1), row.Int(2)});
  return samples;
}

Expected<void> ReadinessStore::SaveSample(storage::Transaction& tx, const OrgId& org,
                                          const Sample& sample, std::int64_t rules_version) {
  CERTUS_TRY(
      tx.Execute("INSERT INTO readiness_samples (org_id, day, rules_version, verdict, score) "
                 "VALUES ($1, $2, $3, $4, $5) "
                 "ON CONFLICT (org_id, day) DO UPDATE SET rules_version = $3, "
                 "verdict = $4, score = $5",
                 {org.str(), sample.day, rules_version, sample.verdict, sample.score}));
  return {};
}

}  // namespace certus::readiness
