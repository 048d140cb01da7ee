#include "modules/improvement/service.hpp"

#include <algorithm>
#include <cctype>

#include "core/uuid.hpp"
#include "modules/improvement/json.hpp"
#include "storage/counters.hpp"

namespace certus::improvement {

namespace {

constexpr const char* kNcType = "nonconformity";
constexpr const char* kActionType = "corrective_action";
constexpr const char* kReviewType = "effectiveness_review";
constexpr const char* kImprovementType = "improvement";

Expected<void> CheckCanRead(const Actor& actor) {
  if (!actor.role) return Fail(Error::NotFound("Organization"));
  return {};
}

/// Contributors write what they own (or reported); managers and admins write anything.
Expected<void> CheckOwns(const Actor& actor, bool owns, std::string_view what) {
  CERTUS_CHECK(CheckCanRead(actor));
  if (*actor.role >= Role::kManager) return {};
  if (*actor.role == Role::kContributor && owns) return {};
  return Fail(
      ErrorCode::kPermissionDenied,
      *actor.role == Role::kContributor
          ? "Contributors may change only the " + std::string(what) + " they own or reported."
          : "Only contributors, managers and admins may change " + std::string(what) + ".");
}

Error Stale(std::string_view what) {
  return {ErrorCode::kPreconditionFailed, "Someone else changed this " + std::string(what) +
                                              " since you read it; reload it and try again."};
}

auditlog::Event MakeEvent(const Actor& actor, const OrgId& org, std::string type, std::string id,
                          std::string action, boost::json::value before, boost::json::value after) {
  return {org.str(),         actor.user_id.str(), actor.email,      std::move(type), std::move(id),
          std::move(action), std::move(before),   std::move(after), actor.request_id};
}

bool Finished(ActionStatus status) {
  return status == ActionStatus::kDone || status == ActionStatus::kCancelled;
}

bool Blank(const std::string& text) {
  return std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isspace(c); });
}

Error Closed(const Nonconformity& nc) {
  return {ErrorCode::kConflict,
          nc.ref +
              " is closed: a closed nonconformity is a record of what was done and is no "
              "longer changed (ISO 27001 10.2 g); report a new one instead."};
}

std::string JoinMessages(const std::vector<ClosureBlocker>& blockers) {
  std::string out;
  for (const auto& blocker : blockers) {
    if (!out.empty()) out += " ";
    out += blocker.message;
  }
  return out;
}

}  // namespace

Expected<void> NonconformityService::CheckCanWrite(const Actor& actor) {
  CERTUS_CHECK(CheckCanRead(actor));
  if (*actor.role < Role::kContributor) {
    return Fail(ErrorCode::kPermissionDenied,
                "Only contributors, managers and admins may record nonconformities and "
                "corrective actions.");
  }
  return {};
}

Expected<void> NonconformityService::CheckCanVerify(const Actor& actor) {
  CERTUS_CHECK(CheckCanRead(actor));
  if (*actor.role < Role::kManager) {
    return Fail(ErrorCode::kPermissionDenied,
                "Only managers and admins review the effectiveness of corrective actions and "
                "close nonconformities.");
  }
  return {};
}

std::string NonconformityService::Today() const { return FormatDate(DateOf(clock_.Now())); }

Expected<void> NonconformityService::CheckMember(const OrgId& org, const UserId& user,
                                                 const std::string& field) {
  auto role = CERTUS_TRY(identity_.RoleOf(org, user));
  if (!role) return Fail(Error::Field(field, "must be a member of the organization"));
  return {};
}

std::vector<FieldError> NonconformityService::PatchProblems(const NonconformityPatch& patch) const {
  std::vector<FieldError> problems;
  if (patch.requirement_ref && !patch.requirement_ref->empty() &&
      !IsRequirementRef(*patch.requirement_ref)) {
    problems.push_back({"requirement_ref",
                        "must be a clause of ISO 27001 (4 to 10, e.g. \"9.2.2\") or an Annex A "
                        "control (e.g. \"A.8.15\")"});
  }
  if (patch.change_ids) {
    for (std::size_t i = 0; i < patch.change_ids->size(); ++i) {
      if (!IsUuid((*patch.change_ids)[i])) {
        problems.push_back(
            {"change_ids[" + std::to_string(i) + "]", "must be the id of a change record"});
      }
    }
  }
  const auto today = DateOf(clock_.Now());
  const auto future = [&](const std::optional<Date>& date) {
    return date && std::chrono::sys_days(*date) > std::chrono::sys_days(today);
  };
  if (future(patch.reported_on)) problems.push_back({"reported_on", "must not be in the future"});
  if (patch.correction_on && future(*patch.correction_on)) {
    problems.push_back({"correction_on", "must not be in the future"});
  }
  return problems;
}

