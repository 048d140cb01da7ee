#include "modules/leadership/service.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "core/uuid.hpp"
#include "modules/leadership/json.hpp"
#include "storage/counters.hpp"

namespace certus::leadership {

namespace {

constexpr const char* kRoleType = "isms_role";
constexpr const char* kRaciType = "raci_matrix";
constexpr const char* kRecordType = "leadership_record";

Expected<void> CheckCanRead(const Actor& actor) {
  if (!actor.role) return Fail(Error::NotFound("Organization"));
  return {};
}

Expected<void> CheckWriter(const Actor& actor, std::string_view what) {
  CERTUS_CHECK(CheckCanRead(actor));
  if (*actor.role < Role::kManager) {
    return Fail(ErrorCode::kPermissionDenied,
                "Only managers and admins may change " + std::string(what) + ".");
  }
  return {};
}

}  // namespace

Expected<void> LeadershipService::CheckCanWrite(const Actor& actor) {
  return CheckWriter(actor, "roles, the RACI matrix or leadership records");
}

namespace {

Error Stale(std::string_view what) {
  return {ErrorCode::kPreconditionFailed, "Someone else changed " + std::string(what) +
                                              " since you read it; reload it and try again."};
}

auditlog::Event MakeEvent(const Actor& actor, const OrgId& org, std::string type, std::string id,
                          std::string action, boost::json::value before, boost::json::value after) {
  return {org.str(),         actor.user_id.str(), actor.email,      std::move(type), std::move(id),
          std::move(action), std::move(before),   std::move(after), actor.request_id};
}

}  // namespace

// ------------------------------------------------------------------ top management

Expected<bool> LeadershipService::HoldsTopManagementRole(const OrgId& org, const UserId& user) {
  return storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) { return HoldsTopManagementRole(tx, org, user); });
}

Expected<bool> LeadershipService::HoldsTopManagementRole(storage::Transaction& tx, const OrgId& org,
                                                         const UserId& user) {
  if (org.empty() || user.empty()) return false;
  return store_.HoldsTopManagementRole(tx, org, user);
}

// ------------------------------------------------------------------ roles

Expected<void> LeadershipService::CheckAssignees(const OrgId& org,
                                                 const std::vector<UserId>& assignees) {
  std::vector<FieldError> problems;
  for (std::size_t i = 0; i < assignees.size(); ++i) {
    auto role = CERTUS_TRY(identity_.RoleOf(org, assignees[i]));
    if (!role) {
      problems.push_back({"assignee_ids[" + std::to_string(i) + "]",
                          "\"" + assignees[i].str() + "\" is not a member of the organization"});
    }
  }
  if (!problems.empty()) return Fail(Error::Validation(std::move(problems)));
  return {};
}

Expected<Page<IsmsRole>> LeadershipService::ListRoles(const Actor& actor, const OrgId& org,
                                                      const RoleFilter& filter,
                                                      const PageQuery& page) {
  CERTUS_CHECK(CheckCanRead(actor));
  return storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) { return store_.ListRoles(tx, org, filter, page); });
}

Expected<IsmsRole> LeadershipService::GetRole(const Actor& actor, const OrgId& org,
                                              const RoleId& id) {
  CERTUS_CHECK(CheckCanRead(actor));
  auto role = CERTUS_TRY(storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) { return store_.FindRole(tx, org, id); }));
  if (!role) return Fail(Error::NotFound("Role"));
  return *role;
}

Expected<IsmsRole> LeadershipService::CreateRole(const Actor& actor, const OrgId& org,
                                                 const RolePatch& input) {
  return WriteRole(actor, org, std::nullopt, input, 1);
}

Expected<IsmsRole> LeadershipService::UpdateRole(const Actor& actor, const OrgId& org,
                                                 const RoleId& id, const RolePatch& patch,
                                                 std::int64_t expected_version) {
  return WriteRole(actor, org, id, patch, expected_version);
}

