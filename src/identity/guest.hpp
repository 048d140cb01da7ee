#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "auditlog/audit_log.hpp"
#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/page.hpp"
#include "core/random.hpp"
#include "identity/model.hpp"
#include "storage/database.hpp"

namespace certus::identity {

/// A guest auditor's time-boxed, read-only access to one organization (ISO 27001 A.5.15,
/// A.5.18; ADR 0018). Not a membership: a guest reads like a viewer between `starts_at` and
/// `ends_at` unless revoked, and is never an owner, assignee or token holder.
struct GuestGrant {
  std::string id;
  OrgId org_id;
  UserId user_id;
  std::string email;
  std::string display_name;
  std::string firm;  ///< e.g. the certification body
  std::string note;  ///< e.g. the audit reference
  std::string starts_at;
  std::string ends_at;
  std::optional<std::string> revoked_at;
  UserId invited_by;
  std::int64_t version = 1;
  std::string created_at;
  std::string updated_at;
  // Derived at read time from the clock, never stored.
  std::string status;  ///< scheduled, active, expired or revoked
  std::int64_t remaining_seconds = 0;
};

/// One request of a guest to the organization's routes (A.8.15).
using GuestAccessId = StrongId<struct GuestAccessTag>;

struct GuestAccess {
  GuestAccessId id;
  OrgId org_id;
  UserId user_id;
  std::string grant_id;
  std::string method;
  std::string path;
  std::int64_t status = 0;
  std::string request_id;
  std::string at;
};

/// SQL for guest grants and the guest access log. Runs in the caller's transaction.
class GuestStore final {
 public:
  using Tx = storage::Transaction;

  Expected<void> Insert(Tx& tx, const GuestGrant& grant);
  Expected<std::optional<GuestGrant>> Find(Tx& tx, const OrgId& org, const std::string& id);
  Expected<std::vector<GuestGrant>> List(Tx& tx, const OrgId& org);
  /// The grant of `user` in `org` live at `now`; never for a member of `org`.
  Expected<std::optional<GuestGrant>> FindLive(Tx& tx, const OrgId& org, const UserId& user,
                                               const std::string& now);
  /// A grant of `user` in `org` that is not revoked and not yet over at `now`.
  Expected<bool> HasOpen(Tx& tx, const OrgId& org, const UserId& user, const std::string& now);
  /// Writes ends_at, note and revoked_at if the stored version is `expected_version`.
  Expected<bool> Update(Tx& tx, const GuestGrant& grant, std::int64_t expected_version);
  /// The organizations where `user` is a guest at `now`, with `guest_until` set.
  Expected<std::vector<OrgWithRole>> LiveOrgsOf(Tx& tx, const UserId& user, const std::string& now);

  Expected<void> InsertAccess(Tx& tx, const GuestAccess& access);
  Expected<Page<GuestAccess>> ListAccess(Tx& tx, const OrgId& org,
                                         const std::optional<UserId>& guest, const PageQuery& page);
  static const std::vector<std::string>& AccessSortFields();
};

struct NewGuest {
  std::string email;
  std::string firm;
  std::string note;
  std::optional<std::string> starts_at;  ///< now when absent
  std::string ends_at;
};

/// Invites, lists, extends and revokes guest auditors (admins of the organization), answers
/// whether a caller is a live guest, and keeps the guest access log. Thread-safe.
class GuestService final {
 public:
  /// The longest a grant may last from now.
  static constexpr std::int64_t kMaxDays = 90;

  GuestService(storage::Database& db, const Clock& clock, Random& random,
               auditlog::AuditLog& audit_log)
      : db_(db), clock_(clock), random_(random), audit_log_(audit_log) {}

  Expected<GuestGrant> Invite(const Actor& actor, const OrgId& org, const NewGuest& guest);
  /// Every grant of the organization, newest first (any member reads them).
  Expected<std::vector<GuestGrant>> List(const Actor& actor, const OrgId& org);
  Expected<GuestGrant> Get(const Actor& actor, const OrgId& org, const std::string& id);
  /// Moves the end (and the note when given); kConflict once revoked.
  Expected<GuestGrant> Extend(const Actor& actor, const OrgId& org, const std::string& id,
                              const std::string& ends_at, const std::optional<std::string>& note,
                              std::int64_t expected_version);
  Expected<GuestGrant> Revoke(const Actor& actor, const OrgId& org, const std::string& id,
                              std::optional<std::int64_t> expected_version);

  /// The grant that makes `user` a guest of `org` now, if any (a member is never a guest).
  Expected<std::optional<GuestGrant>> LiveGrant(const OrgId& org, const UserId& user);
  /// Records one request of the guest `user` under grant `grant_id` of `org`.
  Expected<void> RecordAccess(const OrgId& org, const UserId& user, std::string grant_id,
                              std::string method, std::string path, std::int64_t status,
                              std::string request_id);
  /// The access log, newest first; auditors, managers and admins read it.
  Expected<Page<GuestAccess>> AccessLog(const Actor& actor, const OrgId& org,
                                        const std::optional<UserId>& guest, const PageQuery& page);

 private:
  std::string Now() const;
  /// Fills the derived status and remaining time.
  GuestGrant& Derive(GuestGrant& grant) const;
  std::vector<GuestGrant>& Derive(std::vector<GuestGrant>& grants) const;

  storage::Database& db_;
  const Clock& clock_;
  Random& random_;
  auditlog::AuditLog& audit_log_;
  GuestStore store_;
};

boost::json::value ToJson(const GuestGrant& grant);
boost::json::value ToJson(const GuestAccess& access);

}  // namespace certus::identity