void NonconformityService::Derive(Nonconformity& nc, std::vector<CorrectiveAction>& actions) const {
  const std::string today = Today();
  nc.actions_total = nc.actions_done = nc.actions_overdue = 0;
  std::vector<std::string> not_done;
  for (auto& action : actions) {
    action.overdue =
        action.due_on && FormatDate(*action.due_on) < today && !Finished(action.status);
    if (action.status == ActionStatus::kCancelled) continue;
    ++nc.actions_total;
    if (action.status == ActionStatus::kDone) {
      ++nc.actions_done;
    } else {
      not_done.push_back(action.ref);
    }
    if (action.overdue) ++nc.actions_overdue;
  }

  auto& blockers = nc.closure_blockers;
  blockers.clear();
  if (nc.closed_on) {
    nc.status = NcStatus::kClosed;
    return;
  }
  if (Blank(nc.correction)) {
    blockers.push_back({"correction_missing",
                        "Record the correction: the immediate action taken to control and "
                        "correct the nonconformity and deal with its consequences "
                        "(ISO 27001 10.2 a)."});
  }
  if (Blank(nc.root_cause)) {
    blockers.push_back({"root_cause_missing",
                        "Record the root cause: review and analyse the nonconformity and "
                        "determine its causes (ISO 27001 10.2 b 1, 2)."});
  }
  if (Blank(nc.similar_check)) {
    blockers.push_back({"similar_check_missing",
                        "Record the check for similar nonconformities: whether they exist or "
                        "could occur elsewhere (ISO 27001 10.2 b 3)."});
  }
  if (nc.actions_total == 0) {
    blockers.push_back({"no_corrective_actions",
                        "Plan a corrective action to eliminate the cause, so that it does not "
                        "recur or occur elsewhere (ISO 27001 10.2 c)."});
  } else if (!not_done.empty()) {
    std::string refs;
    for (const auto& ref : not_done) refs += (refs.empty() ? "" : ", ") + ref;
    blockers.push_back({"actions_not_done", "Complete every corrective action: " + refs +
                                                (not_done.size() == 1 ? " is" : " are") +
                                                " not done (ISO 27001 10.2 c)."});
  }
  if (nc.needs_new_action) {
    blockers.push_back({"new_action_needed",
                        "The last effectiveness review found the corrective actions not "
                        "effective: add a further corrective action (ISO 27001 10.2 d, f)."});
  }
  if (!nc.effective_review_id) {
    blockers.push_back({"effectiveness_not_confirmed",
                        "Review the effectiveness of the corrective actions once they are done: "
                        "a review by a manager who owns none of them must find them effective "
                        "(ISO 27001 10.2 d)."});
  }

  if (Blank(nc.correction)) {
    nc.status = NcStatus::kOpen;
  } else if (Blank(nc.root_cause)) {
    nc.status = NcStatus::kCorrecting;
  } else if (nc.actions_total == 0 || !not_done.empty() || nc.needs_new_action) {
    nc.status = NcStatus::kActions;
  } else {
    nc.status = NcStatus::kVerifying;
  }
}

Expected<Nonconformity> NonconformityService::Load(storage::Transaction& tx, const OrgId& org,
                                                   const NonconformityId& id) {
  auto nc = CERTUS_TRY(store_.FindNonconformity(tx, org, id));
  if (!nc) return Fail(Error::NotFound("Nonconformity"));
  auto actions = CERTUS_TRY(store_.ActionsOf(tx, org, id));
  Derive(*nc, actions);
  return *nc;
}

Expected<Nonconformity> NonconformityService::Sync(storage::Transaction& tx, const Actor& actor,
                                                   const Nonconformity& before,
                                                   Nonconformity after) {
  auto actions = CERTUS_TRY(store_.ActionsOf(tx, after.org_id, after.id));
  Derive(after, actions);
  const bool changed = after.status != before.status ||
                       after.needs_new_action != before.needs_new_action ||
                       after.reopen_count != before.reopen_count ||
                       after.effective_review_id != before.effective_review_id;
  if (!changed) return after;
  after.version = before.version + 1;
  after.updated_at = FormatTimestamp(clock_.Now());
  if (!CERTUS_TRY(store_.UpdateNonconformity(tx, after, before.version))) {
    return Fail(Stale("nonconformity"));
  }
  CERTUS_CHECK(audit_log_.Append(tx, MakeEvent(actor, after.org_id, kNcType, after.id.str(),
                                               "update", ToJson(before), ToJson(after))));
  return after;
}

