// Clause 6 (planning): risk assessment (6.1.2), risk treatment and the SoA (6.1.3),
// objectives (6.2), planning of changes (6.3).
#include <algorithm>
#include <set>
#include <string_view>
#include <unordered_set>

#include <boost/json.hpp>

#include "modules/readiness/rule.hpp"
#include "modules/readiness/views.hpp"

namespace certus::readiness {

namespace {

bool Before(Date a, Date b) { return std::chrono::sys_days(a) < std::chrono::sys_days(b); }

Link ControlLink(const Record& c) { return {"control", c.id, Str(c.json, "ref_id")}; }

std::optional<bool> Applicable(const Record& c) {
  auto it = c.json.find("applicable");
  if (it == c.json.end() || !it->value().is_bool()) return std::nullopt;
  return it->value().as_bool();
}

// 6.1.2: an approved methodology with risk acceptance criteria.
Check Methodology(const Snapshot& s, const Settings&) {
  const Record* m = ApprovedMethodology(s);
  if (!m) return Fail("No risk methodology is approved.");
  if (Int(m->json, "acceptance_threshold") <= 0) {
    return Fail("The approved methodology sets no risk acceptance threshold.",
                {{"risk_methodology", m->id, "methodology"}});
  }
  return Pass("An approved methodology accepts risks scoring up to " +
              std::to_string(Int(m->json, "acceptance_threshold")) + ".");
}

// 6.1.2 d: every risk analysed (likelihood and impact rated).
Check RisksRated(const Snapshot& s, const Settings&) {
  const auto& risks = s.Of("risk");
  if (risks.empty()) return Fail("No risk is identified.");
  std::vector<Link> wanting;
  for (const auto& r : risks) {
    if (Int(r.json, "likelihood") <= 0 || Int(r.json, "impact") <= 0) {
      wanting.push_back(LinkTo("risk", r));
    }
  }
  return Verdict(std::move(wanting), Status::kFail,
                 std::to_string(risks.size()) + " risks, each rated.",
                 "risk(s) without a likelihood and impact.");
}

// 6.1.3: every risk above the acceptance threshold treated or formally accepted.
Check RisksTreated(const Snapshot& s, const Settings&) {
  const Record* m = ApprovedMethodology(s);
  if (!m) return NotEvaluable("No approved methodology sets the acceptance threshold.");
  const std::int64_t threshold = Int(m->json, "acceptance_threshold");
  std::vector<Link> wanting;
  for (const auto& r : s.Of("risk")) {
    if (Int(r.json, "inherent_score") <= threshold) continue;
    const std::string_view treatment = StrView(r.json, "treatment");
    bool ok = !treatment.empty() && treatment != "undecided";
    if (treatment == "accept") {
      auto it = r.json.find("acceptance");
      ok = it != r.json.end() && it->value().is_object();
      if (ok) {
        auto expires = DateField(it->value().as_object(), "expires_on");
        if (expires && Before(*expires, s.as_of)) ok = false;
      }
    }
    if (!ok) wanting.push_back(LinkTo("risk", r));
  }
  return Verdict(std::move(wanting), Status::kFail,
                 "Every risk above the threshold is treated or formally accepted.",
                 "risk(s) above the acceptance threshold neither treated nor formally accepted.");
}

// 6.1.3 b: every mitigated risk relies on controls or treatment actions.
Check MitigatedHaveControls(const Snapshot& s, const Settings&) {
  std::unordered_set<std::string_view> with_actions;
  for (const auto& t : s.Of("treatment")) with_actions.insert(StrView(t.json, "risk_id"));
  std::vector<Link> wanting;
  for (const auto& r : s.Of("risk")) {
    if (StrView(r.json, "treatment") != "mitigate") continue;
    const auto& controls = ArrayOf(r.json, "control_ids");
    const bool has_controls = std::any_of(controls.begin(), controls.end(),
                                          [](const auto& id) { return id.is_string(); });
    if (!has_controls && !with_actions.contains(r.id)) {
      wanting.push_back(LinkTo("risk", r));
    }
  }
  return Verdict(std::move(wanting), Status::kFail,
                 "Every mitigated risk has controls or treatment actions.",
                 "mitigated risk(s) with neither controls nor treatment actions.");
}

// 6.1.3 d: every Annex A control decided, with a justification.
Check ControlsDecided(const Snapshot& s, const Settings&) {
  const auto& controls = s.Of("control");
  if (controls.empty()) return Fail("No control is recorded: the SoA is empty.");
  std::vector<Link> wanting;
  for (const auto& c : controls) {
    auto applicable = Applicable(c);
    if (!applicable || Str(c.json, "justification").empty()) wanting.push_back(ControlLink(c));
  }
  return Verdict(std::move(wanting), Status::kFail,
                 std::to_string(controls.size()) + " controls, each decided with a justification.",
                 "control(s) undecided or without a justification.");
}

// 6.1.3 c: every control a treatment relies on is applicable.
Check ReliedControlsApplicable(const Snapshot& s, const Settings&) {
  std::unordered_set<std::string_view> relied;
  for (const auto& r : s.Of("risk")) {
    for (const auto& id : ArrayOf(r.json, "control_ids")) {
      if (id.is_string()) relied.insert(StrView(id));
    }
  }
  std::vector<Link> wanting;
  for (const auto& c : s.Of("control")) {
    if (relied.contains(c.id) && Applicable(c) == std::optional<bool>(false)) {
      wanting.push_back(ControlLink(c));
    }
  }
  return Verdict(std::move(wanting), Status::kFail,
                 "Every control a risk treatment relies on is applicable.",
                 "control(s) excluded although a risk treatment relies on them.");
}

// 6.1.3 d: an approved SoA version no older than the last change of a control.
Check SoaApproved(const Snapshot& s, const Settings&) {
  const Record* latest = nullptr;
  for (const auto& v : s.Of("soa_version")) {
    if (!latest || v.created_at > latest->created_at) latest = &v;
  }
  if (!latest) return Fail("No version of the Statement of Applicability is approved.");
  std::vector<Link> changed;
  for (const auto& c : s.Of("control")) {
    if (c.updated_at > latest->created_at) changed.push_back(ControlLink(c));
  }
  const std::string name = "SoA version " + std::to_string(Int(latest->json, "number"));
  return Verdict(std::move(changed), Status::kFail, name + " is approved and current.",
                 "control(s) changed since " + name + " was approved.");
}

// 6.2: measurable objectives with owners.
Check ObjectivesMeasurable(const Snapshot& s, const Settings&) {
  std::vector<Link> wanting;
  std::size_t live = 0;
  for (const auto& o : s.Of("objective")) {
    if (Cancelled(o)) continue;
    ++live;
    const bool measurable = !IsNull(o.json, "metric_id") || !IsNull(o.json, "target");
    if (!measurable || Str(o.json, "owner_id").empty()) wanting.push_back(LinkTo("objective", o));
  }
  if (live == 0) return Fail("No information security objective is set.");
  return Verdict(std::move(wanting), Status::kFail,
                 std::to_string(live) + " objectives, each measurable and owned.",
                 "objective(s) without a measure or an owner.");
}

// 6.2 d, 9.1: objectives measured recently.
Check ObjectivesMeasured(const Snapshot& s, const Settings& settings) {
  const Date since = MonthsBefore(s, settings.recent_months);
  std::vector<Link> wanting;
  std::size_t measured_by_metric = 0;
  for (const auto& o : s.Of("objective")) {
    if (Cancelled(o) || IsNull(o.json, "metric_id")) continue;
    ++measured_by_metric;
    const Record* metric = s.Find("metric", Str(o.json, "metric_id"));
    bool recent = false;
    if (metric) {
      for (const auto& d : MeasurementDates(*metric)) recent = recent || !Before(d, since);
    }
    if (!recent) wanting.push_back(LinkTo("objective", o));
  }
  if (measured_by_metric == 0) return NotEvaluable("No objective is measured by a metric.");
  return Verdict(std::move(wanting), Status::kFail,
                 "Every objective measured by a metric has a recent measurement.",
                 "objective(s) without a measurement in " + std::to_string(settings.recent_months) +
                     " months.");
}

// 6.3: changes to the ISMS are planned (approved before they are carried out).
Check ChangesPlanned(const Snapshot& s, const Settings&) {
  const auto& changes = s.Of("isms_change");
  if (changes.empty()) return Pass("No change to the ISMS is recorded.");
  std::vector<Link> wanting;
  for (const auto& c : changes) {
    const std::string status = Str(c.json, "status");
    const bool carried_out = status == "in_progress" || status == "implemented" ||
                             status == "reviewed" || status == "started";
    if (carried_out && IsNull(c.json, "approval")) wanting.push_back(LinkTo("isms_change", c));
    if (!carried_out && status != "cancelled" && status != "rejected" &&
        IsNull(c.json, "planned_on")) {
      wanting.push_back(LinkTo("isms_change", c));
    }
  }
  return Verdict(std::move(wanting), Status::kFail,
                 std::to_string(changes.size()) + " changes, each planned.",
                 "change(s) carried out without approval or without a planned date.");
}

}  // namespace

void AddRules6(Rules& out) {
  out.push_back(std::make_unique<FunctionRule>(
      "risk.methodology_approved", "6.1.2",
      "Approve a risk methodology with an acceptance threshold (Risk → Methodology).",
      Methodology));
  out.push_back(std::make_unique<FunctionRule>(
      "risk.rated", "6.1.2", "Identify the risks and rate each one's likelihood and impact.",
      RisksRated));
  out.push_back(std::make_unique<FunctionRule>(
      "risk.treated_or_accepted", "6.1.3",
      "Choose a treatment for each risk above the threshold, or have its owner accept it.",
      RisksTreated));
  out.push_back(std::make_unique<FunctionRule>(
      "risk.mitigation_has_controls", "6.1.3",
      "Link controls or plan treatment actions for every mitigated risk.", MitigatedHaveControls));
  out.push_back(std::make_unique<FunctionRule>(
      "soa.controls_decided", "6.1.3",
      "Decide every Annex A control (applicable or excluded) and justify the decision.",
      ControlsDecided));
  out.push_back(std::make_unique<FunctionRule>(
      "soa.relied_controls_applicable", "6.1.3",
      "Make applicable the controls risk treatments rely on, or change those treatments.",
      ReliedControlsApplicable));
  out.push_back(std::make_unique<FunctionRule>(
      "soa.version_current", "6.1.3",
      "Approve a new version of the Statement of Applicability (Controls → SoA).", SoaApproved));
  out.push_back(std::make_unique<FunctionRule>(
      "objectives.measurable", "6.2",
      "Set information security objectives, each with an owner and a metric or target.",
      ObjectivesMeasurable));
  out.push_back(std::make_unique<FunctionRule>("objectives.measured", "6.2",
                                               "Record measurements of the objectives' metrics.",
                                               ObjectivesMeasured));
  out.push_back(std::make_unique<FunctionRule>(
      "changes.planned", "6.3",
      "Plan and approve changes to the ISMS before carrying them out (Changes).", ChangesPlanned));
}

}  // namespace certus::readiness
