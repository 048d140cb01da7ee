#include "modules/reviews/service.hpp"

#include <algorithm>
#include <cctype>

#include "core/uuid.hpp"
#include "modules/reviews/json.hpp"
#include "reports/table.hpp"
#include "storage/counters.hpp"

namespace certus::reviews {

namespace {

constexpr const char* kReviewType = "management_review";
constexpr const char* kDecisionType = "management_review_decision";
constexpr const char* kActionType = "management_review_action";

Expected<void> CheckCanRead(const Actor& actor) {
  if (!actor.role) return Fail(Error::NotFound("Organization"));
  return {};
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

bool Blank(const std::string& text) {
  return std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isspace(c); });
}

bool Finished(ActionStatus status) {
  return status == ActionStatus::kDone || status == ActionStatus::kCancelled;
}

Error Closed(const ManagementReview& review) {
  return {ErrorCode::kConflict, review.ref +
                                    " is closed: the minutes of a closed management review are "
                                    "a record and no longer change (ISO 27001 9.3.3)."};
}

std::string Join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (const auto& part : parts) {
    if (!out.empty()) out += separator;
    out += part;
  }
  return out;
}

}  // namespace

Expected<void> ReviewService::CheckCanWrite(const Actor& actor) {
  CERTUS_CHECK(CheckCanRead(actor));
  if (*actor.role < Role::kManager) {
    return Fail(ErrorCode::kPermissionDenied,
                "Only managers and admins plan, hold and record management reviews.");
  }
  return {};
}

Date ReviewService::Today() const { return DateOf(clock_.Now()); }

Expected<void> ReviewService::CheckAttendees(const OrgId& org,
                                             const std::vector<std::string>& ids) {
  std::vector<FieldError> problems;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    auto role = CERTUS_TRY(identity_.RoleOf(org, UserId(ids[i])));
    if (!role) {
      problems.push_back(
          {"attendee_ids[" + std::to_string(i) + "]", "must be a member of the organization"});
    }
  }
  if (!problems.empty()) return Fail(Error::Validation(std::move(problems)));
  return {};
}

Expected<bool> ReviewService::HasTopManagement(storage::Transaction& tx,
                                               const ManagementReview& review) {
  for (const auto& id : review.attendee_ids) {
    if (CERTUS_TRY(leadership_.HoldsTopManagementRole(tx, review.org_id, UserId(id)))) return true;
  }
  return false;
}

void ReviewService::Derive(ManagementReview& review, std::int64_t decisions,
                           std::int64_t actions) const {
  review.decision_count = decisions;
  review.action_count = actions;
  auto& blockers = review.closure_blockers;
  blockers.clear();
  if (review.status == ReviewStatus::kClosed) return;
  if (review.status != ReviewStatus::kHeld) {
    blockers.push_back({"not_held",
                        "Hold the review first: top management reviews the ISMS at planned "
                        "intervals (ISO 27001 9.3.1)."});
  }
  std::vector<std::string> missing;
  for (const auto& spec : InputSpecs()) {
    auto it = review.notes.find(std::string(spec.key));
    if (it == review.notes.end() || Blank(it->second)) missing.emplace_back(spec.key);
  }
  if (!missing.empty()) {
    blockers.push_back(
        {"inputs_not_covered", "Record notes on every input of the review: " + Join(missing, ", ") +
                                   (missing.size() == 1 ? " has" : " have") +
                                   " none yet (ISO 27001 9.3.2 " + Join(missing, ", ") + ")."});
  }
  if (decisions == 0) {
    blockers.push_back({"no_decision",
                        "Record at least one decision on continual improvement or changes to "
                        "the ISMS (ISO 27001 9.3.3)."});
  }
}

