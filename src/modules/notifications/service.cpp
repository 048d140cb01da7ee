#include "modules/notifications/service.hpp"

#include <algorithm>

#include "core/encoding.hpp"
#include "core/uuid.hpp"
#include "modules/notifications/json.hpp"

namespace certus::notifications {

namespace {

constexpr const char* kWebhookType = "webhook";

Expected<void> CheckSignedIn(const Actor& actor) {
  if (actor.user_id.empty()) {
    return Fail(ErrorCode::kUnauthenticated, "Sign in to read your notifications.");
  }
  return {};
}

Expected<void> CheckMember(const Actor& actor) {
  if (!actor.role) return Fail(Error::NotFound("Organization"));
  return {};
}

Expected<void> CheckAdmin(const Actor& actor) {
  CERTUS_CHECK(CheckMember(actor));
  if (*actor.role != Role::kAdmin) {
    // Webhooks send the organization's duties outside Certus: a setting of the
    // organization, which admins manage (DESIGN.md §4).
    return Fail(ErrorCode::kPermissionDenied, "Only admins may manage the webhooks.");
  }
  return {};
}

Error Stale(std::string_view what) {
  return {ErrorCode::kPreconditionFailed, "Someone else changed " + std::string(what) +
                                              " since you read it; reload and try again."};
}

auditlog::Event MakeEvent(const Actor& actor, const OrgId& org, const WebhookId& id,
                          std::string action, boost::json::value before, boost::json::value after) {
  return {org.str(),         actor.user_id.str(), actor.email,      kWebhookType,    id.str(),
          std::move(action), std::move(before),   std::move(after), actor.request_id};
}

}  // namespace

std::string WebhookUrlProblem(const std::string& url) {
  if (!url.starts_with("http://") && !url.starts_with("https://")) {
    return "must be an http:// or https:// URL";
  }
  const auto rest = std::string_view(url).substr(url.find("//") + 2);
  if (rest.empty() || rest.front() == '/' || rest.find('@') != std::string_view::npos ||
      rest.find_first_of(" \r\n\t") != std::string_view::npos) {
    return "must be an http:// or https:// URL with a host and no credentials";
  }
  return {};
}

Expected<Page<Notification>> NotificationService::List(const Actor& actor,
                                                       const std::optional<OrgId>& scope,
                                                       bool unread_only, const PageQuery& page) {
  CERTUS_CHECK(CheckSignedIn(actor));
  return storage::InReadTransaction(db_, [&](storage::Transaction& tx) {
    return store_.ListNotifications(tx, actor.user_id, scope, unread_only, page);
  });
}

Expected<std::int64_t> NotificationService::UnreadCount(const Actor& actor,
                                                        const std::optional<OrgId>& scope) {
  CERTUS_CHECK(CheckSignedIn(actor));
  return storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) { return store_.CountUnread(tx, actor.user_id, scope); });
}

Expected<Notification> NotificationService::MarkRead(const Actor& actor,
                                                     const std::optional<OrgId>& scope,
                                                     const NotificationId& id) {
  CERTUS_CHECK(CheckSignedIn(actor));
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<Notification> {
    auto found = CERTUS_TRY(store_.FindNotification(tx, actor.user_id, scope, id));
    if (!found) return Fail(Error::NotFound("Notification"));
    if (!found->read_at) {
      found->read_at = FormatTimestamp(clock_.Now());
      CERTUS_CHECK(store_.MarkRead(tx, actor.user_id, id, *found->read_at));
    }
    return *found;
  });
}

Expected<std::int64_t> NotificationService::MarkAllRead(const Actor& actor,
                                                        const std::optional<OrgId>& scope) {
  CERTUS_CHECK(CheckSignedIn(actor));
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) {
    return store_.MarkAllRead(tx, actor.user_id, scope, FormatTimestamp(clock_.Now()));
  });
}

Expected<Preferences> NotificationService::GetPreferences(const Actor& actor) {
  CERTUS_CHECK(CheckSignedIn(actor));
  auto stored = CERTUS_TRY(storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) { return store_.FindPreferences(tx, actor.user_id); }));
  return stored.value_or(Preferences{});
}

Expected<Preferences> NotificationService::SavePreferences(
    const Actor& actor, const Preferences& input, std::optional<std::int64_t> expected_version) {
  CERTUS_CHECK(CheckSignedIn(actor));
  if (input.days_before_due < 0 || input.days_before_due > 90) {
    return Fail(Error::Field("days_before_due", "must be between 0 and 90"));
  }
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<Preferences> {
    auto stored = CERTUS_TRY(store_.FindPreferences(tx, actor.user_id));
    const std::int64_t current = stored ? stored->version : 0;
    if (expected_version && *expected_version != current) return Fail(Stale("your preferences"));
    Preferences after = input;
    after.version = current + 1;
    after.updated_at = FormatTimestamp(clock_.Now());
    if (!CERTUS_TRY(store_.SavePreferences(tx, actor.user_id, after, current))) {
      return Fail(Stale("your preferences"));
    }
    return after;
  });
}

