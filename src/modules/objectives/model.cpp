#include "modules/objectives/model.hpp"

#include <array>
#include <utility>

namespace certus::objectives {

namespace {

template <typename E, std::size_t N>
std::optional<E> Parse(const std::array<std::pair<E, std::string_view>, N>& names,
                       std::string_view name) {
  for (const auto& [value, text] : names) {
    if (text == name) return value;
  }
  return std::nullopt;
}

template <typename E, std::size_t N>
std::string_view Name(const std::array<std::pair<E, std::string_view>, N>& names, E value) {
  for (const auto& [candidate, text] : names) {
    if (candidate == value) return text;
  }
  return names[0].second;
}

template <typename E, std::size_t N>
std::vector<std::string> Names(const std::array<std::pair<E, std::string_view>, N>& names) {
  std::vector<std::string> out;
  out.reserve(N);
  for (const auto& [value, text] : names) out.emplace_back(text);
  return out;
}

constexpr std::array<std::pair<Direction, std::string_view>, 2> kDirections = {{
    {Direction::kHigherIsBetter, "higher_is_better"},
    {Direction::kLowerIsBetter, "lower_is_better"},
}};
constexpr std::array<std::pair<Frequency, std::string_view>, 4> kFrequencies = {{
    {Frequency::kWeekly, "weekly"},
    {Frequency::kMonthly, "monthly"},
    {Frequency::kQuarterly, "quarterly"},
    {Frequency::kYearly, "yearly"},
}};
constexpr std::array<std::pair<MetricStatus, std::string_view>, 2> kMetricStatuses = {{
    {MetricStatus::kActive, "active"},
    {MetricStatus::kRetired, "retired"},
}};
constexpr std::array<std::pair<ObjectiveState, std::string_view>, 2> kStates = {{
    {ObjectiveState::kActive, "active"},
    {ObjectiveState::kCancelled, "cancelled"},
}};
constexpr std::array<std::pair<ObjectiveStatus, std::string_view>, 5> kStatuses = {{
    {ObjectiveStatus::kOnTrack, "on_track"},
    {ObjectiveStatus::kAtRisk, "at_risk"},
    {ObjectiveStatus::kAchieved, "achieved"},
    {ObjectiveStatus::kMissed, "missed"},
    {ObjectiveStatus::kNoData, "no_data"},
}};

}  // namespace

std::string_view DirectionName(Direction direction) { return Name(kDirections, direction); }
std::optional<Direction> ParseDirection(std::string_view name) { return Parse(kDirections, name); }
const std::vector<std::string>& DirectionNames() {
  static const auto kNames = Names(kDirections);
  return kNames;
}

std::string_view FrequencyName(Frequency frequency) { return Name(kFrequencies, frequency); }
std::optional<Frequency> ParseFrequency(std::string_view name) { return Parse(kFrequencies, name); }
const std::vector<std::string>& FrequencyNames() {
  static const auto kNames = Names(kFrequencies);
  return kNames;
}

std::string_view MetricStatusName(MetricStatus status) { return Name(kMetricStatuses, status); }
std::optional<MetricStatus> ParseMetricStatus(std::string_view name) {
  return Parse(kMetricStatuses, name);
}

std::string_view ObjectiveStateName(ObjectiveState state) { return Name(kStates, state); }
std::optional<ObjectiveState> ParseObjectiveState(std::string_view name) {
  return Parse(kStates, name);
}
std::string_view ObjectiveStatusName(ObjectiveStatus status) { return Name(kStatuses, status); }

Date NextDue(Date from, Frequency frequency) {
  if (frequency == Frequency::kWeekly)
    return Date(std::chrono::sys_days(from) + std::chrono::days(7));
  const int months = frequency == Frequency::kMonthly     ? 1
                     : frequency == Frequency::kQuarterly ? 3
                                                          : 12;
  Date next = from + std::chrono::months(months);
  if (!next.ok()) next = Date(next.year() / next.month() / std::chrono::last);
  return next;
}

}  // namespace certus::objectives
