#include "modules/audits/service.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include <fmt/format.h>

#include "core/uuid.hpp"
#include "modules/audits/json.hpp"
#include "modules/controls/catalog.hpp"
#include "reports/table.hpp"
#include "storage/counters.hpp"

namespace certus::audits {

namespace {

constexpr const char* kAuditType = "audit";
constexpr const char* kAuditorType = "audit_auditor";
constexpr const char* kItemType = "audit_checklist_item";
constexpr const char* kFindingType = "audit_finding";
constexpr const char* kProgrammeType = "audit_programme";

constexpr const char* kOwnsControl = "owns the control";
constexpr const char* kOwnsRisk = "owns the risk";
constexpr const char* kOwnsTreatment = "owns the treatment action";
constexpr const char* kOwnsDocument = "owns the document";
constexpr const char* kWroteDocument = "wrote a version of the document";
constexpr const char* kApprovedDocument = "approved a version of the document";

Expected<void> CheckCanRead(const Actor& actor) {
  if (!actor.role) return Fail(Error::NotFound("Organization"));
  return {};
}

Error Stale(std::string_view what) {
  return {ErrorCode::kPreconditionFailed, "Someone else changed this " + std::string(what) +
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

bool Open(AuditStatus status) {
  return status == AuditStatus::kPlanned || status == AuditStatus::kInProgress;
}

/// Whether catalog row `ref` lies under scope ref `scope` (or is it).
bool Under(const std::string& ref, const std::string& scope) {
  return ref == scope ||
         (ref.size() > scope.size() && ref.starts_with(scope) && ref[scope.size()] == '.');
}

const controls::CatalogRow* ClauseRow(const std::string& ref) {
  for (const auto& row : controls::Iso27001Catalog()) {
    if (row.ref_id == ref && (row.kind == "clause" || row.kind == "requirement")) return &row;
  }
  return nullptr;
}

/// The clauses whose audit looks at the risk register and the treatment plan.
bool CoversRisks(const std::vector<std::string>& clause_refs) {
  static const std::set<std::string> kRiskClauses = {"6", "6.1", "6.1.2", "6.1.3",
                                                     "8", "8.2", "8.3"};
  return std::any_of(clause_refs.begin(), clause_refs.end(),
                     [](const std::string& ref) { return kRiskClauses.contains(ref); });
}

bool Contains(const std::vector<std::string>& values, const std::string& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

bool SameConflict(const Conflict& a, const Conflict& b) {
  return a.type == b.type && a.id == b.id && a.reason == b.reason;
}

std::string Truncate(const std::string& text, std::size_t max) {
  if (text.size() <= max) return text;
  std::size_t cut = max;
  // Do not cut a UTF-8 sequence in half.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "…";
}

std::string Join(const std::vector<std::string>& values, const std::string& separator = ", ") {
  std::string out;
  for (const auto& v : values) {
    if (!out.empty()) out += separator;
    out += v;
  }
  return out;
}

std::string NotOpen(const Audit& audit, const std::string& what) {
  return audit.ref + " is " + std::string(AuditStatusName(audit.status)) + ": " + what +
         " only while an audit is planned or in progress; a reported audit is a record "
         "(ISO 27001 9.2.2 f).";
}

}  // namespace

Expected<void> AuditService::CheckCanWrite(const Actor& actor) {
  CERTUS_CHECK(CheckCanRead(actor));
  if (*actor.role == Role::kAuditor || *actor.role >= Role::kManager) return {};
  return Fail(ErrorCode::kPermissionDenied,
              "Only auditors, managers and admins write audits, checklists and findings "
              "(ISO 27001 9.2).");
}

Expected<void> AuditService::CheckCanManage(const Actor& actor) {
  CERTUS_CHECK(CheckCanRead(actor));
  if (*actor.role >= Role::kManager) return {};
  return Fail(ErrorCode::kPermissionDenied,
              "Only managers and admins waive an auditor's independence and plan audit "
              "programmes.");
}

std::string AuditService::Now() const { return FormatTimestamp(clock_.Now()); }

Expected<Audit> AuditService::Load(storage::Transaction& tx, const OrgId& org, const AuditId& id) {
  auto audit = CERTUS_TRY(store_.FindAudit(tx, org, id));
  if (!audit) return Fail(Error::NotFound("Audit"));
  audit->auditors = CERTUS_TRY(store_.AuditorsOf(tx, org, {id}));
  audit->findings_count =
      static_cast<std::int64_t>(CERTUS_TRY(store_.FindingsOf(tx, org, {id})).size());
  return *audit;
}

Expected<std::vector<FieldError>> AuditService::ScopeProblems(storage::Transaction& tx,
                                                              const OrgId& org,
                                                              const Audit& audit) {
  std::vector<FieldError> problems;
  for (std::size_t i = 0; i < audit.clause_refs.size(); ++i) {
    const auto& ref = audit.clause_refs[i];
    if (ref.starts_with("A.") || !ClauseRow(ref)) {
      problems.push_back({"clause_refs[" + std::to_string(i) + "]",
                          "must be a clause or requirement of ISO 27001 clauses 4 to 10 (e.g. "
                          "\"9.2\" or \"6.1.3\"); Annex A controls go in control_ids"});
    }
  }
  if (!audit.control_ids.empty()) {
    std::vector<controls::ControlId> ids;
    for (const auto& id : audit.control_ids) ids.emplace_back(id);
    auto found = CERTUS_TRY(controls_.Summaries(tx, org, ids));
    for (std::size_t i = 0; i < ids.size(); ++i) {
      bool known =
          std::any_of(found.begin(), found.end(), [&](const auto& s) { return s.id == ids[i]; });
      if (!known) {
        problems.push_back({"control_ids[" + std::to_string(i) + "]",
                            "is not a control of the organization's Statement of "
                            "Applicability"});
      }
    }
  }
  if (!audit.document_ids.empty()) {
    std::vector<documents::DocumentId> ids;
    for (const auto& id : audit.document_ids) ids.emplace_back(id);
    auto found = CERTUS_TRY(documents_.WithVersionsIn(tx, org, ids));
    for (std::size_t i = 0; i < ids.size(); ++i) {
      bool known = std::any_of(found.begin(), found.end(),
                               [&](const auto& d) { return d.first.id == ids[i]; });
      if (!known) {
        problems.push_back(
            {"document_ids[" + std::to_string(i) + "]", "is not a document of the organization"});
      }
    }
  }
  if (audit.programme_id && !CERTUS_TRY(store_.FindProgramme(tx, org, *audit.programme_id))) {
    problems.push_back({"programme_id", "is not an audit programme of the organization"});
  }
  if (audit.planned_start && audit.planned_end &&
      std::chrono::sys_days(*audit.planned_end) < std::chrono::sys_days(*audit.planned_start)) {
    problems.push_back({"planned_end", "must not be before planned_start"});
  }
  return problems;
}

Expected<std::vector<Conflict>> AuditService::ConflictsOf(storage::Transaction& tx,
                                                          const Audit& audit, const UserId& user) {
  const OrgId& org = audit.org_id;
  std::vector<Conflict> out;
  std::set<std::string> linked_risks;
  if (!audit.control_ids.empty()) {
    for (const auto& control : CERTUS_TRY(controls_.AllIn(tx, org))) {
      if (!Contains(audit.control_ids, control.id.str())) continue;
      if (control.owner_id && *control.owner_id == user) {
        out.push_back({"control", control.id.str(), control.ref_id, kOwnsControl});
      }
      for (const auto& risk : control.risks) linked_risks.insert(risk.id);
    }
  }
  const bool all_risks = CoversRisks(audit.clause_refs);
  if (all_risks || !linked_risks.empty()) {
    std::vector<risk::RiskId> scoped;
    std::map<std::string, std::string> risk_refs;
    for (const auto& r : CERTUS_TRY(risks_.RisksIn(tx, org))) {
      if (!all_risks && !linked_risks.contains(r.id.str())) continue;
      scoped.push_back(r.id);
      risk_refs[r.id.str()] = r.ref;
      if (r.owner_id == user) out.push_back({"risk", r.id.str(), r.ref, kOwnsRisk});
    }
    for (const auto& t : CERTUS_TRY(risks_.TreatmentsIn(tx, org, scoped))) {
      if (t.owner_id && *t.owner_id == user) {
        out.push_back({"treatment", t.id.str(), t.ref, kOwnsTreatment});
      }
    }
  }
  if (!audit.document_ids.empty()) {
    std::vector<documents::DocumentId> ids;
    for (const auto& id : audit.document_ids) ids.emplace_back(id);
    for (const auto& [document, versions] : CERTUS_TRY(documents_.WithVersionsIn(tx, org, ids))) {
      if (document.owner_id == user) {
        out.push_back({"document", document.id.str(), document.ref, kOwnsDocument});
      }
      bool wrote = false;
      bool approved = false;
      for (const auto& version : versions) {
        if (version.author_id == user.str()) wrote = true;
        if (version.approval && version.approval->by_id == user.str()) approved = true;
      }
      if (wrote) out.push_back({"document", document.id.str(), document.ref, kWroteDocument});
      if (approved) {
        out.push_back({"document", document.id.str(), document.ref, kApprovedDocument});
      }
    }
  }
  return out;
}

Expected<Audit> AuditService::WriteAudit(storage::Transaction& tx, const Actor& actor,
                                         const Audit& before, Audit after,
                                         const std::string& action) {
  after.version = before.version + 1;
  after.updated_at = Now();
  if (!CERTUS_TRY(store_.UpdateAudit(tx, after, before.version))) return Fail(Stale("audit"));
  CERTUS_CHECK(audit_log_.Append(tx, MakeEvent(actor, after.org_id, kAuditType, after.id.str(),
                                               action, ToJson(before), ToJson(after))));
  return after;
}

// ------------------------------------------------------------------ audits

Expected<Page<Audit>> AuditService::List(const Actor& actor, const OrgId& org,
                                         const AuditFilter& filter, const PageQuery& page) {
  CERTUS_CHECK(CheckCanRead(actor));
  return storage::InReadTransaction(db_, [&](storage::Transaction& tx) -> Expected<Page<Audit>> {
    auto result = CERTUS_TRY(store_.ListAudits(tx, org, filter, page));
    std::vector<AuditId> ids;
    for (const auto& a : result.items) ids.push_back(a.id);
    auto auditors = CERTUS_TRY(store_.AuditorsOf(tx, org, ids));
    auto findings = CERTUS_TRY(store_.FindingsOf(tx, org, ids));
    for (auto& audit : result.items) {
      for (const auto& a : auditors) {
        if (a.audit_id == audit.id) audit.auditors.push_back(a);
      }
      for (const auto& f : findings) {
        if (f.audit_id == audit.id) ++audit.findings_count;
      }
    }
    return result;
  });
}

Expected<Audit> AuditService::Get(const Actor& actor, const OrgId& org, const AuditId& id) {
  CERTUS_CHECK(CheckCanRead(actor));
  return storage::InReadTransaction(db_,
                                    [&](storage::Transaction& tx) { return Load(tx, org, id); });
}

Expected<Audit> AuditService::Create(const Actor& actor, const OrgId& org,
                                     const AuditPatch& input) {
  CERTUS_CHECK(CheckCanWrite(actor));
  if (!input.title || Blank(*input.title)) return Fail(Error::Field("title", "is required"));
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<Audit> {
    Audit audit;
    audit.id = AuditId(NewUuid(clock_, random_));
    audit.org_id = org;
    audit.title = *input.title;
    audit.clause_refs = input.clause_refs.value_or(std::vector<std::string>{});
    audit.control_ids = input.control_ids.value_or(std::vector<std::string>{});
    audit.document_ids = input.document_ids.value_or(std::vector<std::string>{});
    audit.departments = input.departments.value_or(std::vector<std::string>{});
    audit.criteria = input.criteria.value_or("");
    audit.planned_start = input.planned_start.value_or(std::nullopt);
    audit.planned_end = input.planned_end.value_or(std::nullopt);
    audit.programme_id = input.programme_id.value_or(std::nullopt);
    audit.created_by = actor.user_id;
    auto problems = CERTUS_TRY(ScopeProblems(tx, org, audit));
    if (!problems.empty()) return Fail(Error::Validation(std::move(problems)));
    audit.ref = storage::FormatRef("AUD", CERTUS_TRY(storage::NextCounter(tx, org.str(), "audit")));
    audit.created_at = audit.updated_at = Now();
    CERTUS_CHECK(store_.InsertAudit(tx, audit));
    CERTUS_CHECK(audit_log_.Append(
        tx, MakeEvent(actor, org, kAuditType, audit.id.str(), "create", nullptr, ToJson(audit))));
    return audit;
  });
}

Expected<UpdateOutcome> AuditService::Update(const Actor& actor, const OrgId& org,
                                             const AuditId& id, const AuditPatch& patch,
                                             std::int64_t expected_version) {
  CERTUS_CHECK(CheckCanWrite(actor));
  if (patch.title && Blank(*patch.title)) return Fail(Error::Field("title", "must not be empty"));
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<UpdateOutcome> {
    auto before = CERTUS_TRY(Load(tx, org, id));
    if (before.version != expected_version) return Fail(Stale("audit"));
    if (!Open(before.status)) return Fail(ErrorCode::kConflict, NotOpen(before, "it changes"));
    Audit after = before;
    if (patch.title) after.title = *patch.title;
    if (patch.clause_refs) after.clause_refs = *patch.clause_refs;
    if (patch.control_ids) after.control_ids = *patch.control_ids;
    if (patch.document_ids) after.document_ids = *patch.document_ids;
    if (patch.departments) after.departments = *patch.departments;
    if (patch.criteria) after.criteria = *patch.criteria;
    if (patch.planned_start) after.planned_start = *patch.planned_start;
    if (patch.planned_end) after.planned_end = *patch.planned_end;
    if (patch.programme_id) after.programme_id = *patch.programme_id;
    auto problems = CERTUS_TRY(ScopeProblems(tx, org, after));
    if (!problems.empty()) return Fail(Error::Validation(std::move(problems)));
    UpdateOutcome outcome;
    const bool scope_changed = after.clause_refs != before.clause_refs ||
                               after.control_ids != before.control_ids ||
                               after.document_ids != before.document_ids;
    if (scope_changed) {
      // ISO 27001 9.2.2 b: the assigned auditors stay independent of the new scope.
      for (const auto& auditor : before.auditors) {
        auto conflicts = CERTUS_TRY(ConflictsOf(tx, after, auditor.user_id));
        std::vector<Conflict> unwaived;
        for (const auto& c : conflicts) {
          const bool waived =
              auditor.waiver &&
              std::any_of(auditor.waiver->conflicts.begin(), auditor.waiver->conflicts.end(),
                          [&](const Conflict& w) { return SameConflict(w, c); });
          if (!waived) unwaived.push_back(c);
        }
        if (!unwaived.empty()) {
          outcome.conflicts.push_back({auditor.user_id, auditor.email, std::move(unwaived)});
        }
      }
      if (!outcome.conflicts.empty()) return outcome;
    }
    outcome.audit = CERTUS_TRY(WriteAudit(tx, actor, before, after, "update"));
    return outcome;
  });
}

Expected<Audit> AuditService::Step(const Actor& actor, const OrgId& org, const AuditId& id,
                                   AuditStep step, std::optional<std::int64_t> expected_version) {
  CERTUS_CHECK(CheckCanWrite(actor));
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<Audit> {
    auto before = CERTUS_TRY(Load(tx, org, id));
    if (expected_version && before.version != *expected_version) return Fail(Stale("audit"));
    Audit after = before;
    const auto today = DateOf(clock_.Now());
    const std::string status(AuditStatusName(before.status));
    switch (step) {
      case AuditStep::kStart:
        if (before.status != AuditStatus::kPlanned) {
          return Fail(ErrorCode::kConflict,
                      before.ref + " is " + status + ": only a planned audit can be started.");
        }
        after.status = AuditStatus::kInProgress;
        after.started_on = today;
        break;
      case AuditStep::kReport: {
        if (before.status != AuditStatus::kInProgress) {
          return Fail(ErrorCode::kConflict, before.ref + " is " + status +
                                                ": only an audit in progress can be reported.");
        }
        std::vector<std::string> missing;
        if (Blank(before.report.summary)) missing.push_back("the report's summary");
        if (Blank(before.report.conclusion)) missing.push_back("the report's conclusion");
        if (before.report.distribution.empty()) {
          missing.push_back("at least one recipient in relevant management (distribution)");
        }
        auto items = CERTUS_TRY(store_.ItemsOf(tx, org, id));
        if (items.empty()) {
          missing.push_back("a checklist (generate it from the scope)");
        } else {
          std::vector<std::string> open;
          for (const auto& item : items) {
            if (!item.result) open.push_back(item.requirement_ref);
          }
          if (!open.empty()) {
            const std::size_t shown = std::min<std::size_t>(open.size(), 10);
            std::vector<std::string> head(open.begin(), open.begin() + static_cast<long>(shown));
            std::string list = Join(head);
            if (open.size() > shown)
              list += " and " + std::to_string(open.size() - shown) + " more";
            missing.push_back("a result for every checklist item (" + list + ")");
          }
        }
        if (!missing.empty()) {
          return Fail(ErrorCode::kConflict,
                      before.ref +
                          " cannot be reported yet: the results of an audit are reported to "
                          "relevant management (ISO 27001 9.2.2 d). Missing: " +
                          Join(missing, "; ") + ".");
        }
        after.status = AuditStatus::kReported;
        after.reported_on = today;
        after.reported_by = actor.user_id;
        break;
      }
      case AuditStep::kClose:
        if (before.status != AuditStatus::kReported) {
          return Fail(ErrorCode::kConflict,
                      before.ref + " is " + status +
                          ": only a reported audit can be closed (ISO 27001 9.2.2 d).");
        }
        after.status = AuditStatus::kClosed;
        after.closed_on = today;
        break;
    }
    return WriteAudit(tx, actor, before, after, std::string(AuditStepName(step)));
  });
}

Expected<Audit> AuditService::PutReport(const Actor& actor, const OrgId& org, const AuditId& id,
                                        const AuditReport& report,
                                        std::optional<std::int64_t> expected_version) {
  CERTUS_CHECK(CheckCanWrite(actor));
  std::vector<FieldError> problems;
  for (std::size_t i = 0; i < report.distribution.size(); ++i) {
    auto role = CERTUS_TRY(identity_.RoleOf(org, report.distribution[i]));
    if (!role) {
      problems.push_back(
          {"distribution[" + std::to_string(i) + "]", "must be a member of the organization"});
    }
  }
  if (!problems.empty()) return Fail(Error::Validation(std::move(problems)));
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<Audit> {
    auto before = CERTUS_TRY(Load(tx, org, id));
    if (expected_version && before.version != *expected_version) return Fail(Stale("audit"));
    if (!Open(before.status)) {
      return Fail(ErrorCode::kConflict, NotOpen(before, "its report is written"));
    }
    Audit after = before;
    after.report = report;
    return WriteAudit(tx, actor, before, after, "report_update");
  });
}

