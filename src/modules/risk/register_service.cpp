#include "modules/risk/register_service.hpp"

#include <algorithm>
#include <set>

#include "core/uuid.hpp"
#include "modules/risk/register_json.hpp"
#include "storage/counters.hpp"

namespace certus::risk {

namespace {

constexpr const char* kRiskType = "risk";
constexpr const char* kTreatmentType = "treatment";

Expected<void> CheckCanRead(const Actor& actor) {
  if (!actor.role) return Fail(Error::NotFound("Organization"));
  return {};
}

/// Contributors write what they own; managers and admins write anything.
Expected<void> CheckCanWrite(const Actor& actor, bool owns, std::string_view what) {
  CERTUS_CHECK(CheckCanRead(actor));
  if (*actor.role >= Role::kManager) return {};
  if (*actor.role == Role::kContributor && owns) return {};
  return Fail(ErrorCode::kPermissionDenied,
              *actor.role == Role::kContributor
                  ? "Contributors may change only the " + std::string(what) + " they own."
                  : "Only contributors (for what they own), managers and admins may change " +
                        std::string(what) + ".");
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

std::optional<std::string> LevelOf(const MethodologyCriteria& criteria, std::int64_t score) {
  for (const auto& band : criteria.bands) {
    if (score >= band.min_score && score <= band.max_score) return band.name;
  }
  return std::nullopt;
}

std::string AddMonths(const std::string& date, std::int64_t months) {
  auto parsed = ParseDate(date);
  if (!parsed) return date;
  Date next = *parsed + std::chrono::months(months);
  if (!next.ok()) next = Date(next.year() / next.month() / std::chrono::last);
  return FormatDate(next);
}

bool AcceptanceCounts(const Risk& risk, const std::string& today) {
  return risk.acceptance && risk.acceptance->expires_on >= today;
}

}  // namespace

std::string RegisterService::Today() const { return FormatDate(DateOf(clock_.Now())); }

Expected<void> RegisterService::CheckMember(const OrgId& org, const UserId& user,
                                            const std::string& field) {
  auto role = CERTUS_TRY(identity_.RoleOf(org, user));
  if (!role) return Fail(Error::Field(field, "must be a member of the organization"));
  return {};
}

void RegisterService::Decorate(Risk& risk, const MethodologyCriteria& criteria) const {
  risk.above_threshold = risk.EffectiveScore() > criteria.acceptance_threshold;
  risk.acceptance_expired = risk.acceptance && !AcceptanceCounts(risk, Today());
}

Expected<Risk> RegisterService::Decorated(const Actor& actor, const OrgId& org, Risk risk) {
  auto state = CERTUS_TRY(methodology_.GetMethodology(actor, org));
  Decorate(risk, state.in_force.criteria);
  return risk;
}

// ------------------------------------------------------------------ risks

namespace {

void CheckRating(const std::string& field, std::optional<std::int64_t> value, std::int64_t max,
                 std::vector<FieldError>& problems) {
  if (value && (*value < 1 || *value > max)) {
    problems.push_back({field, "must be between 1 and " + std::to_string(max) +
                                   " (the scale of the methodology in force)"});
  }
}

}  // namespace

Expected<std::vector<FieldError>> RegisterService::RatingProblems(const Actor& actor,
                                                                  const OrgId& org,
                                                                  const RiskPatch& patch) {
  CERTUS_CHECK(CheckCanRead(actor));
  const auto state = CERTUS_TRY(methodology_.GetMethodology(actor, org));
  const auto likelihood_max =
      static_cast<std::int64_t>(state.in_force.criteria.likelihood_scale.size());
  const auto impact_max = static_cast<std::int64_t>(state.in_force.criteria.impact_scale.size());
  std::vector<FieldError> problems;
  CheckRating("likelihood", patch.likelihood, likelihood_max, problems);
  CheckRating("impact", patch.impact, impact_max, problems);
  CheckRating("residual_likelihood", patch.residual_likelihood.value_or(std::nullopt),
              likelihood_max, problems);
  CheckRating("residual_impact", patch.residual_impact.value_or(std::nullopt), impact_max,
              problems);
  return problems;
}

Expected<Page<Risk>> RegisterService::ListRisks(const Actor& actor, const OrgId& org,
                                                const RiskFilter& filter, const PageQuery& page) {
  CERTUS_CHECK(CheckCanRead(actor));
  // One read transaction: the methodology and the page are of the same moment.
  return storage::InReadTransaction(db_, [&](storage::Transaction& tx) -> Expected<Page<Risk>> {
    const auto criteria = CERTUS_TRY(methodology_.CriteriaIn(tx, org));
    auto result = CERTUS_TRY(store_.ListRisks(tx, org, filter, page));
    for (auto& risk : result.items) Decorate(risk, criteria);
    return result;
  });
}

Expected<Risk> RegisterService::GetRisk(const Actor& actor, const OrgId& org, const RiskId& id) {
  CERTUS_CHECK(CheckCanRead(actor));
  auto risk = CERTUS_TRY(storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) { return store_.FindRisk(tx, org, id); }));
  if (!risk) return Fail(Error::NotFound("Risk"));
  return Decorated(actor, org, std::move(*risk));
}

