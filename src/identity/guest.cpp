#include "identity/guest.hpp"

#include <boost/json.hpp>

#include "core/time.hpp"
#include "core/uuid.hpp"
#include "identity/store.hpp"
#include "storage/keyset.hpp"

namespace certus::identity {

namespace {

constexpr std::string_view kGrantSelect =
    "SELECT g.id, g.org_id, g.user_id, u.email, u.display_name, g.firm, g.note, g.starts_at, "
    "g.ends_at, g.revoked_at, g.invited_by, g.version, g.created_at, g.updated_at "
    "FROM guest_grants g JOIN users u ON u.id = g.user_id ";

GuestGrant GrantFrom(const storage::Row& row) {
  GuestGrant grant;
  grant.id = row.Text(0);
  grant.org_id = OrgId(row.Text(1));
  grant.user_id = UserId(row.Text(2));
  grant.email = row.Text(3);
  grant.display_name = row.Text(4);
  grant.firm = row.Text(5);
  grant.note = row.Text(6);
  grant.starts_at = row.Text(7);
  grant.ends_at = row.Text(8);
  grant.revoked_at = row.OptText(9);
  grant.invited_by = UserId(row.Text(10));
  grant.version = row.Int(11);
  grant.created_at = row.Text(12);
  grant.updated_at = row.Text(13);
  return grant;
}

constexpr std::string_view kAccessColumns =
    "id, org_id, user_id, grant_id, method, path, status, request_id, at";

GuestAccess AccessFrom(const storage::Row& row) {
  return {GuestAccessId(row.Text(0)),
          OrgId(row.Text(1)),
          UserId(row.Text(2)),
          row.Text(3),
          row.Text(4),
          row.Text(5),
          row.Int(6),
          row.Text(7),
          row.Text(8)};
}

const storage::SortKeys<GuestAccess>& AccessSortKeys() {
  static const storage::SortKeys<GuestAccess> kKeys = {
      {"at", {"at", [](const GuestAccess& a) { return a.at; }}},
  };
  return kKeys;
}

Error NeedsAdmin() {
  return {ErrorCode::kPermissionDenied, "Only an admin of this organization may do this."};
}

Error Stale() {
  return {ErrorCode::kPreconditionFailed,
          "This guest access was changed by someone else; reload it and try again."};
}

auditlog::Event MakeEvent(const Actor& actor, const OrgId& org, const std::string& id,
                          std::string action, boost::json::value before, boost::json::value after) {
  return {org.str(),         actor.user_id.str(), actor.email,      "guest_grant",   id,
          std::move(action), std::move(before),   std::move(after), actor.request_id};
}

/// A timestamp field in its stored form; a field error when it is not RFC 3339.
Expected<Timestamp> TimeField(std::string_view field, const std::string& text) {
  auto at = ParseTimestamp(text);
  if (!at) {
    return Fail(Error::Field(std::string(field),
                             "must be a date-time in RFC 3339 form (2026-12-01T09:00:00Z)"));
  }
  return *at;
}

/// The end of a grant: after its start and after now, at most kMaxDays ahead.
Expected<void> CheckEnd(Timestamp ends, Timestamp starts, Timestamp now) {
  if (ends <= starts) return Fail(Error::Field("ends_at", "must be after starts_at"));
  if (ends <= now) return Fail(Error::Field("ends_at", "must be in the future"));
  if (ends > now + std::chrono::days(GuestService::kMaxDays)) {
    return Fail(Error::Field("ends_at", "must be at most 90 days from now"));
  }
  return {};
}

}  // namespace

// Store.

Expected<void> GuestStore::Insert(Tx& tx, const GuestGrant& g) {
  CERTUS_TRY(tx.Execute(
      "INSERT INTO guest_grants (id, org_id, user_id, firm, note, starts_at, ends_at, revoked_at, "
      "invited_by, version, created_at, updated_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
      {g.id, g.org_id.str(), g.user_id.str(), g.firm, g.note, g.starts_at, g.ends_at,
       g.revoked_at ? storage::Value(*g.revoked_at) : storage::Value(nullptr), g.invited_by.str(),
       g.version, g.created_at, g.updated_at}));
  return {};
}

Expected<std::optional<GuestGrant>> GuestStore::Find(Tx& tx, const OrgId& org,
                                                     const std::string& id) {
  auto result = CERTUS_TRY(
      tx.Execute(std::string(kGrantSelect) + "WHERE g.org_id = $1 AND g.id = $2", {org.str(), id}));
  if (result.rows.empty()) return std::nullopt;
  return GrantFrom(result.rows[0]);
}

Expected<std::vector<GuestGrant>> GuestStore::List(Tx& tx, const OrgId& org) {
  auto result = CERTUS_TRY(tx.Execute(
      std::string(kGrantSelect) + "WHERE g.org_id = $1 ORDER BY g.created_at DESC, g.id DESC",
      {org.str()}));
  std::vector<GuestGrant> grants;
  for (const auto& row : result.rows) grants.push_back(GrantFrom(row));
  return grants;
}

Expected<std::optional<GuestGrant>> GuestStore::FindLive(Tx& tx, const OrgId& org,
                                                         const UserId& user,
                                                         const std::string& now) {
  auto result = CERTUS_TRY(tx.Execute(
      std::string(kGrantSelect) +
          "WHERE g.org_id = $1 AND g.user_id = $2 AND g.revoked_at IS NULL AND g.starts_at <= $3 "
          "AND g.ends_at > $3 AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.org_id = "
          "g.org_id AND m.user_id = g.user_id) ORDER BY g.ends_at DESC LIMIT 1",
      {org.str(), user.str(), now}));
  if (result.rows.empty()) return std::nullopt;
  return GrantFrom(result.rows[0]);
}

Expected<bool> GuestStore::HasOpen(Tx& tx, const OrgId& org, const UserId& user,
                                   const std::string& now) {
  auto result = CERTUS_TRY(
      tx.Execute("SELECT COUNT(*) FROM guest_grants WHERE org_id = $1 AND user_id = $2 AND "
                 "revoked_at IS NULL AND ends_at > $3",
                 {org.str(), user.str(), now}));
  return result.rows.at(0).Int(0) > 0;
}

Expected<bool> GuestStore::Update(Tx& tx, const GuestGrant& g, std::int64_t expected_version) {
  auto result = CERTUS_TRY(tx.Execute(
      "UPDATE guest_grants SET ends_at = $1, note = $2, revoked_at = $3, version = $4, "
      "updated_at = $5 WHERE org_id = $6 AND id = $7 AND version = $8",
      {g.ends_at, g.note, g.revoked_at ? storage::Value(*g.revoked_at) : storage::Value(nullptr),
       g.version, g.updated_at, g.org_id.str(), g.id, expected_version}));
  return result.affected == 1;
}

Expected<std::vector<OrgWithRole>> GuestStore::LiveOrgsOf(Tx& tx, const UserId& user,
                                                          const std::string& now) {
  auto result = CERTUS_TRY(tx.Execute(
      "SELECT o.id, o.name, o.version, o.created_at, o.updated_at, o.require_second_factor, "
      "MAX(g.ends_at) FROM guest_grants g JOIN organizations o ON o.id = g.org_id "
      "WHERE g.user_id = $1 AND g.revoked_at IS NULL AND g.starts_at <= $2 AND g.ends_at > $2 "
      "AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.org_id = g.org_id AND m.user_id = "
      "g.user_id) GROUP BY o.id, o.name, o.version, o.created_at, o.updated_at, "
      "o.require_second_factor ORDER BY o.name, o.id",
      {user.str(), now}));
  std::vector<OrgWithRole> orgs;
  for (const auto& row : result.rows) {
    OrgWithRole org;
    org.org = {OrgId(row.Text(0)), row.Text(1), row.Int(2), row.Text(3), row.Text(4), row.Bool(5)};
    org.role = Role::kViewer;
    org.guest_until = row.Text(6);
    orgs.push_back(std::move(org));
  }
  return orgs;
}

Expected<void> GuestStore::InsertAccess(Tx& tx, const GuestAccess& a) {
  CERTUS_TRY(tx.Execute(
      "INSERT INTO guest_access_log (id, org_id, user_id, grant_id, method, path, status, "
      "request_id, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
      {a.id.str(), a.org_id.str(), a.user_id.str(), a.grant_id, a.method, a.path, a.status,
       a.request_id, a.at}));
  return {};
}

Expected<Page<GuestAccess>> GuestStore::ListAccess(Tx& tx, const OrgId& org,
                                                   const std::optional<UserId>& guest,
                                                   const PageQuery& page) {
  storage::Query query{std::string("SELECT ") + std::string(kAccessColumns) +
                           " FROM guest_access_log WHERE org_id = $1",
                       {org.str()}};
  if (guest) query.sql += " AND user_id = " + query.Bind(guest->str());
  return storage::RunKeysetPage(tx, std::move(query), AccessSortKeys(), page, AccessFrom);
}

const std::vector<std::string>& GuestStore::AccessSortFields() {
  static const std::vector<std::string> kFields = storage::SortFieldsOf(AccessSortKeys());
  return kFields;
}

// Service.

std::string GuestService::Now() const { return FormatTimestamp(clock_.Now()); }

GuestGrant& GuestService::Derive(GuestGrant& grant) const {
  const auto now = clock_.Now();
  const auto starts = ParseTimestamp(grant.starts_at).value_or(now);
  const auto ends = ParseTimestamp(grant.ends_at).value_or(now);
  grant.remaining_seconds = 0;
  if (grant.revoked_at) {
    grant.status = "revoked";
  } else if (now >= ends) {
    grant.status = "expired";
  } else if (now < starts) {
    grant.status = "scheduled";
    grant.remaining_seconds = std::chrono::duration_cast<std::chrono::seconds>(ends - now).count();
  } else {
    grant.status = "active";
    grant.remaining_seconds = std::chrono::duration_cast<std::chrono::seconds>(ends - now).count();
  }
  return grant;
}

std::vector<GuestGrant>& GuestService::Derive(std::vector<GuestGrant>& grants) const {
  for (auto& grant : grants) Derive(grant);
  return grants;
}

Expected<GuestGrant> GuestService::Invite(const Actor& actor, const OrgId& org,
                                          const NewGuest& input) {
  if (actor.role != Role::kAdmin) return Fail(NeedsAdmin());
  if (input.firm.empty() || input.firm.size() > 200) {
    return Fail(Error::Field("firm", "must be 1 to 200 characters"));
  }
  if (input.note.size() > 2000)
    return Fail(Error::Field("note", "must be at most 2000 characters"));
  const auto now = clock_.Now();
  auto starts = input.starts_at ? CERTUS_TRY(TimeField("starts_at", *input.starts_at)) : now;
  auto ends = CERTUS_TRY(TimeField("ends_at", input.ends_at));
  if (starts > now + std::chrono::days(kMaxDays)) {
    return Fail(Error::Field("starts_at", "must be at most 90 days from now"));
  }
  CERTUS_CHECK(CheckEnd(ends, starts, now));
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<GuestGrant> {
    IdentityStore users;
    auto user = CERTUS_TRY(users.FindUserByEmail(tx, input.email));
    if (!user) return Fail(Error::Field("email", "no user has this email address"));
    if (CERTUS_TRY(users.FindMember(tx, org, user->first.id))) {
      return Fail(ErrorCode::kConflict,
                  "This user is a member of the organization; a guest must not be one.");
    }
    if (CERTUS_TRY(store_.HasOpen(tx, org, user->first.id, FormatTimestamp(now)))) {
      return Fail(ErrorCode::kConflict,
                  "This user already has guest access that has not ended; extend it instead.");
    }
    GuestGrant grant;
    grant.id = NewUuid(clock_, random_);
    grant.org_id = org;
    grant.user_id = user->first.id;
    grant.email = user->first.email;
    grant.display_name = user->first.display_name;
    grant.firm = input.firm;
    grant.note = input.note;
    grant.starts_at = FormatTimestamp(starts);
    grant.ends_at = FormatTimestamp(ends);
    grant.invited_by = actor.user_id;
    grant.created_at = grant.updated_at = FormatTimestamp(now);
    CERTUS_CHECK(store_.Insert(tx, grant));
    Derive(grant);
    CERTUS_CHECK(
        audit_log_.Append(tx, MakeEvent(actor, org, grant.id, "create", nullptr, ToJson(grant))));
    return grant;
  });
}