// ------------------------------------------------------------------ nonconformities

Expected<Page<Nonconformity>> NonconformityService::List(const Actor& actor, const OrgId& org,
                                                         const NonconformityFilter& filter,
                                                         const PageQuery& page) {
  CERTUS_CHECK(CheckCanRead(actor));
  return storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) -> Expected<Page<Nonconformity>> {
        auto result = CERTUS_TRY(store_.ListNonconformities(tx, org, filter, page));
        std::vector<NonconformityId> ids;
        for (const auto& nc : result.items) ids.push_back(nc.id);
        auto actions = CERTUS_TRY(store_.ActionsOfMany(tx, org, ids));
        for (auto& nc : result.items) {
          std::vector<CorrectiveAction> mine;
          for (const auto& action : actions) {
            if (action.nonconformity_id == nc.id) mine.push_back(action);
          }
          Derive(nc, mine);
        }
        return result;
      });
}

Expected<Nonconformity> NonconformityService::Get(const Actor& actor, const OrgId& org,
                                                  const NonconformityId& id) {
  CERTUS_CHECK(CheckCanRead(actor));
  return storage::InReadTransaction(db_,
                                    [&](storage::Transaction& tx) { return Load(tx, org, id); });
}

Expected<Nonconformity> NonconformityService::Create(const Actor& actor, const OrgId& org,
                                                     Source source,
                                                     const std::optional<std::string>& source_ref,
                                                     const NonconformityPatch& details) {
  CERTUS_CHECK(CheckCanWrite(actor));
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) {
    return CreateIn(tx, actor, org, source, source_ref, details);
  });
}

Expected<Nonconformity> NonconformityService::CreateIn(storage::Transaction& tx, const Actor& actor,
                                                       const OrgId& org, Source source,
                                                       const std::optional<std::string>& source_ref,
                                                       const NonconformityPatch& details) {
  std::vector<FieldError> problems = PatchProblems(details);
  if (!details.title || Blank(*details.title)) problems.push_back({"title", "is required"});
  if (source == Source::kSuggestion) {
    problems.push_back({"source",
                        "must be one of: internal_audit, external_audit, incident, "
                        "management_review, monitoring, complaint, other"});
  }
  if (details.owner_id) {
    auto role = CERTUS_TRY(identity_.RoleOf(org, *details.owner_id));
    if (!role) problems.push_back({"owner_id", "must be a member of the organization"});
  }
  if (!problems.empty()) return Fail(Error::Validation(std::move(problems)));

  Nonconformity nc;
  nc.id = NonconformityId(NewUuid(clock_, random_));
  nc.org_id = org;
  nc.ref = storage::FormatRef("NC", CERTUS_TRY(storage::NextCounter(tx, org.str(), kNcType)));
  nc.title = *details.title;
  nc.description = details.description.value_or("");
  nc.source = source;
  nc.source_ref = source_ref.value_or("");
  nc.requirement_ref = details.requirement_ref.value_or("");
  nc.severity = details.severity.value_or(Severity::kMinor);
  nc.reported_by = actor.user_id;
  nc.reported_on = details.reported_on.value_or(DateOf(clock_.Now()));
  nc.owner_id = details.owner_id.value_or(actor.user_id);
  nc.correction = details.correction.value_or("");
  nc.correction_on = details.correction_on.value_or(std::nullopt);
  if (!Blank(nc.correction) && !nc.correction_on) nc.correction_on = DateOf(clock_.Now());
  nc.root_cause = details.root_cause.value_or("");
  nc.root_cause_method = details.root_cause_method.value_or(std::nullopt);
  nc.similar_check = details.similar_check.value_or("");
  if (details.change_ids) {
    nc.change_ids = *details.change_ids;
    std::sort(nc.change_ids.begin(), nc.change_ids.end());
    nc.change_ids.erase(std::unique(nc.change_ids.begin(), nc.change_ids.end()),
                        nc.change_ids.end());
  }
  nc.created_at = nc.updated_at = FormatTimestamp(clock_.Now());
  std::vector<CorrectiveAction> none;
  Derive(nc, none);
  CERTUS_CHECK(store_.InsertNonconformity(tx, nc));
  CERTUS_CHECK(audit_log_.Append(
      tx, MakeEvent(actor, org, kNcType, nc.id.str(), "create", nullptr, ToJson(nc))));
  return nc;
}