Expected<std::vector<Webhook>> NotificationService::ListWebhooks(const Actor& actor,
                                                                 const OrgId& org) {
  CERTUS_CHECK(CheckMember(actor));
  return storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) { return store_.ListWebhooks(tx, org); });
}

Expected<Webhook> NotificationService::GetWebhook(const Actor& actor, const OrgId& org,
                                                  const WebhookId& id) {
  CERTUS_CHECK(CheckMember(actor));
  auto found = CERTUS_TRY(storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) { return store_.FindWebhook(tx, org, id); }));
  if (!found) return Fail(Error::NotFound("Webhook"));
  return *found;
}

Expected<CreatedWebhook> NotificationService::CreateWebhook(const Actor& actor, const OrgId& org,
                                                            const NewWebhook& input) {
  CERTUS_CHECK(CheckAdmin(actor));
  if (auto problem = WebhookUrlProblem(input.url); !problem.empty()) {
    return Fail(Error::Field("url", problem));
  }
  return storage::InWriteTransaction(
      db_, [&](storage::Transaction& tx) -> Expected<CreatedWebhook> {
        CreatedWebhook created{{}, SecretString("whsec_" + HexEncode(random_.Bytes(24)))};
        Webhook& w = created.webhook;
        w.id = WebhookId(NewUuid(clock_, random_));
        w.org_id = org;
        w.url = input.url;
        w.events = input.events;
        w.active = input.active;
        w.created_at = w.updated_at = FormatTimestamp(clock_.Now());
        CERTUS_CHECK(store_.InsertWebhook(tx, w, created.secret));
        // The audit event records the webhook without its secret (ToJson never has it).
        CERTUS_CHECK(
            audit_log_.Append(tx, MakeEvent(actor, org, w.id, "create", nullptr, ToJson(w))));
        return created;
      });
}

Expected<Webhook> NotificationService::UpdateWebhook(const Actor& actor, const OrgId& org,
                                                     const WebhookId& id, const WebhookPatch& patch,
                                                     std::int64_t expected_version) {
  CERTUS_CHECK(CheckAdmin(actor));
  if (patch.url) {
    if (auto problem = WebhookUrlProblem(*patch.url); !problem.empty()) {
      return Fail(Error::Field("url", problem));
    }
  }
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<Webhook> {
    auto before = CERTUS_TRY(store_.FindWebhook(tx, org, id));
    if (!before) return Fail(Error::NotFound("Webhook"));
    if (before->version != expected_version) return Fail(Stale("this webhook"));
    Webhook after = *before;
    if (patch.url) after.url = *patch.url;
    if (patch.events) after.events = *patch.events;
    if (patch.active) after.active = *patch.active;
    after.version = before->version + 1;
    after.updated_at = FormatTimestamp(clock_.Now());
    if (!CERTUS_TRY(store_.UpdateWebhook(tx, after, expected_version))) {
      return Fail(Stale("this webhook"));
    }
    CERTUS_CHECK(
        audit_log_.Append(tx, MakeEvent(actor, org, id, "update", ToJson(*before), ToJson(after))));
    return after;
  });
}

Expected<void> NotificationService::DeleteWebhook(const Actor& actor, const OrgId& org,
                                                  const WebhookId& id,
                                                  std::int64_t expected_version) {
  CERTUS_CHECK(CheckAdmin(actor));
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<void> {
    auto before = CERTUS_TRY(store_.FindWebhook(tx, org, id));
    if (!before) return Fail(Error::NotFound("Webhook"));
    if (before->version != expected_version) return Fail(Stale("this webhook"));
    if (!CERTUS_TRY(store_.DeleteWebhook(tx, org, id, expected_version))) {
      return Fail(Stale("this webhook"));
    }
    CERTUS_CHECK(
        audit_log_.Append(tx, MakeEvent(actor, org, id, "delete", ToJson(*before), nullptr)));
    return {};
  });
}

Expected<std::vector<Delivery>> NotificationService::Deliveries(const Actor& actor,
                                                                const OrgId& org,
                                                                const WebhookId& id) {
  CERTUS_CHECK(CheckMember(actor));
  return storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) -> Expected<std::vector<Delivery>> {
        // Members see the webhook itself; its deliveries (payloads, receiver answers) are
        // the admins'.
        if (!CERTUS_TRY(store_.FindWebhook(tx, org, id))) {
          return Fail(Error::NotFound("Webhook"));
        }
        CERTUS_CHECK(CheckAdmin(actor));
        return store_.ListDeliveries(tx, org, id, 50);
      });
}

const std::vector<std::string>& EventNames() {
  static const std::vector<std::string> kNames = {"reminder.before", "reminder.due",
                                                  "reminder.overdue"};
  return kNames;
}

std::string_view StageName(Stage stage) {
  switch (stage) {
    case Stage::kBefore: return "before";
    case Stage::kDue: return "due";
    case Stage::kOverdue: return "overdue";
  }
  return "due";
}

}  // namespace certus::notifications
