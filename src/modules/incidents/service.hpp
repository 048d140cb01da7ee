#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "auditlog/audit_log.hpp"
#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/page.hpp"
#include "core/random.hpp"
#include "identity/service.hpp"
#include "modules/improvement/service.hpp"
#include "modules/incidents/model.hpp"
#include "modules/incidents/store.hpp"
#include "modules/risk/register_service.hpp"
#include "modules/risk/service.hpp"
#include "storage/database.hpp"

namespace certus::incidents {

/// Information security incident management (ISO 27001 8.1; Annex A 5.24–5.28): incidents
/// reported with when they were detected and reported, assessed and classified (A.5.25),
/// responded to (A.5.26) through new → triaged → contained → resolved → closed, learned from
/// (A.5.27) before they are closed, with an append-only timeline as the evidence of what
/// happened (A.5.28). Affected assets and risks are checked through RiskService and
/// RegisterService; nonconformities are raised through NonconformityService::CreateIn in the
/// incident's own transaction.
///
/// Permissions: every member reads. Contributors, managers and admins report incidents and
/// add timeline entries; the reporter, the handler (owner) or a manager edits an incident,
/// moves it a step and raises a nonconformity from it; only a manager or admin reopens a
/// resolved or closed one. Every change is written with its audit event in one transaction.
/// Borrows everything it is given. Thread-safe.
class IncidentService final {
 public:
  IncidentService(storage::Database& db, const Clock& clock, Random& random,
                  auditlog::AuditLog& audit_log, identity::IdentityService& identity,
                  risk::RiskService& assets, risk::RegisterService& risks,
                  improvement::NonconformityService& nonconformities)
      : db_(db),
        clock_(clock),
        random_(random),
        audit_log_(audit_log),
        identity_(identity),
        assets_(assets),
        risks_(risks),
        nonconformities_(nonconformities) {}

  /// kPermissionDenied below contributor, kNotFound outside the organization: for routes,
  /// before the body is read.
  static Expected<void> CheckCanWrite(const Actor& actor);

  Expected<Page<Incident>> List(const Actor& actor, const OrgId& org, const IncidentFilter& filter,
                                const PageQuery& page);
  Expected<Incident> Get(const Actor& actor, const OrgId& org, const IncidentId& id);
  /// `input` must carry title, severity and detected_at; reported_at defaults to now, the
  /// handler to the actor. kValidation for times in the future or reported before detected,
  /// a handler who is no member, or links that name nothing of the organization.
  Expected<Incident> Create(const Actor& actor, const OrgId& org, const IncidentPatch& input);
  /// kConflict when the incident is closed (a record until a manager reopens it).
  Expected<Incident> Update(const Actor& actor, const OrgId& org, const IncidentId& id,
                            const IncidentPatch& patch, std::int64_t expected_version);
  /// Moves the incident one step and appends the step to its timeline. kConflict naming the
  /// state, or for close the missing resolution or lessons learned (A.5.27, 8.1) or
  /// notification notes when personal data was involved (A.5.34); kValidation for a time in
  /// the future or before detection.
  Expected<Incident> Transition(const Actor& actor, const OrgId& org, const IncidentId& id,
                                Step step, const StepInput& input,
                                std::optional<std::int64_t> expected_version);

  Expected<std::vector<TimelineEntry>> Timeline(const Actor& actor, const OrgId& org,
                                                const IncidentId& id);
  /// Appends a note to the timeline. `at` (canonical RFC 3339) defaults to now and must not
  /// be in the future; kConflict when the incident is closed.
  Expected<TimelineEntry> AddEntry(const Actor& actor, const OrgId& org, const IncidentId& id,
                                   const std::optional<std::string>& at, const std::string& entry);

  /// Raises a nonconformity (ISO 27001 10.2) with source `incident` and source_ref the
  /// incident's ref, and links it, in one transaction. `details` must carry a title.
  Expected<Incident> RaiseNonconformity(const Actor& actor, const OrgId& org, const IncidentId& id,
                                        const improvement::NonconformityPatch& details,
                                        std::optional<std::int64_t> expected_version);

  /// Counts of the incidents detected between `from` and `to` (inclusive dates; `to`
  /// defaults to today, `from` to a year before `to`). kValidation when `from` follows `to`.
  Expected<IncidentSummary> Summary(const Actor& actor, const OrgId& org, std::optional<Date> from,
                                    std::optional<Date> to);

  /// The rule for a time of the incident: not in the future. Empty when fine.
  std::string FutureProblem(const std::string& at) const;

 private:
  /// The links of the kinds `patch` names, labelled; field errors for ids that name nothing
  /// of the organization.
  Expected<std::vector<IncidentLink>> ResolveLinks(const Actor& actor, const OrgId& org,
                                                   const IncidentPatch& patch,
                                                   std::vector<FieldError>& problems);
  static bool Involved(const Actor& actor, const Incident& incident);
  TimelineEntry NewEntry(const Actor& actor, const Incident& incident, std::string at,
                         std::string kind, std::optional<Status> status, std::string entry);

  storage::Database& db_;
  const Clock& clock_;
  Random& random_;
  auditlog::AuditLog& audit_log_;
  identity::IdentityService& identity_;
  risk::RiskService& assets_;
  risk::RegisterService& risks_;
  improvement::NonconformityService& nonconformities_;
  IncidentStore store_;
};

}  // namespace certus::incidents
