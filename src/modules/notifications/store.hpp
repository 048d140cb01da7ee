#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/page.hpp"
#include "core/secret.hpp"
#include "modules/notifications/channels.hpp"
#include "modules/notifications/model.hpp"
#include "storage/database.hpp"

namespace certus::notifications {

/// A claimed background job.
struct Job {
  std::string id;
  std::string kind;  ///< "reminder_sweep", "digest"
  OrgId org_id;
  std::string payload;
  std::int64_t attempts = 0;
};

/// A claimed outbox row: a webhook delivery or an email.
struct OutboxItem {
  std::string id;
  std::int64_t attempts = 0;  ///< including this one
  // Webhook deliveries.
  std::string url;
  std::string event;
  std::string payload;
  std::string signature;
  // Emails.
  std::string recipient;
  std::string subject;
  std::string body;
};

/// SQL of the notifications module. Every function runs in the caller's transaction.
class NotificationStore final {
 public:
  using Tx = storage::Transaction;

  static const std::vector<std::string>& SortFields();

  // Jobs.
  /// Inserts the job unless one with `key` exists; true when this call inserted it.
  Expected<bool> ScheduleJob(Tx& tx, const std::string& id, const std::string& key,
                             const std::string& kind, const OrgId& org, const std::string& payload,
                             const std::string& run_at, const std::string& now);
  /// Claims up to `limit` due jobs for `owner` until `lease_until`: on PostgreSQL with
  /// FOR UPDATE SKIP LOCKED, so that concurrent claimers never get the same job.
  Expected<std::vector<Job>> ClaimJobs(Tx& tx, const std::string& now, const std::string& owner,
                                       const std::string& lease_until, int limit);
  /// Marks a job done if `owner` still holds it; false when its claim was lost.
  Expected<bool> CompleteJob(Tx& tx, const std::string& id, const std::string& owner,
                             const std::string& now);
  Expected<void> FailJob(Tx& tx, const std::string& id, const std::string& owner,
                         const std::string& error, const std::string& retry_at);

  // Reminders.
  /// Records that the reminder of `task_key` at `stage` is sent; false when it already was
  /// (by this or any other instance).
  Expected<bool> RecordReminder(Tx& tx, const OrgId& org, const std::string& task_key,
                                std::string_view stage, const std::string& due_on,
                                const std::string& now);

  // Notifications.
  Expected<void> InsertNotification(Tx& tx, const Notification& notification, bool in_app,
                                    std::string_view email_state);
  /// `scope`: only the notifications of that organization (API tokens work in one).
  Expected<Page<Notification>> ListNotifications(Tx& tx, const UserId& user,
                                                 const std::optional<OrgId>& scope,
                                                 bool unread_only, const PageQuery& page);
  Expected<std::int64_t> CountUnread(Tx& tx, const UserId& user, const std::optional<OrgId>& scope);
  Expected<std::optional<Notification>> FindNotification(Tx& tx, const UserId& user,
                                                         const std::optional<OrgId>& scope,
                                                         const NotificationId& id);
  Expected<void> MarkRead(Tx& tx, const UserId& user, const NotificationId& id,
                          const std::string& now);
  Expected<std::int64_t> MarkAllRead(Tx& tx, const UserId& user, const std::optional<OrgId>& scope,
                                     const std::string& now);
  /// Notifications waiting for the daily digest, grouped by nobody: the caller groups.
  Expected<std::vector<Notification>> PendingDigest(Tx& tx, const OrgId& org);
  Expected<void> MarkDigested(Tx& tx, const NotificationId& id);

  // Preferences.
  Expected<std::optional<Preferences>> FindPreferences(Tx& tx, const UserId& user);
  /// Writes the preferences if the stored version is `expected_version` (0: none stored).
  Expected<bool> SavePreferences(Tx& tx, const UserId& user, const Preferences& preferences,
                                 std::int64_t expected_version);

  // Webhooks.
  Expected<void> InsertWebhook(Tx& tx, const Webhook& webhook, const SecretString& secret);
  Expected<std::optional<Webhook>> FindWebhook(Tx& tx, const OrgId& org, const WebhookId& id);
  Expected<std::vector<Webhook>> ListWebhooks(Tx& tx, const OrgId& org);
  Expected<bool> UpdateWebhook(Tx& tx, const Webhook& webhook, std::int64_t expected_version);
  Expected<bool> DeleteWebhook(Tx& tx, const OrgId& org, const WebhookId& id,
                               std::int64_t expected_version);
  /// The active webhooks of `org` subscribed to `event`, with their secrets.
  Expected<std::vector<std::pair<Webhook, SecretString>>> Subscribers(Tx& tx, const OrgId& org,
                                                                      const std::string& event);
  Expected<std::vector<Delivery>> ListDeliveries(Tx& tx, const OrgId& org, const WebhookId& id,
                                                 int limit);

  // Outboxes.
  Expected<void> InsertDelivery(Tx& tx, const std::string& id, const WebhookId& webhook,
                                const OrgId& org, const std::string& event,
                                const std::string& payload, const std::string& signature,
                                const std::string& now);
  Expected<void> InsertEmail(Tx& tx, const std::string& id, const OrgId& org, const Email& email,
                             const std::string& now);
  /// Claims due deliveries (or emails) until `lease_until`, counting the attempt.
  Expected<std::vector<OutboxItem>> ClaimDeliveries(Tx& tx, const std::string& now,
                                                    const std::string& lease_until, int limit);
  Expected<std::vector<OutboxItem>> ClaimEmails(Tx& tx, const std::string& now,
                                                const std::string& lease_until, int limit);
  /// `status` pending (with `next_attempt_at`), delivered or failed.
  Expected<void> FinishDelivery(Tx& tx, const std::string& id, const std::string& status,
                                std::optional<std::int64_t> response_code, const std::string& error,
                                const std::string& next_attempt_at, const std::string& now);
  Expected<void> FinishEmail(Tx& tx, const std::string& id, const std::string& status,
                             const std::string& error, const std::string& next_attempt_at,
                             const std::string& now);
};

}  // namespace certus::notifications