Expected<Nonconformity> NonconformityService::Update(const Actor& actor, const OrgId& org,
                                                     const NonconformityId& id,
                                                     const NonconformityPatch& patch,
                                                     std::int64_t expected_version) {
  CERTUS_CHECK(CheckCanWrite(actor));
  std::vector<FieldError> problems = PatchProblems(patch);
  if (patch.title && Blank(*patch.title)) problems.push_back({"title", "must not be empty"});
  if (patch.source == Source::kSuggestion) {
    problems.push_back({"source",
                        "must be one of: internal_audit, external_audit, incident, "
                        "management_review, monitoring, complaint, other"});
  }
  if (patch.owner_id) {
    auto role = CERTUS_TRY(identity_.RoleOf(org, *patch.owner_id));
    if (!role) problems.push_back({"owner_id", "must be a member of the organization"});
  }
  if (!problems.empty()) return Fail(Error::Validation(std::move(problems)));
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<Nonconformity> {
    auto before = CERTUS_TRY(Load(tx, org, id));
    CERTUS_CHECK(CheckOwns(actor,
                           before.owner_id == actor.user_id || before.reported_by == actor.user_id,
                           "nonconformities"));
    if (before.version != expected_version) return Fail(Stale("nonconformity"));
    if (before.closed_on) return Fail(Closed(before));
    Nonconformity after = before;
    if (patch.title) after.title = *patch.title;
    if (patch.description) after.description = *patch.description;
    if (patch.source) after.source = *patch.source;
    if (patch.source_ref) after.source_ref = *patch.source_ref;
    if (patch.requirement_ref) after.requirement_ref = *patch.requirement_ref;
    if (patch.severity) after.severity = *patch.severity;
    if (patch.reported_on) after.reported_on = *patch.reported_on;
    if (patch.owner_id) after.owner_id = *patch.owner_id;
    if (patch.correction) after.correction = *patch.correction;
    if (patch.correction_on) after.correction_on = *patch.correction_on;
    if (Blank(after.correction)) {
      after.correction_on.reset();
    } else if (!after.correction_on) {
      after.correction_on = DateOf(clock_.Now());
    }
    if (patch.root_cause) after.root_cause = *patch.root_cause;
    if (patch.root_cause_method) after.root_cause_method = *patch.root_cause_method;
    if (patch.similar_check) after.similar_check = *patch.similar_check;
    if (patch.change_ids) {
      after.change_ids = *patch.change_ids;
      std::sort(after.change_ids.begin(), after.change_ids.end());
      after.change_ids.erase(std::unique(after.change_ids.begin(), after.change_ids.end()),
                             after.change_ids.end());
    }
    auto actions = CERTUS_TRY(store_.ActionsOf(tx, org, id));
    Derive(after, actions);
    after.version = before.version + 1;
    after.updated_at = FormatTimestamp(clock_.Now());
    if (!CERTUS_TRY(store_.UpdateNonconformity(tx, after, expected_version))) {
      return Fail(Stale("nonconformity"));
    }
    CERTUS_CHECK(audit_log_.Append(
        tx, MakeEvent(actor, org, kNcType, id.str(), "update", ToJson(before), ToJson(after))));
    return after;
  });
}

Expected<Nonconformity> NonconformityService::Close(const Actor& actor, const OrgId& org,
                                                    const NonconformityId& id,
                                                    std::optional<std::int64_t> expected_version) {
  CERTUS_CHECK(CheckCanVerify(actor));
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<Nonconformity> {
    auto before = CERTUS_TRY(Load(tx, org, id));
    if (expected_version && before.version != *expected_version) {
      return Fail(Stale("nonconformity"));
    }
    if (before.closed_on) return Fail(ErrorCode::kConflict, before.ref + " is already closed.");
    if (!before.closure_blockers.empty()) {
      // ISO 27001 10.2: correction, cause, action, effectiveness; each one that is missing
      // is named so that whoever closes knows what is left to do.
      return Fail(ErrorCode::kConflict,
                  before.ref + " cannot be closed yet. " + JoinMessages(before.closure_blockers));
    }
    Nonconformity after = before;
    after.closed_by = actor.user_id;
    after.closed_on = DateOf(clock_.Now());
    std::vector<CorrectiveAction> actions = CERTUS_TRY(store_.ActionsOf(tx, org, id));
    Derive(after, actions);
    after.version = before.version + 1;
    after.updated_at = FormatTimestamp(clock_.Now());
    if (!CERTUS_TRY(store_.UpdateNonconformity(tx, after, before.version))) {
      return Fail(Stale("nonconformity"));
    }
    CERTUS_CHECK(audit_log_.Append(
        tx, MakeEvent(actor, org, kNcType, id.str(), "close", ToJson(before), ToJson(after))));
    return after;
  });
}

