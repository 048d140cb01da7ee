#include "modules/risk/service.hpp"

#include <algorithm>

#include "core/time.hpp"
#include "core/uuid.hpp"
#include "modules/risk/json.hpp"
#include "storage/counters.hpp"

namespace certus::risk {

namespace {

constexpr const char* kMethodologyType = "risk_methodology";
constexpr const char* kAssetType = "asset";

Expected<void> CheckCanRead(const Actor& actor) {
  if (!actor.role) return Fail(Error::NotFound("Organization"));
  return {};
}

Expected<void> CheckIsManager(const Actor& actor, std::string_view what) {
  CERTUS_CHECK(CheckCanRead(actor));
  if (*actor.role < Role::kManager) {
    return Fail(ErrorCode::kPermissionDenied,
                "Only managers and admins may " + std::string(what) + ".");
  }
  return {};
}

/// Contributors write the assets they own; managers and admins write any.
Expected<void> CheckCanWriteAsset(const Actor& actor, const UserId& owner) {
  CERTUS_CHECK(CheckCanRead(actor));
  if (*actor.role >= Role::kManager) return {};
  if (*actor.role == Role::kContributor && owner == actor.user_id) return {};
  return Fail(ErrorCode::kPermissionDenied,
              *actor.role == Role::kContributor
                  ? "Contributors may change only the assets they own."
                  : "Only contributors (for their own assets), managers and admins may change "
                    "assets.");
}

Error StaleAsset() {
  return {ErrorCode::kPreconditionFailed,
          "Someone else changed this asset since you read it; reload it and try again."};
}

Error StaleMethodology() {
  return {ErrorCode::kPreconditionFailed,
          "Someone else changed the risk methodology since you read it; reload it and try "
          "again."};
}

auditlog::Event MakeEvent(const Actor& actor, const OrgId& org, std::string type, std::string id,
                          std::string action, boost::json::value before, boost::json::value after) {
  return {org.str(),         actor.user_id.str(), actor.email,      std::move(type), std::move(id),
          std::move(action), std::move(before),   std::move(after), actor.request_id};
}

bool IsColour(const std::string& text) {
  if (text.size() != 7 || text[0] != '#') return false;
  return std::all_of(text.begin() + 1, text.end(),
                     [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; });
}

/// A matrix has one row per likelihood level and one score per impact level, and never
/// scores a higher likelihood or impact lower (6.1.2 b: comparable results).
void CheckMatrix(const MethodologyCriteria& criteria, std::vector<FieldError>& problems) {
  if (criteria.scoring != Scoring::kMatrix) {
    if (!criteria.matrix.empty()) {
      problems.push_back({"matrix", "is only used with scoring \"matrix\""});
    }
    return;
  }
  const std::size_t rows = criteria.likelihood_scale.size();
  const std::size_t columns = criteria.impact_scale.size();
  bool shape_ok = criteria.matrix.size() == rows;
  for (const auto& row : criteria.matrix) shape_ok = shape_ok && row.size() == columns;
  if (!shape_ok) {
    problems.push_back({"matrix", "must have " + std::to_string(rows) + " rows (likelihood) of " +
                                      std::to_string(columns) + " scores (impact)"});
    return;
  }
  for (std::size_t l = 0; l < rows; ++l) {
    for (std::size_t i = 0; i < columns; ++i) {
      const std::int64_t score = criteria.matrix[l][i];
      if ((l > 0 && score < criteria.matrix[l - 1][i]) ||
          (i > 0 && score < criteria.matrix[l][i - 1])) {
        problems.push_back({"matrix", "must not score a higher likelihood or impact lower"});
        return;
      }
    }
  }
}

void CheckScale(const std::string& field, const std::vector<ScaleLevel>& scale,
                std::vector<FieldError>& problems) {
  if (scale.size() < 3 || scale.size() > 10) {
    problems.push_back({field, "must have 3 to 10 levels"});
    return;
  }
  for (std::size_t i = 0; i < scale.size(); ++i) {
    auto at = field + "[" + std::to_string(i) + "]";
    if (scale[i].value != static_cast<std::int64_t>(i + 1)) {
      problems.push_back(
          {at + ".value", "must be " + std::to_string(i + 1) + ": values run 1..n in order"});
    }
    if (scale[i].label.empty()) problems.push_back({at + ".label", "must not be empty"});
  }
}

}  // namespace

MethodologyCriteria RiskService::DefaultCriteria() {
  MethodologyCriteria criteria;
  criteria.likelihood_scale = {
      {1, "Rare", "May occur only in exceptional circumstances (less than once in 10 years)."},
      {2, "Unlikely", "Could occur at some time (once in 3 to 10 years)."},
      {3, "Possible", "Might occur (once in 1 to 3 years)."},
      {4, "Likely", "Will probably occur (about once a year)."},
      {5, "Almost certain", "Expected to occur several times a year."}};
  criteria.impact_scale = {
      {1, "Negligible", "No noticeable effect on operations, customers or compliance."},
      {2, "Minor", "Limited, quickly recovered effect; no external consequences."},
      {3, "Moderate", "Noticeable disruption or data exposure; some customers affected."},
      {4, "Major", "Serious disruption, regulatory breach or significant financial loss."},
      {5, "Severe", "Threatens the organization's continuity or causes lasting harm."}};
  criteria.scoring = Scoring::kProduct;
  criteria.bands = {{"Low", 1, 4, "#2e7d32"},
                    {"Medium", 5, 9, "#f9a825"},
                    {"High", 10, 16, "#ef6c00"},
                    {"Critical", 17, 25, "#c62828"}};
  criteria.acceptance_threshold = 8;
  criteria.reassessment_interval_months = 12;
  return criteria;
}

std::vector<FieldError> RiskService::CriteriaProblems(const MethodologyCriteria& criteria) {
  std::vector<FieldError> problems;
  CheckScale("likelihood_scale", criteria.likelihood_scale, problems);
  CheckScale("impact_scale", criteria.impact_scale, problems);
  CheckMatrix(criteria, problems);
  const std::int64_t max_score = criteria.MaxScore();
  const bool scales_ok = problems.empty();

  // ISO 27001 6.1.2 a: the criteria must give consistent results, so every possible score
  // falls in exactly one band.
  if (criteria.bands.empty()) {
    problems.push_back({"bands", "must have at least one band"});
  } else {
    bool bands_ok = true;
    for (std::size_t i = 0; i < criteria.bands.size(); ++i) {
      const auto& band = criteria.bands[i];
      auto at = "bands[" + std::to_string(i) + "]";
      if (band.name.empty()) problems.push_back({at + ".name", "must not be empty"});
      if (!IsColour(band.colour)) {
        problems.push_back({at + ".colour", "must be a colour like #1a2b3c"});
      }
      if (band.min_score > band.max_score) {
        problems.push_back({at + ".max_score", "must not be below min_score"});
        bands_ok = false;
      }
    }
    if (bands_ok && scales_ok) {
      auto bands = criteria.bands;
      std::sort(bands.begin(), bands.end(),
                [](const Band& a, const Band& b) { return a.min_score < b.min_score; });
      std::int64_t next = 1;
      for (const auto& band : bands) {
        if (band.min_score != next) {
          bands_ok = false;
          break;
        }
        next = band.max_score + 1;
      }
      if (!bands_ok || next != max_score + 1) {
        problems.push_back({"bands", "must cover the scores 1 to " + std::to_string(max_score) +
                                         " without gaps or overlaps"});
      }
    }
  }
  if (scales_ok &&
      (criteria.acceptance_threshold < 1 || criteria.acceptance_threshold > max_score)) {
    problems.push_back(
        {"acceptance_threshold", "must be between 1 and " + std::to_string(max_score)});
  }
  if (criteria.reassessment_interval_months < 1 || criteria.reassessment_interval_months > 60) {
    problems.push_back({"reassessment_interval_months", "must be between 1 and 60"});
  }
  return problems;
}

Expected<MethodologyState> RiskService::LoadOrCreate(storage::Transaction& tx, const OrgId& org) {
  auto versions = CERTUS_TRY(store_.ListMethodologies(tx, org));
  if (versions.empty()) {
    // Every organization starts with an approved default, created by the system.
    Methodology m;
    m.id = MethodologyId(NewUuid(clock_, random_));
    m.org_id = org;
    m.version = 1;
    m.status = MethodologyStatus::kApproved;
    m.criteria = DefaultCriteria();
    m.created_by_email = "system";
    m.approved_by_email = "system";
    m.created_at = m.updated_at = FormatTimestamp(clock_.Now());
    m.approved_at = m.created_at;
    if (CERTUS_TRY(store_.InsertMethodology(tx, m))) {
      CERTUS_CHECK(audit_log_.Append(tx, MakeEvent(Actor::System(), org, kMethodologyType,
                                                   m.id.str(), "create", nullptr, ToJson(m))));
    }
    versions = CERTUS_TRY(store_.ListMethodologies(tx, org));
  }
  return StateOf(versions);
}

Expected<MethodologyState> RiskService::StateOf(const std::vector<Methodology>& versions) {
  MethodologyState state;
  bool found = false;
  for (const auto& version : versions) {
    if (version.status == MethodologyStatus::kApproved && !found) {
      state.in_force = version;
      found = true;
    } else if (version.status == MethodologyStatus::kDraft && !state.draft) {
      state.draft = version;
    }
  }
  if (!found) return Fail(ErrorCode::kInternal, "No approved risk methodology is in force.");
  return state;
}

Expected<MethodologyState> RiskService::GetMethodology(const Actor& actor, const OrgId& org) {
  CERTUS_CHECK(CheckCanRead(actor));
  // Reads need no write transaction once the default exists, which is nearly always.
  auto versions = CERTUS_TRY(storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) { return store_.ListMethodologies(tx, org); }));
  if (!versions.empty()) return StateOf(versions);
  return storage::InWriteTransaction(
      db_, [&](storage::Transaction& tx) { return LoadOrCreate(tx, org); });
}

