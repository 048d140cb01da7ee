#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/strong_id.hpp"
#include "core/time.hpp"

namespace certus::notifications {

using NotificationId = StrongId<struct NotificationTag>;
using WebhookId = StrongId<struct WebhookTag>;

/// The stage of a reminder for one duty and due date; each is sent at most once.
enum class Stage { kBefore, kDue, kOverdue };

std::string_view StageName(Stage stage);

/// One in-app notification of one user.
struct Notification {
  NotificationId id;
  UserId user_id;
  OrgId org_id;
  std::string kind;  ///< "reminder.before", "reminder.due", "reminder.overdue"
  std::string title;
  std::string body;
  std::string link;  ///< a path of the web UI, e.g. "/orgs/<org>/risks/<id>"
  std::optional<std::string> task_key;
  std::string created_at;
  std::optional<std::string> read_at;
};

enum class Digest { kOff, kDaily };

/// How a user wants to hear of their duties. Absent rows mean the defaults.
struct Preferences {
  bool email = true;
  bool in_app = true;
  Digest digest = Digest::kOff;
  std::int64_t days_before_due = 7;
  std::int64_t version = 0;  ///< 0 while the user keeps the defaults
  std::string updated_at;
};

/// An outgoing webhook of an organization. The secret is never part of the JSON answer
/// but once, at creation.
struct Webhook {
  WebhookId id;
  OrgId org_id;
  std::string url;
  std::vector<std::string> events;
  bool active = true;
  std::int64_t version = 1;
  std::string created_at;
  std::string updated_at;
};

struct NewWebhook {
  std::string url;
  std::vector<std::string> events;
  bool active = true;
};

struct WebhookPatch {
  std::optional<std::string> url;
  std::optional<std::vector<std::string>> events;
  std::optional<bool> active;
};

/// The event names a webhook may subscribe to.
const std::vector<std::string>& EventNames();

/// One delivery of the webhook outbox, as the admin sees it.
struct Delivery {
  std::string id;
  std::string event;
  std::string status;  ///< pending, delivered, failed
  std::int64_t attempts = 0;
  std::optional<std::int64_t> response_code;
  std::string next_attempt_at;
  std::string created_at;
};

}  // namespace certus::notifications
