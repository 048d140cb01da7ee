#include "modules/communication/change_service.hpp"

#include <algorithm>
#include <cctype>

#include "core/uuid.hpp"
#include "modules/communication/change_json.hpp"
#include "storage/counters.hpp"

namespace certus::communication {

namespace {

constexpr const char* kChangeType = "isms_change";

Expected<void> CheckCanRead(const Actor& actor) {
  if (!actor.role) return Fail(Error::NotFound("Organization"));
  return {};
}

Error Stale() {
  return {ErrorCode::kPreconditionFailed,
          "Someone else changed this change since you read it; reload it and try again."};
}

auditlog::Event MakeEvent(const Actor& actor, const OrgId& org, const std::string& id,
                          std::string action, boost::json::value before, boost::json::value after) {
  return {org.str(),         actor.user_id.str(), actor.email,      kChangeType,     id,
          std::move(action), std::move(before),   std::move(after), actor.request_id};
}

bool Blank(const std::string& text) {
  return std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isspace(c); });
}

std::string StateConflict(const Change& change, std::string_view step, std::string_view needed) {
  return change.ref + " is " + std::string(ChangeStatusName(change.status)) +
         "; only a change that is " + std::string(needed) + " can be " + std::string(step) + ".";
}

}  // namespace

Expected<void> ChangeService::CheckCanPropose(const Actor& actor) {
  CERTUS_CHECK(CheckCanRead(actor));
  if (*actor.role < Role::kContributor) {
    return Fail(ErrorCode::kPermissionDenied,
                "Only contributors, managers and admins may propose or change ISMS changes.");
  }
  return {};
}

bool ChangeService::Involved(const Actor& actor, const Change& change) {
  return *actor.role >= Role::kManager || change.requested_by == actor.user_id ||
         change.owner_id == actor.user_id;
}

std::string ChangeService::DateProblem(const Date& date) const {
  if (std::chrono::sys_days(date) > std::chrono::sys_days(DateOf(clock_.Now()))) {
    return "must not be in the future: record the implementation once it is done";
  }
  return {};
}

Expected<std::vector<ChangeLink>> ChangeService::ResolveLinks(const Actor& actor, const OrgId& org,
                                                              const ChangePatch& patch,
                                                              std::vector<FieldError>& problems) {
  std::vector<ChangeLink> links;
  const auto missing = [&](const char* field, std::size_t i, const std::string& id,
                           const char* what) {
    problems.push_back({std::string(field) + "[" + std::to_string(i) + "]",
                        "\"" + id + "\" is not " + what + " of the organization"});
  };
  if (patch.risk_ids) {
    for (std::size_t i = 0; i < patch.risk_ids->size(); ++i) {
      const auto& id = (*patch.risk_ids)[i];
      auto found = risks_.GetRisk(actor, org, risk::RiskId(id));
      if (found) {
        links.push_back({LinkKind::kRisk, id, found->ref + " " + found->title});
      } else if (found.error().code() == ErrorCode::kNotFound) {
        missing("risk_ids", i, id, "a risk");
      } else {
        return Fail(found.error());
      }
    }
  }
  if (patch.control_ids) {
    for (std::size_t i = 0; i < patch.control_ids->size(); ++i) {
      const auto& id = (*patch.control_ids)[i];
      auto found = controls_.Get(actor, org, controls::ControlId(id));
      if (found) {
        links.push_back({LinkKind::kControl, id, found->ref_id + " " + found->title});
      } else if (found.error().code() == ErrorCode::kNotFound) {
        missing("control_ids", i, id, "a control");
      } else {
        return Fail(found.error());
      }
    }
  }
  if (patch.document_ids) {
    for (std::size_t i = 0; i < patch.document_ids->size(); ++i) {
      const auto& id = (*patch.document_ids)[i];
      auto found = documents_.GetDocument(actor, org, documents::DocumentId(id));
      if (found) {
        links.push_back({LinkKind::kDocument, id, found->ref + " " + found->title});
      } else if (found.error().code() == ErrorCode::kNotFound) {
        missing("document_ids", i, id, "a document");
      } else {
        return Fail(found.error());
      }
    }
  }
  return links;
}