// ------------------------------------------------------------------ corrective actions

Expected<std::vector<CorrectiveAction>> NonconformityService::ListActionsOf(
    const Actor& actor, const OrgId& org, const NonconformityId& id) {
  CERTUS_CHECK(CheckCanRead(actor));
  return storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) -> Expected<std::vector<CorrectiveAction>> {
        auto nc = CERTUS_TRY(store_.FindNonconformity(tx, org, id));
        if (!nc) return Fail(Error::NotFound("Nonconformity"));
        auto actions = CERTUS_TRY(store_.ActionsOf(tx, org, id));
        Derive(*nc, actions);
        return actions;
      });
}

Expected<Page<CorrectiveAction>> NonconformityService::ListActions(const Actor& actor,
                                                                   const OrgId& org,
                                                                   ActionFilter filter,
                                                                   bool overdue,
                                                                   const PageQuery& page) {
  CERTUS_CHECK(CheckCanRead(actor));
  const std::string today = Today();
  if (overdue) filter.overdue_before = today;
  auto result = CERTUS_TRY(storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) { return store_.ListActions(tx, org, filter, page); }));
  for (auto& action : result.items) {
    action.overdue =
        action.due_on && FormatDate(*action.due_on) < today && !Finished(action.status);
  }
  return result;
}

Expected<CorrectiveAction> NonconformityService::GetAction(const Actor& actor, const OrgId& org,
                                                           const ActionId& id) {
  CERTUS_CHECK(CheckCanRead(actor));
  auto action = CERTUS_TRY(storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) { return store_.FindAction(tx, org, id); }));
  if (!action) return Fail(Error::NotFound("Corrective action"));
  action->overdue =
      action->due_on && FormatDate(*action->due_on) < Today() && !Finished(action->status);
  return *action;
}

Expected<CorrectiveAction> NonconformityService::CreateAction(const Actor& actor, const OrgId& org,
                                                              const NonconformityId& id,
                                                              const ActionPatch& input) {
  CERTUS_CHECK(CheckCanWrite(actor));
  if (input.owner_id) CERTUS_CHECK(CheckMember(org, *input.owner_id, "owner_id"));
  return storage::InWriteTransaction(
      db_, [&](storage::Transaction& tx) -> Expected<CorrectiveAction> {
        auto nc = CERTUS_TRY(Load(tx, org, id));
        CERTUS_CHECK(CheckOwns(actor,
                               nc.owner_id == actor.user_id || nc.reported_by == actor.user_id,
                               "corrective actions of nonconformities"));
        if (nc.closed_on) return Fail(Closed(nc));
        CorrectiveAction a;
        a.id = ActionId(NewUuid(clock_, random_));
        a.org_id = org;
        a.nonconformity_id = id;
        a.nonconformity_ref = nc.ref;
        a.ref =
            storage::FormatRef("CA", CERTUS_TRY(storage::NextCounter(tx, org.str(), kActionType)));
        a.title = input.title.value_or("");
        a.owner_id = input.owner_id.value_or(actor.user_id);
        a.due_on = input.due_on.value_or(std::nullopt);
        a.status = input.status.value_or(ActionStatus::kPlanned);
        a.completion_note = input.completion_note.value_or("");
        if (a.status == ActionStatus::kDone) {
          a.done_on = input.done_on.value_or(std::nullopt).value_or(DateOf(clock_.Now()));
        }
        a.created_at = a.updated_at = FormatTimestamp(clock_.Now());
        a.overdue = a.due_on && FormatDate(*a.due_on) < Today() && !Finished(a.status);
        CERTUS_CHECK(store_.InsertAction(tx, a));
        CERTUS_CHECK(audit_log_.Append(
            tx, MakeEvent(actor, org, kActionType, a.id.str(), "create", nullptr, ToJson(a))));
        // A further action answers a review that found the earlier ones not effective, and
        // has itself to be reviewed (10.2 d): any earlier finding of effectiveness lapses.
        Nonconformity after = nc;
        after.needs_new_action = false;
        after.effective_review_id.reset();
        CERTUS_TRY(Sync(tx, actor, nc, after));
        return a;
      });
}