// ------------------------------------------------------------------ auditors

Expected<std::vector<Auditor>> AuditService::ListAuditors(const Actor& actor, const OrgId& org,
                                                          const AuditId& id) {
  CERTUS_CHECK(CheckCanRead(actor));
  return storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) -> Expected<std::vector<Auditor>> {
        auto audit = CERTUS_TRY(Load(tx, org, id));
        return audit.auditors;
      });
}

Expected<AssignOutcome> AuditService::AddAuditor(
    const Actor& actor, const OrgId& org, const AuditId& id, const UserId& user, AuditorRole role,
    const std::optional<std::string>& waiver_justification) {
  CERTUS_CHECK(CheckCanWrite(actor));
  if (waiver_justification) CERTUS_CHECK(CheckCanManage(actor));
  if (!CERTUS_TRY(identity_.RoleOf(org, user))) {
    return Fail(Error::Field("user_id", "must be a member of the organization"));
  }
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<AssignOutcome> {
    auto audit = CERTUS_TRY(Load(tx, org, id));
    if (!Open(audit.status)) {
      return Fail(ErrorCode::kConflict, NotOpen(audit, "auditors are assigned"));
    }
    for (const auto& a : audit.auditors) {
      if (a.user_id == user) {
        return Fail(ErrorCode::kConflict, a.email + " is already an auditor of " + audit.ref + ".");
      }
      if (role == AuditorRole::kLead && a.role == AuditorRole::kLead) {
        return Fail(ErrorCode::kConflict, audit.ref + " already has a lead auditor (" + a.email +
                                              "); add this auditor as a member.");
      }
    }
    AssignOutcome outcome;
    auto conflicts = CERTUS_TRY(ConflictsOf(tx, audit, user));
    if (!conflicts.empty() && !waiver_justification) {
      outcome.conflicts = std::move(conflicts);
      return outcome;
    }
    Auditor auditor;
    auditor.id = NewUuid(clock_, random_);
    auditor.org_id = org;
    auditor.audit_id = id;
    auditor.user_id = user;
    auditor.role = role;
    auditor.added_by = actor.user_id;
    auditor.added_at = Now();
    // A waiver records the conflicts it waives; with none, there is nothing to waive.
    if (waiver_justification && !conflicts.empty()) {
      auditor.waiver = Waiver{*waiver_justification, actor.user_id, auditor.added_at, conflicts};
    }
    CERTUS_CHECK(store_.InsertAuditor(tx, auditor));
    for (auto& a : CERTUS_TRY(store_.AuditorsOf(tx, org, {id}))) {
      if (a.user_id == user) auditor = std::move(a);
    }
    CERTUS_CHECK(audit_log_.Append(
        tx, MakeEvent(actor, org, kAuditorType, auditor.id, "create", nullptr, ToJson(auditor))));
    outcome.auditor = std::move(auditor);
    return outcome;
  });
}