Expected<MethodologyCriteria> RiskService::CriteriaIn(storage::Transaction& tx, const OrgId& org) {
  auto versions = CERTUS_TRY(store_.ListMethodologies(tx, org));
  if (versions.empty()) return DefaultCriteria();
  return CERTUS_TRY(StateOf(versions)).in_force.criteria;
}

Expected<std::vector<Methodology>> RiskService::ListMethodologyVersions(const Actor& actor,
                                                                        const OrgId& org) {
  CERTUS_CHECK(CheckCanRead(actor));
  return storage::InWriteTransaction(
      db_, [&](storage::Transaction& tx) -> Expected<std::vector<Methodology>> {
        CERTUS_TRY(LoadOrCreate(tx, org));
        return store_.ListMethodologies(tx, org);
      });
}

Expected<MethodologyState> RiskService::PutMethodology(const Actor& actor, const OrgId& org,
                                                       const MethodologyCriteria& criteria,
                                                       std::int64_t expected_version) {
  CERTUS_CHECK(CheckIsManager(actor, "change the risk methodology"));
  if (auto problems = CriteriaProblems(criteria); !problems.empty()) {
    return Fail(Error::Validation(std::move(problems)));
  }
  return storage::InWriteTransaction(
      db_, [&](storage::Transaction& tx) -> Expected<MethodologyState> {
        auto state = CERTUS_TRY(LoadOrCreate(tx, org));
        if (state.LatestVersion() != expected_version) return Fail(StaleMethodology());
        const auto now = FormatTimestamp(clock_.Now());
        if (state.draft) {
          Methodology discarded = *state.draft;
          discarded.status = MethodologyStatus::kDiscarded;
          discarded.updated_at = now;
          if (!CERTUS_TRY(
                  store_.UpdateMethodologyStatus(tx, discarded, MethodologyStatus::kDraft))) {
            return Fail(StaleMethodology());
          }
          CERTUS_CHECK(
              audit_log_.Append(tx, MakeEvent(actor, org, kMethodologyType, discarded.id.str(),
                                              "discard", ToJson(*state.draft), ToJson(discarded))));
        }
        Methodology draft;
        draft.id = MethodologyId(NewUuid(clock_, random_));
        draft.org_id = org;
        draft.version = state.LatestVersion() + 1;
        draft.status = MethodologyStatus::kDraft;
        draft.criteria = criteria;
        draft.created_by_id = actor.user_id.str();
        draft.created_by_email = actor.email;
        draft.created_at = draft.updated_at = now;
        if (!CERTUS_TRY(store_.InsertMethodology(tx, draft))) return Fail(StaleMethodology());
        CERTUS_CHECK(audit_log_.Append(tx, MakeEvent(actor, org, kMethodologyType, draft.id.str(),
                                                     "create", nullptr, ToJson(draft))));
        state.draft = draft;
        return state;
      });
}