Expected<Risk> RegisterService::CreateRisk(const Actor& actor, const OrgId& org,
                                           const RiskPatch& input) {
  return WriteRisk(actor, org, std::nullopt, input, 1);
}

Expected<Risk> RegisterService::UpdateRisk(const Actor& actor, const OrgId& org, const RiskId& id,
                                           const RiskPatch& patch, std::int64_t expected_version) {
  return WriteRisk(actor, org, id, patch, expected_version);
}

Expected<Risk> RegisterService::WriteRisk(const Actor& actor, const OrgId& org,
                                          const std::optional<RiskId>& id, const RiskPatch& patch,
                                          std::int64_t expected_version) {
  CERTUS_CHECK(CheckCanRead(actor));
  if (patch.owner_id) {
    // A contributor cannot hand a risk to someone else: they could not take it back.
    CERTUS_CHECK(CheckCanWrite(actor, *patch.owner_id == actor.user_id, "risks"));
    CERTUS_CHECK(CheckMember(org, *patch.owner_id, "owner_id"));
  }
  const auto state = CERTUS_TRY(methodology_.GetMethodology(actor, org));
  const RiskWriteScope scope{state.in_force.criteria, Today()};
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<Risk> {
    return WriteRiskIn(tx, scope, actor, org, id, patch, expected_version);
  });
}