Expected<void> AuditService::RemoveAuditor(const Actor& actor, const OrgId& org, const AuditId& id,
                                           const UserId& user, std::int64_t expected_version) {
  CERTUS_CHECK(CheckCanWrite(actor));
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<void> {
    auto audit = CERTUS_TRY(Load(tx, org, id));
    auto it = std::find_if(audit.auditors.begin(), audit.auditors.end(),
                           [&](const Auditor& a) { return a.user_id == user; });
    if (it == audit.auditors.end()) return Fail(Error::NotFound("Auditor"));
    if (!Open(audit.status)) {
      return Fail(ErrorCode::kConflict, NotOpen(audit, "auditors are removed"));
    }
    if (it->version != expected_version ||
        !CERTUS_TRY(store_.DeleteAuditor(tx, org, id, user, expected_version))) {
      return Fail(Stale("auditor"));
    }
    CERTUS_CHECK(audit_log_.Append(
        tx, MakeEvent(actor, org, kAuditorType, it->id, "delete", ToJson(*it), nullptr)));
    return {};
  });
}

// ------------------------------------------------------------------ checklist

Expected<std::vector<ChecklistItem>> AuditService::Checklist(const Actor& actor, const OrgId& org,
                                                             const AuditId& id) {
  CERTUS_CHECK(CheckCanRead(actor));
  return storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) -> Expected<std::vector<ChecklistItem>> {
        CERTUS_TRY(Load(tx, org, id));
        return store_.ItemsOf(tx, org, id);
      });
}