Expected<ManagementReview> ReviewService::Load(storage::Transaction& tx, const OrgId& org,
                                               const ReviewId& id) {
  auto review = CERTUS_TRY(store_.Find(tx, org, id));
  if (!review) return Fail(Error::NotFound("Management review"));
  auto decisions = CERTUS_TRY(store_.DecisionsOf(tx, org, id));
  auto actions = CERTUS_TRY(store_.ActionsOf(tx, org, id));
  Derive(*review, static_cast<std::int64_t>(decisions.size()),
         static_cast<std::int64_t>(actions.size()));
  return *review;
}

Expected<ManagementReview> ReviewService::Write(storage::Transaction& tx, const Actor& actor,
                                                const ManagementReview& before,
                                                ManagementReview after, const std::string& action) {
  after.version = before.version + 1;
  after.updated_at = FormatTimestamp(clock_.Now());
  if (!CERTUS_TRY(store_.Update(tx, after, before.version))) {
    return Fail(Stale("management review"));
  }
  Derive(after, before.decision_count, before.action_count);
  CERTUS_CHECK(audit_log_.Append(tx, MakeEvent(actor, after.org_id, kReviewType, after.id.str(),
                                               action, ToJson(before), ToJson(after))));
  return after;
}

// ------------------------------------------------------------------ reviews

Expected<Page<ManagementReview>> ReviewService::List(const Actor& actor, const OrgId& org,
                                                     const ReviewFilter& filter,
                                                     const PageQuery& page) {
  CERTUS_CHECK(CheckCanRead(actor));
  return storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) -> Expected<Page<ManagementReview>> {
        auto result = CERTUS_TRY(store_.List(tx, org, filter, page));
        for (auto& review : result.items) {
          auto decisions = CERTUS_TRY(store_.DecisionsOf(tx, org, review.id));
          auto actions = CERTUS_TRY(store_.ActionsOf(tx, org, review.id));
          Derive(review, static_cast<std::int64_t>(decisions.size()),
                 static_cast<std::int64_t>(actions.size()));
        }
        return result;
      });
}

Expected<ManagementReview> ReviewService::Get(const Actor& actor, const OrgId& org,
                                              const ReviewId& id) {
  CERTUS_CHECK(CheckCanRead(actor));
  return storage::InReadTransaction(db_,
                                    [&](storage::Transaction& tx) { return Load(tx, org, id); });
}

Expected<ManagementReview> ReviewService::Create(const Actor& actor, const OrgId& org,
                                                 const ReviewPatch& input) {
  CERTUS_CHECK(CheckCanWrite(actor));
  std::vector<FieldError> problems;
  if (!input.title || Blank(*input.title)) problems.push_back({"title", "is required"});
  if (!input.planned_on) problems.push_back({"planned_on", "is required"});
  if (!problems.empty()) return Fail(Error::Validation(std::move(problems)));
  std::vector<std::string> attendees = input.attendee_ids.value_or(std::vector<std::string>{});
  std::sort(attendees.begin(), attendees.end());
  attendees.erase(std::unique(attendees.begin(), attendees.end()), attendees.end());
  CERTUS_CHECK(CheckAttendees(org, attendees));
  return storage::InWriteTransaction(
      db_, [&](storage::Transaction& tx) -> Expected<ManagementReview> {
        ManagementReview review;
        review.id = ReviewId(NewUuid(clock_, random_));
        review.org_id = org;
        review.ref =
            storage::FormatRef("MR", CERTUS_TRY(storage::NextCounter(tx, org.str(), kReviewType)));
        review.title = *input.title;
        review.planned_on = *input.planned_on;
        review.attendee_ids = attendees;
        review.created_at = review.updated_at = FormatTimestamp(clock_.Now());
        Derive(review, 0, 0);
        CERTUS_CHECK(store_.Insert(tx, review));
        CERTUS_CHECK(audit_log_.Append(tx, MakeEvent(actor, org, kReviewType, review.id.str(),
                                                     "create", nullptr, ToJson(review))));
        return review;
      });
}

