#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/strong_id.hpp"
#include "core/time.hpp"

namespace certus::objectives {

using MetricId = StrongId<struct MetricTag>;
using MeasurementId = StrongId<struct MeasurementTag>;
using ObjectiveId = StrongId<struct ObjectiveTag>;

// ------------------------------------------------------------------ metrics (9.1)

/// Which way a metric improves.
enum class Direction { kHigherIsBetter, kLowerIsBetter };
/// How often a metric is measured (ISO 27001 9.1 c: when monitoring and measuring is done).
enum class Frequency { kWeekly, kMonthly, kQuarterly, kYearly };
enum class MetricStatus { kActive, kRetired };

std::string_view DirectionName(Direction direction);
std::optional<Direction> ParseDirection(std::string_view name);
const std::vector<std::string>& DirectionNames();
std::string_view FrequencyName(Frequency frequency);
std::optional<Frequency> ParseFrequency(std::string_view name);
const std::vector<std::string>& FrequencyNames();
std::string_view MetricStatusName(MetricStatus status);
std::optional<MetricStatus> ParseMetricStatus(std::string_view name);

/// The day a measurement taken on `from` is next due: one period of `frequency` later
/// (months are calendar months; the 31st becomes the month's last day).
Date NextDue(Date from, Frequency frequency);

/// The newest measurement that counts (not superseded by a correction).
struct LatestValue {
  double value = 0;
  Date measured_on;
};

/// What is measured, how and how often, by whom, and what good looks like
/// (ISO 27001 9.1 a–d).
struct Metric {
  MetricId id;
  OrgId org_id;
  std::string ref;  ///< MET-0001, …
  std::string name;
  std::string description;
  std::string unit;
  Direction direction = Direction::kHigherIsBetter;
  double target = 0;
  std::optional<double> warning;  ///< beyond it the metric is at risk
  Frequency frequency = Frequency::kMonthly;
  UserId owner_id;
  std::string method;  ///< how it is measured (9.1 b)
  std::string source;  ///< where the data comes from
  MetricStatus status = MetricStatus::kActive;
  std::int64_t version = 1;
  std::string created_at;
  std::string updated_at;
  // Derived, not stored.
  std::int64_t measurement_count = 0;
  std::optional<LatestValue> latest;
  std::optional<Date> due_on;  ///< next measurement; none once retired
  bool overdue = false;
};

/// Create and update alike: an absent field stays as it is (create: takes its default).
struct MetricPatch {
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<std::string> unit;
  std::optional<Direction> direction;
  std::optional<double> target;
  std::optional<std::optional<double>> warning;  ///< inner nullopt clears it
  std::optional<Frequency> frequency;
  std::optional<UserId> owner_id;
  std::optional<std::string> method;
  std::optional<std::string> source;
  std::optional<MetricStatus> status;
};

struct MetricFilter {
  std::optional<MetricStatus> status;
  std::optional<UserId> owner_id;
  std::optional<Frequency> frequency;
  std::optional<std::string> text;  ///< in ref, name, description or unit
};

/// One result of measuring (9.1, documented information as evidence of the results).
/// Appended, never changed: `corrects_id` names the measurement a correction replaces, and
/// `superseded_by` (derived) the correction that replaced this one.
struct Measurement {
  MeasurementId id;
  OrgId org_id;
  MetricId metric_id;
  std::int64_t seq = 0;  ///< 1, 2, … in the order recorded
  double value = 0;
  Date measured_on;
  std::string note;
  std::optional<MeasurementId> corrects_id;
  std::optional<MeasurementId> superseded_by;
  UserId recorded_by;
  std::string recorded_by_email;
  std::int64_t version = 1;  ///< always 1: measurements never change
  std::string created_at;
};

struct NewMeasurement {
  double value = 0;
  Date measured_on;
  std::string note;
  std::optional<MeasurementId> corrects_id;
};

// ------------------------------------------------------------------ objectives (6.2)

/// What the owner decides; `ObjectiveStatus` is what the measurements say.
enum class ObjectiveState { kActive, kCancelled };
enum class ObjectiveStatus { kOnTrack, kAtRisk, kAchieved, kMissed, kNoData };

std::string_view ObjectiveStateName(ObjectiveState state);
std::optional<ObjectiveState> ParseObjectiveState(std::string_view name);
std::string_view ObjectiveStatusName(ObjectiveStatus status);

/// ISO 27001 6.2 f–j: what will be done, with what resources, who is responsible, when it
/// will be completed and how the results will be evaluated.
struct Plan {
  std::string what;
  std::string resources;
  std::string responsible;
  std::optional<UserId> responsible_id;  ///< a member, when one person is responsible
  std::string when;
  std::string evaluation;
};

/// What an objective shows of its metric.
struct MetricSummary {
  std::string ref;
  std::string name;
  std::string unit;
  Direction direction = Direction::kHigherIsBetter;
  MetricStatus status = MetricStatus::kActive;
};

/// An information security objective (ISO 27001 6.2), measured by a metric when practicable.
struct Objective {
  ObjectiveId id;
  OrgId org_id;
  std::string ref;  ///< OBJ-0001, …
  std::string title;
  std::string description;
  UserId owner_id;
  std::optional<MetricId> metric_id;
  std::optional<double> target;  ///< in the metric's unit; the metric's target by default
  Date due_on;
  Plan plan;
  ObjectiveState state = ObjectiveState::kActive;
  std::int64_t version = 1;
  std::string created_at;
  std::string updated_at;
  // Derived, not stored.
  ObjectiveStatus status = ObjectiveStatus::kNoData;
  std::string status_reason;
  std::optional<MetricSummary> metric;
};

struct ObjectivePatch {
  std::optional<std::string> title;
  std::optional<std::string> description;
  std::optional<UserId> owner_id;
  std::optional<std::optional<MetricId>> metric_id;
  std::optional<std::optional<double>> target;
  std::optional<Date> due_on;
  std::optional<std::string> plan_what;
  std::optional<std::string> plan_resources;
  std::optional<std::string> plan_responsible;
  std::optional<std::optional<UserId>> plan_responsible_id;
  std::optional<std::string> plan_when;
  std::optional<std::string> plan_evaluation;
  std::optional<ObjectiveState> state;
};

struct ObjectiveFilter {
  std::optional<ObjectiveState> state;
  std::optional<UserId> owner_id;
  std::optional<MetricId> metric_id;
  std::optional<std::string> text;  ///< in ref, title or description
};

}  // namespace certus::objectives
