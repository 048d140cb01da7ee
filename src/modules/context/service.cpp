#include "modules/context/service.hpp"

#include "core/uuid.hpp"
#include "modules/context/json.hpp"
#include "storage/counters.hpp"

namespace certus::context {

namespace {

constexpr const char* kObjectType = "context_issue";

Expected<void> CheckCanRead(const Actor& actor) {
  if (!actor.role) return Fail(Error::NotFound("Organization"));
  return {};
}

Expected<void> CheckCanWrite(const Actor& actor) {
  CERTUS_CHECK(CheckCanRead(actor));
  if (*actor.role < Role::kManager) {
    return Fail(ErrorCode::kPermissionDenied,
                "Only managers and admins may change the organization's context.");
  }
  return {};
}

Error Stale() {
  return {ErrorCode::kPreconditionFailed,
          "Someone else changed this issue since you read it; reload it and try again."};
}

auditlog::Event MakeEvent(const Actor& actor, const OrgId& org, const ContextIssueId& id,
                          std::string action, boost::json::value before, boost::json::value after) {
  return {org.str(),         actor.user_id.str(), actor.email,      kObjectType,     id.str(),
          std::move(action), std::move(before),   std::move(after), actor.request_id};
}

}  // namespace

std::string ContextService::ReviewDateProblem(const std::optional<Date>& reviewed_on) const {
  if (reviewed_on &&
      std::chrono::sys_days(*reviewed_on) > std::chrono::sys_days(DateOf(clock_.Now()))) {
    return "must not be in the future";
  }
  return {};
}

Expected<void> ContextService::CheckReviewDate(const std::optional<Date>& reviewed_on) const {
  if (auto problem = ReviewDateProblem(reviewed_on); !problem.empty()) {
    return Fail(Error::Field("reviewed_on", problem));
  }
  return {};
}

Expected<Page<ContextIssue>> ContextService::List(const Actor& actor, const OrgId& org,
                                                  const ContextIssueFilter& filter,
                                                  const PageQuery& page) {
  CERTUS_CHECK(CheckCanRead(actor));
  return storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) { return store_.List(tx, org, filter, page); });
}

Expected<ContextIssue> ContextService::Get(const Actor& actor, const OrgId& org,
                                           const ContextIssueId& id) {
  CERTUS_CHECK(CheckCanRead(actor));
  auto issue = CERTUS_TRY(storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) { return store_.Find(tx, org, id); }));
  if (!issue) return Fail(Error::NotFound("Context issue"));
  return *issue;
}

Expected<ContextIssue> ContextService::Insert(storage::Transaction& tx, const Actor& actor,
                                              const OrgId& org, const NewContextIssue& input) {
  CERTUS_CHECK(CheckReviewDate(input.reviewed_on));
  ContextIssue issue;
  issue.id = ContextIssueId(NewUuid(clock_, random_));
  issue.org_id = org;
  issue.ref =
      storage::FormatRef("CTX", CERTUS_TRY(storage::NextCounter(tx, org.str(), kObjectType)));
  issue.kind = input.kind;
  issue.title = input.title;
  issue.description = input.description;
  issue.effect = input.effect;
  issue.reviewed_on = input.reviewed_on;
  issue.created_at = issue.updated_at = FormatTimestamp(clock_.Now());
  CERTUS_CHECK(store_.Insert(tx, issue));
  CERTUS_CHECK(
      audit_log_.Append(tx, MakeEvent(actor, org, issue.id, "create", nullptr, ToJson(issue))));
  return issue;
}

Expected<ContextIssue> ContextService::Create(const Actor& actor, const OrgId& org,
                                              const NewContextIssue& input) {
  CERTUS_CHECK(CheckCanWrite(actor));
  return storage::InWriteTransaction(
      db_, [&](storage::Transaction& tx) { return Insert(tx, actor, org, input); });
}

Expected<std::vector<ContextIssue>> ContextService::CreateMany(
    const Actor& actor, const OrgId& org, const std::vector<NewContextIssue>& inputs) {
  CERTUS_CHECK(CheckCanWrite(actor));
  return storage::InWriteTransaction(
      db_, [&](storage::Transaction& tx) -> Expected<std::vector<ContextIssue>> {
        std::vector<ContextIssue> issues;
        issues.reserve(inputs.size());
        for (const auto& input : inputs)
          issues.push_back(CERTUS_TRY(Insert(tx, actor, org, input)));
        return issues;
      });
}

Expected<ContextIssue> ContextService::Update(const Actor& actor, const OrgId& org,
                                              const ContextIssueId& id,
                                              const ContextIssuePatch& patch,
                                              std::int64_t expected_version) {
  CERTUS_CHECK(CheckCanWrite(actor));
  if (patch.reviewed_on) CERTUS_CHECK(CheckReviewDate(*patch.reviewed_on));
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<ContextIssue> {
    auto before = CERTUS_TRY(store_.Find(tx, org, id));
    if (!before) return Fail(Error::NotFound("Context issue"));
    if (before->version != expected_version) return Fail(Stale());
    ContextIssue after = *before;
    if (patch.kind) after.kind = *patch.kind;
    if (patch.title) after.title = *patch.title;
    if (patch.description) after.description = *patch.description;
    if (patch.effect) after.effect = *patch.effect;
    if (patch.reviewed_on) after.reviewed_on = *patch.reviewed_on;
    after.version = before->version + 1;
    after.updated_at = FormatTimestamp(clock_.Now());
    if (!CERTUS_TRY(store_.Update(tx, after, expected_version))) return Fail(Stale());
    CERTUS_CHECK(
        audit_log_.Append(tx, MakeEvent(actor, org, id, "update", ToJson(*before), ToJson(after))));
    return after;
  });
}

Expected<void> ContextService::Delete(const Actor& actor, const OrgId& org,
                                      const ContextIssueId& id, std::int64_t expected_version) {
  CERTUS_CHECK(CheckCanWrite(actor));
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<void> {
    auto before = CERTUS_TRY(store_.Find(tx, org, id));
    if (!before) return Fail(Error::NotFound("Context issue"));
    if (before->version != expected_version) return Fail(Stale());
    if (!CERTUS_TRY(store_.Delete(tx, org, id, expected_version))) return Fail(Stale());
    CERTUS_CHECK(
        audit_log_.Append(tx, MakeEvent(actor, org, id, "delete", ToJson(*before), nullptr)));
    return {};
  });
}

}  // namespace certus::context