Expected<std::vector<ChecklistItem>> AuditService::GenerateChecklist(const Actor& actor,
                                                                     const OrgId& org,
                                                                     const AuditId& id) {
  CERTUS_CHECK(CheckCanWrite(actor));
  return storage::InWriteTransaction(
      db_, [&](storage::Transaction& tx) -> Expected<std::vector<ChecklistItem>> {
        auto audit = CERTUS_TRY(Load(tx, org, id));
        if (!Open(audit.status)) {
          return Fail(ErrorCode::kConflict, NotOpen(audit, "the checklist is generated"));
        }
        auto items = CERTUS_TRY(store_.ItemsOf(tx, org, id));
        std::set<std::string> present;
        std::int64_t position = 0;
        for (const auto& item : items) {
          present.insert(item.requirement_ref);
          position = std::max(position, item.position);
        }
        const auto now = Now();
        auto add = [&](const std::string& ref, const std::string& kind,
                       std::optional<std::string> control_id, const std::string& title,
                       std::string question) -> Expected<void> {
          if (present.contains(ref)) return {};
          present.insert(ref);
          ChecklistItem item;
          item.id = ChecklistItemId(NewUuid(clock_, random_));
          item.org_id = org;
          item.audit_id = id;
          item.position = ++position;
          item.requirement_ref = ref;
          item.kind = kind;
          item.control_id = std::move(control_id);
          item.title = title;
          item.question = std::move(question);
          item.created_at = item.updated_at = now;
          CERTUS_CHECK(store_.InsertItem(tx, item));
          CERTUS_CHECK(audit_log_.Append(tx, MakeEvent(actor, org, kItemType, item.id.str(),
                                                       "create", nullptr, ToJson(item))));
          return {};
        };
        for (const auto& row : controls::Iso27001Catalog()) {
          if (row.kind != "requirement") continue;
          const bool in_scope =
              std::any_of(audit.clause_refs.begin(), audit.clause_refs.end(),
                          [&](const std::string& scope) { return Under(row.ref_id, scope); });
          if (!in_scope) continue;
          CERTUS_CHECK(add(row.ref_id, "requirement", std::nullopt, row.title,
                           "Is there evidence that the organization meets " + row.ref_id + " (" +
                               row.title + ")?"));
        }
        if (!audit.control_ids.empty()) {
          for (const auto& control : CERTUS_TRY(controls_.AllIn(tx, org))) {
            if (!Contains(audit.control_ids, control.id.str())) continue;
            CERTUS_CHECK(add(control.ref_id, "control", control.id.str(), control.title,
                             "Is there evidence that control " + control.ref_id + " (" +
                                 control.title +
                                 ") is implemented and operating as the Statement of "
                                 "Applicability states?"));
          }
        }
        return store_.ItemsOf(tx, org, id);
      });
}