Expected<Page<Change>> ChangeService::List(const Actor& actor, const OrgId& org,
                                           const ChangeFilter& filter, const PageQuery& page) {
  CERTUS_CHECK(CheckCanRead(actor));
  return storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) { return store_.List(tx, org, filter, page); });
}

Expected<Change> ChangeService::Get(const Actor& actor, const OrgId& org, const ChangeId& id) {
  CERTUS_CHECK(CheckCanRead(actor));
  auto change = CERTUS_TRY(storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) { return store_.Find(tx, org, id); }));
  if (!change) return Fail(Error::NotFound("Change"));
  return *change;
}

namespace {

/// Applies the fields of `patch` other than links.
void Apply(const ChangePatch& patch, Change& c) {
  if (patch.title) c.title = *patch.title;
  if (patch.purpose) c.purpose = *patch.purpose;
  if (patch.consequences) c.consequences = *patch.consequences;
  if (patch.integrity_considerations) c.integrity_considerations = *patch.integrity_considerations;
  if (patch.resources) c.resources = *patch.resources;
  if (patch.owner_id) c.owner_id = *patch.owner_id;
  if (patch.responsibilities) c.responsibilities = *patch.responsibilities;
  if (patch.planned_on) c.planned_on = *patch.planned_on;
  if (patch.nonconformity_id) c.nonconformity_id = *patch.nonconformity_id;
  if (patch.notes) c.notes = *patch.notes;
}

/// Replaces the links of the kinds `patch` names with `resolved`.
void MergeLinks(const ChangePatch& patch, const std::vector<ChangeLink>& resolved, Change& c) {
  const auto named = [&](LinkKind kind) {
    switch (kind) {
      case LinkKind::kRisk: return patch.risk_ids.has_value();
      case LinkKind::kControl: return patch.control_ids.has_value();
      case LinkKind::kDocument: return patch.document_ids.has_value();
    }
    return false;
  };
  std::erase_if(c.links, [&](const ChangeLink& link) { return named(link.kind); });
  for (const auto& link : resolved) {
    const bool dup = std::any_of(c.links.begin(), c.links.end(), [&](const ChangeLink& l) {
      return l.kind == link.kind && l.id == link.id;
    });
    if (!dup) c.links.push_back(link);
  }
  std::sort(c.links.begin(), c.links.end(), [](const ChangeLink& a, const ChangeLink& b) {
    return a.kind != b.kind ? a.kind < b.kind : a.id < b.id;
  });
}

}  // namespace

Expected<Change> ChangeService::Create(const Actor& actor, const OrgId& org,
                                       const ChangePatch& input) {
  CERTUS_CHECK(CheckCanPropose(actor));
  std::vector<FieldError> problems;
  if (!input.title) problems.push_back({"title", "is required"});
  if (input.owner_id) {
    if (!CERTUS_TRY(identity_.RoleOf(org, *input.owner_id))) {
      problems.push_back({"owner_id", "must be a member of the organization"});
    }
  }
  auto links = CERTUS_TRY(ResolveLinks(actor, org, input, problems));
  if (!problems.empty()) return Fail(Error::Validation(std::move(problems)));
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<Change> {
    Change c;
    c.id = ChangeId(NewUuid(clock_, random_));
    c.org_id = org;
    c.owner_id = actor.user_id;
    c.requested_by = actor.user_id;
    c.requested_by_email = actor.email;
    c.created_at = FormatTimestamp(clock_.Now());
    c.updated_at = c.created_at;
    Apply(input, c);
    MergeLinks(input, links, c);
    c.ref = storage::FormatRef("CHG", CERTUS_TRY(storage::NextCounter(tx, org.str(), kChangeType)));
    CERTUS_CHECK(store_.Insert(tx, c));
    CERTUS_CHECK(
        audit_log_.Append(tx, MakeEvent(actor, org, c.id.str(), "create", nullptr, ToJson(c))));
    return c;
  });
}

