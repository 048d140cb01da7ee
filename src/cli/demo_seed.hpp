#pragma once

// The pieces of `certus demo` (demo_command.cpp): the walking clock, the seed's shared
// state, and the timeline the areas schedule their steps on. Internal to src/cli.

#include <atomic>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "cli/app.hpp"
#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/time.hpp"

namespace certus::cli::demo {

/// A clock the demo moves from a year ago to today. Each reading advances it by a
/// millisecond, so events written at one moment of the story keep their order. Thread-safe.
class WalkingClock final : public Clock {
 public:
  explicit WalkingClock(Timestamp start) : now_(start.time_since_epoch().count()) {}
  Timestamp Now() const override {
    return Timestamp(std::chrono::microseconds(now_.fetch_add(1000)));
  }
  /// Moves to `at`; never backwards (the audit log is a story told in order).
  void MoveTo(Timestamp at) {
    const auto target = at.time_since_epoch().count();
    if (target > now_.load()) now_.store(target);
  }

 private:
  mutable std::atomic<std::int64_t> now_;
};

/// Everything the steps share: the services, the organization, its people and the records
/// later steps refer to, by short keys.
struct Seed {
  App& app;
  WalkingClock& clock;
  Timestamp today;  ///< the real moment the demo runs: day 0 of the story
  OrgId org;
  std::map<std::string, Actor> actors;         ///< by key: ceo, ciso, isms, …
  std::map<std::string, std::string> ids;      ///< records by key: "risk:R1", "doc:backup", …
  std::map<std::string, std::int64_t> counts;  ///< what was created, for the summary

  /// The calendar day `days_ago` days before today (negative: in the future).
  Date Day(int days_ago) const;
  const Actor& As(const std::string& key) const { return actors.at(key); }
  UserId User(const std::string& key) const { return actors.at(key).user_id; }
  const std::string& Id(const std::string& key) const { return ids.at(key); }
  void Count(const std::string& what, std::int64_t n = 1) { counts[what] += n; }
};

using StepBody = std::function<Expected<void>(Seed&)>;

/// The story: steps at days before today, run oldest first (in the order scheduled within
/// a day) with the clock set to their day.
class Timeline final {
 public:
  void At(int days_ago, std::string what, StepBody body);
  /// Runs every step; the first failure stops the run and names the step.
  Expected<void> Run(Seed& seed);

 private:
  struct Step {
    int days_ago = 0;
    std::size_t order = 0;
    std::string what;
    StepBody body;
  };
  std::vector<Step> steps_;
};

// The areas, each scheduling its steps (demo_command.cpp, demo_foundation.cpp, demo_risk.cpp,
// demo_operation.cpp). The people are members before any step runs.
void PlanPeople(Timeline& timeline);  // ISMS roles, people register, competences, trainings
void PlanAcknowledgments(Timeline& timeline);  // of the published policy
void PlanFoundation(Timeline& timeline);       // context, parties, scope, policy, documents, comms
void PlanRisk(Timeline& timeline);             // methodology, assets, risks, SoA, treatments
void PlanOperation(Timeline& timeline);        // objectives, incidents, audits, review, NCs

}  // namespace certus::cli::demo
