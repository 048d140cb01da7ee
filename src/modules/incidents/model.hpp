#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/strong_id.hpp"
#include "core/time.hpp"

namespace certus::incidents {

using IncidentId = StrongId<struct IncidentTag>;
using TimelineEntryId = StrongId<struct IncidentTimelineEntryTag>;

/// Where the handling of an incident stands (ISO 27001 A.5.26: incidents are responded to
/// in accordance with documented procedures). new → triaged (assessed and classified,
/// A.5.25) → contained → resolved → closed (lessons learned, A.5.27); a manager may reopen a
/// resolved or closed incident, which goes back to triaged. Stored as the lowercase name.
enum class Status { kNew, kTriaged, kContained, kResolved, kClosed };
std::string_view StatusName(Status status);
std::optional<Status> ParseStatus(std::string_view name);
const std::vector<std::string>& StatusNames();

enum class Severity { kLow, kMedium, kHigh, kCritical };
std::string_view SeverityName(Severity severity);
std::optional<Severity> ParseSeverity(std::string_view name);
const std::vector<std::string>& SeverityNames();

enum class Category {
  kMalware,
  kPhishing,
  kUnauthorizedAccess,
  kDataLeak,
  kDenialOfService,
  kLossOrTheft,
  kMisconfiguration,
  kOther
};
std::string_view CategoryName(Category category);
std::optional<Category> ParseCategory(std::string_view name);
const std::vector<std::string>& CategoryNames();

/// A step of the handling, each a POST action.
enum class Step { kTriage, kContain, kResolve, kClose, kReopen };
std::string_view StepName(Step step);

/// What an incident links to, with the reference and title it had when linked.
enum class LinkKind { kAsset, kRisk, kNonconformity };
std::string_view LinkKindName(LinkKind kind);
std::optional<LinkKind> ParseLinkKind(std::string_view name);

struct IncidentLink {
  LinkKind kind = LinkKind::kAsset;
  std::string id;
  std::string label;  ///< "AST-0003 Customer database"
};

/// An information security incident (ISO 27001 8.1, A.5.24–A.5.27).
struct Incident {
  IncidentId id;
  OrgId org_id;
  std::string ref;  ///< INC-0001, …
  std::string title;
  std::string description;
  Category category = Category::kOther;
  Severity severity = Severity::kMedium;
  std::string detected_at;  ///< RFC 3339 UTC
  std::string reported_at;  ///< RFC 3339 UTC; not before detected_at (A.6.8)
  UserId reported_by;
  std::string reported_by_email;
  UserId owner_id;  ///< the handler
  Status status = Status::kNew;
  std::string resolution;       ///< root cause and how it was resolved
  std::string lessons_learned;  ///< A.5.27
  bool personal_data_involved = false;
  std::string notification_notes;  ///< who was notified (authorities, data subjects), or why not
  std::optional<std::string> triaged_at;
  std::optional<std::string> contained_at;
  std::optional<std::string> resolved_at;
  std::optional<std::string> closed_at;
  std::optional<UserId> closed_by;
  std::int64_t reopen_count = 0;
  std::vector<IncidentLink> links;  ///< by kind then id
  std::int64_t version = 1;
  std::string created_at;
  std::string updated_at;

  std::vector<std::string> LinkIds(LinkKind kind) const;
};

/// Create and update alike: an absent field stays as it is (create: takes its default).
struct IncidentPatch {
  std::optional<std::string> title;
  std::optional<std::string> description;
  std::optional<Category> category;
  std::optional<Severity> severity;
  std::optional<std::string> detected_at;  ///< canonical RFC 3339 UTC
  std::optional<std::string> reported_at;
  std::optional<UserId> owner_id;
  std::optional<std::string> resolution;
  std::optional<std::string> lessons_learned;
  std::optional<bool> personal_data_involved;
  std::optional<std::string> notification_notes;
  std::optional<std::vector<std::string>> asset_ids;
  std::optional<std::vector<std::string>> risk_ids;
  std::optional<std::vector<std::string>> nonconformity_ids;
};

/// The body of a status step.
struct StepInput {
  std::string note;
  std::optional<std::string> at;  ///< when it happened (canonical); default: now
};

/// One entry of an incident's timeline: a note, or a status step. Immutable.
struct TimelineEntry {
  TimelineEntryId id;
  OrgId org_id;
  IncidentId incident_id;
  std::string at;    ///< when it happened
  std::string kind;  ///< "note" or "status"
  std::optional<Status> status;
  std::string entry;
  UserId recorded_by;
  std::string recorded_by_email;
  std::string recorded_at;
  std::int64_t version = 1;  ///< always 1: entries are never changed
};

struct IncidentFilter {
  std::vector<Status> statuses;  ///< any of these; empty: all
  bool open_only = false;        ///< every status but closed
  std::optional<Severity> severity;
  std::optional<Category> category;
  std::optional<UserId> owner_id;
  std::optional<std::string> asset_id;
  std::optional<std::string> risk_id;
  std::optional<std::string> text;  ///< in ref, title or description
};

/// Counts of the incidents detected in a window, for the management review (9.3.2 d, e).
struct IncidentSummary {
  std::string from;  ///< YYYY-MM-DD, inclusive
  std::string to;    ///< YYYY-MM-DD, inclusive
  std::int64_t total = 0;
  std::int64_t open = 0;
  std::map<std::string, std::int64_t> by_status;
  std::map<std::string, std::int64_t> by_severity;
  std::map<std::string, std::int64_t> by_category;
  std::int64_t personal_data_involved = 0;
  std::optional<double> mean_hours_to_contain;
  std::optional<double> mean_hours_to_resolve;
};

/// Hours from `from` to `to` (RFC 3339), to one decimal; nullopt when either is absent.
std::optional<double> HoursBetween(const std::string& from, const std::optional<std::string>& to);

}  // namespace certus::incidents