Expected<Change> ChangeService::Update(const Actor& actor, const OrgId& org, const ChangeId& id,
                                       const ChangePatch& patch, std::int64_t expected_version) {
  CERTUS_CHECK(CheckCanPropose(actor));
  std::vector<FieldError> problems;
  if (patch.owner_id) {
    if (!CERTUS_TRY(identity_.RoleOf(org, *patch.owner_id))) {
      problems.push_back({"owner_id", "must be a member of the organization"});
    }
  }
  auto links = CERTUS_TRY(ResolveLinks(actor, org, patch, problems));
  if (!problems.empty()) return Fail(Error::Validation(std::move(problems)));
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<Change> {
    auto before = CERTUS_TRY(store_.Find(tx, org, id));
    if (!before) return Fail(Error::NotFound("Change"));
    if (!Involved(actor, *before)) {
      return Fail(ErrorCode::kPermissionDenied,
                  "Contributors may change only the changes they requested or own.");
    }
    if (before->version != expected_version) return Fail(Stale());
    if (IsClosed(before->status)) {
      return Fail(ErrorCode::kConflict,
                  before->ref + " is " + std::string(ChangeStatusName(before->status)) +
                      "; a closed change is a record of how the ISMS was changed (ISO 27001 6.3, "
                      "7.5.3) and stays as it is.");
    }
    Change after = *before;
    Apply(patch, after);
    MergeLinks(patch, links, after);
    if (IsApproved(before->status)) {
      // ISO 27001 6.3: the change is carried out as planned and approved; a different plan
      // needs a new approval (cancel this change and propose another).
      std::vector<std::string> changed;
      if (after.title != before->title) changed.emplace_back("title");
      if (after.purpose != before->purpose) changed.emplace_back("purpose");
      if (after.consequences != before->consequences) changed.emplace_back("consequences");
      if (after.integrity_considerations != before->integrity_considerations) {
        changed.emplace_back("integrity_considerations");
      }
      if (after.resources != before->resources) changed.emplace_back("resources");
      if (after.responsibilities != before->responsibilities) {
        changed.emplace_back("responsibilities");
      }
      if (after.owner_id != before->owner_id) changed.emplace_back("owner_id");
      if (!changed.empty()) {
        std::string list;
        for (const auto& name : changed) list += (list.empty() ? "" : ", ") + name;
        return Fail(ErrorCode::kConflict,
                    "ISO 27001 6.3: " + before->ref +
                        " was approved as planned, so its plan no longer changes (" + list +
                        "); cancel it and propose a new change for a different plan.");
      }
    }
    after.version = before->version + 1;
    after.updated_at = FormatTimestamp(clock_.Now());
    if (!CERTUS_TRY(store_.Update(tx, after, expected_version))) return Fail(Stale());
    CERTUS_CHECK(audit_log_.Append(
        tx, MakeEvent(actor, org, id.str(), "update", ToJson(*before), ToJson(after))));
    return after;
  });
}

Expected<void> ChangeService::Delete(const Actor& actor, const OrgId& org, const ChangeId& id,
                                     std::int64_t expected_version) {
  CERTUS_CHECK(CheckCanPropose(actor));
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<void> {
    auto before = CERTUS_TRY(store_.Find(tx, org, id));
    if (!before) return Fail(Error::NotFound("Change"));
    if (!Involved(actor, *before)) {
      return Fail(ErrorCode::kPermissionDenied,
                  "Contributors may delete only the changes they requested or own.");
    }
    if (before->version != expected_version) return Fail(Stale());
    if (before->status != ChangeStatus::kPlanned) {
      return Fail(ErrorCode::kConflict,
                  before->ref + " is " + std::string(ChangeStatusName(before->status)) +
                      "; only a planned change that was never submitted can be deleted. A "
                      "submitted change is a record of the ISMS (ISO 27001 6.3, 7.5.3): cancel "
                      "it instead.");
    }
    if (!CERTUS_TRY(store_.Delete(tx, org, id, expected_version))) return Fail(Stale());
    CERTUS_CHECK(
        audit_log_.Append(tx, MakeEvent(actor, org, id.str(), "delete", ToJson(*before), nullptr)));
    return {};
  });
}

