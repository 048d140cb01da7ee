// Clauses 4 (context of the organization) and 5 (leadership).
#include <algorithm>

#include "modules/readiness/rule.hpp"
#include "modules/readiness/views.hpp"

namespace certus::readiness {

namespace {

bool Before(Date a, Date b) { return std::chrono::sys_days(a) < std::chrono::sys_days(b); }

// 4.1: the issues are recorded and reviewed within the recent period.
Check IssuesReviewed(const Snapshot& s, const Settings& settings) {
  const auto& issues = s.Of("context_issue");
  if (issues.empty()) return Fail("No internal or external issue is recorded.");
  const Date since = MonthsBefore(s, settings.recent_months);
  std::vector<Link> stale;
  for (const auto& issue : issues) {
    auto reviewed = DateField(issue.json, "reviewed_on");
    if (!reviewed || Before(*reviewed, since)) stale.push_back(LinkTo("context_issue", issue));
  }
  return Verdict(
      std::move(stale), Status::kFail,
      std::to_string(issues.size()) + " issues, each reviewed within " +
          std::to_string(settings.recent_months) + " months.",
      "issue(s) not reviewed within " + std::to_string(settings.recent_months) + " months.");
}

// 4.2: interested parties, their requirements, and which of them the ISMS addresses.
Check InterestedParties(const Snapshot& s, const Settings&) {
  const auto& parties = s.Of("interested_party");
  if (parties.empty()) return Fail("No interested party is recorded.");
  std::vector<Link> wanting;
  for (const auto& party : parties) {
    auto it = party.json.find("requirements");
    if (it == party.json.end() || !it->value().is_array() || it->value().as_array().empty()) {
      wanting.push_back(LinkTo("interested_party", party));
    }
  }
  return Verdict(std::move(wanting), Status::kFail,
                 std::to_string(parties.size()) +
                     " interested parties, each with its requirements and the decision which "
                     "the ISMS addresses.",
                 "interested party(ies) without any recorded requirement.");
}

// 4.3: an approved, published scope document.
Check ScopePublished(const Snapshot& s, const Settings&) {
  std::vector<Link> unpublished;
  for (const auto& d : s.Of("document")) {
    if (Str(d.json, "type") != "scope") continue;
    auto view = ViewDocument(d);
    if (view.published_number) {
      return Pass(Str(d.json, "ref") + " is the published scope (version " +
                  std::to_string(*view.published_number) + ").");
    }
    unpublished.push_back(LinkTo("document", d));
  }
  if (unpublished.empty()) return Fail("No scope document is recorded.");
  return Fail("The scope is not approved and published.", std::move(unpublished));
}

// 5.1: top management reviews the ISMS (a management review held recently).
Check ManagementCommitment(const Snapshot& s, const Settings& settings) {
  const Date since = MonthsBefore(s, settings.recent_months);
  std::vector<Link> planned;
  for (const auto& r : s.Of("management_review")) {
    auto held = DateField(r.json, "held_on");
    const std::string status = Str(r.json, "status");
    if ((status == "held" || status == "closed") && held && !Before(*held, since)) {
      return Pass(Str(r.json, "ref") + " was held on " + FormatDate(*held) + ".");
    }
    if (status == "planned") planned.push_back(LinkTo("management_review", r));
  }
  return Fail("Top management held no management review within " +
                  std::to_string(settings.recent_months) + " months.",
              std::move(planned));
}

// 5.1 e: resources decided (a resource decision recorded recently).
Check ResourcesDecided(const Snapshot& s, const Settings& settings) {
  const Date since = MonthsBefore(s, settings.recent_months);
  for (const auto& r : s.Of("leadership_record")) {
    auto date = DateField(r.json, "date");
    if (Str(r.json, "kind") == "resource_decision" && date && !Before(*date, since)) {
      return Pass(Str(r.json, "ref") + " records the resources decided on " + FormatDate(*date) +
                  ".");
    }
  }
  return Fail("No decision on the resources of the ISMS within " +
              std::to_string(settings.recent_months) + " months.");
}

// 5.2: a published information security policy approved by top management.
Check PolicyPublished(const Snapshot& s, const Settings&) {
  std::vector<Link> unpublished;
  for (const auto& d : s.Of("document")) {
    if (!Bool(d.json, "is_security_policy")) continue;
    auto view = ViewDocument(d);
    if (view.published_number && view.approved_by_someone) {
      return Pass(Str(d.json, "ref") + " is the published information security policy.");
    }
    unpublished.push_back(LinkTo("document", d));
  }
  if (unpublished.empty()) return Fail("No information security policy is recorded.");
  return Fail("The information security policy is not approved and published.",
              std::move(unpublished));
}

// 5.2 g: the policy is communicated, acknowledged by a share of the people in scope.
Check PolicyAcknowledged(const Snapshot& s, const Settings& settings) {
  std::optional<DocumentView> policy;
  for (const auto& d : s.Of("document")) {
    if (!Bool(d.json, "is_security_policy")) continue;
    auto view = ViewDocument(d);
    if (view.published_number) policy = view;
  }
  if (!policy) return NotEvaluable("No published information security policy to acknowledge.");
  const auto people = PeopleInScope(s);
  if (people.empty()) {
    return Fail(
        "No person is recorded in the scope of the ISMS (People), so nobody can "
        "acknowledge the policy.");
  }
  std::vector<Link> missing;
  for (const auto* p : people) {
    const std::string user = Str(p->json, "user_id");
    const bool acked = !user.empty() && std::ranges::find(policy->acknowledged_user_ids, user) !=
                                            policy->acknowledged_user_ids.end();
    if (!acked) missing.push_back(LinkTo("person", *p));
  }
  const auto total = static_cast<std::int64_t>(people.size());
  const auto done = total - static_cast<std::int64_t>(missing.size());
  const std::int64_t percent = done * 100 / total;
  std::string message = std::to_string(done) + " of " + std::to_string(total) +
                        " people in scope (" + std::to_string(percent) +
                        " %) acknowledged the policy; the threshold is " +
                        std::to_string(settings.policy_ack_percent) + " %.";
  if (percent >= settings.policy_ack_percent) return Pass(std::move(message));
  return Fail(std::move(message), std::move(missing));
}

// 5.3: ISMS roles assigned.
Check RolesAssigned(const Snapshot& s, const Settings&) {
  const auto& roles = s.Of("isms_role");
  if (roles.empty()) return Fail("No ISMS role is defined.");
  std::vector<Link> empty;
  for (const auto& r : roles) {
    if (Strings(r.json, "assignee_ids").empty()) empty.push_back(LinkTo("isms_role", r));
  }
  return Verdict(std::move(empty), Status::kFail,
                 std::to_string(roles.size()) + " ISMS roles, each assigned.",
                 "ISMS role(s) assigned to nobody.");
}

// 5.3: an owner for every risk.
Check RiskOwners(const Snapshot& s, const Settings&) {
  const auto& risks = s.Of("risk");
  if (risks.empty()) return NotEvaluable("No risk is recorded yet.");
  std::vector<Link> wanting;
  for (const auto& r : risks) {
    if (StrView(r.json, "owner_id").empty()) wanting.push_back(LinkTo("risk", r));
  }
  return Verdict(std::move(wanting), Status::kFail, "Every risk has an owner.",
                 "risk(s) without an owner.");
}

// 5.3: an owner for every applicable control.
Check ControlOwners(const Snapshot& s, const Settings&) {
  std::vector<Link> wanting;
  std::size_t applicable = 0;
  for (const auto& c : s.Of("control")) {
    auto it = c.json.find("applicable");
    if (it == c.json.end() || !it->value().is_bool() || !it->value().as_bool()) continue;
    ++applicable;
    if (Str(c.json, "owner_id").empty()) {
      wanting.push_back({"control", c.id, Str(c.json, "ref_id")});
    }
  }
  if (applicable == 0) return NotEvaluable("No control is decided applicable yet.");
  return Verdict(std::move(wanting), Status::kFail, "Every applicable control has an owner.",
                 "applicable control(s) without an owner.");
}

}  // namespace

void AddRules4To5(Rules& out) {
  out.push_back(std::make_unique<FunctionRule>(
      "context.issues_reviewed", "4.1",
      "Record the internal and external issues (Context) and review each one.", IssuesReviewed));
  out.push_back(std::make_unique<FunctionRule>(
      "context.interested_parties", "4.2",
      "Record the interested parties, their requirements and which ones the ISMS addresses.",
      InterestedParties));
  out.push_back(std::make_unique<FunctionRule>(
      "scope.published", "4.3",
      "Write the scope document, have it approved and publish it (Documents).", ScopePublished));
  out.push_back(std::make_unique<FunctionRule>(
      "leadership.management_review", "5.1",
      "Hold a management review with top management and record it.", ManagementCommitment));
  out.push_back(std::make_unique<FunctionRule>(
      "leadership.resources", "5.1",
      "Record top management's decision on the resources of the ISMS (Leadership → Records).",
      ResourcesDecided));
  out.push_back(std::make_unique<FunctionRule>(
      "policy.published", "5.2",
      "Have top management approve the information security policy, then publish it.",
      PolicyPublished));
  out.push_back(std::make_unique<FunctionRule>(
      "policy.acknowledged", "5.2",
      "Ask the people in scope to read and acknowledge the published policy.", PolicyAcknowledged));
  out.push_back(std::make_unique<FunctionRule>(
      "roles.assigned", "5.3", "Define the ISMS roles and assign each to someone.", RolesAssigned));
  out.push_back(std::make_unique<FunctionRule>("roles.risk_owners", "5.3",
                                               "Give every risk an owner.", RiskOwners));
  out.push_back(std::make_unique<FunctionRule>(
      "roles.control_owners", "5.3", "Give every applicable control an owner.", ControlOwners));
}

}  // namespace certus::readiness
