// The computed status of an objective (ISO 27001 6.2, 9.1): both directions, the boundaries,
// missed, at risk by warning, by a stale metric and by trend, and no data.
#include "modules/objectives/status.hpp"

#include <gtest/gtest.h>

namespace certus::objectives {
namespace {

Date D(const char* text) { return *ParseDate(text); }

StatusInput Base(Direction direction, double target) {
  StatusInput input;
  input.has_metric = true;
  input.direction = direction;
  input.target = target;
  input.frequency = Frequency::kMonthly;
  input.due_on = D("2026-12-31");
  input.today = D("2026-06-15");
  return input;
}

TEST(ObjectiveStatus, NoMetricNoTargetOrNoMeasurementIsNoData) {
  StatusInput none;
  none.due_on = D("2026-12-31");
  none.today = D("2026-06-15");
  EXPECT_EQ(ComputeStatus(none).status, ObjectiveStatus::kNoData);
  EXPECT_NE(ComputeStatus(none).reason.find("No metric"), std::string::npos);

  auto no_target = Base(Direction::kHigherIsBetter, 0);
  no_target.target.reset();
  no_target.points = {{D("2026-06-01"), 90}};
  EXPECT_EQ(ComputeStatus(no_target).status, ObjectiveStatus::kNoData);

  auto empty = Base(Direction::kHigherIsBetter, 95);
  auto result = ComputeStatus(empty);
  EXPECT_EQ(result.status, ObjectiveStatus::kNoData);
  EXPECT_EQ(result.reason, "No measurement has been recorded yet.");
}

TEST(ObjectiveStatus, HigherIsBetterAchievedAtTheTargetExactly) {
  auto input = Base(Direction::kHigherIsBetter, 95);
  input.unit = "%";
  input.points = {{D("2026-05-01"), 80}, {D("2026-06-01"), 95}};
  auto result = ComputeStatus(input);
  EXPECT_EQ(result.status, ObjectiveStatus::kAchieved);
  EXPECT_EQ(result.reason, "The latest measurement, 95% on 2026-06-01, meets the target of 95%.");
  input.points.back().value = 94.999;
  EXPECT_NE(ComputeStatus(input).status, ObjectiveStatus::kAchieved);
}

TEST(ObjectiveStatus, LowerIsBetterAchievedAtOrBelowTheTarget) {
  auto input = Base(Direction::kLowerIsBetter, 5);
  input.unit = "incidents";
  input.points = {{D("2026-05-01"), 9}, {D("2026-06-01"), 5}};
  EXPECT_EQ(ComputeStatus(input).status, ObjectiveStatus::kAchieved);
  input.points.back().value = 4;
  EXPECT_EQ(ComputeStatus(input).status, ObjectiveStatus::kAchieved);
  input.points.back().value = 5.5;
  EXPECT_NE(ComputeStatus(input).status, ObjectiveStatus::kAchieved);
}

TEST(ObjectiveStatus, OnlyTheLatestMeasurementCountsForAchievement) {
  auto input = Base(Direction::kHigherIsBetter, 95);
  input.points = {{D("2026-05-01"), 96}, {D("2026-06-01"), 93}, {D("2026-06-10"), 94}};
  EXPECT_NE(ComputeStatus(input).status, ObjectiveStatus::kAchieved);
}

TEST(ObjectiveStatus, MissedOncePastTheDueDateWithoutMeetingTheTarget) {
  auto input = Base(Direction::kHigherIsBetter, 95);
  input.due_on = D("2026-06-01");
  input.today = D("2026-06-02");
  input.points = {{D("2026-05-01"), 90}, {D("2026-06-01"), 94}};
  auto result = ComputeStatus(input);
  EXPECT_EQ(result.status, ObjectiveStatus::kMissed);
  EXPECT_NE(result.reason.find("has passed"), std::string::npos);

  // On the due date itself it is not missed yet.
  input.today = D("2026-06-01");
  EXPECT_NE(ComputeStatus(input).status, ObjectiveStatus::kMissed);

  // A result after the due date does not rescue it.
  input.today = D("2026-07-01");
  input.points.push_back({D("2026-06-20"), 99});
  EXPECT_EQ(ComputeStatus(input).status, ObjectiveStatus::kMissed);

  // Met by the due date: achieved, whatever came after.
  input.points = {{D("2026-05-30"), 96}, {D("2026-06-20"), 80}};
  EXPECT_EQ(ComputeStatus(input).status, ObjectiveStatus::kAchieved);

  // Nothing measured by the due date.
  input.points = {{D("2026-06-20"), 99}};
  EXPECT_EQ(ComputeStatus(input).status, ObjectiveStatus::kMissed);
  input.points.clear();
  EXPECT_EQ(ComputeStatus(input).status, ObjectiveStatus::kMissed);
}

TEST(ObjectiveStatus, AtRiskBelowTheWarningThreshold) {
  auto input = Base(Direction::kHigherIsBetter, 95);
  input.warning = 85;
  input.points = {{D("2026-06-01"), 84}};
  auto result = ComputeStatus(input);
  EXPECT_EQ(result.status, ObjectiveStatus::kAtRisk);
  EXPECT_NE(result.reason.find("warning threshold of 85"), std::string::npos);
  input.points.back().value = 85;  // at the threshold is not beyond it
  EXPECT_EQ(ComputeStatus(input).status, ObjectiveStatus::kOnTrack);

  auto lower = Base(Direction::kLowerIsBetter, 2);
  lower.warning = 4;
  lower.points = {{D("2026-06-01"), 4.5}};
  EXPECT_EQ(ComputeStatus(lower).status, ObjectiveStatus::kAtRisk);
  lower.points.back().value = 4;
  EXPECT_EQ(ComputeStatus(lower).status, ObjectiveStatus::kOnTrack);
}

TEST(ObjectiveStatus, AtRiskWhenNoMeasurementWithinTheFrequency) {
  auto input = Base(Direction::kHigherIsBetter, 95);
  input.points = {{D("2026-05-15"), 90}};
  input.today = D("2026-06-15");  // due on 2026-06-15: not late yet
  EXPECT_EQ(ComputeStatus(input).status, ObjectiveStatus::kOnTrack);
  input.today = D("2026-06-16");
  auto result = ComputeStatus(input);
  EXPECT_EQ(result.status, ObjectiveStatus::kAtRisk);
  EXPECT_EQ(result.reason,
            "No measurement since 2026-05-15: the metric is measured monthly and the next one "
            "was due on 2026-06-15.");
  input.frequency = Frequency::kQuarterly;
  EXPECT_EQ(ComputeStatus(input).status, ObjectiveStatus::kOnTrack);
}

TEST(ObjectiveStatus, AtRiskWhenTheTrendFallsShortByTheDueDate) {
  auto input = Base(Direction::kHigherIsBetter, 95);
  input.due_on = D("2026-09-01");
  input.today = D("2026-06-02");
  // +1 a month: about 87 by September.
  input.points = {{D("2026-04-01"), 83}, {D("2026-05-01"), 84}, {D("2026-06-01"), 85}};
  auto slow = ComputeStatus(input);
  EXPECT_EQ(slow.status, ObjectiveStatus::kAtRisk);
  EXPECT_NE(slow.reason.find("short of the target"), std::string::npos);
  // +5 a month: about 100 by September.
  input.points = {{D("2026-04-01"), 75}, {D("2026-05-01"), 80}, {D("2026-06-01"), 85}};
  auto fast = ComputeStatus(input);
  EXPECT_EQ(fast.status, ObjectiveStatus::kOnTrack);
  EXPECT_NE(fast.reason.find("meeting the target"), std::string::npos);

  // Lower is better: falling fast enough is on track, rising is at risk.
  auto lower = Base(Direction::kLowerIsBetter, 10);
  lower.due_on = D("2026-09-01");
  lower.today = D("2026-06-02");
  lower.points = {{D("2026-04-01"), 30}, {D("2026-05-01"), 24}, {D("2026-06-01"), 18}};
  EXPECT_EQ(ComputeStatus(lower).status, ObjectiveStatus::kOnTrack);
  lower.points = {{D("2026-04-01"), 18}, {D("2026-05-01"), 20}, {D("2026-06-01"), 22}};
  EXPECT_EQ(ComputeStatus(lower).status, ObjectiveStatus::kAtRisk);
}

TEST(ObjectiveStatus, TheTrendUsesTheNewestMeasurementsOnly) {
  auto input = Base(Direction::kHigherIsBetter, 95);
  input.due_on = D("2026-12-01");
  input.today = D("2026-10-02");
  // A steep early climb, then flat for six months: the flat part decides.
  input.points = {{D("2026-01-01"), 10}, {D("2026-02-01"), 50}, {D("2026-03-01"), 80},
                  {D("2026-05-01"), 80}, {D("2026-06-01"), 80}, {D("2026-07-01"), 80},
                  {D("2026-08-01"), 80}, {D("2026-09-01"), 80}, {D("2026-10-01"), 80}};
  EXPECT_EQ(ComputeStatus(input).status, ObjectiveStatus::kAtRisk);
}

TEST(ObjectiveStatus, OneMeasurementShortOfTheTargetIsOnTrackWithoutATrend) {
  auto input = Base(Direction::kHigherIsBetter, 95);
  input.points = {{D("2026-06-10"), 60}};
  auto result = ComputeStatus(input);
  EXPECT_EQ(result.status, ObjectiveStatus::kOnTrack);
  EXPECT_NE(result.reason.find("no trend yet"), std::string::npos);
  // Two on the same day give no slope either.
  input.points.push_back({D("2026-06-10"), 61});
  EXPECT_EQ(ComputeStatus(input).status, ObjectiveStatus::kOnTrack);
}

TEST(ObjectiveStatus, NextDueFollowsTheCalendar) {
  EXPECT_EQ(NextDue(D("2026-01-31"), Frequency::kMonthly), D("2026-02-28"));
  EXPECT_EQ(NextDue(D("2026-01-31"), Frequency::kWeekly), D("2026-02-07"));
  EXPECT_EQ(NextDue(D("2026-11-30"), Frequency::kQuarterly), D("2027-02-28"));
  EXPECT_EQ(NextDue(D("2024-02-29"), Frequency::kYearly), D("2025-02-28"));
}

}  // namespace
}  // namespace certus::objectives