Expected<CorrectiveAction> NonconformityService::UpdateAction(const Actor& actor, const OrgId& org,
                                                              const ActionId& id,
                                                              const ActionPatch& patch,
                                                              std::int64_t expected_version) {
  CERTUS_CHECK(CheckCanWrite(actor));
  if (patch.owner_id) CERTUS_CHECK(CheckMember(org, *patch.owner_id, "owner_id"));
  return storage::InWriteTransaction(
      db_, [&](storage::Transaction& tx) -> Expected<CorrectiveAction> {
        auto before = CERTUS_TRY(store_.FindAction(tx, org, id));
        if (!before) return Fail(Error::NotFound("Corrective action"));
        auto nc = CERTUS_TRY(Load(tx, org, before->nonconformity_id));
        CERTUS_CHECK(CheckOwns(actor,
                               before->owner_id == actor.user_id || nc.owner_id == actor.user_id ||
                                   nc.reported_by == actor.user_id,
                               "corrective actions"));
        if (before->version != expected_version) return Fail(Stale("corrective action"));
        if (nc.closed_on) return Fail(Closed(nc));
        CorrectiveAction after = *before;
        if (patch.title) after.title = *patch.title;
        if (patch.owner_id) after.owner_id = *patch.owner_id;
        if (patch.due_on) after.due_on = *patch.due_on;
        if (patch.status) after.status = *patch.status;
        if (patch.completion_note) after.completion_note = *patch.completion_note;
        if (patch.done_on) after.done_on = *patch.done_on;
        if (after.status == ActionStatus::kDone) {
          if (!after.done_on) after.done_on = DateOf(clock_.Now());
        } else {
          after.done_on.reset();
        }
        after.version = before->version + 1;
        after.updated_at = FormatTimestamp(clock_.Now());
        after.overdue =
            after.due_on && FormatDate(*after.due_on) < Today() && !Finished(after.status);
        if (!CERTUS_TRY(store_.UpdateAction(tx, after, expected_version))) {
          return Fail(Stale("corrective action"));
        }
        CERTUS_CHECK(audit_log_.Append(tx, MakeEvent(actor, org, kActionType, id.str(), "update",
                                                     ToJson(*before), ToJson(after))));
        Nonconformity nc_after = nc;
        // What was reviewed changed (an action reopened, cancelled or handed over): the
        // earlier finding of effectiveness no longer covers it (10.2 d).
        if (after.status != before->status || after.owner_id != before->owner_id) {
          nc_after.effective_review_id.reset();
        }
        CERTUS_TRY(Sync(tx, actor, nc, nc_after));
        return after;
      });
}

// ------------------------------------------------------------------ effectiveness reviews

Expected<std::vector<EffectivenessReview>> NonconformityService::ListReviews(
    const Actor& actor, const OrgId& org, const NonconformityId& id) {
  CERTUS_CHECK(CheckCanRead(actor));
  return storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) -> Expected<std::vector<EffectivenessReview>> {
        auto nc = CERTUS_TRY(store_.FindNonconformity(tx, org, id));
        if (!nc) return Fail(Error::NotFound("Nonconformity"));
        return store_.ReviewsOf(tx, org, id);
      });
}

