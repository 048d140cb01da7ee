// TOTP against the RFC 6238 test vectors and the rules built on it: the window and the
// refusal of a code whose step was used already.
#include "identity/totp.hpp"

#include <gtest/gtest.h>

#include "core/time.hpp"

namespace certus::identity {
namespace {

// RFC 6238 Appendix B: the SHA-1 key is the ASCII string "12345678901234567890".
constexpr std::string_view kRfcKey = "12345678901234567890";

Timestamp At(std::int64_t unix_seconds) { return Timestamp(std::chrono::seconds(unix_seconds)); }

TEST(Totp, MatchesTheRfc6238Sha1Vectors) {
  struct Vector {
    std::int64_t time;
    const char* code;
  };
  for (auto [time, code] : {Vector{59, "94287082"}, Vector{1111111109, "07081804"},
                            Vector{1111111111, "14050471"}, Vector{1234567890, "89005924"},
                            Vector{2000000000, "69279037"}, Vector{20000000000, "65353130"}}) {
    EXPECT_EQ(TotpCode(kRfcKey, TotpStep(At(time)), 8), code) << "T=" << time;
  }
}

TEST(Totp, SixDigitsAreTheLastSixOfTheRfcCode) {
  // The 6-digit code is the same dynamic truncation modulo 10^6.
  EXPECT_EQ(TotpCode(kRfcKey, TotpStep(At(59))), "287082");
  EXPECT_EQ(TotpCode(kRfcKey, TotpStep(At(1111111109))), "081804");
}

TEST(Totp, StepsAreThirtySecondsFromTheEpoch) {
  EXPECT_EQ(TotpStep(At(0)), 0);
  EXPECT_EQ(TotpStep(At(29)), 0);
  EXPECT_EQ(TotpStep(At(30)), 1);
  EXPECT_EQ(TotpStep(At(59)), 1);
  EXPECT_EQ(TotpStep(*ParseTimestamp("2026-03-02T09:00:00Z")), 1772442000 / 30);
}

TEST(Totp, AcceptsOneStepEitherSideAndNoFurther) {
  const std::int64_t now = 1000;
  for (std::int64_t step : {now - 1, now, now + 1}) {
    EXPECT_EQ(MatchTotp(kRfcKey, TotpCode(kRfcKey, step), now, 0), step);
  }
  EXPECT_EQ(MatchTotp(kRfcKey, TotpCode(kRfcKey, now - 2), now, 0), std::nullopt);
  EXPECT_EQ(MatchTotp(kRfcKey, TotpCode(kRfcKey, now + 2), now, 0), std::nullopt);
  EXPECT_EQ(MatchTotp(kRfcKey, "000000x", now, 0), std::nullopt);
}

TEST(Totp, NeverAcceptsAStepThatWasUsedOrAnEarlierOne) {
  const std::int64_t now = 1000;
  const std::string code = TotpCode(kRfcKey, now);
  ASSERT_EQ(MatchTotp(kRfcKey, code, now, 0), now);
  // Replayed within its own step, or a step later while it is still inside the window.
  EXPECT_EQ(MatchTotp(kRfcKey, code, now, now), std::nullopt);
  EXPECT_EQ(MatchTotp(kRfcKey, code, now + 1, now), std::nullopt);
  // An older code is refused once a later one was used.
  EXPECT_EQ(MatchTotp(kRfcKey, TotpCode(kRfcKey, now - 1), now, now), std::nullopt);
  EXPECT_EQ(MatchTotp(kRfcKey, TotpCode(kRfcKey, now + 1), now, now), now + 1);
}

TEST(Totp, Base32RoundTripsAndMatchesRfc4648) {
  EXPECT_EQ(Base32Encode("foobar"), "MZXW6YTBOI");
  EXPECT_EQ(Base32Encode(kRfcKey), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
  EXPECT_EQ(Base32Decode("gezd gnbv gy3t qojq gezd gnbv gy3t qojq"), std::string(kRfcKey));
  EXPECT_EQ(Base32Decode("MZXW6YTBOI======"), "foobar");
  EXPECT_EQ(Base32Decode("MZ1W"), std::nullopt);
}

TEST(Totp, OtpauthUriNamesIssuerAccountAndParameters) {
  EXPECT_EQ(OtpauthUri("Certus", "ann+isms@example.com", "GEZDGNBV"),
            "otpauth://totp/Certus:ann%2Bisms@example.com?secret=GEZDGNBV&issuer=Certus"
            "&algorithm=SHA1&digits=6&period=30");
}

TEST(Totp, CodesAreNormalizedBeforeTheyAreRecognized) {
  EXPECT_EQ(NormalizeCode(" 287 082 "), "287082");
  EXPECT_TRUE(IsTotpCode(NormalizeCode("287 082")));
  EXPECT_EQ(NormalizeCode("ABCD-efgh-2345-6789"), "abcdefgh23456789");
  EXPECT_FALSE(IsTotpCode("28708"));
  EXPECT_FALSE(IsTotpCode("28708a"));
}

}  // namespace
}  // namespace certus::identity
