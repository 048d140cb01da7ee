// Clauses 7 (support: competence, awareness, documented information) and 8 (operation).
#include <algorithm>
#include <map>
#include <set>

#include "modules/readiness/rule.hpp"
#include "modules/readiness/views.hpp"

namespace certus::readiness {

namespace {

bool Before(Date a, Date b) { return std::chrono::sys_days(a) < std::chrono::sys_days(b); }

// 7.2: people holding ISMS roles hold the competences those roles require, none expired.
Check CompetenceEvidence(const Snapshot& s, const Settings&) {
  const auto& roles = s.Of("isms_role");
  if (roles.empty()) return NotEvaluable("No ISMS role is defined.");
  std::map<std::string, const Record*> person_of_user;
  for (const auto& p : s.Of("person")) {
    if (auto user = Str(p.json, "user_id"); !user.empty()) person_of_user[user] = &p;
  }
  std::size_t required = 0;
  std::vector<Link> wanting;
  std::set<std::string> linked;
  for (const auto& competence : s.Of("competence")) {
    for (const auto& role_id : Strings(competence.json, "isms_role_ids")) {
      const Record* role = s.Find("isms_role", role_id);
      if (!role) continue;
      ++required;
      for (const auto& user : Strings(role->json, "assignee_ids")) {
        auto it = person_of_user.find(user);
        bool met = false;
        if (it != person_of_user.end()) {
          for (const auto& e : it->second->events) {
            if (e.action != "add_competence_evidence" ||
                Str(e.after, "competence_id") != competence.id) {
              continue;
            }
            auto expires = DateField(e.after, "expires_on");
            if (!expires || !Before(*expires, s.as_of)) met = true;
          }
        }
        if (met) continue;
        if (it != person_of_user.end()) {
          if (linked.insert(it->second->id).second)
            wanting.push_back(LinkTo("person", *it->second));
        } else if (linked.insert(role->id).second) {
          wanting.push_back(LinkTo("isms_role", *role));
        }
      }
    }
  }
  if (required == 0)
    return Fail("No competence is required of any ISMS role (People → Competences).");
  return Verdict(std::move(wanting), Status::kFail,
                 "Everyone holding an ISMS role has current evidence of the required competences.",
                 "holder(s) of ISMS roles without current evidence of a required competence.");
}

// 7.3: awareness: the share of people in scope who completed a training.
Check AwarenessRate(const Snapshot& s, const Settings& settings) {
  const auto people = PeopleInScope(s);
  if (people.empty()) return Fail("No person is recorded in the scope of the ISMS (People).");
  if (s.Of("training").empty()) return Fail("No awareness training is recorded.");
  std::set<std::string> trained;
  for (const auto& t : s.Of("training")) {
    for (const auto& e : t.events) {
      if (e.action == "complete") trained.insert(Str(e.after, "person_id"));
    }
  }
  std::vector<Link> missing;
  for (const auto* p : people) {
    if (!trained.contains(p->id)) missing.push_back(LinkTo("person", *p));
  }
  const auto total = static_cast<std::int64_t>(people.size());
  const auto done = total - static_cast<std::int64_t>(missing.size());
  const std::int64_t percent = done * 100 / total;
  std::string message = std::to_string(done) + " of " + std::to_string(total) +
                        " people in scope (" + std::to_string(percent) +
                        " %) completed a training; the threshold is " +
                        std::to_string(settings.awareness_percent) + " %.";
  if (percent >= settings.awareness_percent) return Pass(std::move(message));
  return Fail(std::move(message), std::move(missing));
}

// 7.4: communication planned (what, when, with whom, who, how).
Check CommunicationPlanned(const Snapshot& s, const Settings&) {
  const auto& items = s.Of("communication_plan_item");
  if (items.empty()) return Fail("No communication is planned (Communication → Plan).");
  return Pass(std::to_string(items.size()) + " planned communication(s).");
}

// 7.5: documented information owned, approved (published) and not overdue for review.
Check DocumentsControlled(const Snapshot& s, const Settings&) {
  const auto& documents = s.Of("document");
  if (documents.empty()) return Fail("No documented information is recorded.");
  std::vector<Link> wanting;
  for (const auto& d : documents) {
    auto view = ViewDocument(d);
    const bool overdue = view.next_review_on && Before(*view.next_review_on, s.as_of);
    if (Str(d.json, "owner_id").empty() || !view.published_number || overdue) {
      wanting.push_back(LinkTo("document", d));
    }
  }
  return Verdict(std::move(wanting), Status::kFail,
                 std::to_string(documents.size()) +
                     " documents, each owned, approved and published, none overdue for review.",
                 "document(s) without an owner, never published, or overdue for review.");
}

// 8.1: no treatment, corrective or review action overdue beyond the tolerance.
Check NothingOverdue(const Snapshot& s, const Settings& settings) {
  std::vector<Link> overdue;
  auto scan = [&](std::string_view type, std::initializer_list<std::string_view> finished) {
    for (const auto& a : s.Of(type)) {
      const std::string status = Str(a.json, "status");
      if (std::ranges::find(finished, status) != finished.end()) continue;
      auto due = DateField(a.json, "due_on");
      if (due && DaysBetween(*due, s.as_of) > settings.overdue_tolerance_days) {
        overdue.push_back(LinkTo(std::string(type), a));
      }
    }
  };
  scan("treatment", {"done", "cancelled"});
  scan("corrective_action", {"done", "cancelled"});
  scan("management_review_action", {"done", "cancelled"});
  return Verdict(std::move(overdue), Status::kFail,
                 "No action is overdue by more than " +
                     std::to_string(settings.overdue_tolerance_days) + " days.",
                 "action(s) overdue by more than " +
                     std::to_string(settings.overdue_tolerance_days) + " days.");
}

// 8.1: incidents handled: none left open beyond the tolerance, lessons learned when closed.
Check IncidentsHandled(const Snapshot& s, const Settings& settings) {
  const auto& incidents = s.Of("incident");
  if (incidents.empty()) return Pass("No incident is recorded.");
  std::vector<Link> wanting;
  for (const auto& i : incidents) {
    const std::string status = Str(i.json, "status");
    auto detected = DateField(i.json, "detected_at");
    if (status == "closed") {
      if (Str(i.json, "lessons_learned").empty()) wanting.push_back(LinkTo("incident", i));
    } else if (status != "resolved" && detected &&
               DaysBetween(*detected, s.as_of) > settings.overdue_tolerance_days) {
      wanting.push_back(LinkTo("incident", i));
    }
  }
  return Verdict(std::move(wanting), Status::kWarn,
                 std::to_string(incidents.size()) + " incidents, handled in time.",
                 "incident(s) open too long or closed without lessons learned.");
}

// 8.2: a retained risk assessment within the interval and after significant change.
Check AssessmentRecent(const Snapshot& s, const Settings&) {
  const Record* latest = nullptr;
  for (const auto& a : s.Of("risk_assessment")) {
    if (!latest || a.created_at > latest->created_at) latest = &a;
  }
  if (!latest) return Fail("No risk assessment is retained (Risk → Assessments).");
  std::int64_t interval = 12;
  if (const Record* m = ApprovedMethodology(s)) {
    if (auto months = Int(m->json, "reassessment_interval_months"); months > 0) interval = months;
  }
  auto taken = DateOfText(latest->created_at);
  const Link link = LinkTo("risk_assessment", *latest);
  if (!taken || Before(*taken, MonthsBefore(s, interval))) {
    return Fail("The latest risk assessment is older than the methodology's " +
                    std::to_string(interval) + " months.",
                {link});
  }
  std::vector<Link> changes;
  for (const auto& c : s.Of("isms_change")) {
    auto implemented = DateField(c.json, "implemented_on");
    if (implemented && Before(*taken, *implemented)) changes.push_back(LinkTo("isms_change", c));
  }
  if (!changes.empty()) {
    std::string message = std::to_string(changes.size()) +
                          " change(s) implemented since the latest risk assessment (" +
                          FormatDate(*taken) + "); reassess the risks.";
    return Warn(std::move(message), std::move(changes));
  }
  return Pass("The risks were assessed on " + FormatDate(*taken) + ".");
}

// 8.3: the treatment plan is carried out and its progress recorded.
Check TreatmentProgress(const Snapshot& s, const Settings&) {
  const auto& treatments = s.Of("treatment");
  const bool mitigating = std::ranges::any_of(
      s.Of("risk"), [](const Record& r) { return StrView(r.json, "treatment") == "mitigate"; });
  if (treatments.empty()) {
    if (mitigating) return Fail("Risks are to be mitigated but no treatment action is recorded.");
    return NotEvaluable("No risk treatment is planned.");
  }
  std::vector<Link> wanting;
  std::size_t progressed = 0;
  for (const auto& t : treatments) {
    const std::string status = Str(t.json, "status");
    if (status == "done" && Str(t.json, "completion_note").empty()) {
      wanting.push_back(LinkTo("treatment", t));
    }
    if (status == "done" || status == "in_progress") ++progressed;
  }
  if (progressed == 0) {
    std::vector<Link> all;
    all.reserve(treatments.size());
    for (const auto& t : treatments) all.push_back(LinkTo("treatment", t));
    return Fail("No treatment action has started.", std::move(all));
  }
  return Verdict(std::move(wanting), Status::kWarn,
                 std::to_string(progressed) + " of " + std::to_string(treatments.size()) +
                     " treatment actions started or done.",
                 "treatment action(s) done without a completion note.");
}

}  // namespace

void AddRules7To8(Rules& out) {
  out.push_back(std::make_unique<FunctionRule>(
      "people.competence", "7.2",
      "Define the competences each ISMS role requires and record evidence for its holders.",
      CompetenceEvidence));
  out.push_back(std::make_unique<FunctionRule>(
      "people.awareness", "7.3",
      "Assign an awareness training to the people in scope and record completions.",
      AwarenessRate));
  out.push_back(std::make_unique<FunctionRule>(
      "communication.planned", "7.4", "Plan the internal and external communications of the ISMS.",
      CommunicationPlanned));
  out.push_back(std::make_unique<FunctionRule>(
      "documents.controlled", "7.5",
      "Give every document an owner, have it approved and published, and review it in time.",
      DocumentsControlled));
  out.push_back(std::make_unique<FunctionRule>(
      "operation.nothing_overdue", "8.1",
      "Complete or reschedule the overdue actions (treatments, corrective and review actions).",
      NothingOverdue));
  out.push_back(std::make_unique<FunctionRule>(
      "operation.incidents_handled", "8.1",
      "Resolve open incidents and record the lessons learned from closed ones.", IncidentsHandled));
  out.push_back(std::make_unique<FunctionRule>(
      "risk.assessment_recent", "8.2",
      "Take a risk assessment (Risk → Assessments) at the methodology's interval and after "
      "significant change.",
      AssessmentRecent));
  out.push_back(std::make_unique<FunctionRule>(
      "risk.treatment_progress", "8.3",
      "Record the progress of the treatment actions, with a note when done.", TreatmentProgress));
}

}  // namespace certus::readiness