Expected<IsmsRole> LeadershipService::WriteRole(const Actor& actor, const OrgId& org,
                                                const std::optional<RoleId>& id,
                                                const RolePatch& patch,
                                                std::int64_t expected_version) {
  CERTUS_CHECK(CheckWriter(actor, "roles"));
  if (!id && !patch.name) return Fail(Error::Field("name", "is required"));
  std::vector<UserId> assignees;
  if (patch.assignee_ids) {
    assignees = *patch.assignee_ids;
    std::sort(assignees.begin(), assignees.end());
    assignees.erase(std::unique(assignees.begin(), assignees.end()), assignees.end());
    // ISO 27001 5.3: roles are assigned to people of the organization.
    CERTUS_CHECK(CheckAssignees(org, *patch.assignee_ids));
  }
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<IsmsRole> {
    std::optional<IsmsRole> before;
    IsmsRole after;
    if (id) {
      before = CERTUS_TRY(store_.FindRole(tx, org, *id));
      if (!before) return Fail(Error::NotFound("Role"));
      if (before->version != expected_version) return Fail(Stale("this role"));
      after = *before;
    } else {
      after.id = RoleId(NewUuid(clock_, random_));
      after.org_id = org;
      after.created_at = FormatTimestamp(clock_.Now());
    }
    if (patch.name) after.name = *patch.name;
    if (patch.description) after.description = *patch.description;
    if (patch.responsibilities) after.responsibilities = *patch.responsibilities;
    if (patch.authorities) after.authorities = *patch.authorities;
    if (patch.assignee_ids) after.assignee_ids = assignees;
    if (patch.top_management) after.top_management = *patch.top_management;
    if (patch.isms_owner) after.isms_owner = *patch.isms_owner;

    if (!before || before->name != after.name) {
      if (auto same = CERTUS_TRY(store_.FindRoleByName(tx, org, after.name))) {
        return Fail(ErrorCode::kConflict,
                    "The role " + same->ref + " is already named \"" + after.name + "\".");
      }
    }
    if (after.isms_owner) {
      // ISO 27001 5.3 a, b: one role answers for the ISMS's conformity and reports on its
      // performance; two owners would leave it unclear who does.
      auto owner = CERTUS_TRY(store_.FindIsmsOwner(tx, org, id));
      if (owner) {
        return Fail(ErrorCode::kConflict,
                    "The role \"" + owner->name + "\" (" + owner->ref +
                        ") is already the ISMS owner, and ISO 27001 5.3 a, b asks for one; "
                        "clear its flag first.");
      }
    }

    after.updated_at = FormatTimestamp(clock_.Now());
    if (before) {
      after.version = before->version + 1;
      if (!CERTUS_TRY(store_.UpdateRole(tx, after, expected_version))) {
        return Fail(Stale("this role"));
      }
    } else {
      after.ref =
          storage::FormatRef("ROLE", CERTUS_TRY(storage::NextCounter(tx, org.str(), kRoleType)));
      CERTUS_CHECK(store_.InsertRole(tx, after));
    }
    CERTUS_CHECK(audit_log_.Append(
        tx, MakeEvent(actor, org, kRoleType, after.id.str(), before ? "update" : "create",
                      before ? ToJson(*before) : boost::json::value(nullptr), ToJson(after))));
    return after;
  });
}

Expected<void> LeadershipService::DeleteRole(const Actor& actor, const OrgId& org, const RoleId& id,
                                             std::int64_t expected_version) {
  CERTUS_CHECK(CheckWriter(actor, "roles"));
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<void> {
    auto before = CERTUS_TRY(store_.FindRole(tx, org, id));
    if (!before) return Fail(Error::NotFound("Role"));
    if (before->version != expected_version) return Fail(Stale("this role"));
    auto raci_before = CERTUS_TRY(store_.LoadRaci(tx, org));
    const bool in_raci = std::any_of(raci_before.cells.begin(), raci_before.cells.end(),
                                     [&](const RaciCell& c) { return c.role_id == id; });
    if (in_raci) {
      // The matrix loses the role's cells: a new version of it, so that a client editing the
      // matrix learns of the change (If-Match) and the log shows what went.
      RaciMatrix raci_after = raci_before;
      std::erase_if(raci_after.cells, [&](const RaciCell& c) { return c.role_id == id; });
      raci_after.version = raci_before.version + 1;
      raci_after.updated_by_email = actor.email;
      raci_after.updated_at = FormatTimestamp(clock_.Now());
      if (!CERTUS_TRY(store_.SaveRaci(tx, raci_after, raci_before.version))) {
        return Fail(Stale("the RACI matrix"));
      }
      CERTUS_CHECK(audit_log_.Append(tx, MakeEvent(actor, org, kRaciType, org.str(), "update",
                                                   CellsJson(raci_before), CellsJson(raci_after))));
    }
    if (!CERTUS_TRY(store_.DeleteRole(tx, org, id, expected_version))) {
      return Fail(Stale("this role"));
    }
    CERTUS_CHECK(audit_log_.Append(
        tx, MakeEvent(actor, org, kRoleType, id.str(), "delete", ToJson(*before), nullptr)));
    return {};
  });
}

