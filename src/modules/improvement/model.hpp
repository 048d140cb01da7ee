#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/strong_id.hpp"
#include "core/time.hpp"

namespace certus::improvement {

using NonconformityId = StrongId<struct NonconformityTag>;
using ActionId = StrongId<struct CorrectiveActionTag>;
using ReviewId = StrongId<struct EffectivenessReviewTag>;
using ImprovementId = StrongId<struct ImprovementTag>;

// ------------------------------------------------------------------ vocabularies

/// Where a nonconformity or an opportunity for improvement came from. `kSuggestion` is for
/// improvements only (10.1: opportunities come from anyone).
enum class Source {
  kInternalAudit,
  kExternalAudit,
  kIncident,
  kManagementReview,
  kMonitoring,
  kComplaint,
  kOther,
  kSuggestion
};
std::string_view SourceName(Source source);
std::optional<Source> ParseSource(std::string_view name);
/// The sources of a nonconformity (without `suggestion`), and of an improvement (with).
const std::vector<std::string>& NonconformitySourceNames();
const std::vector<std::string>& ImprovementSourceNames();

enum class Severity { kMajor, kMinor };
std::string_view SeverityName(Severity severity);
std::optional<Severity> ParseSeverity(std::string_view name);
const std::vector<std::string>& SeverityNames();

enum class RootCauseMethod { kFiveWhys, kFishbone, kFaultTree, kOther };
std::string_view MethodName(RootCauseMethod method);
std::optional<RootCauseMethod> ParseMethod(std::string_view name);
const std::vector<std::string>& MethodNames();

/// Where a nonconformity stands, derived from what is recorded (ISO 27001 10.2 a–g):
/// open (nothing done yet) → correcting (correction recorded, 10.2 a) → actions (root cause
/// recorded, 10.2 b; also after a review found the actions not effective) → verifying
/// (every corrective action done, 10.2 c, awaiting or holding a review, 10.2 d) → closed.
enum class NcStatus { kOpen, kCorrecting, kActions, kVerifying, kClosed };
std::string_view NcStatusName(NcStatus status);
std::optional<NcStatus> ParseNcStatus(std::string_view name);
const std::vector<std::string>& NcStatusNames();

enum class ActionStatus { kPlanned, kInProgress, kDone, kCancelled };
std::string_view ActionStatusName(ActionStatus status);
std::optional<ActionStatus> ParseActionStatus(std::string_view name);
const std::vector<std::string>& ActionStatusNames();

enum class Decision { kPending, kAccepted, kRejected, kDeferred };
std::string_view DecisionName(Decision decision);
std::optional<Decision> ParseDecision(std::string_view name);
const std::vector<std::string>& DecisionNames();

enum class ImprovementStatus { kOpen, kInProgress, kImplemented, kClosed };
std::string_view ImprovementStatusName(ImprovementStatus status);
std::optional<ImprovementStatus> ParseImprovementStatus(std::string_view name);
const std::vector<std::string>& ImprovementStatusNames();

/// Whether `text` has the shape of a requirement of ISO 27001: a clause (`4` … `10.2`,
/// `9.2.2`) or an Annex A control (`A.5.1` … `A.8.34`).
bool IsRequirementRef(std::string_view text);
/// Whether `text` is a UUID (8-4-4-4-12 hex digits), the shape of an ISMS change record id.
bool IsUuid(std::string_view text);

// ------------------------------------------------------------------ nonconformities (10.2)

/// What keeps a nonconformity from being closed: a stable code and a sentence naming what
/// is missing and the clause that asks for it.
struct ClosureBlocker {
  std::string code;
  std::string message;
};

/// A nonconformity (ISO 27001 10.2) with what was done about it.
struct Nonconformity {
  NonconformityId id;
  OrgId org_id;
  std::string ref;  ///< NC-0001, …
  std::string title;
  std::string description;
  Source source = Source::kOther;
  std::string source_ref;       ///< e.g. an audit finding id or an external report number
  std::string requirement_ref;  ///< "9.2.2", "A.8.15", or empty
  Severity severity = Severity::kMinor;
  UserId reported_by;
  Date reported_on;
  UserId owner_id;
  std::string correction;  ///< 10.2 a: the immediate action to control and correct it
  std::optional<Date> correction_on;
  std::string root_cause;  ///< 10.2 b 2
  std::optional<RootCauseMethod> root_cause_method;
  std::string similar_check;            ///< 10.2 b 3: do similar ones exist, or could they occur
  std::vector<std::string> change_ids;  ///< ISMS change records (10.2 e), sorted
  NcStatus status = NcStatus::kOpen;
  /// A review found the actions not effective and no corrective action has been added since.
  bool needs_new_action = false;
  std::int64_t reopen_count = 0;
  /// The review that found the actions effective, while it still stands (cleared when an
  /// action is added or undone, or a later review finds them not effective).
  std::optional<ReviewId> effective_review_id;
  std::optional<UserId> closed_by;
  std::optional<Date> closed_on;
  std::int64_t version = 1;
  std::string created_at;
  std::string updated_at;

