#include "modules/objectives/status.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include <fmt/format.h>

namespace certus::objectives {

namespace {

std::string Number(double value, const std::string& unit) {
  // Six significant digits are plenty for a reason people read; the API carries the values.
  std::string text = fmt::format("{:.6g}", value);
  if (unit.empty()) return text;
  if (unit == "%") return text + "%";
  return text + " " + unit;
}

double Days(Date date) {
  return static_cast<double>(std::chrono::sys_days(date).time_since_epoch().count());
}

/// The value of the least-squares line through `points` at `when`; nullopt when the points
/// span a single day (no slope to speak of).
std::optional<double> Project(const std::vector<StatusPoint>& points, Date when) {
  const auto n = static_cast<double>(points.size());
  double mean_x = 0;
  double mean_y = 0;
  for (const auto& point : points) {
    mean_x += Days(point.measured_on);
    mean_y += point.value;
  }
  mean_x /= n;
  mean_y /= n;
  double sxx = 0;
  double sxy = 0;
  for (const auto& point : points) {
    const double dx = Days(point.measured_on) - mean_x;
    sxx += dx * dx;
    sxy += dx * (point.value - mean_y);
  }
  if (sxx == 0) return std::nullopt;
  const double slope = sxy / sxx;
  return mean_y + slope * (Days(when) - mean_x);
}

/// Meets, with a little tolerance for the rounding of a fitted line.
bool ProjectionMeets(Direction direction, double projected, double target) {
  const double tolerance = 1e-9 * std::max(1.0, std::abs(target));
  return direction == Direction::kHigherIsBetter ? projected >= target - tolerance
                                                 : projected <= target + tolerance;
}

}  // namespace

bool Meets(Direction direction, double value, double target) {
  return direction == Direction::kHigherIsBetter ? value >= target : value <= target;
}

StatusResult ComputeStatus(const StatusInput& input) {
  if (!input.has_metric) {
    return {ObjectiveStatus::kNoData,
            "No metric is linked, so the objective cannot be evaluated from measurements."};
  }
  if (!input.target) {
    return {ObjectiveStatus::kNoData, "The objective has no target to measure against."};
  }
  const double target = *input.target;
  const std::string target_text = Number(target, input.unit);
  const bool overdue = std::chrono::sys_days(input.today) > std::chrono::sys_days(input.due_on);
  const std::string due_text = FormatDate(input.due_on);

  if (overdue) {
    // After the due date only what was measured by then counts.
    const StatusPoint* last = nullptr;
    for (const auto& point : input.points) {
      if (std::chrono::sys_days(point.measured_on) <= std::chrono::sys_days(input.due_on)) {
        last = &point;
      }
    }
    if (last == nullptr) {
      return {ObjectiveStatus::kMissed,
              "The due date " + due_text + " has passed without a measurement on or before it."};
    }
    const std::string value_text = Number(last->value, input.unit);
    if (Meets(input.direction, last->value, target)) {
      return {ObjectiveStatus::kAchieved, "The last measurement by the due date, " + value_text +
                                              " on " + FormatDate(last->measured_on) +
                                              ", meets the target of " + target_text + "."};
    }
    return {ObjectiveStatus::kMissed, "The due date " + due_text +
                                          " has passed and the last measurement by then, " +
                                          value_text + " on " + FormatDate(last->measured_on) +
                                          ", does not meet the target of " + target_text + "."};
  }

  if (input.points.empty()) {
    return {ObjectiveStatus::kNoData, "No measurement has been recorded yet."};
  }
  const StatusPoint& latest = input.points.back();
  const std::string latest_text = Number(latest.value, input.unit);
  const std::string latest_on = FormatDate(latest.measured_on);
  if (Meets(input.direction, latest.value, target)) {
    return {ObjectiveStatus::kAchieved, "The latest measurement, " + latest_text + " on " +
                                            latest_on + ", meets the target of " + target_text +
                                            "."};
  }
  if (input.warning) {
    const bool worse = input.direction == Direction::kHigherIsBetter
                           ? latest.value < *input.warning
                           : latest.value > *input.warning;
    if (worse) {
      return {ObjectiveStatus::kAtRisk, "The latest measurement, " + latest_text + " on " +
                                            latest_on +
                                            ", is worse than the warning threshold of " +
                                            Number(*input.warning, input.unit) + "."};
    }
  }
  const Date next_due = NextDue(latest.measured_on, input.frequency);
  if (std::chrono::sys_days(input.today) > std::chrono::sys_days(next_due)) {
    return {ObjectiveStatus::kAtRisk,
            "No measurement since " + latest_on + ": the metric is measured " +
                std::string(FrequencyName(input.frequency)) + " and the next one was due on " +
                FormatDate(next_due) + "."};
  }
  const std::size_t window = std::min(kTrendWindow, input.points.size());
  const std::vector<StatusPoint> recent(input.points.end() - static_cast<std::ptrdiff_t>(window),
                                        input.points.end());
  if (auto projected = window >= 2 ? Project(recent, input.due_on) : std::nullopt) {
    const std::string projected_text = Number(*projected, input.unit);
    if (!ProjectionMeets(input.direction, *projected, target)) {
      return {ObjectiveStatus::kAtRisk, "The trend of the last " + std::to_string(window) +
                                            " measurements reaches " + projected_text +
                                            " by the due date " + due_text +
                                            ", short of the target of " + target_text + "."};
    }
    return {ObjectiveStatus::kOnTrack, "The trend of the last " + std::to_string(window) +
                                           " measurements reaches " + projected_text +
                                           " by the due date " + due_text +
                                           ", meeting the target of " + target_text + "."};
  }
  return {ObjectiveStatus::kOnTrack, "The latest measurement, " + latest_text + " on " + latest_on +
                                         ", is short of the target of " + target_text +
                                         ", with no trend yet and the due date " + due_text +
                                         " ahead."};
}

}  // namespace certus::objectives
