// How a session was opened (ADR 0020): the stored names and which methods meet an
// organization's second-factor rule (ISO 27001 A.8.5).
#include <gtest/gtest.h>

#include "identity/model.hpp"

namespace certus::identity {
namespace {

constexpr AuthMethod kAll[] = {AuthMethod::kPassword, AuthMethod::kPasswordTotp,
                               AuthMethod::kPasswordRecovery, AuthMethod::kOidc,
                               AuthMethod::kOidcMfa};

TEST(AuthMethod, NamesAreStableAndReadBack) {
  EXPECT_EQ(AuthMethodName(AuthMethod::kPassword), "password");
  EXPECT_EQ(AuthMethodName(AuthMethod::kPasswordTotp), "password+totp");
  EXPECT_EQ(AuthMethodName(AuthMethod::kPasswordRecovery), "password+recovery");
  EXPECT_EQ(AuthMethodName(AuthMethod::kOidc), "oidc");
  EXPECT_EQ(AuthMethodName(AuthMethod::kOidcMfa), "oidc+mfa");
  for (AuthMethod method : kAll) EXPECT_EQ(ParseAuthMethod(AuthMethodName(method)), method);
}

TEST(AuthMethod, AnUnknownNameReadsAsTheWeakest) {
  EXPECT_EQ(ParseAuthMethod(""), AuthMethod::kPassword);
  EXPECT_EQ(ParseAuthMethod("PASSWORD+TOTP"), AuthMethod::kPassword);
  EXPECT_EQ(ParseAuthMethod("webauthn"), AuthMethod::kPassword);
  EXPECT_FALSE(HasSecondFactor(ParseAuthMethod("webauthn")));
}

TEST(AuthMethod, OnlyASecondFactorMeetsTheRule) {
  EXPECT_FALSE(HasSecondFactor(AuthMethod::kPassword));
  EXPECT_TRUE(HasSecondFactor(AuthMethod::kPasswordTotp));
  EXPECT_TRUE(HasSecondFactor(AuthMethod::kPasswordRecovery));
  EXPECT_FALSE(HasSecondFactor(AuthMethod::kOidc));
  EXPECT_TRUE(HasSecondFactor(AuthMethod::kOidcMfa));
  EXPECT_TRUE(ViaOidc(AuthMethod::kOidc));
  EXPECT_TRUE(ViaOidc(AuthMethod::kOidcMfa));
  EXPECT_FALSE(ViaOidc(AuthMethod::kPasswordTotp));
  static_assert(HasSecondFactor(AuthMethod::kOidcMfa) && !HasSecondFactor(AuthMethod::kOidc));
}

}  // namespace
}  // namespace certus::identity