Expected<std::vector<GuestGrant>> GuestService::List(const Actor& actor, const OrgId& org) {
  if (!actor.role) return Fail(Error::NotFound("Organization"));
  auto grants =
      CERTUS_TRY(storage::InReadTransaction(db_, [&](auto& tx) { return store_.List(tx, org); }));
  return std::move(Derive(grants));
}

Expected<GuestGrant> GuestService::Get(const Actor& actor, const OrgId& org,
                                       const std::string& id) {
  if (!actor.role) return Fail(Error::NotFound("Organization"));
  auto grant = CERTUS_TRY(
      storage::InReadTransaction(db_, [&](auto& tx) { return store_.Find(tx, org, id); }));
  if (!grant) return Fail(Error::NotFound("Guest access"));
  return std::move(Derive(*grant));
}

Expected<GuestGrant> GuestService::Extend(const Actor& actor, const OrgId& org,
                                          const std::string& id, const std::string& ends_at,
                                          const std::optional<std::string>& note,
                                          std::int64_t expected_version) {
  if (actor.role != Role::kAdmin) return Fail(NeedsAdmin());
  if (note && note->size() > 2000) {
    return Fail(Error::Field("note", "must be at most 2000 characters"));
  }
  auto ends = CERTUS_TRY(TimeField("ends_at", ends_at));
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<GuestGrant> {
    auto before = CERTUS_TRY(store_.Find(tx, org, id));
    if (!before) return Fail(Error::NotFound("Guest access"));
    if (before->version != expected_version) return Fail(Stale());
    if (before->revoked_at) {
      return Fail(ErrorCode::kConflict, "This guest access was revoked; invite the guest again.");
    }
    const auto now = clock_.Now();
    CERTUS_CHECK(CheckEnd(ends, ParseTimestamp(before->starts_at).value_or(now), now));
    Derive(*before);
    GuestGrant after = *before;
    after.ends_at = FormatTimestamp(ends);
    if (note) after.note = *note;
    after.version = before->version + 1;
    after.updated_at = FormatTimestamp(now);
    if (!CERTUS_TRY(store_.Update(tx, after, expected_version))) return Fail(Stale());
    Derive(after);
    CERTUS_CHECK(
        audit_log_.Append(tx, MakeEvent(actor, org, id, "extend", ToJson(*before), ToJson(after))));
    return after;
  });
}

