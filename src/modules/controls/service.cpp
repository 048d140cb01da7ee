#include "modules/controls/service.hpp"

#include <algorithm>
#include <set>

#include <boost/json.hpp>

#include "core/time.hpp"
#include "core/uuid.hpp"
#include "modules/controls/catalog.hpp"
#include "modules/controls/json.hpp"

namespace certus::controls {

namespace {

constexpr const char* kControlType = "control";

Expected<void> CheckCanRead(const Actor& actor) {
  if (!actor.role) return Fail(Error::NotFound("Organization"));
  return {};
}

/// Contributors write the controls they own; managers and admins write every row.
Expected<void> CheckCanWrite(const Actor& actor, bool owns) {
  CERTUS_CHECK(CheckCanRead(actor));
  if (*actor.role >= Role::kManager) return {};
  if (*actor.role == Role::kContributor && owns) return {};
  return Fail(ErrorCode::kPermissionDenied,
              *actor.role == Role::kContributor
                  ? "Contributors may change only the controls they own."
                  : "Only contributors (for the controls they own), managers and admins may "
                    "change the Statement of Applicability.");
}

Error Stale() {
  return {ErrorCode::kPreconditionFailed,
          "Someone else changed this control since you read it; reload it and try again."};
}

auditlog::Event MakeEvent(const Actor& actor, const OrgId& org, std::string type, std::string id,
                          std::string action, boost::json::value before, boost::json::value after) {
  return {org.str(),         actor.user_id.str(), actor.email,      std::move(type), std::move(id),
          std::move(action), std::move(before),   std::move(after), actor.request_id};
}

bool Blank(const std::string& text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

std::string RiskRefs(const Control& control) {
  std::string refs;
  for (const auto& risk : control.risks) {
    if (!refs.empty()) refs += ", ";
    refs += risk.ref;
  }
  return refs;
}

std::string EvidenceRefs(const Control& control) {
  std::string refs;
  for (const auto& item : control.evidence) {
    if (!refs.empty()) refs += ", ";
    refs += item.ref;
  }
  return refs;
}

/// Applies `patch` to `control` and checks the rules of a row on the result, every field
/// problem at once.
Expected<void> ApplyPatch(Control& control, const ControlPatch& patch) {
  std::vector<FieldError> problems;
  if (patch.title && *patch.title != control.title) {
    if (control.custom) {
      control.title = *patch.title;
    } else {
      problems.push_back({"title", "is the title of the Annex A control and cannot change"});
    }
  }
  if (patch.applicable) control.applicable = *patch.applicable;
  if (patch.justification) control.justification = *patch.justification;
  if (patch.inclusion_reasons) {
    std::vector<std::string> reasons;
    for (const auto& reason : *patch.inclusion_reasons) {
      if (reason == kRiskTreatmentReason) {
        problems.push_back({"inclusion_reasons",
                            "must not contain risk_treatment: it is derived from linked risks"});
        break;
      }
      if (std::find(reasons.begin(), reasons.end(), reason) == reasons.end()) {
        reasons.push_back(reason);
      }
    }
    control.inclusion_reasons = std::move(reasons);
  }
  if (patch.implementation_status) control.implementation_status = *patch.implementation_status;
  if (patch.owner_id) control.owner_id = *patch.owner_id;
  if (patch.implementation) control.implementation = *patch.implementation;
  if (patch.last_reviewed_on) control.last_reviewed_on = *patch.last_reviewed_on;
  // ISO 27001 6.1.3 d: the SoA justifies both the inclusion and the exclusion of controls.
  if (control.applicable && Blank(control.justification)) {
    problems.push_back({"justification", *control.applicable
                                             ? "must say why the control is included"
                                             : "must say why the control is excluded"});
  }
  if (!problems.empty()) return Fail(Error::Validation(std::move(problems)));
  return {};
}

}  // namespace

Expected<void> ControlService::EnsureSeeded(const Actor& actor, const OrgId& org) {
  CERTUS_CHECK(CheckCanRead(actor));
  const std::string framework(kIso27001Id);
  const bool seeded = CERTUS_TRY(storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) { return store_.HasFrameworkRows(tx, org, framework); }));
  if (seeded) return {};
  // ISO 27001 6.1.3 d: the SoA contains every Annex A control. Created in one transaction;
  // when two requests race, the second one's inserts do nothing and it records nothing.
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<void> {
    const auto now = FormatTimestamp(clock_.Now());
    std::vector<Control> created;
    for (const auto& row : Iso27001Catalog()) {
      if (row.kind != "control") continue;
      Control control;
      control.id = ControlId(NewUuid(clock_, random_));
      control.org_id = org;
      control.ref_id = row.ref_id;
      control.title = row.title;
      control.framework_id = framework;
      control.theme = row.theme;
      control.sort_key = NaturalSortKey(row.ref_id);
      control.created_at = control.updated_at = now;
      if (CERTUS_TRY(store_.InsertIfAbsent(tx, control))) created.push_back(std::move(control));
    }
    if (created.empty()) return {};
    for (const auto& control : created) {
      CERTUS_CHECK(audit_log_.Append(tx, MakeEvent(actor, org, kControlType, control.id.str(),
                                                   "create", nullptr, ToJson(control))));
    }
    return audit_log_.Append(
        tx, MakeEvent(actor, org, "soa", org.str(), "initialized", nullptr,
                      boost::json::object{{"framework_id", framework},
                                          {"rows", static_cast<std::int64_t>(created.size())}}));
  });
}