Expected<Risk> RegisterService::WriteRiskIn(storage::Transaction& tx, const RiskWriteScope& scope,
                                            const Actor& actor, const OrgId& org,
                                            const std::optional<RiskId>& id, const RiskPatch& patch,
                                            std::optional<std::int64_t> expected_version,
                                            std::optional<std::int64_t> reserved_number,
                                            RiskWriteBatch* batch) {
  const auto& criteria = scope.criteria;
  const auto& today = scope.today;
  const auto likelihood_max = static_cast<std::int64_t>(criteria.likelihood_scale.size());
  const auto impact_max = static_cast<std::int64_t>(criteria.impact_scale.size());
  std::optional<Risk> before;
  Risk after;
  if (id) {
    before = CERTUS_TRY(store_.FindRisk(tx, org, *id));
    if (!before) return Fail(Error::NotFound("Risk"));
    CERTUS_CHECK(CheckCanWrite(actor, before->owner_id == actor.user_id, "risks"));
    if (expected_version && before->version != *expected_version) return Fail(Stale("risk"));
    after = *before;
  }
  if (patch.title) after.title = *patch.title;
  if (patch.description) after.description = *patch.description;
  if (patch.threat) after.threat = *patch.threat;
  if (patch.vulnerability) after.vulnerability = *patch.vulnerability;
  if (patch.asset_ids) after.asset_ids = *patch.asset_ids;
  if (patch.control_ids) after.control_ids = *patch.control_ids;
  if (patch.owner_id) after.owner_id = *patch.owner_id;
  if (patch.likelihood) after.likelihood = *patch.likelihood;
  if (patch.impact) after.impact = *patch.impact;
  if (patch.treatment) after.treatment = *patch.treatment;
  if (patch.treatment_rationale) after.treatment_rationale = *patch.treatment_rationale;
  if (patch.transfer_to) after.transfer_to = *patch.transfer_to;
  if (patch.residual_likelihood) after.residual_likelihood = *patch.residual_likelihood;
  if (patch.residual_impact) after.residual_impact = *patch.residual_impact;
  if (patch.status) after.status = *patch.status;
  if (patch.last_assessed_on) after.last_assessed_on = *patch.last_assessed_on;
  if (patch.next_review_on) after.next_review_on = *patch.next_review_on;

  // Field validation against the methodology in force (ISO 27001 6.1.2 b: consistent,
  // comparable ratings), every problem at once.
  std::vector<FieldError> problems;
  CheckRating("likelihood", after.likelihood, likelihood_max, problems);
  CheckRating("impact", after.impact, impact_max, problems);
  CheckRating("residual_likelihood", after.residual_likelihood, likelihood_max, problems);
  CheckRating("residual_impact", after.residual_impact, impact_max, problems);
  if (after.residual_likelihood.has_value() != after.residual_impact.has_value()) {
    problems.push_back({after.residual_likelihood ? "residual_impact" : "residual_likelihood",
                        "must be set together with the other residual rating"});
  }
  std::set<std::string> unique_assets;
  for (const auto& asset : after.asset_ids) unique_assets.insert(asset.str());
  after.asset_ids.clear();
  for (const auto& asset : unique_assets) after.asset_ids.emplace_back(asset);
  // Links are checked when they change (foreign keys keep a linked asset or control).
  const bool assets_changed = !before || before->asset_ids != after.asset_ids;
  if (assets_changed && CERTUS_TRY(store_.CountAssets(tx, org, after.asset_ids)) !=
                            static_cast<std::int64_t>(after.asset_ids.size())) {
    problems.push_back({"asset_ids", "must be assets of this organization"});
  }
  std::set<std::string> unique_controls;
  for (const auto& control : after.control_ids) unique_controls.insert(control.str());
  after.control_ids.clear();
  for (const auto& control : unique_controls) after.control_ids.emplace_back(control);
  const bool controls_changed = !before || before->control_ids != after.control_ids;
  if (controls_changed && CERTUS_TRY(store_.CountControls(tx, org, after.control_ids)) !=
                              static_cast<std::int64_t>(after.control_ids.size())) {
    problems.push_back({"control_ids", "must be controls of this organization's SoA"});
  }
  if (!problems.empty()) return Fail(Error::Validation(std::move(problems)));

  // Computed, never taken from the client.
  after.inherent_score = criteria.Score(after.likelihood, after.impact);
  after.inherent_level = LevelOf(criteria, after.inherent_score).value_or("");
  if (after.residual_likelihood && after.residual_impact) {
    after.residual_score = criteria.Score(*after.residual_likelihood, *after.residual_impact);
    after.residual_level = LevelOf(criteria, *after.residual_score);
  } else {
    after.residual_score.reset();
    after.residual_level.reset();
  }
  const bool rated = !before || before->likelihood != after.likelihood ||
                     before->impact != after.impact ||
                     before->residual_score != after.residual_score;
  if (rated && !patch.last_assessed_on) after.last_assessed_on = today;
  if (after.last_assessed_on && !patch.next_review_on &&
      (!before || before->last_assessed_on != after.last_assessed_on)) {
    after.next_review_on =
        AddMonths(*after.last_assessed_on, criteria.reassessment_interval_months);
  }

  // The rules of ISO 27001 6.1.3, each checked when the change touches it.
  const bool treatment_changed = !before || before->treatment != after.treatment;
  if (after.treatment == TreatmentOption::kTransfer && after.transfer_to.empty() &&
      (treatment_changed || before->transfer_to != after.transfer_to)) {
    return Fail(ErrorCode::kConflict,
                "ISO 27001 6.1.3: a risk treated by transfer must name the party it is "
                "transferred to (transfer_to).");
  }
  // ISO 27001 6.1.3 c/d: a treatment relies only on controls the SoA includes.
  if (controls_changed) {
    const auto excluded = CERTUS_TRY(store_.ExcludedControls(tx, org, after.control_ids));
    if (!excluded.empty()) {
      std::string refs;
      for (const auto& ref : excluded) refs += (refs.empty() ? "" : ", ") + ref;
      return Fail(ErrorCode::kConflict,
                  "ISO 27001 6.1.3: a risk treatment cannot rely on controls the Statement of "
                  "Applicability excludes (" +
                      refs + "); decide them applicable first.");
    }
  }
  // ISO 27001 6.1.3 b: mitigation is done by controls (linked from the SoA) or by the
  // actions of the treatment plan; a mitigated risk keeps at least one of them.
  const bool controls_removed = before && !before->control_ids.empty() && after.control_ids.empty();
  if (after.treatment == TreatmentOption::kMitigate && (treatment_changed || controls_removed) &&
      after.control_ids.empty() &&
      (!id || CERTUS_TRY(store_.CountTreatments(tx, org, *id, false)) == 0)) {
    return Fail(ErrorCode::kConflict,
                "ISO 27001 6.1.3: a risk treated by mitigation needs at least one linked "
                "control or treatment action; link a control of the SoA or plan an action "
                "first.");
  }
  after.above_threshold = after.EffectiveScore() > criteria.acceptance_threshold;
  if (after.treatment == TreatmentOption::kAccept && after.above_threshold &&
      !AcceptanceCounts(after, today) &&
      (treatment_changed || before->EffectiveScore() != after.EffectiveScore())) {
    return Fail(ErrorCode::kConflict,
                "ISO 27001 6.1.3 f: accepting a risk scored above the acceptance threshold "
                "needs a current acceptance by its owner first (POST …/acceptance).");
  }
  if (after.status == RiskStatus::kClosed && (!before || before->status != RiskStatus::kClosed) &&
      id && CERTUS_TRY(store_.CountTreatments(tx, org, *id, true)) > 0) {
    return Fail(ErrorCode::kConflict,
                "ISO 27001 8.3: a risk with open treatment actions cannot be closed; complete "
                "or cancel them first.");
  }

  const auto now = FormatTimestamp(clock_.Now());
  after.updated_at = now;
  if (before) {
    after.version = before->version + 1;
    if (!CERTUS_TRY(store_.UpdateRisk(tx, *before, after))) return Fail(Stale("risk"));
  } else {
    after.id = RiskId(NewUuid(clock_, random_));
    after.org_id = org;
    after.ref = storage::FormatRef(
        "R", reserved_number ? *reserved_number
                             : CERTUS_TRY(storage::NextCounter(tx, org.str(), kRiskType)));
    after.created_at = now;
    if (batch) {
      batch->inserts.push_back(after);
    } else {
      CERTUS_CHECK(store_.InsertRisk(tx, after));
    }
  }
  Decorate(after, criteria);
  auto event = MakeEvent(actor, org, kRiskType, after.id.str(), before ? "update" : "create",
                         before ? ToJson(*before) : boost::json::value(nullptr), ToJson(after));
  if (batch) {
    batch->events.push_back(std::move(event));
  } else {
    CERTUS_CHECK(audit_log_.Append(tx, event));
  }
  return after;
}

