#include "identity/password_policy.hpp"

#include <gtest/gtest.h>

namespace certus::identity {
namespace {

std::string Problem(const std::string& password, std::string_view email = "ana@example.com") {
  return PasswordPolicyProblem(SecretString(password), email);
}

TEST(PasswordPolicy, AcceptsLongUnrelatedWords) {
  EXPECT_EQ(Problem("correct horse battery staple"), "");
  EXPECT_EQ(Problem("correct-horse-battery-staple-42"), "");
  EXPECT_EQ(Problem("Tr0ub4dour&3-lamp-orbit"), "");
  EXPECT_EQ(Problem("xk4#Lm9!qP2z"), "");
}

TEST(PasswordPolicy, RefusesShortAndHugePasswords) {
  EXPECT_EQ(Problem("short-one"), "must be at least 12 characters");
  EXPECT_EQ(Problem(std::string(1025, 'x') + "abcd"), "must be at most 1024 characters");
}

TEST(PasswordPolicy, RefusesCommonPasswordsPaddedOrRepeated) {
  for (const char* weak :
       {"password1234", "Password123!", "!!Password2026", "iloveyou2026!", "passwordpassword",
        "Passw0rdPassw0rd", "monkeymonkey1", "trustno1trustno1", "123456football"}) {
    EXPECT_NE(Problem(weak).find("common password"), std::string::npos) << weak;
  }
}

TEST(PasswordPolicy, RefusesRunsAndFewCharacters) {
  EXPECT_EQ(Problem("aaaaaaaaaaaa"), "must use at least five different characters");
  EXPECT_EQ(Problem("abababababab"), "must use at least five different characters");
  EXPECT_NE(Problem("abcdefghijklmn").find("alphabet"), std::string::npos);
  EXPECT_NE(Problem("123456789012").find("alphabet"), std::string::npos);
  EXPECT_NE(Problem("098765432109").find("alphabet"), std::string::npos);
  EXPECT_NE(Problem("qwertyuiopas").find("keyboard"), std::string::npos);
  EXPECT_NE(Problem("1qaz2wsx3edc").find("keyboard"), std::string::npos);
}

TEST(PasswordPolicy, RefusesTheAccountsNameAndTheServicesName) {
  EXPECT_EQ(Problem("margarethe-in-spring", "Margarethe.Weiss@example.com"), "");
  EXPECT_EQ(Problem("margarethe.weiss-spring", "Margarethe.Weiss@example.com"),
            "must not contain the name of your email address");
  EXPECT_EQ(Problem("my certus login 7"), "must not contain the name of this service");
}

}  // namespace
}  // namespace certus::identity
