#include "modules/context/interested_party_service.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "core/uuid.hpp"
#include "modules/context/interested_party_json.hpp"
#include "storage/counters.hpp"

namespace certus::context {

namespace {

constexpr const char* kObjectType = "interested_party";

Expected<void> CheckCanRead(const Actor& actor) {
  if (!actor.role) return Fail(Error::NotFound("Organization"));
  return {};
}

Expected<void> CheckWriter(const Actor& actor) {
  CERTUS_CHECK(CheckCanRead(actor));
  if (*actor.role < Role::kManager) {
    return Fail(ErrorCode::kPermissionDenied,
                "Only managers and admins may change the organization's interested parties.");
  }
  return {};
}

Error Stale() {
  return {ErrorCode::kPreconditionFailed,
          "Someone else changed this interested party since you read it; reload it and try "
          "again."};
}

auditlog::Event MakeEvent(const Actor& actor, const OrgId& org, const InterestedPartyId& id,
                          std::string action, boost::json::value before, boost::json::value after) {
  return {org.str(),         actor.user_id.str(), actor.email,      kObjectType,     id.str(),
          std::move(action), std::move(before),   std::move(after), actor.request_id};
}

std::string At(std::size_t i, std::string_view field) {
  return "requirements[" + std::to_string(i) + "]." + std::string(field);
}

}  // namespace

Expected<void> InterestedPartyService::CheckCanWrite(const Actor& actor) {
  return CheckWriter(actor);
}

std::vector<FieldError> InterestedPartyService::RequirementProblems(
    const std::vector<RequirementInput>& inputs) {
  std::vector<FieldError> problems;
  std::set<RequirementId> ids;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const auto& input = inputs[i];
    auto blank = [](const std::string& text) {
      return std::all_of(text.begin(), text.end(),
                         [](unsigned char c) { return std::isspace(c) != 0; });
    };
    if (blank(input.text)) problems.push_back({At(i, "text"), "must not be empty"});
    // ISO 27001 4.2 c: for a requirement the ISMS addresses, say how.
    if (input.addressed_by_isms && blank(input.how)) {
      problems.push_back(
          {At(i, "how"), "must say how the ISMS addresses the requirement (ISO 27001 4.2 c)"});
    }
    if (input.id && !ids.insert(*input.id).second) {
      problems.push_back({At(i, "id"), "is given twice"});
    }
  }
  return problems;
}

std::string InterestedPartyService::ReviewDateProblem(
    const std::optional<Date>& reviewed_on) const {
  if (reviewed_on &&
      std::chrono::sys_days(*reviewed_on) > std::chrono::sys_days(DateOf(clock_.Now()))) {
    return "must not be in the future";
  }
  return {};
}

Expected<Page<InterestedParty>> InterestedPartyService::List(const Actor& actor, const OrgId& org,
                                                             const InterestedPartyFilter& filter,
                                                             const PageQuery& page) {
  CERTUS_CHECK(CheckCanRead(actor));
  return storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) { return store_.List(tx, org, filter, page); });
}

Expected<InterestedParty> InterestedPartyService::Get(const Actor& actor, const OrgId& org,
                                                      const InterestedPartyId& id) {
  CERTUS_CHECK(CheckCanRead(actor));
  auto party = CERTUS_TRY(storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) { return store_.Find(tx, org, id); }));
  if (!party) return Fail(Error::NotFound("Interested party"));
  return *party;
}

Expected<InterestedParty> InterestedPartyService::Create(const Actor& actor, const OrgId& org,
                                                         const InterestedPartyPatch& input) {
  return Write(actor, org, std::nullopt, input, 1);
}

Expected<InterestedParty> InterestedPartyService::Update(const Actor& actor, const OrgId& org,
                                                         const InterestedPartyId& id,
                                                         const InterestedPartyPatch& patch,
                                                         std::int64_t expected_version) {
  return Write(actor, org, id, patch, expected_version);
}