Expected<ChecklistItem> AuditService::UpdateItem(const Actor& actor, const OrgId& org,
                                                 const AuditId& id, const ChecklistItemId& item_id,
                                                 const ChecklistPatch& patch,
                                                 std::int64_t expected_version) {
  CERTUS_CHECK(CheckCanWrite(actor));
  if (patch.evidence_links) {
    std::vector<FieldError> problems;
    for (std::size_t i = 0; i < patch.evidence_links->size(); ++i) {
      const auto& link = (*patch.evidence_links)[i];
      if (link.starts_with("https://") || link.starts_with("http://")) continue;
      auto found = evidence_.Get(actor, org, evidence::EvidenceId(link));
      if (!found) {
        if (found.error().code() != ErrorCode::kNotFound) return Fail(found.error());
        problems.push_back({"evidence_links[" + std::to_string(i) + "]",
                            "must be the id of evidence of the organization or an http(s) URL"});
      }
    }
    if (!problems.empty()) return Fail(Error::Validation(std::move(problems)));
  }
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<ChecklistItem> {
    auto audit = CERTUS_TRY(Load(tx, org, id));
    auto before = CERTUS_TRY(store_.FindItem(tx, org, id, item_id));
    if (!before) return Fail(Error::NotFound("Checklist item"));
    if (before->version != expected_version) return Fail(Stale("checklist item"));
    if (!Open(audit.status)) {
      return Fail(ErrorCode::kConflict, NotOpen(audit, "checklist results are recorded"));
    }
    ChecklistItem after = *before;
    if (patch.result) after.result = *patch.result;
    if (patch.notes) after.notes = *patch.notes;
    if (patch.evidence_links) after.evidence_links = *patch.evidence_links;
    after.version = before->version + 1;
    after.updated_at = Now();
    if (!CERTUS_TRY(store_.UpdateItem(tx, after, expected_version))) {
      return Fail(Stale("checklist item"));
    }
    CERTUS_CHECK(audit_log_.Append(tx, MakeEvent(actor, org, kItemType, after.id.str(), "update",
                                                 ToJson(*before), ToJson(after))));
    return after;
  });
}