Expected<ManagementReview> ReviewService::Update(const Actor& actor, const OrgId& org,
                                                 const ReviewId& id, const ReviewPatch& patch,
                                                 std::int64_t expected_version) {
  CERTUS_CHECK(CheckCanWrite(actor));
  if (patch.title && Blank(*patch.title)) {
    return Fail(Error::Field("title", "must not be empty"));
  }
  std::optional<std::vector<std::string>> attendees = patch.attendee_ids;
  if (attendees) {
    std::sort(attendees->begin(), attendees->end());
    attendees->erase(std::unique(attendees->begin(), attendees->end()), attendees->end());
    CERTUS_CHECK(CheckAttendees(org, *attendees));
  }
  return storage::InWriteTransaction(
      db_, [&](storage::Transaction& tx) -> Expected<ManagementReview> {
        auto before = CERTUS_TRY(Load(tx, org, id));
        if (before.version != expected_version) return Fail(Stale("management review"));
        if (before.status == ReviewStatus::kClosed) return Fail(Closed(before));
        ManagementReview after = before;
        if (patch.title) after.title = *patch.title;
        if (patch.planned_on) after.planned_on = *patch.planned_on;
        if (attendees) after.attendee_ids = *attendees;
        if (after.status == ReviewStatus::kHeld && after.attendee_ids != before.attendee_ids &&
            !CERTUS_TRY(HasTopManagement(tx, after))) {
          return Fail(ErrorCode::kConflict,
                      "A held management review keeps top management among its attendees "
                      "(ISO 27001 9.3.1): the attendees would no longer include anyone holding "
                      "a top management role.");
        }
        return Write(tx, actor, before, std::move(after), "update");
      });
}

Expected<ManagementReview> ReviewService::Hold(const Actor& actor, const OrgId& org,
                                               const ReviewId& id, std::optional<Date> held_on,
                                               std::optional<std::int64_t> expected_version) {
  CERTUS_CHECK(CheckCanWrite(actor));
  const Date today = Today();
  const Date day = held_on.value_or(today);
  if (std::chrono::sys_days(day) > std::chrono::sys_days(today)) {
    return Fail(Error::Field("held_on", "must not be in the future"));
  }
  return storage::InWriteTransaction(
      db_, [&](storage::Transaction& tx) -> Expected<ManagementReview> {
        auto before = CERTUS_TRY(Load(tx, org, id));
        if (expected_version && before.version != *expected_version) {
          return Fail(Stale("management review"));
        }
        if (before.status == ReviewStatus::kClosed) return Fail(Closed(before));
        if (before.status == ReviewStatus::kHeld) {
          return Fail(ErrorCode::kConflict,
                      before.ref + " was already held on " + FormatDate(*before.held_on) + ".");
        }
        // ISO 27001 9.3.1: top management reviews the ISMS; a review without it is not one.
        if (!CERTUS_TRY(HasTopManagement(tx, before))) {
          return Fail(ErrorCode::kConflict,
                      "Top management must be among the attendees to hold the review "
                      "(ISO 27001 9.3.1): add an attendee who holds a top management role "
                      "(see Roles).");
        }
        ManagementReview after = before;
        after.status = ReviewStatus::kHeld;
        after.held_on = day;
        return Write(tx, actor, before, std::move(after), "hold");
      });
}

Expected<ManagementReview> ReviewService::Close(const Actor& actor, const OrgId& org,
                                                const ReviewId& id,
                                                std::optional<std::int64_t> expected_version) {
  CERTUS_CHECK(CheckCanWrite(actor));
  return storage::InWriteTransaction(
      db_, [&](storage::Transaction& tx) -> Expected<ManagementReview> {
        auto before = CERTUS_TRY(Load(tx, org, id));
        if (expected_version && before.version != *expected_version) {
          return Fail(Stale("management review"));
        }
        if (before.status == ReviewStatus::kClosed) return Fail(Closed(before));
        if (!before.closure_blockers.empty()) {
          std::vector<std::string> messages;
          for (const auto& blocker : before.closure_blockers) messages.push_back(blocker.message);
          return Fail(ErrorCode::kConflict,
                      before.ref + " cannot be closed yet. " + Join(messages, " "));
        }
        ManagementReview after = before;
        after.status = ReviewStatus::kClosed;
        after.closed_by = actor.user_id;
        after.closed_on = Today();
        return Write(tx, actor, before, std::move(after), "close");
      });
}