Expected<void> RegisterService::DeleteRisk(const Actor& actor, const OrgId& org, const RiskId& id,
                                           std::int64_t expected_version) {
  CERTUS_CHECK(CheckCanRead(actor));
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<void> {
    auto before = CERTUS_TRY(store_.FindRisk(tx, org, id));
    if (!before) return Fail(Error::NotFound("Risk"));
    CERTUS_CHECK(CheckCanWrite(actor, before->owner_id == actor.user_id, "risks"));
    if (before->version != expected_version) return Fail(Stale("risk"));
    // ISO 27001 8.3: the treatment plan's records are retained; a risk that has them stays.
    if (CERTUS_TRY(store_.CountTreatments(tx, org, id, false)) > 0) {
      return Fail(ErrorCode::kConflict,
                  "ISO 27001 8.3: a risk with treatment actions cannot be deleted; the "
                  "treatment plan's records are retained. Close the risk instead.");
    }
    if (!CERTUS_TRY(store_.DeleteRisk(tx, org, id, expected_version))) return Fail(Stale("risk"));
    CERTUS_CHECK(audit_log_.Append(
        tx, MakeEvent(actor, org, kRiskType, id.str(), "delete", ToJson(*before), nullptr)));
    return {};
  });
}

Expected<Risk> RegisterService::AcceptRisk(const Actor& actor, const OrgId& org, const RiskId& id,
                                           const std::string& rationale, const Date& expires_on) {
  CERTUS_CHECK(CheckCanRead(actor));
  const auto today = Today();
  if (FormatDate(expires_on) <= today) {
    return Fail(Error::Field("expires_on", "must be a date after today"));
  }
  const auto state = CERTUS_TRY(methodology_.GetMethodology(actor, org));
  const auto& criteria = state.in_force.criteria;
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<Risk> {
    auto before = CERTUS_TRY(store_.FindRisk(tx, org, id));
    if (!before) return Fail(Error::NotFound("Risk"));
    // ISO 27001 6.1.3 f: risk owners approve the acceptance of residual risk; managers and
    // admins may record it on their behalf.
    if (*actor.role < Role::kManager && before->owner_id != actor.user_id) {
      return Fail(ErrorCode::kPermissionDenied,
                  "Only the risk owner, managers and admins may accept a risk.");
    }
    Risk after = *before;
    after.acceptance = Acceptance{actor.user_id.str(), actor.email, FormatTimestamp(clock_.Now()),
                                  rationale, FormatDate(expires_on)};
    after.version = before->version + 1;
    after.updated_at = after.acceptance->at;
    if (!CERTUS_TRY(store_.UpdateRisk(tx, *before, after))) return Fail(Stale("risk"));
    Decorate(after, criteria);
    CERTUS_CHECK(audit_log_.Append(
        tx, MakeEvent(actor, org, kRiskType, id.str(), "accept", ToJson(*before), ToJson(after))));
    return after;
  });
}