Expected<MethodologyState> RiskService::ApproveMethodology(const Actor& actor, const OrgId& org,
                                                           std::int64_t expected_version) {
  // ISO 27001 5.1 and 6.1.2: top management approves the risk criteria; here, managers and
  // admins of the organization.
  CERTUS_CHECK(CheckIsManager(actor, "approve the risk methodology"));
  return storage::InWriteTransaction(
      db_, [&](storage::Transaction& tx) -> Expected<MethodologyState> {
        auto state = CERTUS_TRY(LoadOrCreate(tx, org));
        if (!state.draft) {
          return Fail(ErrorCode::kConflict, "There is no draft risk methodology to approve.");
        }
        // The approver approves the draft they read, not one saved since.
        if (state.draft->version != expected_version) return Fail(StaleMethodology());
        const auto now = FormatTimestamp(clock_.Now());
        Methodology superseded = state.in_force;
        superseded.status = MethodologyStatus::kSuperseded;
        superseded.updated_at = now;
        Methodology approved = *state.draft;
        approved.status = MethodologyStatus::kApproved;
        approved.approved_by_id = actor.user_id.str();
        approved.approved_by_email = actor.email;
        approved.approved_at = now;
        approved.updated_at = now;
        if (!CERTUS_TRY(
                store_.UpdateMethodologyStatus(tx, superseded, MethodologyStatus::kApproved)) ||
            !CERTUS_TRY(store_.UpdateMethodologyStatus(tx, approved, MethodologyStatus::kDraft))) {
          return Fail(StaleMethodology());
        }
        CERTUS_CHECK(audit_log_.Append(
            tx, MakeEvent(actor, org, kMethodologyType, superseded.id.str(), "supersede",
                          ToJson(state.in_force), ToJson(superseded))));
        CERTUS_CHECK(
            audit_log_.Append(tx, MakeEvent(actor, org, kMethodologyType, approved.id.str(),
                                            "approve", ToJson(*state.draft), ToJson(approved))));
        return MethodologyState{approved, std::nullopt};
      });
}