// ------------------------------------------------------------------ findings

Expected<std::vector<Finding>> AuditService::Findings(const Actor& actor, const OrgId& org,
                                                      const AuditId& id) {
  CERTUS_CHECK(CheckCanRead(actor));
  return storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) -> Expected<std::vector<Finding>> {
        CERTUS_TRY(Load(tx, org, id));
        return store_.FindingsOf(tx, org, {id});
      });
}

Expected<Finding> AuditService::AddFinding(const Actor& actor, const OrgId& org, const AuditId& id,
                                           const NewFinding& input) {
  CERTUS_CHECK(CheckCanWrite(actor));
  std::vector<FieldError> problems;
  if (Blank(input.statement)) problems.push_back({"statement", "is required"});
  if (!input.requirement_ref.empty() && !improvement::IsRequirementRef(input.requirement_ref)) {
    problems.push_back({"requirement_ref",
                        "must be a clause of ISO 27001 (4 to 10, e.g. \"9.2.2\") or an Annex A "
                        "control (e.g. \"A.8.15\")"});
  }
  if (!problems.empty()) return Fail(Error::Validation(std::move(problems)));
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<Finding> {
    auto audit = CERTUS_TRY(Load(tx, org, id));
    if (audit.status != AuditStatus::kInProgress) {
      return Fail(ErrorCode::kConflict,
                  audit.ref + " is " + std::string(AuditStatusName(audit.status)) +
                      ": findings are recorded while the audit is in progress, from the evidence "
                      "it collects (ISO 27001 9.2.2 c); start the audit first.");
    }
    Finding finding;
    finding.id = FindingId(NewUuid(clock_, random_));
    finding.org_id = org;
    finding.audit_id = id;
    finding.number = CERTUS_TRY(storage::NextCounter(tx, org.str(), "audit_finding:" + id.str()));
    finding.ref = fmt::format("{}-F{:02}", audit.ref, finding.number);
    finding.type = input.type;
    finding.requirement_ref = input.requirement_ref;
    finding.statement = input.statement;
    finding.evidence = input.evidence;
    finding.created_by = actor.user_id;
    finding.created_at = Now();
    if (input.type == FindingType::kMajorNonconformity ||
        input.type == FindingType::kMinorNonconformity) {
      // ISO 27001 10.2: a nonconformity found by the internal audit is dealt with as one.
      improvement::NonconformityPatch details;
      details.title = Truncate(finding.ref + ": " + input.statement, 280);
      details.description = input.statement;
      if (!Blank(input.evidence)) *details.description += "\n\nAudit evidence: " + input.evidence;
      details.requirement_ref = input.requirement_ref;
      details.severity = input.type == FindingType::kMajorNonconformity
                             ? improvement::Severity::kMajor
                             : improvement::Severity::kMinor;
      auto nc = CERTUS_TRY(nonconformities_.CreateIn(
          tx, actor, org, improvement::Source::kInternalAudit, finding.ref, details));
      finding.nonconformity_id = nc.id.str();
      finding.nonconformity_ref = nc.ref;
    }
    CERTUS_CHECK(store_.InsertFinding(tx, finding));
    CERTUS_CHECK(audit_log_.Append(tx, MakeEvent(actor, org, kFindingType, finding.id.str(),
                                                 "create", nullptr, ToJson(finding))));
    return finding;
  });
}

// ------------------------------------------------------------------ report PDF

