#include <algorithm>

#include "modules/readiness/rule.hpp"

namespace certus::readiness {

Check FunctionRule::Evaluate(const Snapshot& snapshot, const Settings& settings) const {
  Check check = body_(snapshot, settings);
  check.id = id_;
  check.requirement_ref = ref_;
  if (check.status == Status::kPass) {
    check.remedy.clear();
  } else if (check.remedy.empty()) {
    check.remedy = remedy_;
  }
  return check;
}

Check Pass(std::string message) { return {{}, {}, Status::kPass, std::move(message), {}, {}}; }
Check Warn(std::string message, std::vector<Link> links) {
  return {{}, {}, Status::kWarn, std::move(message), {}, std::move(links)};
}
Check Fail(std::string message, std::vector<Link> links) {
  return {{}, {}, Status::kFail, std::move(message), {}, std::move(links)};
}
Check NotEvaluable(std::string message) {
  return {{}, {}, Status::kNotEvaluable, std::move(message), {}, {}};
}

Check Verdict(std::vector<Link> wanting, Status bad, const std::string& ok_message,
              const std::string& what_is_wanting) {
  if (wanting.empty()) return Pass(ok_message);
  std::string message = std::to_string(wanting.size()) + " " + what_is_wanting;
  return bad == Status::kWarn ? Warn(std::move(message), std::move(wanting))
                              : Fail(std::move(message), std::move(wanting));
}

Date MonthsBefore(const Snapshot& snapshot, std::int64_t months) {
  return AddMonths(snapshot.as_of, -months);
}

bool Cancelled(const Record& record) {
  const std::string status = Str(record.json, "status");
  const std::string state = Str(record.json, "state");
  return status == "cancelled" || status == "discarded" || status == "retired" ||
         state == "cancelled";
}

const Rules& AllRules() {
  static const Rules kRules = [] {
    Rules rules;
    AddRules4To5(rules);
    AddRules6(rules);
    AddRules7To8(rules);
    AddRules9To10(rules);
    return rules;
  }();
  return kRules;
}

const Rule* FindRule(std::string_view id) {
  for (const auto& rule : AllRules()) {
    if (rule->id() == id) return rule.get();
  }
  return nullptr;
}

}  // namespace certus::readiness
