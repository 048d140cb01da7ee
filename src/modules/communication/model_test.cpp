// When a plan item is next due (ISO 27001 7.4 b): one-off, recurring and on-event items.
#include "modules/communication/model.hpp"

#include <gtest/gtest.h>

namespace certus::communication {
namespace {

Date D(const char* text) { return *ParseDate(text); }

TEST(NextDue, OneOffIsDueOnItsDateUntilCommunicated) {
  EXPECT_EQ(NextDue(Frequency::kOneOff, D("2026-04-01"), std::nullopt), D("2026-04-01"));
  EXPECT_EQ(NextDue(Frequency::kOneOff, D("2026-04-01"), D("2026-03-30")), std::nullopt);
}

TEST(NextDue, RecurringIsDueOnePeriodAfterTheLatestCommunication) {
  EXPECT_EQ(NextDue(Frequency::kQuarterly, D("2026-01-15"), std::nullopt), D("2026-01-15"));
  EXPECT_EQ(NextDue(Frequency::kMonthly, D("2026-01-15"), D("2026-02-20")), D("2026-03-20"));
  EXPECT_EQ(NextDue(Frequency::kQuarterly, D("2026-01-15"), D("2026-02-20")), D("2026-05-20"));
  EXPECT_EQ(NextDue(Frequency::kYearly, D("2026-01-15"), D("2024-02-29")), D("2025-02-28"));
  // The end of a month stays in the month it lands in.
  EXPECT_EQ(NextDue(Frequency::kMonthly, D("2026-01-01"), D("2026-01-31")), D("2026-02-28"));
}

TEST(NextDue, OnEventHasNoDate) {
  EXPECT_EQ(NextDue(Frequency::kOnEvent, std::nullopt, std::nullopt), std::nullopt);
  EXPECT_EQ(NextDue(Frequency::kOnEvent, D("2026-01-01"), D("2026-02-01")), std::nullopt);
}

TEST(Names, RoundTrip) {
  for (const auto& name : FrequencyNames()) EXPECT_EQ(FrequencyName(*ParseFrequency(name)), name);
  for (const auto& name : ChannelNames()) EXPECT_EQ(ChannelName(*ParseChannel(name)), name);
  EXPECT_FALSE(ParseChannel("pigeon"));
}

}  // namespace
}  // namespace certus::communication