Expected<void> ControlService::CheckOwner(const OrgId& org, const std::optional<UserId>& owner) {
  if (!owner) return {};
  if (!CERTUS_TRY(identity_.RoleOf(org, *owner))) {
    return Fail(Error::Field("owner_id", "must be a member of the organization"));
  }
  return {};
}

Expected<std::optional<Control>> ControlService::Find(storage::Transaction& tx, const OrgId& org,
                                                      const ControlId& id) {
  auto control = CERTUS_TRY(store_.Find(tx, org, id));
  if (!control) return std::nullopt;
  std::vector<Control> found{std::move(*control)};
  CERTUS_CHECK(LoadEvidence(tx, org, found));
  return std::move(found[0]);
}

Expected<std::vector<Control>> ControlService::ListAll(storage::Transaction& tx, const OrgId& org) {
  auto controls = CERTUS_TRY(store_.ListAll(tx, org));
  CERTUS_CHECK(LoadEvidence(tx, org, controls));
  return controls;
}

Expected<void> ControlService::LoadEvidence(storage::Transaction& tx, const OrgId& org,
                                            std::vector<Control>& controls) {
  if (evidence_ == nullptr || controls.empty()) return {};
  std::vector<ControlId> ids;
  ids.reserve(controls.size());
  for (const auto& control : controls) ids.push_back(control.id);
  auto linked = CERTUS_TRY(evidence_->ForControls(tx, org, ids));
  for (auto& control : controls) {
    auto it = linked.find(control.id);
    if (it == linked.end())
      control.evidence.clear();
    else
      control.evidence = std::move(it->second);
  }
  return {};
}

Expected<std::vector<ControlSummary>> ControlService::Summaries(storage::Transaction& tx,
                                                                const OrgId& org,
                                                                const std::vector<ControlId>& ids) {
  return store_.Summaries(tx, org, ids);
}

Expected<Page<Control>> ControlService::List(const Actor& actor, const OrgId& org,
                                             const ControlFilter& filter, const PageQuery& page) {
  CERTUS_CHECK(EnsureSeeded(actor, org));
  return storage::InReadTransaction(db_, [&](storage::Transaction& tx) -> Expected<Page<Control>> {
    auto out = CERTUS_TRY(store_.List(tx, org, filter, page));
    CERTUS_CHECK(LoadEvidence(tx, org, out.items));
    return out;
  });
}

Expected<Control> ControlService::Get(const Actor& actor, const OrgId& org, const ControlId& id) {
  CERTUS_CHECK(EnsureSeeded(actor, org));
  auto control = CERTUS_TRY(
      storage::InReadTransaction(db_, [&](storage::Transaction& tx) { return Find(tx, org, id); }));
  if (!control) return Fail(Error::NotFound("Control"));
  return std::move(*control);
}

Expected<Control> ControlService::Create(const Actor& actor, const OrgId& org,
                                         const ControlPatch& input) {
  CERTUS_CHECK(EnsureSeeded(actor, org));
  const auto owner = input.owner_id.value_or(std::nullopt);
  // A contributor creates controls they own, so that they can go on changing them.
  CERTUS_CHECK(CheckCanWrite(actor, owner && *owner == actor.user_id));
  CERTUS_CHECK(CheckOwner(org, owner));
  Control control;
  control.custom = true;
  control.ref_id = input.ref_id.value_or("");
  control.title = input.title.value_or("");
  ControlPatch rest = input;
  rest.title.reset();
  CERTUS_CHECK(ApplyPatch(control, rest));
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<Control> {
    if (CERTUS_TRY(store_.FindByRef(tx, org, control.ref_id))) {
      return Fail(ErrorCode::kConflict,
                  "A control with ref_id " + control.ref_id + " already exists.");
    }
    control.id = ControlId(NewUuid(clock_, random_));
    control.org_id = org;
    control.sort_key = NaturalSortKey(control.ref_id);
    control.created_at = control.updated_at = FormatTimestamp(clock_.Now());
    if (!CERTUS_TRY(store_.InsertIfAbsent(tx, control))) {
      return Fail(ErrorCode::kConflict,
                  "A control with ref_id " + control.ref_id + " already exists.");
    }
    auto stored = CERTUS_TRY(store_.Find(tx, org, control.id));
    if (!stored) return Fail(Error::Internal("control vanished after insert"));
    CERTUS_CHECK(audit_log_.Append(tx, MakeEvent(actor, org, kControlType, control.id.str(),
                                                 "create", nullptr, ToJson(*stored))));
    return std::move(*stored);
  });
}

