#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/strong_id.hpp"
#include "core/time.hpp"

namespace certus::communication {

using ChangeId = StrongId<struct IsmsChangeTag>;

/// Where a change of the ISMS stands (ISO 27001 6.3: changes are carried out in a planned
/// manner). planned → submitted → approved → in_progress → implemented → reviewed; a
/// submitted change may be rejected, an open one cancelled. Stored as the lowercase name.
enum class ChangeStatus {
  kPlanned,
  kSubmitted,
  kApproved,
  kInProgress,
  kImplemented,
  kReviewed,
  kRejected,
  kCancelled
};

std::string_view ChangeStatusName(ChangeStatus status);
std::optional<ChangeStatus> ParseChangeStatus(std::string_view name);
const std::vector<std::string>& ChangeStatusNames();

/// Whether nothing more happens to a change in `status` (reviewed, rejected, cancelled).
bool IsClosed(ChangeStatus status);
/// Whether the change was approved (approved and every state after it).
bool IsApproved(ChangeStatus status);

/// A step of a change's workflow, each a POST action.
enum class ChangeStep { kSubmit, kApprove, kReject, kStart, kImplement, kReview, kCancel };

std::string_view ChangeStepName(ChangeStep step);

/// Who did something and when, with what they said.
struct Signature {
  UserId user_id;
  std::string email;
  std::string at;  ///< RFC 3339 UTC
  std::string comment;
};

/// What a change links to, with the reference and title it had when linked.
enum class LinkKind { kRisk, kControl, kDocument };

std::string_view LinkKindName(LinkKind kind);

struct ChangeLink {
  LinkKind kind = LinkKind::kRisk;
  std::string id;
  std::string label;  ///< "R-0003 Ransomware on file servers"
};

/// A planned change of the ISMS (ISO 27001 6.3 a–d): its purpose and potential
/// consequences, the integrity of the ISMS, the resources it needs, who is responsible, when
/// it is planned, and its approval, implementation and review.
struct Change {
  ChangeId id;
  OrgId org_id;
  std::string ref;  ///< CHG-0001, …
  std::string title;
  std::string purpose;                   ///< 6.3 a
  std::string consequences;              ///< 6.3 a: potential consequences
  std::string integrity_considerations;  ///< 6.3 b: the integrity of the ISMS
  std::string resources;                 ///< 6.3 c
  UserId owner_id;                       ///< 6.3 d: who answers for it
  std::string responsibilities;          ///< 6.3 d: who does what
  std::optional<Date> planned_on;
  ChangeStatus status = ChangeStatus::kPlanned;
  std::vector<ChangeLink> links;  ///< risks, controls, documents, by kind then id
  std::optional<std::string> nonconformity_id;
  std::string notes;
  UserId requested_by;
  std::string requested_by_email;
  std::optional<std::string> submitted_at;
  std::optional<Signature> decision;  ///< the approval or the rejection
  std::optional<std::string> started_at;
  std::optional<Date> implemented_on;
  std::optional<Signature> implementation;  ///< comment: the outcome
  std::optional<Signature> review;          ///< comment: the review's conclusion
  std::optional<bool> achieved_purpose;
  std::optional<Signature> cancellation;  ///< comment: the reason
  std::int64_t version = 1;
  std::string created_at;
  std::string updated_at;

  std::vector<std::string> LinkIds(LinkKind kind) const;
};

/// Create and update alike: an absent field stays as it is.
struct ChangePatch {
  std::optional<std::string> title;
  std::optional<std::string> purpose;
  std::optional<std::string> consequences;
  std::optional<std::string> integrity_considerations;
  std::optional<std::string> resources;
  std::optional<UserId> owner_id;
  std::optional<std::string> responsibilities;
  std::optional<std::optional<Date>> planned_on;
  std::optional<std::vector<std::string>> risk_ids;
  std::optional<std::vector<std::string>> control_ids;
  std::optional<std::vector<std::string>> document_ids;
  std::optional<std::optional<std::string>> nonconformity_id;
  std::optional<std::string> notes;
};

/// The body of a workflow step.
struct StepInput {
  std::string comment;                   ///< approve, reject, implement (outcome), review, cancel
  std::optional<Date> implemented_on;    ///< implement (default: today)
  std::optional<bool> achieved_purpose;  ///< review: required
};

struct ChangeFilter {
  std::vector<ChangeStatus> statuses;  ///< any of these; empty: all
  std::optional<UserId> owner_id;
  std::optional<std::string> risk_id;
  std::optional<std::string> control_id;
  std::optional<std::string> document_id;
  std::optional<std::string> nonconformity_id;
  std::optional<std::string> text;  ///< in title, purpose or notes
};

}  // namespace certus::communication