Expected<Change> ChangeService::Transition(const Actor& actor, const OrgId& org, const ChangeId& id,
                                           ChangeStep step, const StepInput& input,
                                           std::optional<std::int64_t> expected_version) {
  CERTUS_CHECK(CheckCanPropose(actor));
  const bool manager_step =
      step == ChangeStep::kApprove || step == ChangeStep::kReject || step == ChangeStep::kReview;
  if (manager_step && *actor.role < Role::kManager) {
    return Fail(ErrorCode::kPermissionDenied,
                "Only managers and admins may " + std::string(ChangeStepName(step)) + " a change.");
  }
  // What the body must say, whatever the state.
  std::vector<FieldError> problems;
  if ((step == ChangeStep::kReject || step == ChangeStep::kCancel) && Blank(input.comment)) {
    problems.push_back({"comment", step == ChangeStep::kReject
                                       ? "must say why the change is rejected"
                                       : "must say why the change is cancelled"});
  }
  if (step == ChangeStep::kImplement && Blank(input.comment)) {
    problems.push_back({"comment", "must record the outcome of the implementation"});
  }
  if (step == ChangeStep::kImplement && input.implemented_on) {
    if (auto problem = DateProblem(*input.implemented_on); !problem.empty()) {
      problems.push_back({"implemented_on", problem});
    }
  }
  if (step == ChangeStep::kReview && !input.achieved_purpose) {
    problems.push_back({"achieved_purpose", "is required: did the change achieve its purpose?"});
  }
  if (!problems.empty()) return Fail(Error::Validation(std::move(problems)));

  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<Change> {
    auto before = CERTUS_TRY(store_.Find(tx, org, id));
    if (!before) return Fail(Error::NotFound("Change"));
    if (!manager_step && !Involved(actor, *before)) {
      return Fail(ErrorCode::kPermissionDenied,
                  "Only the requester, the owner, a manager or an admin may " +
                      std::string(ChangeStepName(step)) + " this change.");
    }
    if (expected_version && before->version != *expected_version) return Fail(Stale());
    Change after = *before;
    const std::string now = FormatTimestamp(clock_.Now());
    const Signature signature{actor.user_id, actor.email, now, input.comment};
    switch (step) {
      case ChangeStep::kSubmit: {
        if (before->status != ChangeStatus::kPlanned) {
          return Fail(ErrorCode::kConflict, StateConflict(*before, "submitted", "planned"));
        }
        // ISO 27001 6.3 a–d: what is planned before anyone is asked to approve it.
        std::vector<std::string> missing;
        if (Blank(before->purpose)) missing.emplace_back("purpose (a)");
        if (Blank(before->consequences)) missing.emplace_back("consequences (a)");
        if (Blank(before->integrity_considerations)) {
          missing.emplace_back("integrity_considerations (b)");
        }
        if (Blank(before->resources)) missing.emplace_back("resources (c)");
        if (Blank(before->responsibilities)) missing.emplace_back("responsibilities (d)");
        if (!before->planned_on) missing.emplace_back("planned_on");
        if (!missing.empty()) {
          std::string list;
          for (const auto& name : missing) list += (list.empty() ? "" : ", ") + name;
          return Fail(ErrorCode::kConflict,
                      "ISO 27001 6.3: a change is planned before it is approved, with its purpose "
                      "and potential consequences, the integrity of the ISMS, resources and "
                      "responsibilities; " +
                          before->ref + " lacks " + list + ".");
        }
        after.status = ChangeStatus::kSubmitted;
        after.submitted_at = now;
        break;
      }
      case ChangeStep::kApprove: {
        if (before->status != ChangeStatus::kSubmitted) {
          return Fail(ErrorCode::kConflict, StateConflict(*before, "approved", "submitted"));
        }
        // Segregation of duties (ISO 27001 6.3 with A.5.3): whoever asks for a change of the
        // ISMS does not approve it.
        if (before->requested_by == actor.user_id) {
          return Fail(ErrorCode::kConflict,
                      "ISO 27001 6.3 (with A.5.3, segregation of duties): a change is approved by "
                      "someone other than its requester; " +
                          actor.email + " requested " + before->ref + ".");
        }
        after.status = ChangeStatus::kApproved;
        after.decision = signature;
        break;
      }
      case ChangeStep::kReject: {
        if (before->status != ChangeStatus::kSubmitted) {
          return Fail(ErrorCode::kConflict, StateConflict(*before, "rejected", "submitted"));
        }
        after.status = ChangeStatus::kRejected;
        after.decision = signature;
        break;
      }
      case ChangeStep::kStart: {
        if (before->status != ChangeStatus::kApproved) {
          return Fail(
              ErrorCode::kConflict,
              before->status == ChangeStatus::kPlanned || before->status == ChangeStatus::kSubmitted
                  ? "ISO 27001 6.3: changes are carried out in a planned manner; " + before->ref +
                        " is " + std::string(ChangeStatusName(before->status)) +
                        " and must be approved before work on it starts."
                  : StateConflict(*before, "started", "approved"));
        }
        after.status = ChangeStatus::kInProgress;
        after.started_at = now;
        break;
      }
      case ChangeStep::kImplement: {
        if (before->status == ChangeStatus::kPlanned ||
            before->status == ChangeStatus::kSubmitted) {
          return Fail(ErrorCode::kConflict,
                      "ISO 27001 6.3: changes are carried out in a planned manner; " + before->ref +
                          " is " + std::string(ChangeStatusName(before->status)) +
                          " and must be approved before it is implemented.");
        }
        if (before->status != ChangeStatus::kApproved &&
            before->status != ChangeStatus::kInProgress) {
          return Fail(ErrorCode::kConflict,
                      StateConflict(*before, "implemented", "approved or in_progress"));
        }
        after.status = ChangeStatus::kImplemented;
        after.implemented_on = input.implemented_on.value_or(DateOf(clock_.Now()));
        after.implementation = signature;
        if (!after.started_at) after.started_at = now;
        break;
      }
      case ChangeStep::kReview: {
        if (before->status != ChangeStatus::kImplemented) {
          return Fail(ErrorCode::kConflict, StateConflict(*before, "reviewed", "implemented"));
        }
        after.status = ChangeStatus::kReviewed;
        after.review = signature;
        after.achieved_purpose = input.achieved_purpose;
        break;
      }
      case ChangeStep::kCancel: {
        if (IsClosed(before->status) || before->status == ChangeStatus::kImplemented) {
          return Fail(
              ErrorCode::kConflict,
              StateConflict(*before, "cancelled", "planned, submitted, approved or in_progress"));
        }
        after.status = ChangeStatus::kCancelled;
        after.cancellation = signature;
        break;
      }
    }
    after.version = before->version + 1;
    after.updated_at = now;
    if (!CERTUS_TRY(store_.Update(tx, after, before->version))) return Fail(Stale());
    CERTUS_CHECK(
        audit_log_.Append(tx, MakeEvent(actor, org, id.str(), std::string(ChangeStepName(step)),
                                        ToJson(*before), ToJson(after))));
    return after;
  });
}

}  // namespace certus::communication