Expected<GuestGrant> GuestService::Revoke(const Actor& actor, const OrgId& org,
                                          const std::string& id,
                                          std::optional<std::int64_t> expected_version) {
  if (actor.role != Role::kAdmin) return Fail(NeedsAdmin());
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<GuestGrant> {
    auto before = CERTUS_TRY(store_.Find(tx, org, id));
    if (!before) return Fail(Error::NotFound("Guest access"));
    if (expected_version && before->version != *expected_version) return Fail(Stale());
    if (before->revoked_at) {
      return Fail(ErrorCode::kConflict, "This guest access was revoked already.");
    }
    Derive(*before);
    GuestGrant after = *before;
    after.revoked_at = after.updated_at = Now();
    after.version = before->version + 1;
    if (!CERTUS_TRY(store_.Update(tx, after, before->version))) return Fail(Stale());
    Derive(after);
    CERTUS_CHECK(
        audit_log_.Append(tx, MakeEvent(actor, org, id, "revoke", ToJson(*before), ToJson(after))));
    return after;
  });
}

Expected<std::optional<GuestGrant>> GuestService::LiveGrant(const OrgId& org, const UserId& user) {
  return storage::InReadTransaction(
      db_, [&](auto& tx) { return store_.FindLive(tx, org, user, Now()); });
}

