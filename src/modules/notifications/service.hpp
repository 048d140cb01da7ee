#pragma once

#include "auditlog/audit_log.hpp"
#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/page.hpp"
#include "core/random.hpp"
#include "modules/notifications/model.hpp"
#include "modules/notifications/store.hpp"
#include "storage/database.hpp"

namespace certus::notifications {

/// A webhook as created: the only time its secret is shown.
struct CreatedWebhook {
  Webhook webhook;
  SecretString secret;
};

/// In-app notifications and preferences (each user reads and changes only their own) and
/// the webhooks of an organization (members read them, admins manage them; every change is
/// audited in its transaction, without the secret). Thread-safe.
class NotificationService final {
 public:
  NotificationService(storage::Database& db, const Clock& clock, Random& random,
                      auditlog::AuditLog& audit_log)
      : db_(db), clock_(clock), random_(random), audit_log_(audit_log) {}

  // The caller's own notifications; `scope` confines them to one organization (a caller
  // with an API token, which works in one organization only).
  Expected<Page<Notification>> List(const Actor& actor, const std::optional<OrgId>& scope,
                                    bool unread_only, const PageQuery& page);
  Expected<std::int64_t> UnreadCount(const Actor& actor, const std::optional<OrgId>& scope);
  /// kNotFound for another user's notification, as if it did not exist.
  Expected<Notification> MarkRead(const Actor& actor, const std::optional<OrgId>& scope,
                                  const NotificationId& id);
  Expected<std::int64_t> MarkAllRead(const Actor& actor, const std::optional<OrgId>& scope);

  Expected<Preferences> GetPreferences(const Actor& actor);
  /// Replaces the preferences; kPreconditionFailed when `expected_version` is given and
  /// stale (0 names the defaults, before the first save).
  Expected<Preferences> SavePreferences(const Actor& actor, const Preferences& preferences,
                                        std::optional<std::int64_t> expected_version);

  // Webhooks of an organization.
  Expected<std::vector<Webhook>> ListWebhooks(const Actor& actor, const OrgId& org);
  Expected<Webhook> GetWebhook(const Actor& actor, const OrgId& org, const WebhookId& id);
  Expected<CreatedWebhook> CreateWebhook(const Actor& actor, const OrgId& org,
                                         const NewWebhook& input);
  Expected<Webhook> UpdateWebhook(const Actor& actor, const OrgId& org, const WebhookId& id,
                                  const WebhookPatch& patch, std::int64_t expected_version);
  Expected<void> DeleteWebhook(const Actor& actor, const OrgId& org, const WebhookId& id,
                               std::int64_t expected_version);
  /// The newest deliveries of a webhook (admins only).
  Expected<std::vector<Delivery>> Deliveries(const Actor& actor, const OrgId& org,
                                             const WebhookId& id);

 private:
  storage::Database& db_;
  const Clock& clock_;
  Random& random_;
  auditlog::AuditLog& audit_log_;
  NotificationStore store_;
};

/// The problem with a webhook URL, or empty when it is acceptable.
std::string WebhookUrlProblem(const std::string& url);

}  // namespace certus::notifications
