#include <gtest/gtest.h>

#include "core/encoding.hpp"
#include "core/time.hpp"
#include "core/uuid.hpp"
#include "tests/support/fakes.hpp"

namespace certus {
namespace {

TEST(Time, TimestampsRoundTripAtFixedWidth) {
  auto at = ParseTimestamp("2026-11-24T03:42:56.5Z");
  ASSERT_TRUE(at);
  EXPECT_EQ(FormatTimestamp(*at), "2026-11-24T03:42:56.500000Z");
  auto offset = ParseTimestamp("2026-11-24T05:42:56+02:00");
  ASSERT_TRUE(offset);
  EXPECT_EQ(FormatTimestamp(*offset), "2026-11-24T03:42:56.000000Z");
}

TEST(Time, RejectsWhatIsNotATimestamp) {
  for (auto text :
       {"", "2026-11-24", "2026-11-24 03:42:56Z", "2026-13-01T00:00:00Z", "2026-11-24T25:00:00Z",
        "2026-11-24T03:42:56", "2026-11-24T03:42:56.Z", "2026-11-24T03:42:56+0200"}) {
    EXPECT_FALSE(ParseTimestamp(text)) << text;
  }
}

TEST(Time, DatesMustBeRealCalendarDays) {
  EXPECT_TRUE(ParseDate("2024-02-29"));
  EXPECT_FALSE(ParseDate("2026-02-29"));
  EXPECT_FALSE(ParseDate("2026-2-01"));
  EXPECT_FALSE(ParseDate("2026-02-01x"));
  EXPECT_FALSE(ParseDate("+026-02-01"));
  EXPECT_EQ(FormatDate(*ParseDate("2026-02-01")), "2026-02-01");
}

TEST(Encoding, Base64UrlRoundTripsEveryLength) {
  std::string bytes;
  for (int i = 0; i < 40; ++i) {
    EXPECT_EQ(Base64UrlDecode(Base64UrlEncode(bytes)), bytes);
    bytes.push_back(static_cast<char>(i * 37));
  }
  EXPECT_FALSE(Base64UrlDecode("a+b/"));
  EXPECT_FALSE(Base64UrlDecode("abcde"));
}

TEST(Encoding, Sha256MatchesTheStandardVector) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Encoding, Utf8ValidationRefusesOverlongsAndSurrogates) {
  EXPECT_TRUE(IsValidUtf8("Grüße, 世界, 🙂"));
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));      // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));  // surrogate
  EXPECT_FALSE(IsValidUtf8("\xff"));
  EXPECT_FALSE(IsValidUtf8("\xe2\x82"));  // truncated
}

TEST(Uuid, IsVersion7AndTimeOrdered) {
  testing::FakeClock clock;
  testing::SeededRandom random;
  auto first = NewUuid(clock, random);
  clock.Advance(std::chrono::milliseconds(1));
  auto second = NewUuid(clock, random);
  EXPECT_EQ(first.size(), 36u);
  EXPECT_EQ(first[14], '7');
  EXPECT_LT(first, second);
}

}  // namespace
}  // namespace certus