Expected<ExportedReport> AuditService::ReportPdf(const Actor& actor, const OrgId& org,
                                                 const AuditId& id) {
  CERTUS_CHECK(CheckCanRead(actor));
  reports::TableDocument table;
  std::string ref;
  CERTUS_CHECK(storage::InReadTransaction(db_, [&](storage::Transaction& tx) -> Expected<void> {
    auto audit = CERTUS_TRY(Load(tx, org, id));
    ref = audit.ref;
    auto items = CERTUS_TRY(store_.ItemsOf(tx, org, id));
    auto findings = CERTUS_TRY(store_.FindingsOf(tx, org, {id}));
    std::vector<UserId> users = audit.report.distribution;
    if (audit.reported_by) users.push_back(*audit.reported_by);
    for (const auto& a : audit.auditors) {
      if (a.waiver) users.push_back(a.waiver->by);
    }
    auto emails = CERTUS_TRY(store_.Emails(tx, users));
    auto email = [&](const UserId& user) {
      auto it = emails.find(user.str());
      return it == emails.end() ? user.str() : it->second;
    };
    std::vector<std::string> control_refs;
    if (!audit.control_ids.empty()) {
      std::vector<controls::ControlId> ids;
      for (const auto& c : audit.control_ids) ids.emplace_back(c);
      for (const auto& s : CERTUS_TRY(controls_.Summaries(tx, org, ids))) {
        control_refs.push_back(s.ref_id);
      }
      std::sort(control_refs.begin(), control_refs.end());
    }
    std::vector<std::string> document_refs;
    if (!audit.document_ids.empty()) {
      std::vector<documents::DocumentId> ids;
      for (const auto& d : audit.document_ids) ids.emplace_back(d);
      for (const auto& [document, versions] : CERTUS_TRY(documents_.WithVersionsIn(tx, org, ids))) {
        document_refs.push_back(document.ref + " " + document.title);
      }
    }
    std::vector<std::string> auditors;
    for (const auto& a : audit.auditors) {
      std::string line = a.email + " (" + std::string(AuditorRoleName(a.role)) + ")";
      if (a.waiver) line += " with a waiver of independence";
      auditors.push_back(line);
    }
    std::vector<std::string> distribution;
    for (const auto& u : audit.report.distribution) distribution.push_back(email(u));
    auto date = [](const std::optional<Date>& d) { return d ? FormatDate(*d) : std::string(); };
    table.title = audit.ref + " " + audit.title + ": internal audit report";
    table.facts = {
        {"Reference", audit.ref},
        {"Title", audit.title},
        {"Status", std::string(AuditStatusName(audit.status))},
        {"Planned", date(audit.planned_start) + " to " + date(audit.planned_end)},
        {"Criteria", audit.criteria},
        {"Clauses in scope", Join(audit.clause_refs)},
        {"Controls in scope", Join(control_refs)},
        {"Documents in scope", Join(document_refs)},
        {"Departments", Join(audit.departments)},
        {"Auditors", Join(auditors, "; ")},
        {"Summary", audit.report.summary},
        {"Conclusion", audit.report.conclusion},
        {"Distribution (ISO 27001 9.2.2 d)", Join(distribution)},
        {"Reported", audit.reported_on
                         ? date(audit.reported_on) + " by " + email(*audit.reported_by)
                         : "not yet"},
    };
    table.columns = {
        {"Section", 14}, {"Reference", 14}, {"Item", 60}, {"Result", 20}, {"Notes", 40}};
    for (const auto& a : audit.auditors) {
      if (!a.waiver) continue;
      std::vector<std::string> waived;
      for (const auto& c : a.waiver->conflicts) waived.push_back(c.ref + ": " + c.reason);
      table.rows.push_back({"Waiver", a.email,
                            "Independence waived by " + email(a.waiver->by) + " at " +
                                a.waiver->at + ": " + a.waiver->justification,
                            "waived", "Conflicts waived: " + Join(waived, "; ")});
    }
    for (const auto& item : items) {
      table.rows.push_back(
          {"Checklist", item.requirement_ref, item.question,
           item.result ? std::string(CheckResultName(*item.result)) : std::string("no result"),
           item.notes});
    }
    for (const auto& f : findings) {
      std::string notes = f.evidence;
      if (f.nonconformity_ref) {
        std::string prefix = "Nonconformity ";
        prefix += *f.nonconformity_ref;
        if (!notes.empty()) prefix += ". ";
        prefix += notes;
        notes = std::move(prefix);
      }
      table.rows.push_back({"Finding " + f.ref, f.requirement_ref, f.statement,
                            std::string(FindingTypeName(f.type)), notes});
    }
    if (table.rows.empty())
      table.rows.push_back({"", "", "No checklist items or findings", "", ""});
    return {};
  }));
  ExportedReport out;
  out.filename = ref + "-report.pdf";
  out.body = CERTUS_TRY(reports::WritePdf(table));
  return out;
}

// ------------------------------------------------------------------ programmes

Expected<Page<Programme>> AuditService::ListProgrammes(const Actor& actor, const OrgId& org,
                                                       const PageQuery& page) {
  CERTUS_CHECK(CheckCanRead(actor));
  return storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) { return store_.ListProgrammes(tx, org, page); });
}

Expected<Programme> AuditService::GetProgramme(const Actor& actor, const OrgId& org,
                                               const ProgrammeId& id) {
  CERTUS_CHECK(CheckCanRead(actor));
  auto programme = CERTUS_TRY(storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) { return store_.FindProgramme(tx, org, id); }));
  if (!programme) return Fail(Error::NotFound("Audit programme"));
  return *programme;
}

Expected<Programme> AuditService::CreateProgramme(const Actor& actor, const OrgId& org,
                                                  const ProgrammePatch& input) {
  CERTUS_CHECK(CheckCanManage(actor));
  std::vector<FieldError> problems;
  if (!input.name || Blank(*input.name)) problems.push_back({"name", "is required"});
  if (!input.cycle_start) problems.push_back({"cycle_start", "is required"});
  if (!input.cycle_end) problems.push_back({"cycle_end", "is required"});
  if (input.cycle_start && input.cycle_end &&
      std::chrono::sys_days(*input.cycle_end) <= std::chrono::sys_days(*input.cycle_start)) {
    problems.push_back({"cycle_end", "must be after cycle_start"});
  }
  if (input.owner_id && *input.owner_id && !CERTUS_TRY(identity_.RoleOf(org, **input.owner_id))) {
    problems.push_back({"owner_id", "must be a member of the organization"});
  }
  if (!problems.empty()) return Fail(Error::Validation(std::move(problems)));
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<Programme> {
    Programme p;
    p.id = ProgrammeId(NewUuid(clock_, random_));
    p.org_id = org;
    p.ref =
        fmt::format("PRG-{:02}", CERTUS_TRY(storage::NextCounter(tx, org.str(), kProgrammeType)));
    p.name = *input.name;
    p.cycle_start = *input.cycle_start;
    p.cycle_end = *input.cycle_end;
    p.objectives = input.objectives.value_or("");
    p.owner_id = input.owner_id.value_or(std::optional<UserId>(actor.user_id));
    p.created_at = p.updated_at = Now();
    CERTUS_CHECK(store_.InsertProgramme(tx, p));
    CERTUS_CHECK(audit_log_.Append(
        tx, MakeEvent(actor, org, kProgrammeType, p.id.str(), "create", nullptr, ToJson(p))));
    return p;
  });
}