// ------------------------------------------------------------------ assets

Expected<void> RiskService::CheckOwnerIsMember(const OrgId& org, const UserId& owner) {
  auto role = CERTUS_TRY(identity_.RoleOf(org, owner));
  if (!role) return Fail(Error::Field("owner_id", "must be a member of the organization"));
  return {};
}

Expected<Page<Asset>> RiskService::ListAssets(const Actor& actor, const OrgId& org,
                                              const AssetFilter& filter, const PageQuery& page) {
  CERTUS_CHECK(CheckCanRead(actor));
  return storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) { return store_.ListAssets(tx, org, filter, page); });
}

Expected<Asset> RiskService::GetAsset(const Actor& actor, const OrgId& org, const AssetId& id) {
  CERTUS_CHECK(CheckCanRead(actor));
  auto asset = CERTUS_TRY(storage::InReadTransaction(
      db_, [&](storage::Transaction& tx) { return store_.FindAsset(tx, org, id); }));
  if (!asset) return Fail(Error::NotFound("Asset"));
  return *asset;
}

Expected<Asset> RiskService::CreateAsset(const Actor& actor, const OrgId& org,
                                         const NewAsset& input) {
  CERTUS_CHECK(CheckCanWriteAsset(actor, input.owner_id));
  CERTUS_CHECK(CheckOwnerIsMember(org, input.owner_id));
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<Asset> {
    Asset asset;
    asset.id = AssetId(NewUuid(clock_, random_));
    asset.org_id = org;
    asset.ref =
        storage::FormatRef("AST", CERTUS_TRY(storage::NextCounter(tx, org.str(), kAssetType)));
    asset.name = input.name;
    asset.type = input.type;
    asset.owner_id = input.owner_id;
    asset.location = input.location;
    asset.classification = input.classification;
    asset.confidentiality = input.confidentiality;
    asset.integrity = input.integrity;
    asset.availability = input.availability;
    asset.description = input.description;
    asset.created_at = asset.updated_at = FormatTimestamp(clock_.Now());
    CERTUS_CHECK(store_.InsertAsset(tx, asset));
    CERTUS_CHECK(audit_log_.Append(
        tx, MakeEvent(actor, org, kAssetType, asset.id.str(), "create", nullptr, ToJson(asset))));
    return asset;
  });
}

