#include "modules/risk/assessment_service.hpp"

#include <map>
#include <unordered_map>

#include <boost/json.hpp>

#include "core/time.hpp"
#include "core/uuid.hpp"
#include "modules/risk/assessment_json.hpp"
#include "modules/risk/json.hpp"
#include "storage/counters.hpp"

namespace certus::risk {

namespace {

Expected<void> CheckCanRead(const Actor& actor) {
  if (!actor.role) return Fail(Error::NotFound("Organization"));
  return {};
}

std::string Text(const std::optional<std::int64_t>& value) {
  return value ? std::to_string(*value) : "";
}

std::string Text(const std::optional<std::string>& value) { return value.value_or(""); }

const Band* BandOf(const MethodologyCriteria& criteria, std::int64_t score) {
  for (const auto& band : criteria.bands) {
    if (score >= band.min_score && score <= band.max_score) return &band;
  }
  return nullptr;
}

bool OnScale(const std::vector<ScaleLevel>& scale, std::int64_t value) {
  return value >= 1 && value <= static_cast<std::int64_t>(scale.size());
}

/// Every field of `to` that differs from `from`, and whether a rating is among them.
RiskChange Differences(const RatedRisk& from, const RatedRisk& to) {
  RiskChange change{from, to, false, {}};
  const auto compare = [&](std::string field, std::string a, std::string b, bool rating) {
    if (a == b) return;
    change.rerated = change.rerated || rating;
    change.fields.push_back({std::move(field), std::move(a), std::move(b)});
  };
  compare("title", from.title, to.title, false);
  compare("owner_id", from.owner_id.str(), to.owner_id.str(), false);
  compare("likelihood", std::to_string(from.likelihood), std::to_string(to.likelihood), true);
  compare("impact", std::to_string(from.impact), std::to_string(to.impact), true);
  compare("inherent_score", std::to_string(from.inherent_score), std::to_string(to.inherent_score),
          true);
  compare("inherent_level", from.inherent_level, to.inherent_level, true);
  compare("treatment", from.treatment, to.treatment, false);
  compare("residual_likelihood", Text(from.residual_likelihood), Text(to.residual_likelihood),
          true);
  compare("residual_impact", Text(from.residual_impact), Text(to.residual_impact), true);
  compare("residual_score", Text(from.residual_score), Text(to.residual_score), true);
  compare("residual_level", Text(from.residual_level), Text(to.residual_level), true);
  compare("status", from.status, to.status, false);
  compare("accepted_by_email", Text(from.accepted_by_email), Text(to.accepted_by_email), false);
  return change;
}

}  // namespace

std::string AssessmentService::Today() const { return FormatDate(DateOf(clock_.Now())); }

// ------------------------------------------------------------------ retained assessments

Expected<RiskAssessment> AssessmentService::TakeAssessment(const Actor& actor, const OrgId& org,
                                                           const std::string& name,
                                                           const std::string& notes) {
  CERTUS_CHECK(CheckCanRead(actor));
  if (*actor.role < Role::kManager) {
    return Fail(ErrorCode::kPermissionDenied,
                "Only managers and admins may retain a risk assessment.");
  }
  const auto state = CERTUS_TRY(methodology_.GetMethodology(actor, org));
  return storage::InWriteTransaction(
      db_, [&](storage::Transaction& tx) -> Expected<RiskAssessment> {
        RiskAssessment assessment;
        assessment.id = AssessmentId(NewUuid(clock_, random_));
        assessment.org_id = org;
        assessment.ref = storage::FormatRef(
            "RA", CERTUS_TRY(storage::NextCounter(tx, org.str(), "risk_assessment")));
        assessment.name = name;
        assessment.notes = notes;
        assessment.taken_by_id = actor.user_id.str();
        assessment.taken_by_email = actor.email;
        assessment.taken_at = FormatTimestamp(clock_.Now());
        assessment.methodology_version = state.in_force.version;
        assessment.methodology = state.in_force.criteria;
        assessment.risk_count = CERTUS_TRY(store_.CountRisks(tx, org));
        // One INSERT … SELECT copies the register; should a concurrent change slip between the
        // count and the copy (PostgreSQL READ COMMITTED), the whole assessment is refused.
        if (CERTUS_TRY(store_.Insert(tx, assessment)) != assessment.risk_count) {
          return Fail(ErrorCode::kConflict,
                      "The register changed while the assessment was taken; take it again.");
        }
        CERTUS_CHECK(audit_log_.Append(
            tx, {org.str(), actor.user_id.str(), actor.email, "risk_assessment",
                 assessment.id.str(), "create", nullptr, ToJson(assessment), actor.request_id}));
        return assessment;
      });
}

Expected<Page<RiskAssessment>> AssessmentService::ListAssessments(const Actor& actor,
                                                                  const OrgId& org,
                                                                  const PageQuery& page) {
  CERTUS_CHECK(CheckCanRead(actor));
  return storage::InReadTransaction(db_, [&](auto& tx) { return store_.List(tx, org, page); });
}

Expected<RiskAssessment> AssessmentService::GetAssessment(const Actor& actor, const OrgId& org,
                                                          const AssessmentId& id) {
  CERTUS_CHECK(CheckCanRead(actor));
  auto found = CERTUS_TRY(
      storage::InReadTransaction(db_, [&](auto& tx) { return store_.Find(tx, org, id); }));
  if (!found) return Fail(Error::NotFound("Risk assessment"));
  return std::move(*found);
}

Expected<std::vector<RatedRisk>> AssessmentService::AssessedRisks(
    const Actor& actor, const OrgId& org, const AssessmentId& id,
    const std::optional<std::string>& after_ref, int limit) {
  CERTUS_CHECK(CheckCanRead(actor));
  return storage::InReadTransaction(db_, [&](auto& tx) -> Expected<std::vector<RatedRisk>> {
    if (!CERTUS_TRY(store_.Find(tx, org, id))) return Fail(Error::NotFound("Risk assessment"));
    return store_.Rows(tx, id, after_ref, limit);
  });
}

Expected<AssessmentComparison> AssessmentService::Compare(const Actor& actor, const OrgId& org,
                                                          const AssessmentId& from,
                                                          const std::optional<AssessmentId>& to) {
  CERTUS_CHECK(CheckCanRead(actor));
  return storage::InReadTransaction(db_, [&](auto& tx) -> Expected<AssessmentComparison> {
    AssessmentComparison comparison;
    auto first = CERTUS_TRY(store_.Find(tx, org, from));
    if (!first) return Fail(Error::NotFound("Risk assessment"));
    comparison.from = std::move(*first);
    if (to) {
      auto second = CERTUS_TRY(store_.Find(tx, org, *to));
      if (!second) return Fail(Error::NotFound("Risk assessment"));
      comparison.to = std::move(*second);
    }
    const auto before = CERTUS_TRY(store_.AllRows(tx, org, from));
    const auto after = CERTUS_TRY(store_.AllRows(tx, org, to));
    std::unordered_map<std::string, const RatedRisk*> earlier;
    for (const auto& risk : before) earlier.emplace(risk.id.str(), &risk);
    for (const auto& risk : after) {
      auto it = earlier.find(risk.id.str());
      if (it == earlier.end()) {
        comparison.added.push_back(risk);
        continue;
      }
      auto change = Differences(*it->second, risk);
      if (!change.fields.empty()) comparison.changed.push_back(std::move(change));
      earlier.erase(it);
    }
    for (const auto& risk : before) {
      if (earlier.contains(risk.id.str())) comparison.removed.push_back(risk);
    }
    return comparison;
  });
}

// ------------------------------------------------------------------ the register whole

Expected<Heatmap> AssessmentService::GetHeatmap(const Actor& actor, const OrgId& org,
                                                HeatmapBasis basis, HeatmapIds ids) {
  CERTUS_CHECK(CheckCanRead(actor));
  const auto state = CERTUS_TRY(methodology_.GetMethodology(actor, org));
  const bool residual = basis == HeatmapBasis::kResidual;
  auto counts = CERTUS_TRY(storage::InReadTransaction(db_, [&](auto& tx) {
    return store_.CountOpenRatings(tx, org, residual, ids == HeatmapIds::kInclude);
  }));
  Heatmap map;
  map.basis = basis;
  map.ids = ids;
  map.criteria = state.in_force.criteria;
  const auto rows = static_cast<std::int64_t>(map.criteria.likelihood_scale.size());
  const auto columns = static_cast<std::int64_t>(map.criteria.impact_scale.size());
  for (std::int64_t l = 1; l <= rows; ++l) {
    for (std::int64_t i = 1; i <= columns; ++i) {
      HeatmapCell cell{l, i, map.criteria.Score(l, i), "", "", 0, {}};
      if (const Band* band = BandOf(map.criteria, cell.score)) {
        cell.level = band->name;
        cell.colour = band->colour;
      }
      map.cells.push_back(std::move(cell));
    }
  }
  for (auto& count : counts) {
    if (residual) map.without_residual += count.without_residual;
    // A rating beyond the scales (a methodology changed since) has no cell; the re-rating
    // list names it.
    if (count.likelihood < 1 || count.likelihood > rows || count.impact < 1 ||
        count.impact > columns) {
      continue;
    }
    auto& cell =
        map.cells[static_cast<std::size_t>((count.likelihood - 1) * columns + (count.impact - 1))];
    cell.count = count.count;
    cell.risk_ids = std::move(count.ids);
  }
  return map;
}

Expected<std::vector<ReRating>> AssessmentService::ReRatings(const Actor& actor, const OrgId& org) {
  CERTUS_CHECK(CheckCanRead(actor));
  const auto state = CERTUS_TRY(methodology_.GetMethodology(actor, org));
  const auto& criteria = state.in_force.criteria;
  const auto risks = CERTUS_TRY(storage::InReadTransaction(
      db_, [&](auto& tx) { return store_.AllRows(tx, org, std::nullopt); }));
  std::vector<ReRating> list;
  for (const auto& risk : risks) {
    std::vector<std::string> reasons;
    const auto check = [&](std::string_view what, std::int64_t likelihood, std::int64_t impact,
                           std::int64_t score, const std::string& level) {
      if (!OnScale(criteria.likelihood_scale, likelihood)) {
        reasons.push_back(std::string(what) + " likelihood " + std::to_string(likelihood) +
                          " is beyond the likelihood scale (1 to " +
                          std::to_string(criteria.likelihood_scale.size()) + ")");
      }
      if (!OnScale(criteria.impact_scale, impact)) {
        reasons.push_back(std::string(what) + " impact " + std::to_string(impact) +
                          " is beyond the impact scale (1 to " +
                          std::to_string(criteria.impact_scale.size()) + ")");
      }
      if (!reasons.empty()) return;
      const std::int64_t now = criteria.Score(likelihood, impact);
      if (now != score) {
        reasons.push_back(std::string(what) + " score " + std::to_string(score) + " would now be " +
                          std::to_string(now));
      }
      const Band* band = BandOf(criteria, now);
      if (band != nullptr && band->name != level) {
        reasons.push_back(std::string(what) + " level " + level + " would now be " + band->name);
      }
    };
    check("inherent", risk.likelihood, risk.impact, risk.inherent_score, risk.inherent_level);
    if (risk.residual_likelihood && risk.residual_impact && risk.residual_score) {
      check("residual", *risk.residual_likelihood, *risk.residual_impact, *risk.residual_score,
            risk.residual_level.value_or(""));
    }
    if (!reasons.empty()) list.push_back({risk, std::move(reasons)});
  }
  return list;
}

Expected<TreatmentPlan> AssessmentService::GetTreatmentPlan(
    const Actor& actor, const OrgId& org, const std::optional<std::string>& after_ref, int limit,
    bool overdue_only) {
  CERTUS_CHECK(CheckCanRead(actor));
  TreatmentPlan plan;
  plan.as_of = Today();
  CERTUS_CHECK(storage::InReadTransaction(db_, [&](auto& tx) -> Expected<void> {
    std::optional<std::string> after = after_ref;
    // With overdue_only, pages of risks without overdue actions are skipped until the page
    // is full or the register ends.
    while (static_cast<int>(plan.entries.size()) < limit) {
      auto risks = CERTUS_TRY(store_.PlanRisks(tx, org, after, limit + 1));
      const bool more = static_cast<int>(risks.size()) > limit;
      if (more) risks.pop_back();
      std::vector<RiskId> ids;
      ids.reserve(risks.size());
      for (const auto& risk : risks) ids.push_back(risk.id);
      auto actions = CERTUS_TRY(register_.TreatmentsOf(tx, org, ids));
      std::unordered_map<std::string, std::vector<PlannedAction>> by_risk;
      for (auto& action : actions) {
        const bool overdue = action.IsOpen() && action.due_on && *action.due_on < plan.as_of;
        std::string risk_id = action.risk_id.str();
        by_risk[risk_id].push_back({std::move(action), overdue});
      }
      for (std::size_t i = 0; i < risks.size(); ++i) {
        after = risks[i].ref;
        auto& planned = by_risk[risks[i].id.str()];
        const bool has_overdue = std::any_of(planned.begin(), planned.end(),
                                             [](const PlannedAction& a) { return a.overdue; });
        if (overdue_only && !has_overdue) continue;
        plan.entries.push_back({std::move(risks[i]), std::move(planned)});
        if (static_cast<int>(plan.entries.size()) == limit) {
          if (more || i + 1 < risks.size()) plan.next_ref = after;
          return {};
        }
      }
      if (!more) return {};
    }
    return {};
  }));
  return plan;
}

// ------------------------------------------------------------------ tables for export

Expected<reports::TableDocument> AssessmentService::RegisterTable(const Actor& actor,
                                                                  const OrgId& org) {
  CERTUS_CHECK(CheckCanRead(actor));
  const auto members = CERTUS_TRY(identity_.ListMembers(actor, org));
  std::unordered_map<std::string, std::string> emails;
  for (const auto& member : members) emails.emplace(member.user_id.str(), member.email);
  const auto risks = CERTUS_TRY(storage::InReadTransaction(
      db_, [&](auto& tx) { return store_.AllRows(tx, org, std::nullopt); }));

  reports::TableDocument table;
  table.title = "Risk register";
  const auto organization = CERTUS_TRY(identity_.GetOrg(actor, org));
  table.facts = {{"Organization", organization.name},
                 {"Date", Today()},
                 {"Risks", std::to_string(risks.size())}};
  for (const auto& [name, width] :
       std::vector<std::pair<const char*, double>>{{"ref", 9},
                                                   {"title", 30},
                                                   {"description", 40},
                                                   {"threat", 25},
                                                   {"vulnerability", 25},
                                                   {"owner", 24},
                                                   {"likelihood", 10},
                                                   {"impact", 8},
                                                   {"inherent_score", 10},
                                                   {"inherent_level", 12},
                                                   {"treatment", 11},
                                                   {"treatment_rationale", 30},
                                                   {"transfer_to", 18},
                                                   {"residual_likelihood", 10},
                                                   {"residual_impact", 10},
                                                   {"residual_score", 10},
                                                   {"residual_level", 12},
                                                   {"status", 8},
                                                   {"last_assessed_on", 12},
                                                   {"next_review_on", 12}}) {
    table.columns.push_back({name, width});
  }
  table.rows.reserve(risks.size());
  for (const auto& r : risks) {
    auto email = emails.find(r.owner_id.str());
    table.rows.push_back({r.ref,
                          r.title,
                          r.description,
                          r.threat,
                          r.vulnerability,
                          email == emails.end() ? r.owner_id.str() : email->second,
                          std::to_string(r.likelihood),
                          std::to_string(r.impact),
                          std::to_string(r.inherent_score),
                          r.inherent_level,
                          r.treatment,
                          r.treatment_rationale,
                          r.transfer_to,
                          Text(r.residual_likelihood),
                          Text(r.residual_impact),
                          Text(r.residual_score),
                          Text(r.residual_level),
                          r.status,
                          Text(r.last_assessed_on),
                          Text(r.next_review_on)});
  }
  return table;
}

Expected<reports::TableDocument> AssessmentService::TreatmentPlanTable(const Actor& actor,
                                                                       const OrgId& org) {
  CERTUS_CHECK(CheckCanRead(actor));
  const auto members = CERTUS_TRY(identity_.ListMembers(actor, org));
  std::unordered_map<std::string, std::string> emails;
  for (const auto& member : members) emails.emplace(member.user_id.str(), member.email);

  reports::TableDocument table;
  table.title = "Risk treatment plan";
  const auto organization = CERTUS_TRY(identity_.GetOrg(actor, org));
  table.facts = {{"Organization", organization.name}, {"Date", Today()}};
  for (const auto& [name, width] : std::vector<std::pair<const char*, double>>{{"Risk", 9},
                                                                               {"Risk title", 30},
                                                                               {"Level", 10},
                                                                               {"Treatment", 11},
                                                                               {"Action", 9},
                                                                               {"Action title", 30},
                                                                               {"Owner", 24},
                                                                               {"Due", 12},
                                                                               {"Status", 12},
                                                                               {"Overdue", 9}}) {
    table.columns.push_back({name, width});
  }
  std::optional<std::string> after;
  do {
    auto page = CERTUS_TRY(GetTreatmentPlan(actor, org, after, 500, false));
    for (const auto& entry : page.entries) {
      const auto& r = entry.risk;
      const std::string level = r.residual_level.value_or(r.inherent_level);
      if (entry.actions.empty()) {
        table.rows.push_back(
            {r.ref, r.title, level, r.treatment, "", "(no action planned)", "", "", "", ""});
      }
      for (const auto& planned : entry.actions) {
        const auto& a = planned.action;
        auto email = a.owner_id ? emails.find(a.owner_id->str()) : emails.end();
        table.rows.push_back({r.ref, r.title, level, r.treatment, a.ref, a.title,
                              email == emails.end() ? "" : email->second, a.due_on.value_or(""),
                              std::string(ActionStatusName(a.status)),
                              planned.overdue ? "overdue" : ""});
      }
    }
    after = page.next_ref;
  } while (after);
  return table;
}

}  // namespace certus::risk
