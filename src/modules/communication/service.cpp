#include "modules/communication/service.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "core/uuid.hpp"
#include "modules/communication/json.hpp"
#include "storage/counters.hpp"

namespace certus::communication {

namespace {

constexpr const char* kPlanItemType = "communication_plan_item";
constexpr const char* kCommunicationType = "communication";

Expected<void> CheckCanRead(const Actor& actor) {
  if (!actor.role) return Fail(Error::NotFound("Organization"));
  return {};
}

Error Stale(std::string_view what) {
  return {ErrorCode::kPreconditionFailed, "Someone else changed " + std::string(what) +
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

std::vector<std::string> SortedUnique(std::vector<std::string> ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

/// COM-001: plan items are few, and read as a short list.
std::string PlanRef(std::int64_t number) {
  std::string digits = std::to_string(number);
  if (digits.size() < 3) digits.insert(0, 3 - digits.size(), '0');
  return "COM-" + digits;
}

}  // namespace

Expected<void> CommunicationService::CheckCanWritePlan(const Actor& actor) {
  CERTUS_CHECK(CheckCanRead(actor));
  if (*actor.role < Role::kManager) {
    return Fail(ErrorCode::kPermissionDenied,
                "Only managers and admins may change the communication plan.");
  }
  return {};
}

Expected<void> CommunicationService::CheckCanRecord(const Actor& actor) {
  CERTUS_CHECK(CheckCanRead(actor));
  if (*actor.role < Role::kContributor) {
    return Fail(ErrorCode::kPermissionDenied,
                "Only contributors, managers and admins may record communications.");
  }
  return {};
}

std::string CommunicationService::Today() const { return FormatDate(DateOf(clock_.Now())); }

void CommunicationService::Decorate(PlanItem& item) const {
  item.overdue = item.next_due_on && FormatDate(*item.next_due_on) < Today();
}

std::string CommunicationService::DateProblem(const Date& date) const {
  if (std::chrono::sys_days(date) > std::chrono::sys_days(DateOf(clock_.Now()))) {
    return "must not be in the future: record a communication once it is made";
  }
  return {};
}

Expected<void> CommunicationService::CheckParties(const Actor& actor, const OrgId& org,
                                                  const std::vector<std::string>& ids,
                                                  std::vector<FieldError>& problems) {
  for (std::size_t i = 0; i < ids.size(); ++i) {
    auto party = parties_.Get(actor, org, context::InterestedPartyId(ids[i]));
    if (party) continue;
    if (party.error().code() != ErrorCode::kNotFound) return Fail(party.error());
    problems.push_back({"audience_party_ids[" + std::to_string(i) + "]",
                        "\"" + ids[i] + "\" is not an interested party (ISO 27001 4.2)"});
  }
  return {};
}

Expected<void> CommunicationService::CheckMember(const OrgId& org, const UserId& user,
                                                 const std::string& field,
                                                 std::vector<FieldError>& problems) {
  auto role = CERTUS_TRY(identity_.RoleOf(org, user));
  if (!role) problems.push_back({field, "must be a member of the organization"});
  return {};
}

Expected<void> CommunicationService::RefreshSchedule(storage::Transaction& tx, const OrgId& org,
                                                     const PlanItemId& id) {
  auto item = CERTUS_TRY(store_.FindPlanItem(tx, org, id));
  if (!item) return {};
  auto last = CERTUS_TRY(store_.LastCommunicatedOn(tx, id));
  return store_.SetSchedule(tx, id, last, NextDue(item->frequency, item->due_on, last));
}

// ------------------------------------------------------------------ plan

Expected<Page<PlanItem>> CommunicationService::ListPlanItems(const Actor& actor, const OrgId& org,
                                                             PlanItemFilter filter, bool overdue,
                                                             const PageQuery& page) {
  CERTUS_CHECK(CheckCanRead(actor));
  if (overdue) filter.overdue_before = Today();
  auto result = CERTUS_TRY(storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) { return store_.ListPlanItems(tx, org, filter, page); }));
  for (auto& item : result.items) Decorate(item);
  return result;
}

Expected<PlanItem> CommunicationService::GetPlanItem(const Actor& actor, const OrgId& org,
                                                     const PlanItemId& id) {
  CERTUS_CHECK(CheckCanRead(actor));
  auto item = CERTUS_TRY(storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) { return store_.FindPlanItem(tx, org, id); }));
  if (!item) return Fail(Error::NotFound("Communication plan item"));
  Decorate(*item);
  return *item;
}