Expected<ManagementReview> ReviewService::SetNotes(const Actor& actor, const OrgId& org,
                                                   const ReviewId& id, const std::string& key,
                                                   const std::string& notes,
                                                   std::int64_t expected_version) {
  CERTUS_CHECK(CheckCanWrite(actor));
  if (!IsInputKey(key)) return Fail(Error::NotFound("Review input"));
  return storage::InWriteTransaction(db_,
                                     [&](storage::Transaction& tx) -> Expected<ManagementReview> {
                                       auto before = CERTUS_TRY(Load(tx, org, id));
                                       if (before.version != expected_version)
                                         return Fail(Stale("management review"));
                                       if (before.status == ReviewStatus::kClosed)
                                         return Fail(Closed(before));
                                       ManagementReview after = before;
                                       if (Blank(notes)) {
                                         after.notes.erase(key);
                                       } else {
                                         after.notes[key] = notes;
                                       }
                                       return Write(tx, actor, before, std::move(after), "update");
                                     });
}

// ------------------------------------------------------------------ decisions and actions

Expected<std::vector<ReviewDecision>> ReviewService::Decisions(const Actor& actor, const OrgId& org,
                                                               const ReviewId& id) {
  CERTUS_CHECK(CheckCanRead(actor));
  return storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) -> Expected<std::vector<ReviewDecision>> {
        if (!CERTUS_TRY(store_.Find(tx, org, id)))
          return Fail(Error::NotFound("Management review"));
        return store_.DecisionsOf(tx, org, id);
      });
}

Expected<ReviewDecision> ReviewService::AddDecision(const Actor& actor, const OrgId& org,
                                                    const ReviewId& id, const std::string& text,
                                                    DecisionCategory category) {
  CERTUS_CHECK(CheckCanWrite(actor));
  if (Blank(text)) return Fail(Error::Field("text", "is required"));
  return storage::InWriteTransaction(
      db_, [&](storage::Transaction& tx) -> Expected<ReviewDecision> {
        auto review = CERTUS_TRY(Load(tx, org, id));
        if (review.status == ReviewStatus::kClosed) return Fail(Closed(review));
        ReviewDecision decision;
        decision.id = DecisionId(NewUuid(clock_, random_));
        decision.org_id = org;
        decision.review_id = id;
        decision.ref = storage::FormatRef(
            "MRD", CERTUS_TRY(storage::NextCounter(tx, org.str(), kDecisionType)));
        decision.text = text;
        decision.category = category;
        decision.recorded_by = actor.user_id;
        decision.created_at = FormatTimestamp(clock_.Now());
        CERTUS_CHECK(store_.InsertDecision(tx, decision));
        CERTUS_CHECK(audit_log_.Append(tx, MakeEvent(actor, org, kDecisionType, decision.id.str(),
                                                     "create", nullptr, ToJson(decision))));
        return decision;
      });
}

Expected<std::vector<ReviewAction>> ReviewService::Actions(const Actor& actor, const OrgId& org,
                                                           const ReviewId& id) {
  CERTUS_CHECK(CheckCanRead(actor));
  auto actions = CERTUS_TRY(storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) -> Expected<std::vector<ReviewAction>> {
        if (!CERTUS_TRY(store_.Find(tx, org, id)))
          return Fail(Error::NotFound("Management review"));
        return store_.ActionsOf(tx, org, id);
      }));
  const std::string today = FormatDate(Today());
  for (auto& a : actions)
    a.overdue = a.due_on && FormatDate(*a.due_on) < today && !Finished(a.status);
  return actions;
}

