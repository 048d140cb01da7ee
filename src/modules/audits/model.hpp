#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/strong_id.hpp"
#include "core/time.hpp"

namespace certus::audits {

using AuditId = StrongId<struct AuditTag>;
using ProgrammeId = StrongId<struct AuditProgrammeTag>;
using ChecklistItemId = StrongId<struct ChecklistItemTag>;
using FindingId = StrongId<struct AuditFindingTag>;

/// Where an audit stands: planned → in_progress → reported → closed (ISO 27001 9.2.2).
enum class AuditStatus { kPlanned, kInProgress, kReported, kClosed };
std::string_view AuditStatusName(AuditStatus status);
std::optional<AuditStatus> ParseAuditStatus(std::string_view name);
const std::vector<std::string>& AuditStatusNames();

/// The workflow steps: start (planned → in_progress), report (→ reported), close.
enum class AuditStep { kStart, kReport, kClose };
std::string_view AuditStepName(AuditStep step);

enum class AuditorRole { kLead, kMember };
std::string_view AuditorRoleName(AuditorRole role);
std::optional<AuditorRole> ParseAuditorRole(std::string_view name);
const std::vector<std::string>& AuditorRoleNames();

enum class CheckResult { kConforming, kNonconforming, kObservation, kNotAudited };
std::string_view CheckResultName(CheckResult result);
std::optional<CheckResult> ParseCheckResult(std::string_view name);
const std::vector<std::string>& CheckResultNames();

enum class FindingType {
  kMajorNonconformity,
  kMinorNonconformity,
  kObservation,
  kOpportunityForImprovement
};
std::string_view FindingTypeName(FindingType type);
std::optional<FindingType> ParseFindingType(std::string_view name);
const std::vector<std::string>& FindingTypeNames();

/// One reason why an auditor would audit their own work (ISO 27001 9.2.2 b).
struct Conflict {
  std::string type;    ///< control, risk, treatment or document
  std::string id;      ///< the record's id
  std::string ref;     ///< A.8.15, R-0003, T-0002, DOC-0002
  std::string reason;  ///< "owns the control", "wrote version 2", …
  bool operator==(const Conflict&) const = default;
};

/// A manager's recorded decision to let an auditor audit despite conflicts.
struct Waiver {
  std::string justification;
  UserId by;
  std::string at;
  std::vector<Conflict> conflicts;  ///< what was waived
};

struct Auditor {
  std::string id;
  OrgId org_id;
  AuditId audit_id;
  UserId user_id;
  AuditorRole role = AuditorRole::kMember;
  std::optional<Waiver> waiver;
  UserId added_by;
  std::string added_at;
  std::int64_t version = 1;
  std::string email;  ///< read with the auditor
};

struct AuditReport {
  std::string summary;
  std::string conclusion;
  std::vector<UserId> distribution;
};

/// An internal audit (ISO 27001 9.2).
struct Audit {
  AuditId id;
  OrgId org_id;
  std::string ref;  ///< AUD-0001
  std::string title;
  std::vector<std::string> clause_refs;  ///< clauses and requirements of 4–10
  std::vector<std::string> control_ids;  ///< SoA rows
  std::vector<std::string> document_ids;
  std::vector<std::string> departments;
  std::string criteria;
  std::optional<Date> planned_start;
  std::optional<Date> planned_end;
  AuditStatus status = AuditStatus::kPlanned;
  std::optional<ProgrammeId> programme_id;
  AuditReport report;
  std::optional<Date> started_on;
  std::optional<Date> reported_on;
  std::optional<UserId> reported_by;
  std::optional<Date> closed_on;
  UserId created_by;
  std::int64_t version = 1;
  std::string created_at;
  std::string updated_at;

  std::vector<Auditor> auditors;  ///< read with the audit
  std::int64_t findings_count = 0;
};

struct AuditPatch {
  std::optional<std::string> title;
  std::optional<std::vector<std::string>> clause_refs;
  std::optional<std::vector<std::string>> control_ids;
  std::optional<std::vector<std::string>> document_ids;
  std::optional<std::vector<std::string>> departments;
  std::optional<std::string> criteria;
  std::optional<std::optional<Date>> planned_start;
  std::optional<std::optional<Date>> planned_end;
  std::optional<std::optional<ProgrammeId>> programme_id;
};

struct AuditFilter {
  std::optional<AuditStatus> status;
  std::optional<ProgrammeId> programme_id;
  std::optional<std::string> text;
};

struct ChecklistItem {
  ChecklistItemId id;
  OrgId org_id;
  AuditId audit_id;
  std::int64_t position = 0;
  std::string requirement_ref;
  std::string kind;  ///< requirement or control
  std::optional<std::string> control_id;
  std::string title;
  std::string question;
  std::optional<CheckResult> result;
  std::string notes;
  std::vector<std::string> evidence_links;  ///< evidence ids or URLs
  std::int64_t version = 1;
  std::string created_at;
  std::string updated_at;
};

struct ChecklistPatch {
  std::optional<std::optional<CheckResult>> result;
  std::optional<std::string> notes;
  std::optional<std::vector<std::string>> evidence_links;
};

/// A finding of an audit; immutable. A nonconformity finding carries the nonconformity it
/// raised (10.2).
struct Finding {
  FindingId id;
  OrgId org_id;
  AuditId audit_id;
  std::int64_t number = 0;
  std::string ref;  ///< AUD-0001-F01
  FindingType type = FindingType::kObservation;
  std::string requirement_ref;
  std::string statement;
  std::string evidence;
  std::optional<std::string> nonconformity_id;
  std::optional<std::string> nonconformity_ref;
  UserId created_by;
  std::string created_at;
  std::int64_t version = 1;
};

struct NewFinding {
  FindingType type = FindingType::kObservation;
  std::string requirement_ref;
  std::string statement;
  std::string evidence;
};

/// An audit programme over a cycle (ISO 27001 9.2.2 a).
struct Programme {
  ProgrammeId id;
  OrgId org_id;
  std::string ref;  ///< PRG-01
  std::string name;
  Date cycle_start;
  Date cycle_end;
  std::string objectives;
  std::optional<UserId> owner_id;
  std::int64_t version = 1;
  std::string created_at;
  std::string updated_at;
};

struct ProgrammePatch {
  std::optional<std::string> name;
  std::optional<Date> cycle_start;
  std::optional<Date> cycle_end;
  std::optional<std::string> objectives;
  std::optional<std::optional<UserId>> owner_id;
};

struct CoverageAudit {
  std::string id;
  std::string ref;
  std::string status;
};

struct CoverageRow {
  std::string kind;  ///< requirement or control
  std::string ref;
  std::string title;
  std::string status;  ///< audited, planned or unaudited
  std::vector<CoverageAudit> audits;
};

struct ProgrammeCoverage {
  Programme programme;
  std::vector<CoverageRow> rows;
  std::int64_t audited = 0;
  std::int64_t planned = 0;
  std::int64_t unaudited = 0;
};

/// One audit's results for the management review (ISO 27001 9.3.2 d).
struct AuditResult {
  AuditId id;
  std::string ref;
  std::string title;
  std::string status;
  std::optional<Date> reported_on;
  std::string conclusion;
  std::map<std::string, std::int64_t> findings_by_type;  ///< every type, 0 when none
};

}  // namespace certus::audits
