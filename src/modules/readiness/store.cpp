#include "modules/readiness/store.hpp"

#include <boost/json.hpp>

namespace certus::readiness {

void RecordFolder::Flush() {
  if (current_ && has_state_) done_.push_back(std::move(*current_));
  current_.reset();
  has_state_ = false;
}

void RecordFolder::Add(const std::string& object_id, const std::string& action,
                       const std::string& after_json, const std::string& occurred_at) {
  if (!current_ || current_->id != object_id) {
    Flush();
    current_ = Record{object_id, {}, occurred_at, occurred_at, {}};
  }
  if (action == "delete") {
    // Gone; should the id come back (it never does today), it starts afresh.
    current_ = Record{object_id, {}, occurred_at, occurred_at, {}};
    has_state_ = false;
    return;
  }
  boost::system::error_code ec;
  boost::json::value after = boost::json::parse(after_json, ec);
  if (ec || !after.is_object()) return;
  auto& object = after.as_object();
  // The record itself carries its own id; a version, a measurement, a completion or an
  // acknowledgment carries another one (or none) and is kept as an event of the record.
  // A record whose JSON has no id (an SoA version) is its first event.
  if (Str(object, "id") == object_id || (!has_state_ && !object.contains("id"))) {
    current_->json = std::move(object);
    current_->updated_at = occurred_at;
    has_state_ = true;
  } else {
    current_->events.push_back({action, std::move(object), occurred_at});
  }
}

std::vector<Record> RecordFolder::Finish() {
  Flush();
  return std::move(done_);
}

Expected<std::vector<Record>> ReadinessStore::Replay(storage::Transaction& tx, const OrgId& org,
                                                     const std::string& object_type,
                                                     const std::string& until) {
  // One pass over the type's events in index order (chain, object_type, object_id, seq).
  auto result = CERTUS_TRY(tx.Execute(
      "SELECT object_id, action, COALESCE(after_json, 'null'), occurred_at FROM audit_events "
      "WHERE chain = $1 AND object_type = $2 AND occurred_at < $3 ORDER BY object_id, seq",
      {org.str(), object_type, until}));
  RecordFolder folder;
  for (const auto& row : result.rows) {
    folder.Add(row.Text(0), row.Text(1), row.Text(2), row.Text(3));
  }
  return folder.Finish();
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