Expected<Programme> AuditService::UpdateProgramme(const Actor& actor, const OrgId& org,
                                                  const ProgrammeId& id,
                                                  const ProgrammePatch& patch,
                                                  std::int64_t expected_version) {
  CERTUS_CHECK(CheckCanManage(actor));
  if (patch.name && Blank(*patch.name)) return Fail(Error::Field("name", "must not be empty"));
  if (patch.owner_id && *patch.owner_id && !CERTUS_TRY(identity_.RoleOf(org, **patch.owner_id))) {
    return Fail(Error::Field("owner_id", "must be a member of the organization"));
  }
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<Programme> {
    auto before = CERTUS_TRY(store_.FindProgramme(tx, org, id));
    if (!before) return Fail(Error::NotFound("Audit programme"));
    if (before->version != expected_version) return Fail(Stale("audit programme"));
    Programme after = *before;
    if (patch.name) after.name = *patch.name;
    if (patch.cycle_start) after.cycle_start = *patch.cycle_start;
    if (patch.cycle_end) after.cycle_end = *patch.cycle_end;
    if (patch.objectives) after.objectives = *patch.objectives;
    if (patch.owner_id) after.owner_id = *patch.owner_id;
    if (std::chrono::sys_days(after.cycle_end) <= std::chrono::sys_days(after.cycle_start)) {
      return Fail(Error::Field("cycle_end", "must be after cycle_start"));
    }
    after.version = before->version + 1;
    after.updated_at = Now();
    if (!CERTUS_TRY(store_.UpdateProgramme(tx, after, expected_version))) {
      return Fail(Stale("audit programme"));
    }
    CERTUS_CHECK(audit_log_.Append(tx, MakeEvent(actor, org, kProgrammeType, id.str(), "update",
                                                 ToJson(*before), ToJson(after))));
    return after;
  });
}

Expected<ProgrammeCoverage> AuditService::Coverage(const Actor& actor, const OrgId& org,
                                                   const ProgrammeId& id) {
  CERTUS_CHECK(CheckCanRead(actor));
  CERTUS_CHECK(controls_.Prepare(actor, org));
  return storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) -> Expected<ProgrammeCoverage> {
        auto programme = CERTUS_TRY(store_.FindProgramme(tx, org, id));
        if (!programme) return Fail(Error::NotFound("Audit programme"));
        ProgrammeCoverage coverage;
        coverage.programme = *programme;
        auto audits = CERTUS_TRY(store_.AuditsOf(tx, org, id));
        auto finish = [&](CoverageRow row) {
          bool audited = false;
          for (const auto& a : row.audits) {
            if (a.status == "reported" || a.status == "closed") audited = true;
          }
          row.status = audited ? "audited" : row.audits.empty() ? "unaudited" : "planned";
          if (audited) {
            ++coverage.audited;
          } else if (row.audits.empty()) {
            ++coverage.unaudited;
          } else {
            ++coverage.planned;
          }
          coverage.rows.push_back(std::move(row));
        };
        for (const auto& req : controls::Iso27001Catalog()) {
          if (req.kind != "requirement") continue;
          CoverageRow row{"requirement", req.ref_id, req.title, "", {}};
          for (const auto& a : audits) {
            const bool covers =
                std::any_of(a.clause_refs.begin(), a.clause_refs.end(),
                            [&](const std::string& scope) { return Under(req.ref_id, scope); });
            if (covers) {
              row.audits.push_back({a.id.str(), a.ref, std::string(AuditStatusName(a.status))});
            }
          }
          finish(std::move(row));
        }
        for (const auto& control : CERTUS_TRY(controls_.AllIn(tx, org))) {
          if (control.custom || control.applicable != std::optional<bool>(true)) continue;
          CoverageRow row{"control", control.ref_id, control.title, "", {}};
          for (const auto& a : audits) {
            if (Contains(a.control_ids, control.id.str())) {
              row.audits.push_back({a.id.str(), a.ref, std::string(AuditStatusName(a.status))});
            }
          }
          finish(std::move(row));
        }
        return coverage;
      });
}

Expected<std::vector<AuditResult>> AuditService::ResultsBetween(storage::Transaction& tx,
                                                                const OrgId& org,
                                                                const std::string& from_date,
                                                                const std::string& to_date) {
  auto audits = CERTUS_TRY(store_.ReportedBetween(tx, org, from_date, to_date));
  std::vector<AuditId> ids;
  ids.reserve(audits.size());
  for (const auto& a : audits) ids.push_back(a.id);
  auto findings = CERTUS_TRY(store_.FindingsOf(tx, org, ids));
  std::vector<AuditResult> out;
  for (const auto& a : audits) {
    AuditResult result{a.id,
                       a.ref,
                       a.title,
                       std::string(AuditStatusName(a.status)),
                       a.reported_on,
                       a.report.conclusion,
                       {}};
    for (const auto& type : FindingTypeNames()) result.findings_by_type[type] = 0;
    for (const auto& f : findings) {
      if (f.audit_id == a.id) ++result.findings_by_type[std::string(FindingTypeName(f.type))];
    }
    out.push_back(std::move(result));
  }
  return out;
}

}  // namespace certus::audits