Expected<InterestedParty> InterestedPartyService::Write(const Actor& actor, const OrgId& org,
                                                        const std::optional<InterestedPartyId>& id,
                                                        const InterestedPartyPatch& patch,
                                                        std::int64_t expected_version) {
  CERTUS_CHECK(CheckWriter(actor));
  std::vector<FieldError> problems;
  if (!id) {
    if (!patch.name) problems.push_back({"name", "is required"});
    if (!patch.category) problems.push_back({"category", "is required"});
  }
  if (patch.requirements) {
    for (auto& problem : RequirementProblems(*patch.requirements))
      problems.push_back(std::move(problem));
  }
  if (patch.reviewed_on) {
    if (auto problem = ReviewDateProblem(*patch.reviewed_on); !problem.empty()) {
      problems.push_back({"reviewed_on", problem});
    }
  }
  if (!problems.empty()) return Fail(Error::Validation(std::move(problems)));
  return storage::InWriteTransaction(
      db_, [&](storage::Transaction& tx) -> Expected<InterestedParty> {
        std::optional<InterestedParty> before;
        InterestedParty after;
        if (id) {
          before = CERTUS_TRY(store_.Find(tx, org, *id));
          if (!before) return Fail(Error::NotFound("Interested party"));
          if (before->version != expected_version) return Fail(Stale());
          after = *before;
        } else {
          after.id = InterestedPartyId(NewUuid(clock_, random_));
          after.org_id = org;
          after.ref = storage::FormatRef(
              "IP", CERTUS_TRY(storage::NextCounter(tx, org.str(), kObjectType)));
          after.created_at = FormatTimestamp(clock_.Now());
        }
        if (patch.name) after.name = *patch.name;
        if (patch.category) after.category = *patch.category;
        if (patch.contact) after.contact = *patch.contact;
        if (patch.reviewed_on) after.reviewed_on = *patch.reviewed_on;
        if (patch.requirements) {
          // A requirement sent with its id is that requirement, edited: its id stays, so
          // that its history can be followed from one version of the party to the next.
          std::set<RequirementId> existing;
          if (before) {
            for (const auto& r : before->requirements) existing.insert(r.id);
          }
          std::vector<FieldError> unknown;
          after.requirements.clear();
          for (std::size_t i = 0; i < patch.requirements->size(); ++i) {
            const auto& input = (*patch.requirements)[i];
            if (input.id && !existing.contains(*input.id)) {
              unknown.push_back({At(i, "id"),
                                 "is not a requirement of this interested party; "
                                 "leave it out for a new one"});
              continue;
            }
            PartyRequirement r;
            r.id = input.id ? *input.id : RequirementId(NewUuid(clock_, random_));
            r.text = input.text;
            r.addressed_by_isms = input.addressed_by_isms;
            r.how = input.how;
            r.source = input.source;
            after.requirements.push_back(std::move(r));
          }
          if (!unknown.empty()) return Fail(Error::Validation(std::move(unknown)));
        }
        after.updated_at = FormatTimestamp(clock_.Now());
        if (before) {
          after.version = before->version + 1;
          if (!CERTUS_TRY(store_.Update(tx, after, expected_version))) return Fail(Stale());
        } else {
          CERTUS_CHECK(store_.Insert(tx, after));
        }
        CERTUS_CHECK(audit_log_.Append(
            tx, MakeEvent(actor, org, after.id, before ? "update" : "create",
                          before ? ToJson(*before) : boost::json::value(nullptr), ToJson(after))));
        return after;
      });
}

Expected<void> InterestedPartyService::Delete(const Actor& actor, const OrgId& org,
                                              const InterestedPartyId& id,
                                              std::int64_t expected_version) {
  CERTUS_CHECK(CheckWriter(actor));
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<void> {
    auto before = CERTUS_TRY(store_.Find(tx, org, id));
    if (!before) return Fail(Error::NotFound("Interested party"));
    if (before->version != expected_version) return Fail(Stale());
    if (!CERTUS_TRY(store_.Delete(tx, org, id, expected_version))) return Fail(Stale());
    CERTUS_CHECK(
        audit_log_.Append(tx, MakeEvent(actor, org, id, "delete", ToJson(*before), nullptr)));
    return {};
  });
}

}  // namespace certus::context