Expected<EffectivenessReview> NonconformityService::Review(const Actor& actor, const OrgId& org,
                                                           const NonconformityId& id,
                                                           bool effective,
                                                           const std::string& note) {
  CERTUS_CHECK(CheckCanVerify(actor));
  return storage::InWriteTransaction(
      db_, [&](storage::Transaction& tx) -> Expected<EffectivenessReview> {
        auto nc = CERTUS_TRY(Load(tx, org, id));
        if (nc.closed_on) return Fail(Closed(nc));
        auto actions = CERTUS_TRY(store_.ActionsOf(tx, org, id));
        for (const auto& action : actions) {
          if (action.status != ActionStatus::kCancelled && action.owner_id == actor.user_id) {
            // ISO 27001 10.2 d: the effectiveness of an action is judged by someone other
            // than who carried it out.
            return Fail(ErrorCode::kConflict,
                        "You own the corrective action " + action.ref + " of " + nc.ref +
                            ": the effectiveness of corrective actions is reviewed by someone "
                            "who owns none of them (ISO 27001 10.2 d).");
          }
        }
        std::vector<ClosureBlocker> pending;
        for (const auto& blocker : nc.closure_blockers) {
          if (blocker.code != "effectiveness_not_confirmed" &&
              blocker.code != "similar_check_missing") {
            pending.push_back(blocker);
          }
        }
        if (!pending.empty()) {
          return Fail(ErrorCode::kConflict,
                      "The effectiveness of corrective actions is reviewed once they are done "
                      "(ISO 27001 10.2 d). " +
                          JoinMessages(pending));
        }
        EffectivenessReview review;
        review.id = ReviewId(NewUuid(clock_, random_));
        review.org_id = org;
        review.nonconformity_id = id;
        review.effective = effective;
        review.note = note;
        review.reviewed_by = actor.user_id;
        review.reviewed_on = DateOf(clock_.Now());
        review.created_at = FormatTimestamp(clock_.Now());
        CERTUS_CHECK(store_.InsertReview(tx, review));
        CERTUS_CHECK(audit_log_.Append(tx, MakeEvent(actor, org, kReviewType, review.id.str(),
                                                     "create", nullptr, ToJson(review))));
        Nonconformity after = nc;
        if (effective) {
          after.effective_review_id = review.id;
        } else {
          // 10.2 d–f: not effective, so the nonconformity is reopened and needs a further
          // corrective action before it can be verified again.
          after.effective_review_id.reset();
          after.needs_new_action = true;
          ++after.reopen_count;
        }
        CERTUS_TRY(Sync(tx, actor, nc, after));
        return review;
      });
}

// ------------------------------------------------------------------ improvements

namespace {

bool IsWorkedOn(ImprovementStatus status) { return status != ImprovementStatus::kOpen; }

}  // namespace

Expected<void> ImprovementService::CheckCanWrite(const Actor& actor) {
  CERTUS_CHECK(CheckCanRead(actor));
  if (*actor.role < Role::kContributor) {
    return Fail(ErrorCode::kPermissionDenied,
                "Only contributors, managers and admins may record opportunities for "
                "improvement.");
  }
  return {};
}

std::string ImprovementService::Today() const { return FormatDate(DateOf(clock_.Now())); }

Expected<Page<Improvement>> ImprovementService::List(const Actor& actor, const OrgId& org,
                                                     const ImprovementFilter& filter,
                                                     const PageQuery& page) {
  CERTUS_CHECK(CheckCanRead(actor));
  auto result = CERTUS_TRY(storage::InReadTransaction(db_, [&](storage::Transaction& tx) {
    return store_.ListImprovements(tx, org, filter, page);
  }));
  const auto today = Today();
  for (auto& i : result.items) {
    i.overdue =
        i.due_on && FormatDate(*i.due_on) < today &&
        (i.status == ImprovementStatus::kOpen || i.status == ImprovementStatus::kInProgress);
  }
  return result;
}

Expected<Improvement> ImprovementService::Get(const Actor& actor, const OrgId& org,
                                              const ImprovementId& id) {
  CERTUS_CHECK(CheckCanRead(actor));
  auto found = CERTUS_TRY(storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) { return store_.FindImprovement(tx, org, id); }));
  if (!found) return Fail(Error::NotFound("Improvement"));
  found->overdue = found->due_on && FormatDate(*found->due_on) < Today() &&
                   (found->status == ImprovementStatus::kOpen ||
                    found->status == ImprovementStatus::kInProgress);
  return *found;
}

Expected<Improvement> ImprovementService::Create(const Actor& actor, const OrgId& org,
                                                 const ImprovementPatch& input) {
  return Write(actor, org, std::nullopt, input, 1);
}

Expected<Improvement> ImprovementService::Update(const Actor& actor, const OrgId& org,
                                                 const ImprovementId& id,
                                                 const ImprovementPatch& patch,
                                                 std::int64_t expected_version) {
  return Write(actor, org, id, patch, expected_version);
}

