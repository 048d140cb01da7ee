#pragma once

#include <optional>
#include <string>
#include <vector>

#include "modules/objectives/model.hpp"

namespace certus::objectives {

/// A measurement as the status rules see it.
struct StatusPoint {
  Date measured_on;
  double value = 0;
};

/// Everything the status of an objective depends on; no database, no clock.
struct StatusInput {
  bool has_metric = false;
  Direction direction = Direction::kHigherIsBetter;
  std::optional<double> target;
  std::optional<double> warning;
  Frequency frequency = Frequency::kMonthly;
  std::string unit;
  Date due_on;
  Date today;
  /// The measurements that count (corrections applied), oldest first; of two on one day
  /// the one recorded later comes later.
  std::vector<StatusPoint> points;
};

struct StatusResult {
  ObjectiveStatus status = ObjectiveStatus::kNoData;
  std::string reason;  ///< which rule decided, for people
};

/// How many of the newest measurements the trend is fitted to.
inline constexpr std::size_t kTrendWindow = 6;

/// Whether `value` meets `target`: at least it when higher is better, at most it when lower
/// is better. Meeting the target exactly counts.
bool Meets(Direction direction, double value, double target);

/// The status of an objective from its metric's measurements (ISO 27001 6.2, 9.1), rules in
/// this order:
/// 1. no_data: no metric or no target; or no measurement yet while the due date is ahead.
/// 2. After the due date, the last measurement on or before it decides: achieved when it
///    meets the target, else missed (also missed when there is none).
/// 3. achieved: the latest measurement meets the target.
/// 4. at_risk: the latest is worse than the warning threshold; or no measurement within the
///    metric's frequency (the next one was due before today); or the straight line fitted to
///    the last kTrendWindow measurements (least squares over days) does not reach the target
///    by the due date.
/// 5. on_track otherwise.
StatusResult ComputeStatus(const StatusInput& input);

}  // namespace certus::objectives