Expected<PlanItem> CommunicationService::CreatePlanItem(const Actor& actor, const OrgId& org,
                                                        const PlanItemPatch& input) {
  return WritePlanItem(actor, org, std::nullopt, input, 1);
}

Expected<PlanItem> CommunicationService::UpdatePlanItem(const Actor& actor, const OrgId& org,
                                                        const PlanItemId& id,
                                                        const PlanItemPatch& patch,
                                                        std::int64_t expected_version) {
  return WritePlanItem(actor, org, id, patch, expected_version);
}

Expected<PlanItem> CommunicationService::WritePlanItem(const Actor& actor, const OrgId& org,
                                                       const std::optional<PlanItemId>& id,
                                                       const PlanItemPatch& patch,
                                                       std::int64_t expected_version) {
  CERTUS_CHECK(CheckCanWritePlan(actor));
  std::vector<FieldError> problems;
  if (!id) {
    for (auto [present, name] : {std::pair{patch.subject.has_value(), "subject"},
                                 std::pair{patch.frequency.has_value(), "frequency"},
                                 std::pair{patch.channel.has_value(), "channel"}}) {
      if (!present) problems.push_back({name, "is required"});
    }
  }
  if (patch.owner_id) CERTUS_CHECK(CheckMember(org, *patch.owner_id, "owner_id", problems));
  if (patch.audience_party_ids) {
    CERTUS_CHECK(CheckParties(actor, org, *patch.audience_party_ids, problems));
  }
  if (!problems.empty()) return Fail(Error::Validation(std::move(problems)));
  auto result =
      storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<PlanItem> {
        std::optional<PlanItem> before;
        PlanItem after;
        if (id) {
          before = CERTUS_TRY(store_.FindPlanItem(tx, org, *id));
          if (!before) return Fail(Error::NotFound("Communication plan item"));
          if (before->version != expected_version) return Fail(Stale("this plan item"));
          after = *before;
        } else {
          after.id = PlanItemId(NewUuid(clock_, random_));
          after.org_id = org;
          after.owner_id = actor.user_id;
          after.created_at = FormatTimestamp(clock_.Now());
        }
        if (patch.subject) after.subject = *patch.subject;
        if (patch.audience_party_ids)
          after.audience_party_ids = SortedUnique(*patch.audience_party_ids);
        if (patch.audience_text) after.audience_text = *patch.audience_text;
        if (patch.direction) after.direction = *patch.direction;
        if (patch.frequency) after.frequency = *patch.frequency;
        if (patch.due_on) after.due_on = *patch.due_on;
        if (patch.trigger) after.trigger = *patch.trigger;
        if (patch.owner_id) after.owner_id = *patch.owner_id;
        if (patch.channel) after.channel = *patch.channel;
        if (patch.notes) after.notes = *patch.notes;

        // ISO 27001 7.4 b: when to communicate. A dated item has its date; an item communicated
        // on an event says which event.
        std::vector<FieldError> rules;
        if (after.frequency == Frequency::kOnEvent) {
          after.due_on.reset();
          if (Blank(after.trigger)) {
            rules.push_back({"trigger",
                             "must say which event triggers the communication (ISO 27001 "
                             "7.4 b: when to communicate)"});
          }
        } else {
          after.trigger.clear();
          if (!after.due_on) {
            rules.push_back({"due_on", after.frequency == Frequency::kOneOff
                                           ? "is required for a one-off communication (ISO 27001 "
                                             "7.4 b: when to communicate)"
                                           : "is required: the first date the communication is due "
                                             "(ISO 27001 7.4 b)"});
          }
        }
        // ISO 27001 7.4 c: with whom to communicate.
        if (after.audience_party_ids.empty() && Blank(after.audience_text)) {
          rules.push_back({"audience_text",
                           "name the audience: interested parties or a text such as \"all staff\" "
                           "(ISO 27001 7.4 c: with whom to communicate)"});
        }
        if (!rules.empty()) return Fail(Error::Validation(std::move(rules)));

        if (id) after.last_communicated_on = CERTUS_TRY(store_.LastCommunicatedOn(tx, *id));
        after.next_due_on = NextDue(after.frequency, after.due_on, after.last_communicated_on);
        after.updated_at = FormatTimestamp(clock_.Now());
        if (before) {
          after.version = before->version + 1;
          if (!CERTUS_TRY(store_.UpdatePlanItem(tx, after, expected_version))) {
            return Fail(Stale("this plan item"));
          }
        } else {
          after.ref = PlanRef(CERTUS_TRY(storage::NextCounter(tx, org.str(), kPlanItemType)));
          CERTUS_CHECK(store_.InsertPlanItem(tx, after));
        }
        CERTUS_CHECK(audit_log_.Append(
            tx, MakeEvent(actor, org, kPlanItemType, after.id.str(), before ? "update" : "create",
                          before ? ToJson(*before) : boost::json::value(nullptr), ToJson(after))));
        return after;
      });
  if (result) Decorate(*result);
  return result;
}

