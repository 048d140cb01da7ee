#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "auditlog/audit_log.hpp"
#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/page.hpp"
#include "core/random.hpp"
#include "identity/service.hpp"
#include "modules/controls/evidence_links.hpp"
#include "modules/controls/framework_service.hpp"
#include "modules/controls/model.hpp"
#include "modules/controls/soa.hpp"
#include "modules/controls/store.hpp"
#include "storage/database.hpp"

namespace certus::controls {

/// The Statement of Applicability (ISO 27001 6.1.3 d): its rows (the 93 Annex A controls,
/// created for an organization on first access, and custom controls), its approved and
/// immutable versions, their differences, exports and the coverage of other frameworks.
/// Members read; managers and admins write every row and approve versions; contributors
/// write the rows they own. Every change is written with its audit event in one
/// transaction. Borrows everything it is given. Thread-safe.
///
/// `evidence` (optional) tells each row the evidence linked to it (ISO 27001 7.5); without
/// it, no control has evidence.
class ControlService final {
 public:
  ControlService(storage::Database& db, const Clock& clock, Random& random,
                 auditlog::AuditLog& audit_log, identity::IdentityService& identity,
                 FrameworkService& frameworks, EvidenceLinks* evidence = nullptr)
      : db_(db),
        clock_(clock),
        random_(random),
        audit_log_(audit_log),
        identity_(identity),
        frameworks_(frameworks),
        evidence_(evidence) {}

  Expected<Page<Control>> List(const Actor& actor, const OrgId& org, const ControlFilter& filter,
                               const PageQuery& page);
  Expected<Control> Get(const Actor& actor, const OrgId& org, const ControlId& id);
  /// A custom control; `input` carries ref_id and title (the routes ensure it). kConflict
  /// when the ref_id is taken in the organization.
  Expected<Control> Create(const Actor& actor, const OrgId& org, const ControlPatch& input);
  /// kValidation for a missing justification, a title change of an Annex A row or a
  /// non-member owner; kConflict when excluding a control that risks rely on.
  Expected<Control> Update(const Actor& actor, const OrgId& org, const ControlId& id,
                           const ControlPatch& patch, std::int64_t expected_version);
  /// Custom controls no risk and no evidence links only (kConflict otherwise).
  Expected<void> Delete(const Actor& actor, const OrgId& org, const ControlId& id,
                        std::int64_t expected_version);

  /// The id, ref and title of each of `ids` that is a control of `org` (unknown ids are
  /// absent), in the caller's transaction: for other modules' services, which link controls
  /// and check their own caller's permissions.
  Expected<std::vector<ControlSummary>> Summaries(storage::Transaction& tx, const OrgId& org,
                                                  const std::vector<ControlId>& ids);

  /// The current SoA with its summary and how it stands against the latest version.
  Expected<SoaDocument> GetSoa(const Actor& actor, const OrgId& org);
  /// Only the summary of the current SoA, from the decisions without their links: what the
  /// dashboard shows, without reading every risk and evidence link of the SoA.
  Expected<SoaSummary> GetSoaSummary(const Actor& actor, const OrgId& org);
  /// Approves the current SoA as the next version (managers and admins).
  Expected<SoaVersion> ApproveVersion(const Actor& actor, const OrgId& org,
                                      const std::string& notes);
  Expected<Page<SoaVersion>> ListVersions(const Actor& actor, const OrgId& org,
                                          const PageQuery& page);
  /// With its rows.
  Expected<SoaVersion> GetVersion(const Actor& actor, const OrgId& org, std::int64_t number);
  /// Any change to an approved version: kNotFound or kConflict, never a change.
  Expected<void> ChangeVersion(const Actor& actor, const OrgId& org, std::int64_t number);
  /// From version `from` to version `to`, or to the current SoA.
  Expected<SoaDiff> Diff(const Actor& actor, const OrgId& org, std::int64_t from,
                         std::optional<std::int64_t> to);
  /// The current SoA, or version `version`, as a file.
  Expected<ExportedFile> Export(const Actor& actor, const OrgId& org, ExportFormat format,
                                std::optional<std::int64_t> version);
  /// How the organization's controls cover the requirements of `framework_id`.
  Expected<Coverage> GetCoverage(const Actor& actor, const OrgId& org,
                                 const std::string& framework_id);

  /// Creates the organization's SoA rows on first access (for other modules' services that
  /// then read the rows in their own transaction). kNotFound outside the organization.
  Expected<void> Prepare(const Actor& actor, const OrgId& org);
  /// Every control of `org` with its owner and the risks linked to it (no evidence), in the
  /// caller's transaction: for the internal audit's scope and independence checks (9.2.2 b).
  Expected<std::vector<Control>> AllIn(storage::Transaction& tx, const OrgId& org);

 private:
  Expected<void> EnsureSeeded(const Actor& actor, const OrgId& org);
  Expected<void> CheckOwner(const OrgId& org, const std::optional<UserId>& owner);
  /// ISO ref → the requirements of other frameworks mapped to it (with the control itself).
  Expected<std::map<std::string, std::vector<MappedRequirement>>> MappedRequirements(
      const Actor& actor);
  Expected<boost::json::array> CurrentRows(const Actor& actor, const OrgId& org);
  /// The store's reads with the evidence linked to the controls.
  Expected<std::optional<Control>> Find(storage::Transaction& tx, const OrgId& org,
                                        const ControlId& id);
  Expected<std::vector<Control>> ListAll(storage::Transaction& tx, const OrgId& org);
  Expected<void> LoadEvidence(storage::Transaction& tx, const OrgId& org,
                              std::vector<Control>& controls);

  storage::Database& db_;
  const Clock& clock_;
  Random& random_;
  auditlog::AuditLog& audit_log_;
  identity::IdentityService& identity_;
  FrameworkService& frameworks_;
  EvidenceLinks* evidence_;
  ControlStore store_;
};

}  // namespace certus::controls