Expected<ReviewAction> ReviewService::GetAction(const Actor& actor, const OrgId& org,
                                                const ReviewActionId& id) {
  CERTUS_CHECK(CheckCanRead(actor));
  auto found = CERTUS_TRY(storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) { return store_.FindAction(tx, org, id); }));
  if (!found) return Fail(Error::NotFound("Review action"));
  found->overdue =
      found->due_on && FormatDate(*found->due_on) < FormatDate(Today()) && !Finished(found->status);
  return *found;
}

Expected<ReviewAction> ReviewService::AddAction(const Actor& actor, const OrgId& org,
                                                const ReviewId& id, const ActionPatch& input) {
  CERTUS_CHECK(CheckCanWrite(actor));
  std::vector<FieldError> problems;
  if (!input.title || Blank(*input.title)) problems.push_back({"title", "is required"});
  if (!input.owner_id) {
    problems.push_back({"owner_id", "is required"});
  } else if (!CERTUS_TRY(identity_.RoleOf(org, *input.owner_id))) {
    problems.push_back({"owner_id", "must be a member of the organization"});
  }
  if (!problems.empty()) return Fail(Error::Validation(std::move(problems)));
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<ReviewAction> {
    auto review = CERTUS_TRY(Load(tx, org, id));
    if (review.status == ReviewStatus::kClosed) return Fail(Closed(review));
    ReviewAction action;
    action.id = ReviewActionId(NewUuid(clock_, random_));
    action.org_id = org;
    action.review_id = id;
    action.review_ref = review.ref;
    action.ref =
        storage::FormatRef("MRA", CERTUS_TRY(storage::NextCounter(tx, org.str(), kActionType)));
    action.title = *input.title;
    action.owner_id = *input.owner_id;
    action.due_on = input.due_on.value_or(std::nullopt);
    action.status = input.status.value_or(ActionStatus::kOpen);
    if (action.status == ActionStatus::kDone) action.done_on = Today();
    action.created_at = action.updated_at = FormatTimestamp(clock_.Now());
    action.overdue = action.due_on && FormatDate(*action.due_on) < FormatDate(Today()) &&
                     !Finished(action.status);
    CERTUS_CHECK(store_.InsertAction(tx, action));
    CERTUS_CHECK(audit_log_.Append(tx, MakeEvent(actor, org, kActionType, action.id.str(), "create",
                                                 nullptr, ToJson(action))));
    return action;
  });
}

Expected<ReviewAction> ReviewService::UpdateAction(const Actor& actor, const OrgId& org,
                                                   const ReviewActionId& id,
                                                   const ActionPatch& patch,
                                                   std::int64_t expected_version) {
  CERTUS_CHECK(CheckCanRead(actor));
  if (*actor.role < Role::kContributor) {
    return Fail(ErrorCode::kPermissionDenied,
                "Only the owner of an action, managers and admins change it.");
  }
  if (patch.title && Blank(*patch.title)) return Fail(Error::Field("title", "must not be empty"));
  if (patch.owner_id && !CERTUS_TRY(identity_.RoleOf(org, *patch.owner_id))) {
    return Fail(Error::Field("owner_id", "must be a member of the organization"));
  }
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<ReviewAction> {
    auto before = CERTUS_TRY(store_.FindAction(tx, org, id));
    if (!before) return Fail(Error::NotFound("Review action"));
    if (*actor.role < Role::kManager && before->owner_id != actor.user_id) {
      return Fail(ErrorCode::kPermissionDenied,
                  "Contributors change only the review actions they own.");
    }
    if (*actor.role < Role::kManager && (patch.owner_id || patch.title || patch.due_on)) {
      return Fail(ErrorCode::kPermissionDenied,
                  "The owner of a review action updates its status; managers and admins "
                  "change what was decided.");
    }
    if (before->version != expected_version) return Fail(Stale("review action"));
    ReviewAction after = *before;
    if (patch.title) after.title = *patch.title;
    if (patch.owner_id) after.owner_id = *patch.owner_id;
    if (patch.due_on) after.due_on = *patch.due_on;
    if (patch.status) after.status = *patch.status;
    if (after.status == ActionStatus::kDone) {
      if (!after.done_on) after.done_on = Today();
    } else {
      after.done_on.reset();
    }
    after.version = before->version + 1;
    after.updated_at = FormatTimestamp(clock_.Now());
    after.overdue =
        after.due_on && FormatDate(*after.due_on) < FormatDate(Today()) && !Finished(after.status);
    if (!CERTUS_TRY(store_.UpdateAction(tx, after, expected_version))) {
      return Fail(Stale("review action"));
    }
    CERTUS_CHECK(audit_log_.Append(tx, MakeEvent(actor, org, kActionType, id.str(), "update",
                                                 ToJson(*before), ToJson(after))));
    return after;
  });
}

