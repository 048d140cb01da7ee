// `certus demo`: the year's operation of Northwind Cloud's ISMS: objectives and their
// measurements (6.2, 9.1), an incident (8.1), internal audits (9.2), the management review
// (9.3), nonconformities and an improvement (10.1, 10.2).
#include <cmath>

#include <fmt/format.h>

#include "cli/demo_seed.hpp"

namespace certus::cli::demo {

namespace {

struct MetricSpec {
  const char* key;
  const char* name;
  const char* unit;
  objectives::Direction direction;
  double target;
  objectives::Frequency frequency;
  const char* owner;
  double first, last;  // the trend over the year
};

const std::vector<MetricSpec>& Metrics() {
  using objectives::Direction;
  using objectives::Frequency;
  static const std::vector<MetricSpec> metrics = {
      {"vulns", "Critical vulnerabilities fixed within 7 days", "%", Direction::kHigherIsBetter, 95,
       Frequency::kMonthly, "sre", 71, 96},
      {"phishing", "Phishing simulation click rate", "%", Direction::kLowerIsBetter, 5,
       Frequency::kQuarterly, "ciso", 14, 6},
      {"restore", "Backup restore tests passed", "%", Direction::kHigherIsBetter, 100,
       Frequency::kQuarterly, "sre", 75, 100},
      {"containment", "Mean time to contain security incidents", "hours", Direction::kLowerIsBetter,
       4, Frequency::kQuarterly, "ciso", 9, 3.5},
  };
  return metrics;
}

/// The days, oldest first, on which a metric of `frequency` was measured in the year.
std::vector<int> MeasurementDays(objectives::Frequency frequency) {
  std::vector<int> days;
  const int step = frequency == objectives::Frequency::kMonthly ? 30 : 91;
  for (int d = 300; d >= 5; d -= step) days.push_back(d);
  return days;
}

improvement::NonconformityPatch NcDetails(const char* title, const char* description,
                                          const char* requirement, improvement::Severity severity,
                                          Date reported, const UserId& owner) {
  improvement::NonconformityPatch d;
  d.title = title;
  d.description = description;
  d.requirement_ref = requirement;
  d.severity = severity;
  d.reported_on = reported;
  d.owner_id = owner;
  return d;
}

std::string At(const Seed& s, int days_ago, int hour) {
  auto at = std::chrono::floor<std::chrono::days>(s.today) - std::chrono::days(days_ago) +
            std::chrono::hours(hour);
  return FormatTimestamp(std::chrono::time_point_cast<std::chrono::microseconds>(at));
}

}  // namespace

void PlanOperation(Timeline& t) {
  // ---- objectives and metrics (6.2, 9.1)
  t.At(330, "metrics and objectives", [](Seed& s) -> Expected<void> {
    auto& obj = s.app.objectives();
    for (const auto& m : Metrics()) {
      objectives::MetricPatch patch;
      patch.name = m.name;
      patch.unit = m.unit;
      patch.direction = m.direction;
      patch.target = m.target;
      patch.frequency = m.frequency;
      patch.owner_id = s.User(m.owner);
      patch.method = "Exported from the tooling and checked by the owner.";
      patch.source = "Security dashboards";
      auto metric = CERTUS_TRY(obj.CreateMetric(s.As("isms"), s.org, patch));
      s.ids[std::string("metric:") + m.key] = metric.id.str();
      s.Count("metrics");
    }
    struct ObjectiveSpec {
      const char* title;
      const char* metric;
      const char* owner;
      const char* what;
    };
    const std::vector<ObjectiveSpec> objectives = {
        {"Fix critical vulnerabilities within 7 days", "metric:vulns", "cto",
         "Automated dependency updates, a weekly patch window and on-call ownership."},
        {"Cut the phishing click rate to 5 %", "metric:phishing", "ciso",
         "Quarterly simulations, awareness training and phishing-resistant MFA."},
        {"Prove every backup restores", "metric:restore", "sre",
         "Quarterly restore tests of every production database."},
        {"Contain incidents within 4 hours", "metric:containment", "ciso",
         "On-call rota, runbooks and an incident response exercise each half year."},
    };
    for (const auto& o : objectives) {
      objectives::ObjectivePatch patch;
      patch.title = o.title;
      patch.description = "Information security objective set by top management.";
      patch.owner_id = s.User(o.owner);
      patch.metric_id = std::optional<objectives::MetricId>(objectives::MetricId(s.Id(o.metric)));
      patch.due_on = s.Day(-35);
      patch.plan_what = o.what;
      patch.plan_resources = "Security and platform teams; tooling budget.";
      patch.plan_responsible = "The objective's owner";
      patch.plan_when = "By the end of the certification year";
      patch.plan_evaluation = "Measured by the metric and reported in the management review.";
      CERTUS_TRY(obj.CreateObjective(s.As("isms"), s.org, patch));
      s.Count("objectives");
    }
    return {};
  });
  for (const auto& m : Metrics()) {
    const auto days = MeasurementDays(m.frequency);
    for (std::size_t k = 0; k < days.size(); ++k) {
      const double share =
          days.size() > 1 ? static_cast<double>(k) / static_cast<double>(days.size() - 1) : 1.0;
      const double value = std::round((m.first + (m.last - m.first) * share) * 10) / 10;
      const int day = days[k];
      t.At(day, "measurement", [key = m.key, value, day](Seed& s) -> Expected<void> {
        CERTUS_TRY(s.app.objectives().RecordMeasurement(
            s.As("isms"), s.org, objectives::MetricId(s.Id(std::string("metric:") + key)),
            {.value = value, .measured_on = s.Day(day), .note = "", .corrects_id = std::nullopt}));
        s.Count("measurements");
        return {};
      });
    }
  }

  // ---- an incident (8.1, A.5.24–A.5.27) and the nonconformity it revealed
  t.At(150, "phishing incident", [](Seed& s) -> Expected<void> {
    auto& inc = s.app.incidents();
    incidents::IncidentPatch patch;
    patch.title = "Support agent's account phished; ticket data viewed";
    patch.description =
        "A support agent entered their password on a look-alike login page. The attacker "
        "signed in to the ticketing system, which was not yet behind SSO, and viewed 40 "
        "tickets before the session was revoked.";
    patch.category = incidents::Category::kPhishing;
    patch.severity = incidents::Severity::kHigh;
    patch.detected_at = At(s, 150, 8);
    patch.reported_at = At(s, 150, 8);
    patch.owner_id = s.User("ciso");
    patch.personal_data_involved = true;
    patch.asset_ids = std::vector<std::string>{s.Id("asset:14")};
    patch.risk_ids = std::vector<std::string>{s.Id("risk:29"), s.Id("risk:1")};
    auto incident = CERTUS_TRY(inc.Create(s.As("ciso"), s.org, patch));
    s.ids["incident:phishing"] = incident.id.str();
    CERTUS_TRY(inc.Transition(
        s.As("ciso"), s.org, incident.id, incidents::Step::kTriage,
        {.note = "Confirmed: one account, ticket data viewed.", .at = std::nullopt}, std::nullopt));
    CERTUS_TRY(inc.Transition(
        s.As("ciso"), s.org, incident.id, incidents::Step::kContain,
        {.note = "Sessions revoked, password reset, IP blocked.", .at = std::nullopt},
        std::nullopt));
    s.Count("incidents");
    return {};
  });
  t.At(148, "phishing incident resolved", [](Seed& s) -> Expected<void> {
    auto& inc = s.app.incidents();
    const incidents::IncidentId id(s.Id("incident:phishing"));
    CERTUS_TRY(inc.Transition(s.As("ciso"), s.org, id, incidents::Step::kResolve,
                              {.note = "Ticketing moved behind SSO with MFA.", .at = std::nullopt},
                              std::nullopt));
    return {};
  });
  t.At(140, "phishing incident closed", [](Seed& s) -> Expected<void> {
    auto& inc = s.app.incidents();
    const incidents::IncidentId id(s.Id("incident:phishing"));
    auto current = CERTUS_TRY(inc.Get(s.As("ciso"), s.org, id));
    incidents::IncidentPatch patch;
    patch.resolution = "Account secured; ticketing system now requires SSO with MFA.";
    patch.lessons_learned =
        "SaaS tools outside SSO are the weak spot: inventory them and enforce SSO everywhere.";
    patch.notification_notes =
        "The DPO assessed the 40 tickets: no sensitive data, low risk to people; recorded, not "
        "notified (GDPR Art. 33(5)). Two customers informed by their account managers.";
    current = CERTUS_TRY(inc.Update(s.As("ciso"), s.org, id, patch, current.version));
    auto raised = CERTUS_TRY(inc.RaiseNonconformity(
        s.As("ciso"), s.org, id,
        NcDetails("SaaS tools outside single sign-on",
                  "The access control policy requires SSO "
                  "with MFA for every application that supports it; the ticketing system and "
                  "two others were not connected.",
                  "A.5.15", improvement::Severity::kMinor, s.Day(140), s.User("itops")),
        std::nullopt));
    (void)raised;
    CERTUS_TRY(inc.Transition(
        s.As("ciso"), s.org, id, incidents::Step::kClose,
        {.note = "Closed after the lessons learned review.", .at = std::nullopt}, std::nullopt));
    return {};
  });

  // ---- internal audit programme and the first audit (9.2)
  t.At(300, "audit programme", [](Seed& s) -> Expected<void> {
    auto programme = CERTUS_TRY(s.app.audits().CreateProgramme(
        s.As("isms"), s.org,
        {.name = "Internal audit programme, certification cycle",
         .cycle_start = s.Day(300),
         .cycle_end = s.Day(-65),
         .objectives = "Audit every clause of ISO/IEC 27001 and the Annex A controls of the "
                       "highest risks before the certification audit.",
         .owner_id = std::optional<UserId>(s.User("isms"))}));
    s.ids["programme"] = programme.id.str();
    audits::AuditPatch patch;
    patch.title = "ISMS clauses 4 to 10";
    patch.clause_refs = std::vector<std::string>{"4", "5", "6", "7", "8", "9", "10"};
    patch.departments = std::vector<std::string>{"Security", "Engineering", "Platform"};
    patch.criteria = "ISO/IEC 27001:2022 clauses 4–10; Northwind's ISMS documents.";
    patch.planned_start = std::optional<Date>(s.Day(125));
    patch.planned_end = std::optional<Date>(s.Day(118));
    patch.programme_id = std::optional<audits::ProgrammeId>(programme.id);
    auto first = CERTUS_TRY(s.app.audits().Create(s.As("isms"), s.org, patch));
    s.ids["audit:1"] = first.id.str();
    CERTUS_TRY(s.app.audits().AddAuditor(s.As("isms"), s.org, first.id, s.User("auditor"),
                                         audits::AuditorRole::kLead, std::nullopt));
    s.Count("audits");
    return {};
  });
  t.At(125, "internal audit carried out", [](Seed& s) -> Expected<void> {
    auto& audits = s.app.audits();
    const auto& omar = s.As("auditor");
    const audits::AuditId id(s.Id("audit:1"));
    CERTUS_TRY(audits.Step(omar, s.org, id, audits::AuditStep::kStart, std::nullopt));
    auto items = CERTUS_TRY(audits.GenerateChecklist(omar, s.org, id));
    for (const auto& item : items) {
      audits::ChecklistPatch patch;
      auto result = audits::CheckResult::kConforming;
      std::string notes = "Records sampled; conforming.";
      if (item.requirement_ref == "8.1") {
        result = audits::CheckResult::kNonconforming;
        notes = "Access reviews (A.5.18) not performed in Q2; see finding F01.";
      } else if (item.requirement_ref.starts_with("7.3")) {
        result = audits::CheckResult::kObservation;
        notes = "Awareness completion tracked, but reminders are sent by hand.";
      }
      patch.result = std::optional<audits::CheckResult>(result);
      patch.notes = notes;
      CERTUS_TRY(audits.UpdateItem(omar, s.org, id, item.id, patch, item.version));
    }
    auto nc = CERTUS_TRY(audits.AddFinding(
        omar, s.org, id,
        {.type = audits::FindingType::kMinorNonconformity,
         .requirement_ref = "A.5.18",
         .statement = "Quarterly access reviews of production systems were not performed in Q2.",
         .evidence = "Access review tickets for Q1 and Q3 only; interview with the SRE lead."}));
    if (nc.nonconformity_id) s.ids["nc:audit"] = *nc.nonconformity_id;
    CERTUS_TRY(audits.AddFinding(omar, s.org, id,
                                 {.type = audits::FindingType::kObservation,
                                  .requirement_ref = "7.3",
                                  .statement = "Awareness training reminders are sent by hand.",
                                  .evidence = "Interview with the ISMS manager."}));
    CERTUS_TRY(audits.AddFinding(
        omar, s.org, id,
        {.type = audits::FindingType::kOpportunityForImprovement,
         .requirement_ref = "9.1",
         .statement = "Metrics could be collected automatically from the dashboards.",
         .evidence = "Metric sheets kept in spreadsheets."}));
    s.Count("audit findings", 3);
    return {};
  });
  t.At(116, "internal audit reported", [](Seed& s) -> Expected<void> {
    auto& audits = s.app.audits();
    const auto& omar = s.As("auditor");
    const audits::AuditId id(s.Id("audit:1"));
    CERTUS_TRY(audits.PutReport(
        omar, s.org, id,
        {.summary = "The ISMS is established and operating. One minor nonconformity (A.5.18), "
                    "one observation (7.3), one opportunity for improvement (9.1).",
         .conclusion = "The ISMS conforms to ISO/IEC 27001 apart from the minor "
                       "nonconformity; it is ready for the certification audit once its "
                       "corrective action is verified.",
         .distribution = {s.User("ceo"), s.User("ciso")}},
        std::nullopt));
    CERTUS_TRY(audits.Step(omar, s.org, id, audits::AuditStep::kReport, std::nullopt));
    return {};
  });
  t.At(60, "internal audit closed", [](Seed& s) -> Expected<void> {
    CERTUS_TRY(s.app.audits().Step(s.As("isms"), s.org, audits::AuditId(s.Id("audit:1")),
                                   audits::AuditStep::kClose, std::nullopt));
    return {};
  });
  t.At(30, "second audit planned", [](Seed& s) -> Expected<void> {
    audits::AuditPatch patch;
    patch.title = "Technological controls of the platform";
    patch.clause_refs = std::vector<std::string>{"8", "10"};
    patch.departments = std::vector<std::string>{"Platform", "Engineering"};
    patch.criteria = "Annex A technological controls linked to the highest risks.";
    patch.planned_start = std::optional<Date>(s.Day(-45));
    patch.planned_end = std::optional<Date>(s.Day(-50));
    patch.programme_id = std::optional<audits::ProgrammeId>(audits::ProgrammeId(s.Id("programme")));
    auto second = CERTUS_TRY(s.app.audits().Create(s.As("isms"), s.org, patch));
    CERTUS_TRY(s.app.audits().AddAuditor(s.As("isms"), s.org, second.id, s.User("auditor"),
                                         audits::AuditorRole::kLead, std::nullopt));
    s.Count("audits");
    return {};
  });

  // ---- nonconformities (10.2)
  // The audit's minor nonconformity: corrected, its cause found, its action verified, closed.
  t.At(112, "audit nonconformity analysed", [](Seed& s) -> Expected<void> {
    auto& ncs = s.app.nonconformities();
    const improvement::NonconformityId id(s.Id("nc:audit"));
    auto nc = CERTUS_TRY(ncs.Get(s.As("isms"), s.org, id));
    improvement::NonconformityPatch patch;
    patch.owner_id = s.User("sre");
    patch.correction = "The Q2 access review was carried out late; 6 stale accounts removed.";
    patch.correction_on = std::optional<Date>(s.Day(112));
    patch.root_cause =
        "Reviews depended on one person's calendar reminder, lost during "
        "their leave.";
    patch.root_cause_method =
        std::optional<improvement::RootCauseMethod>(improvement::RootCauseMethod::kFiveWhys);
    patch.similar_check = "Other quarterly controls checked: restore tests were on time.";
    nc = CERTUS_TRY(ncs.Update(s.As("isms"), s.org, id, patch, nc.version));
    auto action = CERTUS_TRY(
        ncs.CreateAction(s.As("isms"), s.org, id,
                         {.title = "Schedule access reviews as recurring tickets with a deputy",
                          .owner_id = s.User("sre"),
                          .due_on = std::optional<Date>(s.Day(90)),
                          .status = std::nullopt,
                          .completion_note = std::nullopt,
                          .done_on = std::nullopt}));
    s.ids["ca:audit"] = action.id.str();
    s.Count("nonconformities");
    s.Count("corrective actions");
    return {};
  });
  t.At(95, "audit corrective action done", [](Seed& s) -> Expected<void> {
    auto& ncs = s.app.nonconformities();
    const improvement::ActionId id(s.Id("ca:audit"));
    auto action = CERTUS_TRY(ncs.GetAction(s.As("isms"), s.org, id));
    CERTUS_TRY(ncs.UpdateAction(s.As("isms"), s.org, id,
                                {.title = std::nullopt,
                                 .owner_id = std::nullopt,
                                 .due_on = std::nullopt,
                                 .status = improvement::ActionStatus::kDone,
                                 .completion_note = "Recurring tickets created for 8 quarters.",
                                 .done_on = std::optional<Date>(s.Day(95))},
                                action.version));
    return {};
  });
  t.At(20, "audit nonconformity verified and closed", [](Seed& s) -> Expected<void> {
    auto& ncs = s.app.nonconformities();
    const improvement::NonconformityId id(s.Id("nc:audit"));
    CERTUS_TRY(ncs.Review(s.As("ciso"), s.org, id, true,
                          "Q3 review done on time by the deputy; effective."));
    CERTUS_TRY(ncs.Close(s.As("ciso"), s.org, id, std::nullopt));
    return {};
  });

  // The incident's nonconformity: its corrective action is overdue (the demo's gap).
  t.At(135, "incident nonconformity analysed", [](Seed& s) -> Expected<void> {
    auto& ncs = s.app.nonconformities();
    improvement::NonconformityFilter filter;
    auto page = CERTUS_TRY(ncs.List(s.As("isms"), s.org, filter, {.limit = 50}));
    for (const auto& nc : page.items) {
      if (nc.title != "SaaS tools outside single sign-on") continue;
      s.ids["nc:incident"] = nc.id.str();
      improvement::NonconformityPatch patch;
      patch.correction = "The ticketing system was connected to SSO with MFA.";
      patch.correction_on = std::optional<Date>(s.Day(138));
      patch.root_cause =
          "No inventory of SaaS tools: new tools were bought by teams without "
          "the SSO checklist.";
      patch.root_cause_method =
          std::optional<improvement::RootCauseMethod>(improvement::RootCauseMethod::kFishbone);
      CERTUS_TRY(ncs.Update(s.As("isms"), s.org, nc.id, patch, nc.version));
      auto action = CERTUS_TRY(ncs.CreateAction(
          s.As("isms"), s.org, nc.id,
          {.title = "Connect every remaining SaaS tool to SSO; add SSO to procurement",
           .owner_id = s.User("itops"),
           .due_on = std::optional<Date>(s.Day(45)),
           .status = std::nullopt,
           .completion_note = std::nullopt,
           .done_on = std::nullopt}));
      s.ids["ca:incident"] = action.id.str();
      s.Count("nonconformities");
      s.Count("corrective actions");
    }
    return {};
  });
  t.At(100, "incident corrective action started", [](Seed& s) -> Expected<void> {
    auto& ncs = s.app.nonconformities();
    const improvement::ActionId id(s.Id("ca:incident"));
    auto action = CERTUS_TRY(ncs.GetAction(s.As("isms"), s.org, id));
    CERTUS_TRY(ncs.UpdateAction(s.As("itops"), s.org, id,
                                {.title = std::nullopt,
                                 .owner_id = std::nullopt,
                                 .due_on = std::nullopt,
                                 .status = improvement::ActionStatus::kInProgress,
                                 .completion_note = std::nullopt,
                                 .done_on = std::nullopt},
                                action.version));
    return {};
  });

  // A nonconformity from monitoring, awaiting verification of its action.
  t.At(42, "monitoring nonconformity", [](Seed& s) -> Expected<void> {
    auto& ncs = s.app.nonconformities();
    auto nc = CERTUS_TRY(ncs.Create(
        s.As("isms"), s.org, improvement::Source::kMonitoring, std::nullopt,
        NcDetails("Restore test of the analytics warehouse failed",
                  "The quarterly restore test could not restore the analytics warehouse: the "
                  "snapshot policy did not include it.",
                  "A.8.13", improvement::Severity::kMinor, s.Day(42), s.User("sre"))));
    improvement::NonconformityPatch patch;
    patch.correction = "Snapshot policy extended to the warehouse; restore succeeded.";
    patch.correction_on = std::optional<Date>(s.Day(42));
    patch.root_cause = "New data stores are not added to the backup policy automatically.";
    patch.root_cause_method =
        std::optional<improvement::RootCauseMethod>(improvement::RootCauseMethod::kFiveWhys);
    nc = CERTUS_TRY(ncs.Update(s.As("isms"), s.org, nc.id, patch, nc.version));
    auto action =
        CERTUS_TRY(ncs.CreateAction(s.As("isms"), s.org, nc.id,
                                    {.title = "Tag-based backup policy covering every data store",
                                     .owner_id = s.User("sre"),
                                     .due_on = std::optional<Date>(s.Day(10)),
                                     .status = std::nullopt,
                                     .completion_note = std::nullopt,
                                     .done_on = std::nullopt}));
    s.ids["ca:monitoring"] = action.id.str();
    s.Count("nonconformities");
    s.Count("corrective actions");
    return {};
  });
  t.At(15, "monitoring corrective action done", [](Seed& s) -> Expected<void> {
    auto& ncs = s.app.nonconformities();
    const improvement::ActionId id(s.Id("ca:monitoring"));
    auto action = CERTUS_TRY(ncs.GetAction(s.As("isms"), s.org, id));
    CERTUS_TRY(ncs.UpdateAction(s.As("sre"), s.org, id,
                                {.title = std::nullopt,
                                 .owner_id = std::nullopt,
                                 .due_on = std::nullopt,
                                 .status = improvement::ActionStatus::kDone,
                                 .completion_note = "Backup policy now selects by tag.",
                                 .done_on = std::optional<Date>(s.Day(15))},
                                action.version));
    return {};
  });
  // A fresh one, just reported.
  t.At(6, "new nonconformity", [](Seed& s) -> Expected<void> {
    CERTUS_TRY(s.app.nonconformities().Create(
        s.As("isms"), s.org, improvement::Source::kOther, std::nullopt,
        NcDetails("Two leavers' laptops not returned within 5 days",
                  "The acceptable use policy asks for devices back on the last day; two "
                  "laptops came back after three weeks.",
                  "A.5.11", improvement::Severity::kMinor, s.Day(6), s.User("hr"))));
    s.Count("nonconformities");
    return {};
  });

  // ---- management review (9.3) and the resources it decided (5.1)
  t.At(95, "management review planned", [](Seed& s) -> Expected<void> {
    std::vector<std::string> attendees;
    for (const char* key : {"ceo", "cto", "cfo", "ciso", "isms"}) {
      attendees.push_back(s.User(key).str());
    }
    auto review = CERTUS_TRY(s.app.reviews().Create(s.As("isms"), s.org,
                                                    {.title = "Management review of the ISMS",
                                                     .planned_on = s.Day(75),
                                                     .attendee_ids = attendees}));
    s.ids["review"] = review.id.str();
    s.Count("management reviews");
    return {};
  });
  t.At(75, "management review held", [](Seed& s) -> Expected<void> {
    auto& reviews = s.app.reviews();
    const reviews::ReviewId id(s.Id("review"));
    const std::vector<std::pair<std::string, std::string>> notes = {
        {"a", "Actions of the kick-off meeting completed: scope, policy and SoA approved."},
        {"b",
         "More enterprise customers ask for ISO 27001 and NIS2 clauses; headcount growth "
         "continues."},
        {"c",
         "Interested parties' requirements unchanged; GDPR records of processing still to "
         "complete."},
        {"d",
         "One incident (phishing), one minor nonconformity from the internal audit, "
         "objectives mostly on track; awareness completion lags."},
        {"e", "Customers' security questionnaires answered within SLA; no complaints."},
        {"f", "Risk assessment retained; treatment plan 70 % complete, two actions late."},
        {"g", "Opportunities: automate access reviews and awareness reminders."},
    };
    auto review = CERTUS_TRY(reviews.Get(s.As("isms"), s.org, id));
    for (const auto& [key, text] : notes) {
      review = CERTUS_TRY(reviews.SetNotes(s.As("isms"), s.org, id, key, text, review.version));
    }
    CERTUS_TRY(reviews.Hold(s.As("isms"), s.org, id, s.Day(75), std::nullopt));
    CERTUS_TRY(reviews.AddDecision(
        s.As("isms"), s.org, id,
        "Fund a second security engineer from next quarter to keep up with growth.",
        reviews::DecisionCategory::kResources));
    CERTUS_TRY(reviews.AddDecision(s.As("isms"), s.org, id,
                                   "Automate access reviews through the identity provider.",
                                   reviews::DecisionCategory::kImprovement));
    CERTUS_TRY(reviews.AddDecision(
        s.As("isms"), s.org, id,
        "Proceed to the certification audit once the internal audit's nonconformity is closed.",
        reviews::DecisionCategory::kChange));
    auto hire = CERTUS_TRY(reviews.AddAction(s.As("isms"), s.org, id,
                                             {.title = "Recruit a second security engineer",
                                              .owner_id = s.User("hr"),
                                              .due_on = std::optional<Date>(s.Day(-20)),
                                              .status = std::nullopt}));
    (void)hire;
    auto remind =
        CERTUS_TRY(reviews.AddAction(s.As("isms"), s.org, id,
                                     {.title = "Automatic reminders for the awareness training",
                                      .owner_id = s.User("isms"),
                                      .due_on = std::optional<Date>(s.Day(30)),
                                      .status = std::nullopt}));
    s.ids["review-action:remind"] = remind.id.str();
    CERTUS_TRY(s.app.leadership().CreateRecord(
        s.As("isms"), s.org,
        {.kind = leadership::RecordKind::kResourceDecision,
         .date = s.Day(75),
         .decision = "A second security engineer from next quarter.",
         .budget = leadership::Budget{.amount_minor = 9500000, .currency = "EUR"},
         .decided_by = s.User("ceo"),
         .management_review_id = std::optional<std::string>(id.str()),
         .notes = "Decided in the management review."}));
    s.Count("leadership records");
    return {};
  });
  t.At(70, "management review closed", [](Seed& s) -> Expected<void> {
    CERTUS_TRY(s.app.reviews().Close(s.As("isms"), s.org, reviews::ReviewId(s.Id("review")),
                                     std::nullopt));
    return {};
  });
  t.At(28, "review action done", [](Seed& s) -> Expected<void> {
    auto& reviews = s.app.reviews();
    const reviews::ReviewActionId id(s.Id("review-action:remind"));
    auto action = CERTUS_TRY(reviews.GetAction(s.As("isms"), s.org, id));
    CERTUS_TRY(reviews.UpdateAction(s.As("isms"), s.org, id,
                                    {.title = std::nullopt,
                                     .owner_id = std::nullopt,
                                     .due_on = std::nullopt,
                                     .status = reviews::ActionStatus::kDone},
                                    action.version));
    return {};
  });

  // ---- an improvement (10.1)
  t.At(74, "improvement", [](Seed& s) -> Expected<void> {
    improvement::ImprovementPatch patch;
    patch.title = "Automate quarterly access reviews in the identity provider";
    patch.description =
        "Access certifications run by the identity provider, with reminders "
        "and evidence exported for the ISMS.";
    patch.source = improvement::Source::kManagementReview;
    patch.decision = improvement::Decision::kAccepted;
    patch.decision_rationale = "Removes the cause of the audit's nonconformity for good.";
    patch.owner_id = std::optional<UserId>(s.User("itops"));
    patch.due_on = std::optional<Date>(s.Day(-60));
    patch.status = improvement::ImprovementStatus::kInProgress;
    CERTUS_TRY(s.app.improvements().Create(s.As("isms"), s.org, patch));
    s.Count("improvements");
    return {};
  });
}

}  // namespace certus::cli::demo