Expected<Asset> RiskService::UpdateAsset(const Actor& actor, const OrgId& org, const AssetId& id,
                                         const AssetPatch& patch, std::int64_t expected_version) {
  CERTUS_CHECK(CheckCanRead(actor));
  if (patch.owner_id) {
    // A contributor cannot hand an asset to someone else: they could not take it back.
    CERTUS_CHECK(CheckCanWriteAsset(actor, *patch.owner_id));
    CERTUS_CHECK(CheckOwnerIsMember(org, *patch.owner_id));
  }
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<Asset> {
    auto before = CERTUS_TRY(store_.FindAsset(tx, org, id));
    if (!before) return Fail(Error::NotFound("Asset"));
    CERTUS_CHECK(CheckCanWriteAsset(actor, before->owner_id));
    if (before->version != expected_version) return Fail(StaleAsset());
    Asset after = *before;
    if (patch.name) after.name = *patch.name;
    if (patch.type) after.type = *patch.type;
    if (patch.owner_id) after.owner_id = *patch.owner_id;
    if (patch.location) after.location = *patch.location;
    if (patch.classification) after.classification = *patch.classification;
    if (patch.confidentiality) after.confidentiality = *patch.confidentiality;
    if (patch.integrity) after.integrity = *patch.integrity;
    if (patch.availability) after.availability = *patch.availability;
    if (patch.description) after.description = *patch.description;
    after.version = before->version + 1;
    after.updated_at = FormatTimestamp(clock_.Now());
    if (!CERTUS_TRY(store_.UpdateAsset(tx, after, expected_version))) return Fail(StaleAsset());
    CERTUS_CHECK(audit_log_.Append(
        tx, MakeEvent(actor, org, kAssetType, id.str(), "update", ToJson(*before), ToJson(after))));
    return after;
  });
}

Expected<void> RiskService::DeleteAsset(const Actor& actor, const OrgId& org, const AssetId& id,
                                        std::int64_t expected_version) {
  CERTUS_CHECK(CheckCanRead(actor));
  return storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<void> {
    auto before = CERTUS_TRY(store_.FindAsset(tx, org, id));
    if (!before) return Fail(Error::NotFound("Asset"));
    CERTUS_CHECK(CheckCanWriteAsset(actor, before->owner_id));
    if (before->version != expected_version) return Fail(StaleAsset());
    if (!CERTUS_TRY(store_.DeleteAsset(tx, org, id, expected_version))) return Fail(StaleAsset());
    CERTUS_CHECK(audit_log_.Append(
        tx, MakeEvent(actor, org, kAssetType, id.str(), "delete", ToJson(*before), nullptr)));
    return {};
  });
}

}  // namespace certus::risk
