#include "modules/notifications/store.hpp"

#include <boost/json.hpp>

#include "storage/keyset.hpp"

namespace certus::notifications {

namespace {

constexpr std::string_view kNotificationColumns =
    "id, user_id, org_id, kind, title, body, link, task_key, created_at, read_at";

Notification NotificationFromRow(const storage::Row& row) {
  Notification n;
  n.id = NotificationId(row.Text(0));
  n.user_id = UserId(row.Text(1));
  n.org_id = OrgId(row.Text(2));
  n.kind = row.Text(3);
  n.title = row.Text(4);
  n.body = row.Text(5);
  n.link = row.Text(6);
  n.task_key = row.OptText(7);
  n.created_at = row.Text(8);
  n.read_at = row.OptText(9);
  return n;
}

const storage::SortKeys<Notification>& SortKeys() {
  static const storage::SortKeys<Notification> kKeys = {
      {"created_at", {"created_at", [](const Notification& n) { return n.created_at; }}},
  };
  return kKeys;
}

constexpr std::string_view kWebhookColumns =
    "id, org_id, url, events, active, version, created_at, updated_at";

std::vector<std::string> ParseEvents(const std::string& text) {
  std::vector<std::string> events;
  boost::system::error_code ec;
  auto json = boost::json::parse(text, ec);
  if (ec || !json.is_array()) return events;
  for (const auto& event : json.as_array()) {
    if (event.is_string()) events.emplace_back(event.as_string());
  }
  return events;
}

std::string EventsText(const std::vector<std::string>& events) {
  boost::json::array array;
  for (const auto& event : events) array.emplace_back(event);
  return boost::json::serialize(array);
}

Webhook WebhookFromRow(const storage::Row& row) {
  Webhook w;
  w.id = WebhookId(row.Text(0));
  w.org_id = OrgId(row.Text(1));
  w.url = row.Text(2);
  w.events = ParseEvents(row.Text(3));
  w.active = row.Bool(4);
  w.version = row.Int(5);
  w.created_at = row.Text(6);
  w.updated_at = row.Text(7);
  return w;
}

/// The organization an API token is confined to, or '' for a session (every organization).
std::string ScopeValue(const std::optional<OrgId>& scope) { return scope ? scope->str() : ""; }

std::string ForUpdate(storage::Transaction& tx) {
  // PostgreSQL: concurrent claimers skip each other's rows instead of waiting for them or
  // taking them twice. SQLite has one writer at a time, so the transaction alone suffices.
  return tx.dialect() == storage::Dialect::kPostgres ? " FOR UPDATE SKIP LOCKED" : "";
}

}  // namespace

const std::vector<std::string>& NotificationStore::SortFields() {
  static const std::vector<std::string> kFields = storage::SortFieldsOf(SortKeys());
  return kFields;
}

Expected<bool> NotificationStore::ScheduleJob(Tx& tx, const std::string& id, const std::string& key,
                                              const std::string& kind, const OrgId& org,
                                              const std::string& payload, const std::string& run_at,
                                              const std::string& now) {
  auto result = CERTUS_TRY(tx.Execute(
      "INSERT INTO jobs (id, job_key, kind, org_id, payload, run_at, created_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (job_key) DO NOTHING",
      {id, key, kind, org.empty() ? storage::Value(nullptr) : org.str(), payload, run_at, now}));
  return result.affected == 1;
}

Expected<std::vector<Job>> NotificationStore::ClaimJobs(Tx& tx, const std::string& now,
                                                        const std::string& owner,
                                                        const std::string& lease_until, int limit) {
  auto due = CERTUS_TRY(tx.Execute(
      "SELECT id, kind, org_id, payload, attempts FROM jobs WHERE done_at IS NULL AND "
      "run_at <= $1 AND (claimed_until IS NULL OR claimed_until < $1) ORDER BY run_at, id "
      "LIMIT $2" +
          ForUpdate(tx),
      {now, static_cast<std::int64_t>(limit)}));
  std::vector<Job> jobs;
  for (const auto& row : due.rows) {
    Job job{row.Text(0), row.Text(1), OrgId(row.Text(2)), row.Text(3), row.Int(4) + 1};
    CERTUS_TRY(
        tx.Execute("UPDATE jobs SET claimed_by = $2, claimed_until = $3, attempts = attempts + 1 "
                   "WHERE id = $1",
                   {job.id, owner, lease_until}));
    jobs.push_back(std::move(job));
  }
  return jobs;
}

Expected<bool> NotificationStore::CompleteJob(Tx& tx, const std::string& id,
                                              const std::string& owner, const std::string& now) {
  auto result =
      CERTUS_TRY(tx.Execute("UPDATE jobs SET done_at = $3, last_error = NULL, claimed_until = NULL "
                            "WHERE id = $1 AND claimed_by = $2 AND done_at IS NULL",
                            {id, owner, now}));
  return result.affected == 1;
}

Expected<void> NotificationStore::FailJob(Tx& tx, const std::string& id, const std::string& owner,
                                          const std::string& error, const std::string& retry_at) {
  CERTUS_TRY(
      tx.Execute("UPDATE jobs SET last_error = $3, claimed_until = NULL, run_at = $4 "
                 "WHERE id = $1 AND claimed_by = $2 AND done_at IS NULL",
                 {id, owner, error, retry_at}));
  return {};
}

Expected<bool> NotificationStore::RecordReminder(Tx& tx, const OrgId& org,
                                                 const std::string& task_key,
                                                 std::string_view stage, const std::string& due_on,
                                                 const std::string& now) {
  // ON CONFLICT rather than a unique violation: a failed statement would abort the whole
  // sweep's transaction. On PostgreSQL a concurrent insert of the same key waits for the
  // other transaction and then inserts nothing.
  auto result = CERTUS_TRY(
      tx.Execute("INSERT INTO reminders_sent (org_id, task_key, stage, due_on, sent_at) "
                 "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (org_id, task_key, stage) DO NOTHING",
                 {org.str(), task_key, std::string(stage), due_on, now}));
  return result.affected == 1;
}

Expected<void> NotificationStore::InsertNotification(Tx& tx, const Notification& n, bool in_app,
                                                     std::string_view email_state) {
  CERTUS_TRY(tx.Execute(
      "INSERT INTO notifications (id, user_id, org_id, kind, title, body, link, task_key, "
      "in_app, email_state, created_at, read_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
      {n.id.str(), n.user_id.str(), n.org_id.str(), n.kind, n.title, n.body, n.link,
       n.task_key ? storage::Value(*n.task_key) : storage::Value(nullptr),
       static_cast<std::int64_t>(in_app ? 1 : 0), std::string(email_state), n.created_at,
       n.read_at ? storage::Value(*n.read_at) : storage::Value(nullptr)}));
  return {};
}

Expected<Page<Notification>> NotificationStore::ListNotifications(Tx& tx, const UserId& user,
                                                                  const std::optional<OrgId>& scope,
                                                                  bool unread_only,
                                                                  const PageQuery& page) {
  storage::Query query{std::string("SELECT ") + std::string(kNotificationColumns) +
                           " FROM notifications WHERE user_id = $1 AND in_app = 1",
                       {user.str()}};
  if (scope) query.sql += " AND org_id = " + query.Bind(scope->str());
  if (unread_only) query.sql += " AND read_at IS NULL";
  return storage::RunKeysetPage(tx, std::move(query), SortKeys(), page, NotificationFromRow);
}

Expected<std::int64_t> NotificationStore::CountUnread(Tx& tx, const UserId& user,
                                                      const std::optional<OrgId>& scope) {
  auto result = CERTUS_TRY(
      tx.Execute("SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND in_app = 1 AND "
                 "read_at IS NULL AND ($2 = '' OR org_id = $2)",
                 {user.str(), ScopeValue(scope)}));
  return result.rows.at(0).Int(0);
}

Expected<std::optional<Notification>> NotificationStore::FindNotification(
    Tx& tx, const UserId& user, const std::optional<OrgId>& scope, const NotificationId& id) {
  auto result = CERTUS_TRY(tx.Execute(std::string("SELECT ") + std::string(kNotificationColumns) +
                                          " FROM notifications WHERE user_id = $1 AND id = $2 "
                                          "AND in_app = 1 AND ($3 = '' OR org_id = $3)",
                                      {user.str(), id.str(), ScopeValue(scope)}));
  if (result.rows.empty()) return std::nullopt;
  return NotificationFromRow(result.rows[0]);
}

Expected<void> NotificationStore::MarkRead(Tx& tx, const UserId& user, const NotificationId& id,
                                           const std::string& now) {
  CERTUS_TRY(tx.Execute(
      "UPDATE notifications SET read_at = $3 WHERE user_id = $1 AND id = $2 AND read_at IS NULL",
      {user.str(), id.str(), now}));
  return {};
}

Expected<std::int64_t> NotificationStore::MarkAllRead(Tx& tx, const UserId& user,
                                                      const std::optional<OrgId>& scope,
                                                      const std::string& now) {
  auto result = CERTUS_TRY(
      tx.Execute("UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND in_app = 1 AND "
                 "read_at IS NULL AND ($3 = '' OR org_id = $3)",
                 {user.str(), now, ScopeValue(scope)}));
  return result.affected;
}

Expected<std::vector<Notification>> NotificationStore::PendingDigest(Tx& tx, const OrgId& org) {
  auto result = CERTUS_TRY(tx.Execute(std::string("SELECT ") + std::string(kNotificationColumns) +
                                          " FROM notifications WHERE org_id = $1 AND "
                                          "email_state = 'digest' ORDER BY user_id, created_at, id",
                                      {org.str()}));
  std::vector<Notification> out;
  for (const auto& row : result.rows) out.push_back(NotificationFromRow(row));
  return out;
}

Expected<void> NotificationStore::MarkDigested(Tx& tx, const NotificationId& id) {
  CERTUS_TRY(tx.Execute(
      "UPDATE notifications SET email_state = 'digested' WHERE id = $1 AND email_state = 'digest'",
      {id.str()}));
  return {};
}

Expected<std::optional<Preferences>> NotificationStore::FindPreferences(Tx& tx,
                                                                        const UserId& user) {
  auto result =
      CERTUS_TRY(tx.Execute("SELECT email, in_app, digest, days_before_due, version, updated_at "
                            "FROM notification_preferences WHERE user_id = $1",
                            {user.str()}));
  if (result.rows.empty()) return std::nullopt;
  const auto& row = result.rows[0];
  Preferences p;
  p.email = row.Bool(0);
  p.in_app = row.Bool(1);
  p.digest = row.Text(2) == "daily" ? Digest::kDaily : Digest::kOff;
  p.days_before_due = row.Int(3);
  p.version = row.Int(4);
  p.updated_at = row.Text(5);
  return p;
}

Expected<bool> NotificationStore::SavePreferences(Tx& tx, const UserId& user, const Preferences& p,
                                                  std::int64_t expected_version) {
  const std::string digest = p.digest == Digest::kDaily ? "daily" : "off";
  if (expected_version == 0) {
    auto result = CERTUS_TRY(tx.Execute(
        "INSERT INTO notification_preferences (user_id, email, in_app, digest, days_before_due, "
        "version, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) "
        "ON CONFLICT (user_id) DO NOTHING",
        {user.str(), static_cast<std::int64_t>(p.email), static_cast<std::int64_t>(p.in_app),
         digest, p.days_before_due, p.version, p.updated_at}));
    return result.affected == 1;
  }
  auto result = CERTUS_TRY(tx.Execute(
      "UPDATE notification_preferences SET email = $2, in_app = $3, digest = $4, "
      "days_before_due = $5, version = $6, updated_at = $7 WHERE user_id = $1 AND version = $8",
      {user.str(), static_cast<std::int64_t>(p.email), static_cast<std::int64_t>(p.in_app), digest,
       p.days_before_due, p.version, p.updated_at, expected_version}));
  return result.affected == 1;
}

Expected<void> NotificationStore::InsertWebhook(Tx& tx, const Webhook& w,
                                                const SecretString& secret) {
  CERTUS_TRY(tx.Execute(
      "INSERT INTO webhooks (id, org_id, url, secret, events, active, version, created_at, "
      "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
      {w.id.str(), w.org_id.str(), w.url, secret.Expose(), EventsText(w.events),
       static_cast<std::int64_t>(w.active), w.version, w.created_at, w.updated_at}));
  return {};
}

Expected<std::optional<Webhook>> NotificationStore::FindWebhook(Tx& tx, const OrgId& org,
                                                                const WebhookId& id) {
  auto result = CERTUS_TRY(tx.Execute(std::string("SELECT ") + std::string(kWebhookColumns) +
                                          " FROM webhooks WHERE org_id = $1 AND id = $2",
                                      {org.str(), id.str()}));
  if (result.rows.empty()) return std::nullopt;
  return WebhookFromRow(result.rows[0]);
}

Expected<std::vector<Webhook>> NotificationStore::ListWebhooks(Tx& tx, const OrgId& org) {
  auto result = CERTUS_TRY(tx.Execute(std::string("SELECT ") + std::string(kWebhookColumns) +
                                          " FROM webhooks WHERE org_id = $1 "
                                          "ORDER BY created_at, id",
                                      {org.str()}));
  std::vector<Webhook> out;
  for (const auto& row : result.rows) out.push_back(WebhookFromRow(row));
  return out;
}

Expected<bool> NotificationStore::UpdateWebhook(Tx& tx, const Webhook& w,
                                                std::int64_t expected_version) {
  auto result = CERTUS_TRY(tx.Execute(
      "UPDATE webhooks SET url = $3, events = $4, active = $5, version = $6, updated_at = $7 "
      "WHERE org_id = $1 AND id = $2 AND version = $8",
      {w.org_id.str(), w.id.str(), w.url, EventsText(w.events), static_cast<std::int64_t>(w.active),
       w.version, w.updated_at, expected_version}));
  return result.affected == 1;
}

Expected<bool> NotificationStore::DeleteWebhook(Tx& tx, const OrgId& org, const WebhookId& id,
                                                std::int64_t expected_version) {
  CERTUS_TRY(tx.Execute("DELETE FROM webhook_deliveries WHERE webhook_id = $1", {id.str()}));
  auto result =
      CERTUS_TRY(tx.Execute("DELETE FROM webhooks WHERE org_id = $1 AND id = $2 AND version = $3",
                            {org.str(), id.str(), expected_version}));
  return result.affected == 1;
}

Expected<std::vector<std::pair<Webhook, SecretString>>> NotificationStore::Subscribers(
    Tx& tx, const OrgId& org, const std::string& event) {
  auto result = CERTUS_TRY(tx.Execute(std::string("SELECT ") + std::string(kWebhookColumns) +
                                          ", secret FROM webhooks WHERE org_id = $1 AND "
                                          "active = 1 ORDER BY created_at, id",
                                      {org.str()}));
  std::vector<std::pair<Webhook, SecretString>> out;
  for (const auto& row : result.rows) {
    Webhook w = WebhookFromRow(row);
    if (std::find(w.events.begin(), w.events.end(), event) == w.events.end() &&
        std::find(w.events.begin(), w.events.end(), "*") == w.events.end()) {
      continue;
    }
    out.emplace_back(std::move(w), SecretString(row.Text(8)));
  }
  return out;
}

Expected<std::vector<Delivery>> NotificationStore::ListDeliveries(Tx& tx, const OrgId& org,
                                                                  const WebhookId& id, int limit) {
  auto result = CERTUS_TRY(
      tx.Execute("SELECT id, event, status, attempts, response_code, next_attempt_at, created_at "
                 "FROM webhook_deliveries WHERE org_id = $1 AND webhook_id = $2 "
                 "ORDER BY created_at DESC, id DESC LIMIT $3",
                 {org.str(), id.str(), static_cast<std::int64_t>(limit)}));
  std::vector<Delivery> out;
  for (const auto& row : result.rows) {
    out.push_back({row.Text(0), row.Text(1), row.Text(2), row.Int(3), row.OptInt(4), row.Text(5),
                   row.Text(6)});
  }
  return out;
}

Expected<void> NotificationStore::InsertDelivery(Tx& tx, const std::string& id,
                                                 const WebhookId& webhook, const OrgId& org,
                                                 const std::string& event,
                                                 const std::string& payload,
                                                 const std::string& signature,
                                                 const std::string& now) {
  CERTUS_TRY(tx.Execute(
      "INSERT INTO webhook_deliveries (id, webhook_id, org_id, event, payload, signature, "
      "next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
      {id, webhook.str(), org.str(), event, payload, signature, now}));
  return {};
}

Expected<void> NotificationStore::InsertEmail(Tx& tx, const std::string& id, const OrgId& org,
                                              const Email& email, const std::string& now) {
  CERTUS_TRY(
      tx.Execute("INSERT INTO email_outbox (id, org_id, recipient, subject, body, next_attempt_at, "
                 "created_at) VALUES ($1, $2, $3, $4, $5, $6, $6)",
                 {id, org.str(), email.to, email.subject, email.body, now}));
  return {};
}

Expected<std::vector<OutboxItem>> NotificationStore::ClaimDeliveries(Tx& tx, const std::string& now,
                                                                     const std::string& lease_until,
                                                                     int limit) {
  auto due = CERTUS_TRY(tx.Execute(
      "SELECT d.id, d.attempts, w.url, d.event, d.payload, d.signature "
      "FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id "
      "WHERE d.status = 'pending' AND d.next_attempt_at <= $1 AND "
      "(d.claimed_until IS NULL OR d.claimed_until < $1) ORDER BY d.next_attempt_at, d.id "
      "LIMIT $2" +
          std::string(tx.dialect() == storage::Dialect::kPostgres ? " FOR UPDATE OF d SKIP LOCKED"
                                                                  : ""),
      {now, static_cast<std::int64_t>(limit)}));
  std::vector<OutboxItem> out;
  for (const auto& row : due.rows) {
    OutboxItem item;
    item.id = row.Text(0);
    item.attempts = row.Int(1) + 1;
    item.url = row.Text(2);
    item.event = row.Text(3);
    item.payload = row.Text(4);
    item.signature = row.Text(5);
    CERTUS_TRY(tx.Execute(
        "UPDATE webhook_deliveries SET claimed_until = $2, attempts = attempts + 1 WHERE id = $1",
        {item.id, lease_until}));
    out.push_back(std::move(item));
  }
  return out;
}

Expected<std::vector<OutboxItem>> NotificationStore::ClaimEmails(Tx& tx, const std::string& now,
                                                                 const std::string& lease_until,
                                                                 int limit) {
  auto due = CERTUS_TRY(tx.Execute(
      "SELECT id, attempts, recipient, subject, body FROM email_outbox "
      "WHERE status = 'pending' AND next_attempt_at <= $1 AND "
      "(claimed_until IS NULL OR claimed_until < $1) ORDER BY next_attempt_at, id LIMIT $2" +
          ForUpdate(tx),
      {now, static_cast<std::int64_t>(limit)}));
  std::vector<OutboxItem> out;
  for (const auto& row : due.rows) {
    OutboxItem item;
    item.id = row.Text(0);
    item.attempts = row.Int(1) + 1;
    item.recipient = row.Text(2);
    item.subject = row.Text(3);
    item.body = row.Text(4);
    CERTUS_TRY(tx.Execute(
        "UPDATE email_outbox SET claimed_until = $2, attempts = attempts + 1 WHERE id = $1",
        {item.id, lease_until}));
    out.push_back(std::move(item));
  }
  return out;
}

Expected<void> NotificationStore::FinishDelivery(Tx& tx, const std::string& id,
                                                 const std::string& status,
                                                 std::optional<std::int64_t> response_code,
                                                 const std::string& error,
                                                 const std::string& next_attempt_at,
                                                 const std::string& now) {
  CERTUS_TRY(tx.Execute(
      "UPDATE webhook_deliveries SET status = $2, response_code = $3, last_error = $4, "
      "next_attempt_at = $5, claimed_until = NULL, delivered_at = $6 WHERE id = $1",
      {id, status, response_code ? storage::Value(*response_code) : storage::Value(nullptr),
       error.empty() ? storage::Value(nullptr) : storage::Value(error), next_attempt_at,
       status == "delivered" ? storage::Value(now) : storage::Value(nullptr)}));
  return {};
}

Expected<void> NotificationStore::FinishEmail(Tx& tx, const std::string& id,
                                              const std::string& status, const std::string& error,
                                              const std::string& next_attempt_at,
                                              const std::string& now) {
  CERTUS_TRY(tx.Execute(
      "UPDATE email_outbox SET status = $2, last_error = $3, next_attempt_at = $4, "
      "claimed_until = NULL, sent_at = $5 WHERE id = $1",
      {id, status, error.empty() ? storage::Value(nullptr) : storage::Value(error), next_attempt_at,
       status == "sent" ? storage::Value(now) : storage::Value(nullptr)}));
  return {};
}

}  // namespace certus::notifications