// ------------------------------------------------------------------ treatments

Expected<void> RegisterService::CheckActionControl(
    storage::Transaction& tx, const OrgId& org, const std::optional<controls::ControlId>& control) {
  // Like a risk's control_ids: only controls of this organization's SoA.
  if (control && CERTUS_TRY(store_.CountControls(tx, org, {*control})) != 1) {
    return Fail(Error::Field("control_id", "must be a control of this organization's SoA"));
  }
  return {};
}

Expected<Page<Treatment>> RegisterService::ListTreatments(const Actor& actor, const OrgId& org,
                                                          TreatmentFilter filter, bool overdue,
                                                          const PageQuery& page) {
  CERTUS_CHECK(CheckCanRead(actor));
  if (overdue) filter.overdue_before = Today();
  return storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) { return store_.ListTreatments(tx, org, filter, page); });
}

Expected<Treatment> RegisterService::GetTreatment(const Actor& actor, const OrgId& org,
                                                  const TreatmentId& id) {
  CERTUS_CHECK(CheckCanRead(actor));
  auto treatment = CERTUS_TRY(storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) { return store_.FindTreatment(tx, org, id); }));
  if (!treatment) return Fail(Error::NotFound("Treatment action"));
  return *treatment;
}

Expected<Treatment> RegisterService::CreateTreatment(const Actor& actor, const OrgId& org,
                                                     const TreatmentPatch& input) {
  CERTUS_CHECK(CheckCanRead(actor));
  if (input.owner_id && *input.owner_id)
    CERTUS_CHECK(CheckMember(org, **input.owner_id, "owner_id"));
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<Treatment> {
    auto risk = CERTUS_TRY(store_.FindRisk(tx, org, *input.risk_id));
    if (!risk) return Fail(Error::Field("risk_id", "must be a risk of this organization"));
    Treatment t;
    t.owner_id = input.owner_id.value_or(std::nullopt);
    CERTUS_CHECK(CheckCanWrite(
        actor, risk->owner_id == actor.user_id || (t.owner_id && *t.owner_id == actor.user_id),
        "treatment actions (or actions of risks)"));
    t.id = TreatmentId(NewUuid(clock_, random_));
    t.org_id = org;
    t.ref =
        storage::FormatRef("T", CERTUS_TRY(storage::NextCounter(tx, org.str(), kTreatmentType)));
    t.risk_id = *input.risk_id;
    t.title = *input.title;
    t.description = input.description.value_or("");
    t.due_on = input.due_on.value_or(std::nullopt);
    t.status = input.status.value_or(ActionStatus::kPlanned);
    t.completion_note = input.completion_note.value_or("");
    t.control_id = input.control_id.value_or(std::nullopt);
    CERTUS_CHECK(CheckActionControl(tx, org, t.control_id));
    t.created_at = t.updated_at = FormatTimestamp(clock_.Now());
    CERTUS_CHECK(store_.InsertTreatment(tx, t));
    CERTUS_CHECK(audit_log_.Append(
        tx, MakeEvent(actor, org, kTreatmentType, t.id.str(), "create", nullptr, ToJson(t))));
    return t;
  });
}

