// Clauses 9 (performance evaluation) and 10 (improvement).
#include <algorithm>
#include <array>
#include <map>
#include <set>

#include "modules/readiness/rule.hpp"
#include "modules/readiness/views.hpp"

namespace certus::readiness {

namespace {

bool Before(Date a, Date b) { return std::chrono::sys_days(a) < std::chrono::sys_days(b); }

std::int64_t PeriodDays(const std::string& frequency) {
  if (frequency == "weekly") return 7;
  if (frequency == "monthly") return 31;
  if (frequency == "quarterly") return 92;
  if (frequency == "yearly") return 366;
  return 31;
}

bool Recent(const std::optional<Date>& date, Date since) { return date && !Before(*date, since); }

// 9.1: every active metric measured at its frequency.
Check MetricsMeasured(const Snapshot& s, const Settings& settings) {
  std::vector<Link> late;
  std::size_t active = 0;
  for (const auto& m : s.Of("metric")) {
    if (Str(m.json, "status") == "retired") continue;
    ++active;
    auto dates = MeasurementDates(m);
    std::optional<Date> last;
    for (const auto& d : dates) {
      if (!last || Before(*last, d)) last = d;
    }
    // Never measured: the first measurement falls one period after the metric was defined.
    auto from = last ? last : DateOfText(m.created_at);
    if (from && DaysBetween(*from, s.as_of) >
                    PeriodDays(Str(m.json, "frequency")) + settings.overdue_tolerance_days) {
      late.push_back(LinkTo("metric", m));
    }
  }
  if (active == 0) return Fail("No metric is defined: nothing is monitored or measured.");
  return Verdict(std::move(late), Status::kFail,
                 std::to_string(active) + " metrics, each measured at its frequency.",
                 "metric(s) not measured at their frequency.");
}

// 9.2: an internal audit completed (reported) within the recent period.
Check AuditRecent(const Snapshot& s, const Settings& settings) {
  const Date since = MonthsBefore(s, settings.recent_months);
  std::vector<Link> pending;
  for (const auto& a : s.Of("audit")) {
    const std::string status = Str(a.json, "status");
    if ((status == "reported" || status == "closed") &&
        Recent(DateField(a.json, "reported_on"), since)) {
      return Pass(Str(a.json, "ref") + " reported on " + Str(a.json, "reported_on") + ".");
    }
    if (status == "planned" || status == "in_progress") pending.push_back(LinkTo("audit", a));
  }
  return Fail("No internal audit was completed within " + std::to_string(settings.recent_months) +
                  " months.",
              std::move(pending));
}

// 9.2.2: the programme covers every clause 4–10 within the period.
Check ProgrammeCoverage(const Snapshot& s, const Settings& settings) {
  if (s.Of("audit_programme").empty()) return Fail("No audit programme is established.");
  const Date since = MonthsBefore(s, settings.recent_months);
  std::set<std::string> covered;
  for (const auto& a : s.Of("audit")) {
    auto start = DateField(a.json, "planned_start");
    if (start && Before(*start, since)) continue;
    for (const auto& ref : Strings(a.json, "clause_refs")) {
      covered.insert(ref.substr(0, ref.find('.')));
    }
  }
  std::string missing;
  for (const char* clause : {"4", "5", "6", "7", "8", "9", "10"}) {
    if (!covered.contains(clause)) missing += (missing.empty() ? "" : ", ") + std::string(clause);
  }
  if (missing.empty()) return Pass("The audits of the period cover clauses 4 to 10.");
  std::vector<Link> links;
  for (const auto& p : s.Of("audit_programme")) links.push_back(LinkTo("audit_programme", p));
  return Fail("No audit of the period covers clause(s) " + missing + ".", std::move(links));
}

// 9.2.2 c: auditors independent (no conflict left without a waiver).
Check AuditorsIndependent(const Snapshot& s, const Settings&) {
  if (s.Of("audit").empty()) return NotEvaluable("No internal audit is recorded.");
  std::vector<Link> wanting;
  std::set<std::string> linked;
  for (const auto& auditor : s.Of("audit_auditor")) {
    auto conflicts = auditor.json.find("conflicts");
    const bool conflicted = conflicts != auditor.json.end() && conflicts->value().is_array() &&
                            !conflicts->value().as_array().empty();
    if (!conflicted || !IsNull(auditor.json, "waiver")) continue;
    const std::string audit_id = Str(auditor.json, "audit_id");
    const Record* audit = s.Find("audit", audit_id);
    if (audit && linked.insert(audit_id).second) wanting.push_back(LinkTo("audit", *audit));
  }
  return Verdict(std::move(wanting), Status::kFail,
                 "Every auditor is independent of the area audited.",
                 "audit(s) with an auditor who audits their own work, without a waiver.");
}

// 9.2.2 e: audit reports issued once an audit has ended.
Check ReportsIssued(const Snapshot& s, const Settings& settings) {
  if (s.Of("audit").empty()) return NotEvaluable("No internal audit is recorded.");
  std::vector<Link> wanting;
  for (const auto& a : s.Of("audit")) {
    const std::string status = Str(a.json, "status");
    if (status == "reported" || status == "closed") continue;
    auto end = DateField(a.json, "planned_end");
    if (end && DaysBetween(*end, s.as_of) > settings.overdue_tolerance_days) {
      wanting.push_back(LinkTo("audit", a));
    }
  }
  return Verdict(std::move(wanting), Status::kFail, "Every ended audit has its report issued.",
                 "audit(s) ended more than " + std::to_string(settings.overdue_tolerance_days) +
                     " days ago without a report.");
}

const Record* LatestHeldReview(const Snapshot& s, Date since) {
  const Record* latest = nullptr;
  std::optional<Date> latest_on;
  for (const auto& r : s.Of("management_review")) {
    const std::string status = Str(r.json, "status");
    auto held = DateField(r.json, "held_on");
    if ((status != "held" && status != "closed") || !Recent(held, since)) continue;
    if (!latest_on || Before(*latest_on, *held)) {
      latest = &r;
      latest_on = held;
    }
  }
  return latest;
}

// 9.3: a management review within the period.
Check ReviewRecent(const Snapshot& s, const Settings& settings) {
  if (const Record* r = LatestHeldReview(s, MonthsBefore(s, settings.recent_months))) {
    return Pass(Str(r->json, "ref") + " was held on " + Str(r->json, "held_on") + ".");
  }
  std::vector<Link> planned;
  for (const auto& r : s.Of("management_review")) {
    if (Str(r.json, "status") == "planned") planned.push_back(LinkTo("management_review", r));
  }
  return Fail(
      "No management review was held within " + std::to_string(settings.recent_months) + " months.",
      std::move(planned));
}

// 9.3.2: every input of the review covered.
Check ReviewInputs(const Snapshot& s, const Settings& settings) {
  const Record* r = LatestHeldReview(s, MonthsBefore(s, settings.recent_months));
  if (!r) return NotEvaluable("No recent management review to check.");
  std::string missing;
  auto notes = r->json.find("input_notes");
  for (const char* key : {"a", "b", "c", "d", "e", "f", "g"}) {
    bool has = false;
    if (notes != r->json.end() && notes->value().is_object()) {
      has = !Str(notes->value().as_object(), key).empty();
    }
    if (!has) missing += (missing.empty() ? "" : ", ") + std::string("9.3.2 ") + key;
  }
  if (missing.empty()) return Pass(Str(r->json, "ref") + " covers every input of 9.3.2.");
  return Fail(Str(r->json, "ref") + " has no notes on " + missing + ".",
              {LinkTo("management_review", *r)});
}

// 9.3.3: decisions recorded.
Check ReviewDecisions(const Snapshot& s, const Settings& settings) {
  const Record* r = LatestHeldReview(s, MonthsBefore(s, settings.recent_months));
  if (!r) return NotEvaluable("No recent management review to check.");
  const auto decisions =
      std::ranges::count_if(s.Of("management_review_decision"),
                            [&](const Record& d) { return Str(d.json, "review_id") == r->id; });
  if (decisions > 0) {
    return Pass(Str(r->json, "ref") + " records " + std::to_string(decisions) + " decision(s).");
  }
  return Fail(Str(r->json, "ref") + " records no decision.", {LinkTo("management_review", *r)});
}

// 10.1: improvement activity within the period; an ISMS with none is not operating.
Check ImprovementActivity(const Snapshot& s, const Settings& settings) {
  const Date since = MonthsBefore(s, settings.recent_months);
  std::size_t count = 0;
  for (const auto& nc : s.Of("nonconformity"))
    count += Recent(DateField(nc.json, "reported_on"), since);
  for (const auto& a : s.Of("corrective_action")) count += Recent(DateOfText(a.created_at), since);
  for (const auto& i : s.Of("improvement")) count += Recent(DateField(i.json, "raised_on"), since);
  if (count > 0) {
    return Pass(std::to_string(count) + " nonconformities, corrective actions or improvements in " +
                std::to_string(settings.recent_months) + " months.");
  }
  return Fail("No nonconformity, corrective action or improvement in " +
              std::to_string(settings.recent_months) + " months: the ISMS does not look operated.");
}

// 10.2: every nonconformity corrected, its cause found, its corrective action verified.
Check NonconformitiesHandled(const Snapshot& s, const Settings& settings) {
  const auto& ncs = s.Of("nonconformity");
  if (ncs.empty()) return Pass("No nonconformity is recorded.");
  std::map<std::string, bool> overdue_action;
  for (const auto& a : s.Of("corrective_action")) {
    const std::string status = Str(a.json, "status");
    auto due = DateField(a.json, "due_on");
    if (status != "done" && status != "cancelled" && due &&
        DaysBetween(*due, s.as_of) > settings.overdue_tolerance_days) {
      overdue_action[Str(a.json, "nonconformity_id")] = true;
    }
  }
  std::vector<Link> wanting;
  for (const auto& nc : ncs) {
    if (Cancelled(nc)) continue;
    auto reported = DateField(nc.json, "reported_on");
    const bool settled_in =
        reported && DaysBetween(*reported, s.as_of) > settings.overdue_tolerance_days;
    const bool closed = Str(nc.json, "status") == "closed";
    bool bad = overdue_action.contains(nc.id);
    if (settled_in || closed) {
      bad = bad || Str(nc.json, "correction").empty() || Str(nc.json, "root_cause").empty();
    }
    if (closed && IsNull(nc.json, "effective_review_id")) bad = true;
    if (bad) wanting.push_back(LinkTo("nonconformity", nc));
  }
  return Verdict(std::move(wanting), Status::kFail,
                 "Every nonconformity has its correction, root cause and verified corrective "
                 "action, none overdue.",
                 "nonconformity(ies) without correction, root cause or verified corrective "
                 "action, or overdue.");
}

}  // namespace

void AddRules9To10(Rules& out) {
  out.push_back(std::make_unique<FunctionRule>(
      "performance.metrics_measured", "9.1",
      "Record a measurement of each metric at its frequency (Objectives → Metrics).",
      MetricsMeasured));
  out.push_back(std::make_unique<FunctionRule>(
      "audit.recent", "9.2.1", "Carry out an internal audit and issue its report.", AuditRecent));
  out.push_back(std::make_unique<FunctionRule>(
      "audit.programme_coverage", "9.2.2",
      "Plan audits in the programme so that clauses 4 to 10 are covered within the period.",
      ProgrammeCoverage));
  out.push_back(std::make_unique<FunctionRule>(
      "audit.independence", "9.2.2", "Replace conflicted auditors or record a justified waiver.",
      AuditorsIndependent));
  out.push_back(std::make_unique<FunctionRule>("audit.reports_issued", "9.2.2",
                                               "Issue the report of every audit that has ended.",
                                               ReportsIssued));
  out.push_back(std::make_unique<FunctionRule>(
      "review.recent", "9.3.1", "Hold a management review and record it.", ReviewRecent));
  out.push_back(std::make_unique<FunctionRule>(
      "review.inputs", "9.3.2", "Record notes on every input of 9.3.2 (a–g) in the review.",
      ReviewInputs));
  out.push_back(std::make_unique<FunctionRule>(
      "review.decisions", "9.3.3", "Record the review's decisions (9.3.3).", ReviewDecisions));
  out.push_back(std::make_unique<FunctionRule>(
      "improvement.activity", "10.1",
      "Record nonconformities, corrective actions and opportunities for improvement as they "
      "arise.",
      ImprovementActivity));
  out.push_back(std::make_unique<FunctionRule>(
      "improvement.nonconformities_handled", "10.2",
      "Record the correction and root cause of each nonconformity and verify its corrective "
      "action.",
      NonconformitiesHandled));
}

}  // namespace certus::readiness
