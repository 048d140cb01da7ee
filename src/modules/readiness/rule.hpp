#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "modules/readiness/model.hpp"

namespace certus::readiness {

/// One check an auditor makes, citing the requirement of ISO/IEC 27001:2022 it tests.
/// Rules read only the snapshot and the settings: evaluating the same history gives the
/// same answer, whenever it is asked.
class Rule {
 public:
  virtual ~Rule() = default;
  virtual std::string_view id() const = 0;
  virtual std::string_view requirement_ref() const = 0;
  virtual Check Evaluate(const Snapshot& snapshot, const Settings& settings) const = 0;
};

/// A rule from an id, a requirement and a function; what every built-in rule is.
class FunctionRule final : public Rule {
 public:
  using Body = Check (*)(const Snapshot&, const Settings&);
  FunctionRule(std::string id, std::string requirement_ref, std::string remedy, Body body)
      : id_(std::move(id)),
        ref_(std::move(requirement_ref)),
        remedy_(std::move(remedy)),
        body_(body) {}
  std::string_view id() const override { return id_; }
  std::string_view requirement_ref() const override { return ref_; }
  Check Evaluate(const Snapshot& snapshot, const Settings& settings) const override;

 private:
  std::string id_;
  std::string ref_;
  std::string remedy_;
  Body body_;
};

using Rules = std::vector<std::unique_ptr<Rule>>;

// The rules of each group of clauses (rules_4_5.cpp, rules_6.cpp, rules_7_8.cpp,
// rules_9_10.cpp), appended to `out`.
void AddRules4To5(Rules& out);
void AddRules6(Rules& out);
void AddRules7To8(Rules& out);
void AddRules9To10(Rules& out);

/// Every built-in rule, in clause order.
const Rules& AllRules();
/// The rule with this id, or null.
const Rule* FindRule(std::string_view id);

// ---- helpers for rule bodies
Check Pass(std::string message);
Check Warn(std::string message, std::vector<Link> links = {});
Check Fail(std::string message, std::vector<Link> links = {});
Check NotEvaluable(std::string message);
/// Pass when `wanting` is empty, otherwise `bad` (fail or warn) naming how many.
Check Verdict(std::vector<Link> wanting, Status bad, const std::string& ok_message,
              const std::string& what_is_wanting);
/// The moment before which something counts as recent: as_of minus `months`.
Date MonthsBefore(const Snapshot& snapshot, std::int64_t months);
/// A record is live in a workflow sense (not cancelled, discarded, retired).
bool Cancelled(const Record& record);

}  // namespace certus::readiness