Expected<Control> ControlService::Update(const Actor& actor, const OrgId& org, const ControlId& id,
                                         const ControlPatch& patch, std::int64_t expected_version) {
  CERTUS_CHECK(EnsureSeeded(actor, org));
  if (patch.owner_id) {
    // A contributor cannot hand a control to someone else: they could not take it back.
    CERTUS_CHECK(CheckCanWrite(actor, *patch.owner_id && **patch.owner_id == actor.user_id));
    CERTUS_CHECK(CheckOwner(org, *patch.owner_id));
  }
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<Control> {
    auto before = CERTUS_TRY(Find(tx, org, id));
    if (!before) return Fail(Error::NotFound("Control"));
    CERTUS_CHECK(CheckCanWrite(actor, before->owner_id && *before->owner_id == actor.user_id));
    if (before->version != expected_version) return Fail(Stale());
    Control after = *before;
    CERTUS_CHECK(ApplyPatch(after, patch));
    // ISO 27001 6.1.3 b, d: a control that treats risks is necessary; it cannot be excluded
    // while the risk treatment relies on it.
    if (after.applicable == false && before->applicable != false && !before->risks.empty()) {
      return Fail(ErrorCode::kConflict,
                  "ISO 27001 6.1.3: " + before->ref_id +
                      " cannot be excluded while risks rely on it for their treatment (" +
                      RiskRefs(*before) + "); unlink it from those risks first.");
    }
    after.version = before->version + 1;
    after.updated_at = FormatTimestamp(clock_.Now());
    if (!CERTUS_TRY(store_.Update(tx, after, expected_version))) return Fail(Stale());
    auto stored = CERTUS_TRY(Find(tx, org, id));
    if (!stored) return Fail(Stale());
    CERTUS_CHECK(audit_log_.Append(tx, MakeEvent(actor, org, kControlType, id.str(), "update",
                                                 ToJson(*before), ToJson(*stored))));
    return std::move(*stored);
  });
}

Expected<void> ControlService::Delete(const Actor& actor, const OrgId& org, const ControlId& id,
                                      std::int64_t expected_version) {
  CERTUS_CHECK(EnsureSeeded(actor, org));
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<void> {
    auto before = CERTUS_TRY(Find(tx, org, id));
    if (!before) return Fail(Error::NotFound("Control"));
    CERTUS_CHECK(CheckCanWrite(actor, before->owner_id && *before->owner_id == actor.user_id));
    if (before->version != expected_version) return Fail(Stale());
    if (!before->custom) {
      return Fail(ErrorCode::kConflict,
                  "ISO 27001 6.1.3 d: the Statement of Applicability lists every Annex A "
                  "control; " +
                      before->ref_id +
                      " cannot be deleted. Exclude it with a justification instead.");
    }
    if (!before->risks.empty()) {
      return Fail(ErrorCode::kConflict, "ISO 27001 6.1.3 c: " + before->ref_id +
                                            " cannot be deleted while risks link it (" +
                                            RiskRefs(*before) + "); unlink it first.");
    }
    // ISO 27001 7.5.3: evidence stays retrievable with what it shows; a control that
    // evidence names (archived evidence too) cannot disappear from under it.
    if (!before->evidence.empty()) {
      return Fail(ErrorCode::kConflict, before->ref_id +
                                            " cannot be deleted while evidence links it (" +
                                            EvidenceRefs(*before) + "); unlink it first.");
    }
    if (!CERTUS_TRY(store_.Delete(tx, org, id, expected_version))) return Fail(Stale());
    CERTUS_CHECK(audit_log_.Append(
        tx, MakeEvent(actor, org, kControlType, id.str(), "delete", ToJson(*before), nullptr)));
    return {};
  });
}

Expected<void> ControlService::Prepare(const Actor& actor, const OrgId& org) {
  return EnsureSeeded(actor, org);
}

Expected<std::vector<Control>> ControlService::AllIn(storage::Transaction& tx, const OrgId& org) {
  return store_.ListAll(tx, org);
}

}  // namespace certus::controls