  // Derived on read from the corrective actions; not stored.
  std::int64_t actions_total = 0;  ///< not cancelled
  std::int64_t actions_done = 0;
  std::int64_t actions_overdue = 0;
  std::vector<ClosureBlocker> closure_blockers;
};

/// Create and update alike: an absent field stays as it is (create: takes its default).
struct NonconformityPatch {
  std::optional<std::string> title;
  std::optional<std::string> description;
  std::optional<Source> source;
  std::optional<std::string> source_ref;
  std::optional<std::string> requirement_ref;
  std::optional<Severity> severity;
  std::optional<Date> reported_on;
  std::optional<UserId> owner_id;
  std::optional<std::string> correction;
  std::optional<std::optional<Date>> correction_on;
  std::optional<std::string> root_cause;
  std::optional<std::optional<RootCauseMethod>> root_cause_method;
  std::optional<std::string> similar_check;
  std::optional<std::vector<std::string>> change_ids;
};

struct NonconformityFilter {
  std::optional<NcStatus> status;
  bool open_only = false;  ///< every status but closed
  std::optional<Severity> severity;
  std::optional<Source> source;
  std::optional<UserId> owner_id;
  std::optional<std::string> text;  ///< in title, description or ref
};

/// A corrective action (ISO 27001 10.2 c) of a nonconformity.
struct CorrectiveAction {
  ActionId id;
  OrgId org_id;
  NonconformityId nonconformity_id;
  std::string ref;  ///< CA-0001, …
  std::string title;
  UserId owner_id;
  std::optional<Date> due_on;
  ActionStatus status = ActionStatus::kPlanned;
  std::string completion_note;
  std::optional<Date> done_on;
  std::int64_t version = 1;
  std::string created_at;
  std::string updated_at;

  bool overdue = false;           ///< derived: due before today and not done or cancelled
  std::string nonconformity_ref;  ///< derived: the NC's ref, for lists across NCs
};

struct ActionPatch {
  std::optional<std::string> title;
  std::optional<UserId> owner_id;
  std::optional<std::optional<Date>> due_on;
  std::optional<ActionStatus> status;
  std::optional<std::string> completion_note;
  std::optional<std::optional<Date>> done_on;
};

struct ActionFilter {
  std::optional<NonconformityId> nonconformity_id;
  std::optional<UserId> owner_id;
  std::optional<ActionStatus> status;
  std::optional<std::string> overdue_before;  ///< YYYY-MM-DD: due before it, not finished
};

/// A review of the effectiveness of the corrective actions taken (ISO 27001 10.2 d).
/// Immutable.
struct EffectivenessReview {
  ReviewId id;
  OrgId org_id;
  NonconformityId nonconformity_id;
  bool effective = false;
  std::string note;
  UserId reviewed_by;
  Date reviewed_on;
  std::string created_at;
  std::int64_t version = 1;  ///< always 1: reviews are never changed
};

// ------------------------------------------------------------------ improvement (10.1)

/// An opportunity for improvement (ISO 27001 10.1) and what became of it.
struct Improvement {
  ImprovementId id;
  OrgId org_id;
  std::string ref;  ///< OFI-0001, …
  std::string title;
  std::string description;
  Source source = Source::kSuggestion;
  UserId raised_by;
  Date raised_on;
  Decision decision = Decision::kPending;
  std::string decision_rationale;
  std::optional<UserId> decided_by;
  std::optional<Date> decided_on;
  std::string outcome;
  std::optional<UserId> owner_id;
  std::optional<Date> due_on;
  ImprovementStatus status = ImprovementStatus::kOpen;
  std::optional<NonconformityId> nonconformity_id;
  std::int64_t version = 1;
  std::string created_at;
  std::string updated_at;

  bool overdue = false;  ///< derived: due before today and not implemented or closed
};

struct ImprovementPatch {
  std::optional<std::string> title;
  std::optional<std::string> description;
  std::optional<Source> source;
  std::optional<Decision> decision;
  std::optional<std::string> decision_rationale;
  std::optional<std::string> outcome;
  std::optional<std::optional<UserId>> owner_id;
  std::optional<std::optional<Date>> due_on;
  std::optional<ImprovementStatus> status;
  std::optional<std::optional<NonconformityId>> nonconformity_id;
};

struct ImprovementFilter {
  std::optional<ImprovementStatus> status;
  std::optional<Decision> decision;
  std::optional<Source> source;
  std::optional<NonconformityId> nonconformity_id;
  std::optional<std::string> text;
};

}  // namespace certus::improvement