Expected<void> CommunicationService::DeletePlanItem(const Actor& actor, const OrgId& org,
                                                    const PlanItemId& id,
                                                    std::int64_t expected_version) {
  CERTUS_CHECK(CheckCanWritePlan(actor));
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<void> {
    auto before = CERTUS_TRY(store_.FindPlanItem(tx, org, id));
    if (!before) return Fail(Error::NotFound("Communication plan item"));
    if (before->version != expected_version) return Fail(Stale("this plan item"));
    if (auto count = CERTUS_TRY(store_.CountCommunications(tx, id)); count > 0) {
      return Fail(ErrorCode::kConflict,
                  std::to_string(count) + " communication(s) are recorded under " + before->ref +
                      "; they are records of the ISMS (ISO 27001 7.4, 7.5.3), so the item "
                      "stays. Change it instead.");
    }
    if (!CERTUS_TRY(store_.DeletePlanItem(tx, org, id, expected_version))) {
      return Fail(Stale("this plan item"));
    }
    CERTUS_CHECK(audit_log_.Append(
        tx, MakeEvent(actor, org, kPlanItemType, id.str(), "delete", ToJson(*before), nullptr)));
    return {};
  });
}

// ------------------------------------------------------------------ log

Expected<Page<Communication>> CommunicationService::ListCommunications(
    const Actor& actor, const OrgId& org, const CommunicationFilter& filter,
    const PageQuery& page) {
  CERTUS_CHECK(CheckCanRead(actor));
  return storage::InReadTransaction(db_, [&](storage::Transaction& tx) {
    return store_.ListCommunications(tx, org, filter, page);
  });
}

Expected<Communication> CommunicationService::GetCommunication(const Actor& actor, const OrgId& org,
                                                               const CommunicationId& id) {
  CERTUS_CHECK(CheckCanRead(actor));
  auto entry = CERTUS_TRY(storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) { return store_.FindCommunication(tx, org, id); }));
  if (!entry) return Fail(Error::NotFound("Communication"));
  return *entry;
}

Expected<Communication> CommunicationService::CreateCommunication(const Actor& actor,
                                                                  const OrgId& org,
                                                                  const CommunicationPatch& input) {
  return WriteCommunication(actor, org, std::nullopt, input, 1);
}

Expected<Communication> CommunicationService::UpdateCommunication(const Actor& actor,
                                                                  const OrgId& org,
                                                                  const CommunicationId& id,
                                                                  const CommunicationPatch& patch,
                                                                  std::int64_t expected_version) {
  return WriteCommunication(actor, org, id, patch, expected_version);
}