Expected<Treatment> RegisterService::UpdateTreatment(const Actor& actor, const OrgId& org,
                                                     const TreatmentId& id,
                                                     const TreatmentPatch& patch,
                                                     std::int64_t expected_version) {
  CERTUS_CHECK(CheckCanRead(actor));
  if (patch.owner_id && *patch.owner_id)
    CERTUS_CHECK(CheckMember(org, **patch.owner_id, "owner_id"));
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<Treatment> {
    auto before = CERTUS_TRY(store_.FindTreatment(tx, org, id));
    if (!before) return Fail(Error::NotFound("Treatment action"));
    auto risk = CERTUS_TRY(store_.FindRisk(tx, org, before->risk_id));
    const bool owns = (risk && risk->owner_id == actor.user_id) ||
                      (before->owner_id && *before->owner_id == actor.user_id);
    CERTUS_CHECK(CheckCanWrite(actor, owns, "treatment actions (or actions of risks)"));
    if (before->version != expected_version) return Fail(Stale("treatment action"));
    Treatment after = *before;
    if (patch.risk_id && *patch.risk_id != before->risk_id) {
      if (!CERTUS_TRY(store_.FindRisk(tx, org, *patch.risk_id))) {
        return Fail(Error::Field("risk_id", "must be a risk of this organization"));
      }
      after.risk_id = *patch.risk_id;
    }
    if (patch.title) after.title = *patch.title;
    if (patch.description) after.description = *patch.description;
    if (patch.owner_id) after.owner_id = *patch.owner_id;
    if (patch.due_on) after.due_on = *patch.due_on;
    if (patch.status) after.status = *patch.status;
    if (patch.completion_note) after.completion_note = *patch.completion_note;
    if (patch.control_id) {
      after.control_id = *patch.control_id;
      if (after.control_id != before->control_id) {
        CERTUS_CHECK(CheckActionControl(tx, org, after.control_id));
      }
    }
    after.version = before->version + 1;
    after.updated_at = FormatTimestamp(clock_.Now());
    if (!CERTUS_TRY(store_.UpdateTreatment(tx, after, expected_version))) {
      return Fail(Stale("treatment action"));
    }
    CERTUS_CHECK(audit_log_.Append(tx, MakeEvent(actor, org, kTreatmentType, id.str(), "update",
                                                 ToJson(*before), ToJson(after))));
    return after;
  });
}

Expected<void> RegisterService::DeleteTreatment(const Actor& actor, const OrgId& org,
                                                const TreatmentId& id,
                                                std::int64_t expected_version) {
  CERTUS_CHECK(CheckCanRead(actor));
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<void> {
    auto before = CERTUS_TRY(store_.FindTreatment(tx, org, id));
    if (!before) return Fail(Error::NotFound("Treatment action"));
    auto risk = CERTUS_TRY(store_.FindRisk(tx, org, before->risk_id));
    const bool owns = (risk && risk->owner_id == actor.user_id) ||
                      (before->owner_id && *before->owner_id == actor.user_id);
    CERTUS_CHECK(CheckCanWrite(actor, owns, "treatment actions (or actions of risks)"));
    if (before->version != expected_version) return Fail(Stale("treatment action"));
    if (!CERTUS_TRY(store_.DeleteTreatment(tx, org, id, expected_version))) {
      return Fail(Stale("treatment action"));
    }
    CERTUS_CHECK(audit_log_.Append(
        tx, MakeEvent(actor, org, kTreatmentType, id.str(), "delete", ToJson(*before), nullptr)));
    return {};
  });
}

Expected<std::vector<Risk>> RegisterService::RisksIn(storage::Transaction& tx, const OrgId& org) {
  std::vector<Risk> risks;
  PageQuery page;
  page.sort = "ref";
  page.limit = 1000;
  while (true) {
    auto result = CERTUS_TRY(store_.ListRisks(tx, org, RiskFilter{}, page));
    for (auto& risk : result.items) risks.push_back(std::move(risk));
    if (!result.next) break;
    page.after = result.next;
  }
  return risks;
}

Expected<std::vector<Treatment>> RegisterService::TreatmentsIn(storage::Transaction& tx,
                                                               const OrgId& org,
                                                               const std::vector<RiskId>& risks) {
  if (risks.empty()) return std::vector<Treatment>{};
  return store_.TreatmentsOf(tx, org, risks);
}

}  // namespace certus::risk