// ------------------------------------------------------------------ RACI

std::vector<FieldError> LeadershipService::RaciProblems(const std::vector<RaciCell>& cells) {
  std::vector<FieldError> problems;
  std::set<std::pair<std::string, RoleId>> seen;
  std::map<std::string, int> accountable;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    const auto& cell = cells[i];
    const std::string at = "assignments[" + std::to_string(i) + "]";
    if (!FindProcess(cell.process)) {
      problems.push_back({at + ".process", "is not an ISMS process"});
      continue;
    }
    if (!seen.insert({cell.process, cell.role_id}).second) {
      problems.push_back({at + ".role_id", "already has a letter in the process \"" + cell.process +
                                               "\"; give each role one"});
    }
    if (cell.responsibility == Responsibility::kAccountable && ++accountable[cell.process] > 1) {
      // RACI: exactly one role answers for a process; two would leave it unclear who does.
      problems.push_back(
          {at + ".responsibility",
           "at most one role may be accountable (A) for the process \"" + cell.process + "\""});
    }
  }
  return problems;
}

Expected<RaciMatrix> LeadershipService::GetRaci(const Actor& actor, const OrgId& org) {
  CERTUS_CHECK(CheckCanRead(actor));
  return storage::InReadTransaction(db_, [&](storage::Transaction& tx) -> Expected<RaciMatrix> {
    auto matrix = CERTUS_TRY(store_.LoadRaci(tx, org));
    matrix.roles = CERTUS_TRY(store_.AllRoles(tx, org));
    return matrix;
  });
}

Expected<RaciMatrix> LeadershipService::PutRaci(const Actor& actor, const OrgId& org,
                                                const std::vector<RaciCell>& cells,
                                                std::int64_t expected_version) {
  CERTUS_CHECK(CheckWriter(actor, "the RACI matrix"));
  if (auto problems = RaciProblems(cells); !problems.empty()) {
    return Fail(Error::Validation(std::move(problems)));
  }
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<RaciMatrix> {
    auto before = CERTUS_TRY(store_.LoadRaci(tx, org));
    if (before.version != expected_version) return Fail(Stale("the RACI matrix"));
    auto roles = CERTUS_TRY(store_.AllRoles(tx, org));
    std::set<RoleId> known;
    for (const auto& role : roles) known.insert(role.id);
    std::vector<FieldError> unknown;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (!known.contains(cells[i].role_id)) {
        unknown.push_back({"assignments[" + std::to_string(i) + "].role_id",
                           "\"" + cells[i].role_id.str() + "\" is not a role of the organization"});
      }
    }
    if (!unknown.empty()) return Fail(Error::Validation(std::move(unknown)));
    RaciMatrix after;
    after.org_id = org;
    after.version = before.version + 1;
    after.cells = cells;
    after.updated_by_email = actor.email;
    after.updated_at = FormatTimestamp(clock_.Now());
    if (!CERTUS_TRY(store_.SaveRaci(tx, after, expected_version))) {
      return Fail(Stale("the RACI matrix"));
    }
    CERTUS_CHECK(audit_log_.Append(tx, MakeEvent(actor, org, kRaciType, org.str(), "update",
                                                 CellsJson(before), CellsJson(after))));
    // Read back for the stored order.
    auto saved = CERTUS_TRY(store_.LoadRaci(tx, org));
    saved.roles = std::move(roles);
    return saved;
  });
}

// ------------------------------------------------------------------ records

std::string LeadershipService::DateProblem(const Date& date) const {
  if (std::chrono::sys_days(date) > std::chrono::sys_days(DateOf(clock_.Now()))) {
    return "must not be in the future: record decisions once they are taken";
  }
  return {};
}