Expected<Communication> CommunicationService::WriteCommunication(
    const Actor& actor, const OrgId& org, const std::optional<CommunicationId>& id,
    const CommunicationPatch& patch, std::int64_t expected_version) {
  CERTUS_CHECK(CheckCanRecord(actor));
  std::vector<FieldError> problems;
  if (!id && !patch.communicated_on) problems.push_back({"communicated_on", "is required"});
  if (patch.communicated_on) {
    if (auto problem = DateProblem(*patch.communicated_on); !problem.empty()) {
      problems.push_back({"communicated_on", problem});
    }
  }
  if (patch.communicated_by) {
    CERTUS_CHECK(CheckMember(org, *patch.communicated_by, "communicated_by", problems));
  }
  if (patch.audience_party_ids) {
    CERTUS_CHECK(CheckParties(actor, org, *patch.audience_party_ids, problems));
  }
  if (patch.evidence_id && *patch.evidence_id) {
    auto found = evidence_.Get(actor, org, evidence::EvidenceId(**patch.evidence_id));
    if (!found) {
      if (found.error().code() != ErrorCode::kNotFound) return Fail(found.error());
      problems.push_back({"evidence_id", "is not evidence of the organization"});
    }
  }
  if (!problems.empty()) return Fail(Error::Validation(std::move(problems)));
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<Communication> {
    std::optional<Communication> before;
    Communication after;
    if (id) {
      before = CERTUS_TRY(store_.FindCommunication(tx, org, *id));
      if (!before) return Fail(Error::NotFound("Communication"));
      // A record speaks for its author: others than managers do not rewrite it.
      if (*actor.role < Role::kManager && before->author_id != actor.user_id) {
        return Fail(ErrorCode::kPermissionDenied, "Only the author of a communication record (" +
                                                      before->author_email +
                                                      "), a manager or an admin may change it.");
      }
      if (before->version != expected_version) return Fail(Stale("this communication"));
      after = *before;
    } else {
      after.id = CommunicationId(NewUuid(clock_, random_));
      after.org_id = org;
      after.author_id = actor.user_id;
      after.author_email = actor.email;
      after.communicated_by = actor.user_id;
      after.created_at = FormatTimestamp(clock_.Now());
    }
    std::optional<PlanItem> plan;
    if (patch.plan_item_id && *patch.plan_item_id) {
      plan = CERTUS_TRY(store_.FindPlanItem(tx, org, **patch.plan_item_id));
      if (!plan) {
        return Fail(Error::Field("plan_item_id", "is not an item of the communication plan"));
      }
    }
    if (patch.plan_item_id) after.plan_item_id = *patch.plan_item_id;
    // What the plan said, unless the record says otherwise.
    if (!before && plan) {
      after.subject = plan->subject;
      after.channel = plan->channel;
      after.audience_party_ids = plan->audience_party_ids;
      after.audience_text = plan->audience_text;
    }
    if (patch.subject) after.subject = *patch.subject;
    if (patch.communicated_on) after.communicated_on = *patch.communicated_on;
    if (patch.audience_party_ids) {
      after.audience_party_ids = SortedUnique(*patch.audience_party_ids);
    }
    if (patch.audience_text) after.audience_text = *patch.audience_text;
    if (patch.channel) after.channel = *patch.channel;
    if (patch.summary) after.summary = *patch.summary;
    if (patch.communicated_by) after.communicated_by = *patch.communicated_by;
    if (patch.evidence_id) after.evidence_id = *patch.evidence_id;

    std::vector<FieldError> rules;
    if (Blank(after.subject)) {
      rules.push_back({"subject", "is required"});
    }
    if (!before && !patch.channel && !plan) rules.push_back({"channel", "is required"});
    if (after.audience_party_ids.empty() && Blank(after.audience_text)) {
      rules.push_back({"audience_text",
                       "name the audience: interested parties or a text such as \"all "
                       "staff\" (ISO 27001 7.4 c)"});
    }
    if (!rules.empty()) return Fail(Error::Validation(std::move(rules)));

    after.updated_at = FormatTimestamp(clock_.Now());
    if (before) {
      after.version = before->version + 1;
      if (!CERTUS_TRY(store_.UpdateCommunication(tx, after, expected_version))) {
        return Fail(Stale("this communication"));
      }
    } else {
      after.ref = storage::FormatRef(
          "CL", CERTUS_TRY(storage::NextCounter(tx, org.str(), kCommunicationType)));
      CERTUS_CHECK(store_.InsertCommunication(tx, after));
    }
    std::set<PlanItemId> touched;
    if (before && before->plan_item_id) touched.insert(*before->plan_item_id);
    if (after.plan_item_id) touched.insert(*after.plan_item_id);
    for (const auto& item : touched) CERTUS_CHECK(RefreshSchedule(tx, org, item));
    CERTUS_CHECK(audit_log_.Append(
        tx, MakeEvent(actor, org, kCommunicationType, after.id.str(), before ? "update" : "create",
                      before ? ToJson(*before) : boost::json::value(nullptr), ToJson(after))));
    return after;
  });
}

Expected<void> CommunicationService::DeleteCommunication(const Actor& actor, const OrgId& org,
                                                         const CommunicationId& id,
                                                         std::int64_t expected_version) {
  CERTUS_CHECK(CheckCanRead(actor));
  if (*actor.role < Role::kManager) {
    return Fail(ErrorCode::kPermissionDenied,
                "Only managers and admins may delete a communication record.");
  }
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<void> {
    auto before = CERTUS_TRY(store_.FindCommunication(tx, org, id));
    if (!before) return Fail(Error::NotFound("Communication"));
    if (before->version != expected_version) return Fail(Stale("this communication"));
    if (!CERTUS_TRY(store_.DeleteCommunication(tx, org, id, expected_version))) {
      return Fail(Stale("this communication"));
    }
    if (before->plan_item_id) CERTUS_CHECK(RefreshSchedule(tx, org, *before->plan_item_id));
    CERTUS_CHECK(audit_log_.Append(tx, MakeEvent(actor, org, kCommunicationType, id.str(), "delete",
                                                 ToJson(*before), nullptr)));
    return {};
  });
}

}  // namespace certus::communication