Expected<Improvement> ImprovementService::Write(const Actor& actor, const OrgId& org,
                                                const std::optional<ImprovementId>& id,
                                                const ImprovementPatch& patch,
                                                std::int64_t expected_version) {
  CERTUS_CHECK(CheckCanWrite(actor));
  if (patch.decision && *actor.role < Role::kManager) {
    return Fail(ErrorCode::kPermissionDenied,
                "Only managers and admins decide on opportunities for improvement.");
  }
  std::vector<FieldError> problems;
  if (!id && (!patch.title || Blank(*patch.title))) problems.push_back({"title", "is required"});
  if (patch.owner_id && *patch.owner_id) {
    auto role = CERTUS_TRY(identity_.RoleOf(org, **patch.owner_id));
    if (!role) problems.push_back({"owner_id", "must be a member of the organization"});
  }
  if (!problems.empty()) return Fail(Error::Validation(std::move(problems)));
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<Improvement> {
    std::optional<Improvement> before;
    Improvement after;
    if (id) {
      before = CERTUS_TRY(store_.FindImprovement(tx, org, *id));
      if (!before) return Fail(Error::NotFound("Improvement"));
      CERTUS_CHECK(CheckOwns(actor,
                             before->raised_by == actor.user_id ||
                                 (before->owner_id && *before->owner_id == actor.user_id),
                             "opportunities for improvement"));
      if (before->version != expected_version) return Fail(Stale("opportunity for improvement"));
      after = *before;
    } else {
      after.id = ImprovementId(NewUuid(clock_, random_));
      after.org_id = org;
      after.raised_by = actor.user_id;
      after.raised_on = DateOf(clock_.Now());
      after.created_at = FormatTimestamp(clock_.Now());
    }
    if (patch.nonconformity_id && *patch.nonconformity_id &&
        !CERTUS_TRY(store_.FindNonconformity(tx, org, **patch.nonconformity_id))) {
      return Fail(Error::Field("nonconformity_id", "must be a nonconformity of this organization"));
    }
    if (patch.title) after.title = *patch.title;
    if (patch.description) after.description = *patch.description;
    if (patch.source) after.source = *patch.source;
    if (patch.decision_rationale) after.decision_rationale = *patch.decision_rationale;
    if (patch.decision && *patch.decision != after.decision) {
      after.decision = *patch.decision;
      if (after.decision == Decision::kPending) {
        after.decided_by.reset();
        after.decided_on.reset();
      } else {
        after.decided_by = actor.user_id;
        after.decided_on = DateOf(clock_.Now());
      }
    }
    if (patch.outcome) after.outcome = *patch.outcome;
    if (patch.owner_id) after.owner_id = *patch.owner_id;
    if (patch.due_on) after.due_on = *patch.due_on;
    if (patch.status) after.status = *patch.status;
    if (patch.nonconformity_id) after.nonconformity_id = *patch.nonconformity_id;

    if (after.decision != Decision::kPending && Blank(after.decision_rationale)) {
      return Fail(
          Error::Field("decision_rationale", "is required with a decision: say why it was " +
                                                 std::string(DecisionName(after.decision))));
    }
    // ISO 27001 10.1: the organization improves the ISMS through what it decides to do;
    // only an accepted opportunity is worked on, and what came of it is recorded.
    if (IsWorkedOn(after.status) && after.status != ImprovementStatus::kClosed &&
        after.decision != Decision::kAccepted) {
      return Fail(ErrorCode::kConflict,
                  "Only an accepted opportunity for improvement is worked on or implemented "
                  "(ISO 27001 10.1); decide on it first.");
    }
    if (after.status == ImprovementStatus::kClosed && after.decision == Decision::kPending) {
      return Fail(ErrorCode::kConflict,
                  "An opportunity for improvement is closed once decided on (ISO 27001 10.1): "
                  "accept, reject or defer it first.");
    }
    if ((after.status == ImprovementStatus::kImplemented ||
         (after.status == ImprovementStatus::kClosed && after.decision == Decision::kAccepted)) &&
        Blank(after.outcome)) {
      return Fail(ErrorCode::kConflict,
                  "Record the outcome before marking an accepted opportunity for improvement "
                  "implemented or closed (ISO 27001 10.1: the improvement is shown, not "
                  "assumed).");
    }

    after.updated_at = FormatTimestamp(clock_.Now());
    if (before) {
      after.version = before->version + 1;
      if (!CERTUS_TRY(store_.UpdateImprovement(tx, after, expected_version))) {
        return Fail(Stale("opportunity for improvement"));
      }
    } else {
      after.ref = storage::FormatRef(
          "OFI", CERTUS_TRY(storage::NextCounter(tx, org.str(), kImprovementType)));
      CERTUS_CHECK(store_.InsertImprovement(tx, after));
    }
    after.overdue = after.due_on && FormatDate(*after.due_on) < Today() &&
                    (after.status == ImprovementStatus::kOpen ||
                     after.status == ImprovementStatus::kInProgress);
    CERTUS_CHECK(audit_log_.Append(
        tx, MakeEvent(actor, org, kImprovementType, after.id.str(), before ? "update" : "create",
                      before ? ToJson(*before) : boost::json::value(nullptr), ToJson(after))));
    return after;
  });
}

}  // namespace certus::improvement