Expected<Page<LeadershipRecord>> LeadershipService::ListRecords(const Actor& actor,
                                                                const OrgId& org,
                                                                const RecordFilter& filter,
                                                                const PageQuery& page) {
  CERTUS_CHECK(CheckCanRead(actor));
  return storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) { return store_.ListRecords(tx, org, filter, page); });
}

Expected<LeadershipRecord> LeadershipService::GetRecord(const Actor& actor, const OrgId& org,
                                                        const RecordId& id) {
  CERTUS_CHECK(CheckCanRead(actor));
  auto record = CERTUS_TRY(storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) { return store_.FindRecord(tx, org, id); }));
  if (!record) return Fail(Error::NotFound("Leadership record"));
  return *record;
}

Expected<LeadershipRecord> LeadershipService::CreateRecord(const Actor& actor, const OrgId& org,
                                                           const RecordPatch& input) {
  return WriteRecord(actor, org, std::nullopt, input, 1);
}

Expected<LeadershipRecord> LeadershipService::UpdateRecord(const Actor& actor, const OrgId& org,
                                                           const RecordId& id,
                                                           const RecordPatch& patch,
                                                           std::int64_t expected_version) {
  return WriteRecord(actor, org, id, patch, expected_version);
}

Expected<LeadershipRecord> LeadershipService::WriteRecord(const Actor& actor, const OrgId& org,
                                                          const std::optional<RecordId>& id,
                                                          const RecordPatch& patch,
                                                          std::int64_t expected_version) {
  CERTUS_CHECK(CheckWriter(actor, "leadership records"));
  std::vector<FieldError> problems;
  if (!id) {
    for (auto [present, name] :
         {std::pair{patch.kind.has_value(), "kind"}, std::pair{patch.date.has_value(), "date"},
          std::pair{patch.decision.has_value(), "decision"},
          std::pair{patch.decided_by.has_value(), "decided_by"}}) {
      if (!present) problems.push_back({name, "is required"});
    }
  }
  if (patch.date) {
    if (auto problem = DateProblem(*patch.date); !problem.empty()) {
      problems.push_back({"date", problem});
    }
  }
  if (patch.decided_by) {
    auto role = CERTUS_TRY(identity_.RoleOf(org, *patch.decided_by));
    if (!role) problems.push_back({"decided_by", "must be a member of the organization"});
  }
  if (!problems.empty()) return Fail(Error::Validation(std::move(problems)));
  return storage::InWriteTransaction(
      db_, [&](storage::Transaction& tx) -> Expected<LeadershipRecord> {
        std::optional<LeadershipRecord> before;
        LeadershipRecord after;
        if (id) {
          before = CERTUS_TRY(store_.FindRecord(tx, org, *id));
          if (!before) return Fail(Error::NotFound("Leadership record"));
          if (before->version != expected_version) return Fail(Stale("this record"));
          after = *before;
        } else {
          after.id = RecordId(NewUuid(clock_, random_));
          after.org_id = org;
          after.ref = storage::FormatRef(
              "LR", CERTUS_TRY(storage::NextCounter(tx, org.str(), kRecordType)));
          after.created_at = FormatTimestamp(clock_.Now());
        }
        if (patch.kind) after.kind = *patch.kind;
        if (patch.date) after.date = *patch.date;
        if (patch.decision) after.decision = *patch.decision;
        if (patch.budget) after.budget = *patch.budget;
        if (patch.decided_by) after.decided_by = *patch.decided_by;
        if (patch.management_review_id) after.management_review_id = *patch.management_review_id;
        if (patch.notes) after.notes = *patch.notes;
        after.updated_at = FormatTimestamp(clock_.Now());
        if (before) {
          after.version = before->version + 1;
          if (!CERTUS_TRY(store_.UpdateRecord(tx, after, expected_version))) {
            return Fail(Stale("this record"));
          }
        } else {
          CERTUS_CHECK(store_.InsertRecord(tx, after));
        }
        CERTUS_CHECK(audit_log_.Append(
            tx, MakeEvent(actor, org, kRecordType, after.id.str(), before ? "update" : "create",
                          before ? ToJson(*before) : boost::json::value(nullptr), ToJson(after))));
        return after;
      });
}

}  // namespace certus::leadership