Expected<improvement::Nonconformity> ReviewService::RaiseNonconformity(
    const Actor& actor, const OrgId& org, const ReviewId& id,
    const improvement::NonconformityPatch& details) {
  CERTUS_CHECK(CheckCanWrite(actor));
  auto review = CERTUS_TRY(Get(actor, org, id));
  return sources_.nonconformities.Create(actor, org, improvement::Source::kManagementReview,
                                         review.ref, details);
}

// ------------------------------------------------------------------ minutes

Expected<std::string> ReviewService::MinutesPdf(const Actor& actor, const OrgId& org,
                                                const ReviewId& id, std::string& filename) {
  auto pack = CERTUS_TRY(Inputs(actor, org, id));
  auto review = CERTUS_TRY(Get(actor, org, id));
  auto decisions = CERTUS_TRY(Decisions(actor, org, id));
  auto actions = CERTUS_TRY(Actions(actor, org, id));
  auto members = CERTUS_TRY(identity_.ListMembers(actor, org));
  auto email_of = [&](const std::string& user) {
    for (const auto& m : members) {
      if (m.user_id.str() == user) return m.display_name.empty() ? m.email : m.display_name;
    }
    return user;
  };
  std::vector<std::string> attendees;
  for (const auto& a : review.attendee_ids) attendees.push_back(email_of(a));

  reports::TableDocument table;
  table.title = review.ref + " " + review.title + " - minutes";
  table.facts = {{"Reference", review.ref},
                 {"Title", review.title},
                 {"Status", std::string(ReviewStatusName(review.status))},
                 {"Planned on", FormatDate(review.planned_on)},
                 {"Held on", review.held_on ? FormatDate(*review.held_on) : "not held"},
                 {"Attendees", attendees.empty() ? "none recorded" : Join(attendees, ", ")},
                 {"Inputs as of", FormatDate(pack.as_of)},
                 {"Changes since",
                  FormatDate(pack.since) +
                      (pack.previous_review_ref ? " (" + *pack.previous_review_ref + ")" : "")}};
  table.columns = {{"Section", 18}, {"Item", 40}, {"Record", 60}};
  for (const auto& input : pack.inputs) {
    table.rows.push_back({"9.3.2 " + input.key, input.title, Join(input.summary, "\n")});
    table.rows.push_back({"", "Notes", input.notes.empty() ? "(no notes)" : input.notes});
  }
  for (const auto& d : decisions) {
    table.rows.push_back({"Decision " + d.ref, std::string(CategoryName(d.category)), d.text});
  }
  if (decisions.empty()) table.rows.push_back({"Decisions", "", "(none recorded)"});
  for (const auto& a : actions) {
    table.rows.push_back({"Action " + a.ref, a.title,
                          "Owner " + email_of(a.owner_id.str()) + "; due " +
                              (a.due_on ? FormatDate(*a.due_on) : std::string("-")) + "; " +
                              std::string(ActionStatusName(a.status))});
  }
  filename = review.ref + "-minutes.pdf";
  return reports::WritePdf(table);
}

}  // namespace certus::reviews