Expected<void> GuestService::RecordAccess(const OrgId& org, const UserId& user,
                                          std::string grant_id, std::string method,
                                          std::string path, std::int64_t status,
                                          std::string request_id) {
  GuestAccess access{GuestAccessId(NewUuid(clock_, random_)),
                     org,
                     user,
                     std::move(grant_id),
                     std::move(method),
                     std::move(path),
                     status,
                     std::move(request_id),
                     Now()};
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<void> {
    return store_.InsertAccess(tx, access);
  });
}

Expected<Page<GuestAccess>> GuestService::AccessLog(const Actor& actor, const OrgId& org,
                                                    const std::optional<UserId>& guest,
                                                    const PageQuery& page) {
  if (!actor.role) return Fail(Error::NotFound("Organization"));
  if (*actor.role != Role::kAuditor && *actor.role != Role::kManager &&
      *actor.role != Role::kAdmin) {
    return Fail(ErrorCode::kPermissionDenied,
                "Only auditors, managers and admins of this organization read the guest access "
                "log.");
  }
  return storage::InReadTransaction(
      db_, [&](auto& tx) { return store_.ListAccess(tx, org, guest, page); });
}

boost::json::value ToJson(const GuestGrant& g) {
  return boost::json::object{
      {"id", g.id},
      {"org_id", g.org_id.str()},
      {"user_id", g.user_id.str()},
      {"email", g.email},
      {"display_name", g.display_name},
      {"firm", g.firm},
      {"note", g.note},
      {"starts_at", g.starts_at},
      {"ends_at", g.ends_at},
      {"revoked_at", g.revoked_at ? boost::json::value(*g.revoked_at) : boost::json::value()},
      {"invited_by", g.invited_by.str()},
      {"status", g.status},
      {"remaining_seconds", g.remaining_seconds},
      {"version", g.version},
      {"created_at", g.created_at},
      {"updated_at", g.updated_at}};
}

boost::json::value ToJson(const GuestAccess& a) {
  return boost::json::object{{"id", a.id.str()},
                             {"user_id", a.user_id.str()},
                             {"grant_id", a.grant_id},
                             {"method", a.method},
                             {"path", a.path},
                             {"status", a.status},
                             {"request_id", a.request_id},
                             {"at", a.at}};
}

}  // namespace certus::identity
