// ID token verification (issue 9 item 1, ADR 0019) with keys made here by OpenSSL: RS256 and
// ES256 pass; a wrong signature, `none`, HS256, an expired token, a wrong audience, issuer or
// nonce, and an unknown key are refused, each for its own reason.
#include "identity/oidc_jwt.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "core/encoding.hpp"
#include "identity/oidc.hpp"

namespace certus::identity::oidc {
namespace {

using Key = std::shared_ptr<EVP_PKEY>;

constexpr std::int64_t kNow = 1'800'000'000;

Key MakeRsa() {
  return Key(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048}), EVP_PKEY_free);
}
Key MakeP256() { return Key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"), EVP_PKEY_free); }

std::string BnBytes(const EVP_PKEY* key, const char* name, int width = 0) {
  BIGNUM* bn = nullptr;
  EXPECT_EQ(EVP_PKEY_get_bn_param(key, name, &bn), 1);
  std::string out(static_cast<std::size_t>(width > 0 ? width : BN_num_bytes(bn)), '\0');
  BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(out.size()));
  BN_free(bn);
  return out;
}

boost::json::object Jwk(const Key& key, const std::string& kid) {
  if (EVP_PKEY_is_a(key.get(), "RSA")) {
    return {{"kty", "RSA"},
            {"kid", kid},
            {"use", "sig"},
            {"n", Base64UrlEncode(BnBytes(key.get(), OSSL_PKEY_PARAM_RSA_N))},
            {"e", Base64UrlEncode(BnBytes(key.get(), OSSL_PKEY_PARAM_RSA_E))}};
  }
  return {{"kty", "EC"},
          {"kid", kid},
          {"crv", "P-256"},
          {"x", Base64UrlEncode(BnBytes(key.get(), OSSL_PKEY_PARAM_EC_PUB_X, 32))},
          {"y", Base64UrlEncode(BnBytes(key.get(), OSSL_PKEY_PARAM_EC_PUB_Y, 32))}};
}

JwkSet Set(std::vector<boost::json::object> keys) {
  boost::json::array array;
  for (auto& key : keys) array.emplace_back(std::move(key));
  auto set = JwkSet::Parse(boost::json::serialize(boost::json::object{{"keys", array}}));
  EXPECT_TRUE(set.has_value());
  return *set;
}

std::string Sign(const Key& key, std::string_view input) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EXPECT_EQ(EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key.get()), 1);
  std::size_t length = 0;
  EVP_DigestSign(ctx, nullptr, &length, reinterpret_cast<const unsigned char*>(input.data()),
                 input.size());
  std::string signature(length, '\0');
  EXPECT_EQ(EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(signature.data()), &length,
                           reinterpret_cast<const unsigned char*>(input.data()), input.size()),
            1);
  EVP_MD_CTX_free(ctx);
  signature.resize(length);
  if (EVP_PKEY_is_a(key.get(), "RSA")) return signature;
  // DER to r || s.
  const auto* der = reinterpret_cast<const unsigned char*>(signature.data());
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &der, static_cast<long>(signature.size()));
  std::string raw(64, '\0');
  BN_bn2binpad(ECDSA_SIG_get0_r(sig), reinterpret_cast<unsigned char*>(raw.data()), 32);
  BN_bn2binpad(ECDSA_SIG_get0_s(sig), reinterpret_cast<unsigned char*>(raw.data()) + 32, 32);
  ECDSA_SIG_free(sig);
  return raw;
}

boost::json::object Claims() {
  return {{"iss", "https://idp.example.com"},
          {"sub", "user-1"},
          {"aud", "certus"},
          {"exp", kNow + 300},
          {"iat", kNow - 10},
          {"nonce", "n-0S6_WzA2Mj"},
          {"email", "alice@example.com"},
          {"email_verified", true}};
}

std::string Token(const Key& key, const std::string& alg, const std::string& kid,
                  const boost::json::object& claims) {
  const std::string input =
      Base64UrlEncode(boost::json::serialize(boost::json::object{{"alg", alg}, {"kid", kid}})) +
      "." + Base64UrlEncode(boost::json::serialize(claims));
  return input + "." + Base64UrlEncode(Sign(key, input));
}

IdTokenExpectations Expect() {
  return {"https://idp.example.com", "certus", "n-0S6_WzA2Mj",
          Timestamp(std::chrono::seconds(kNow))};
}

class IdTokenTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    rsa_ = new Key(MakeRsa());
    ec_ = new Key(MakeP256());
  }
  static void TearDownTestSuite() {
    delete rsa_;
    delete ec_;
  }
  JwkSet keys_ = Set({Jwk(*rsa_, "rsa-1"), Jwk(*ec_, "ec-1")});
  static Key* rsa_;
  static Key* ec_;

  JwtProblem ProblemOf(const std::string& token, const IdTokenExpectations& expect = Expect()) {
    auto verified = VerifyIdToken(token, keys_, expect);
    EXPECT_FALSE(verified.has_value());
    return verified ? JwtProblem::kMalformed : verified.error().problem;
  }
};
Key* IdTokenTest::rsa_ = nullptr;
Key* IdTokenTest::ec_ = nullptr;

TEST_F(IdTokenTest, Rs256Verifies) {
  auto claims = VerifyIdToken(Token(*rsa_, "RS256", "rsa-1", Claims()), keys_, Expect());
  ASSERT_TRUE(claims.has_value()) << claims.error().detail;
  EXPECT_EQ(claims->subject, "user-1");
  EXPECT_EQ(claims->email, "alice@example.com");
  EXPECT_TRUE(claims->email_verified);
}

TEST_F(IdTokenTest, Es256Verifies) {
  auto with_amr = Claims();
  with_amr["amr"] = boost::json::array{"pwd", "mfa"};
  auto claims = VerifyIdToken(Token(*ec_, "ES256", "ec-1", with_amr), keys_, Expect());
  ASSERT_TRUE(claims.has_value()) << claims.error().detail;
  EXPECT_EQ(claims->amr, (std::vector<std::string>{"pwd", "mfa"}));
}

TEST_F(IdTokenTest, AWrongSignatureIsRefused) {
  // Signed by another key that claims the kid of ours.
  auto other = MakeRsa();
  EXPECT_EQ(ProblemOf(Token(other, "RS256", "rsa-1", Claims())), JwtProblem::kSignature);
  // A changed claim after signing.
  std::string token = Token(*ec_, "ES256", "ec-1", Claims());
  auto tampered = Claims();
  tampered["email"] = "mallory@example.com";
  const auto first = token.find('.'), second = token.rfind('.');
  token = token.substr(0, first + 1) + Base64UrlEncode(boost::json::serialize(tampered)) +
          token.substr(second);
  EXPECT_EQ(ProblemOf(token), JwtProblem::kSignature);
}

TEST_F(IdTokenTest, AlgNoneIsRefused) {
  const std::string token = Base64UrlEncode(R"({"alg":"none"})") + "." +
                            Base64UrlEncode(boost::json::serialize(Claims())) + ".";
  EXPECT_EQ(ProblemOf(token), JwtProblem::kAlgorithm);
}

TEST_F(IdTokenTest, Hs256IsRefused) {
  // The classic confusion: a MAC keyed with the provider's public key (here: its JWK text).
  const std::string input = Base64UrlEncode(R"({"alg":"HS256","kid":"rsa-1"})") + "." +
                            Base64UrlEncode(boost::json::serialize(Claims()));
  const std::string secret = boost::json::serialize(Jwk(*rsa_, "rsa-1"));
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &length);
  const std::string token =
      input + "." + Base64UrlEncode(std::string_view(reinterpret_cast<char*>(mac), length));
  EXPECT_EQ(ProblemOf(token), JwtProblem::kAlgorithm);
}

TEST_F(IdTokenTest, AnExpiredTokenIsRefused) {
  auto claims = Claims();
  claims["exp"] = kNow - 61;  // beyond the 60-second leeway
  EXPECT_EQ(ProblemOf(Token(*rsa_, "RS256", "rsa-1", claims)), JwtProblem::kExpired);
  claims["exp"] = kNow - 30;  // within it
  EXPECT_TRUE(VerifyIdToken(Token(*rsa_, "RS256", "rsa-1", claims), keys_, Expect()));
  claims["exp"] = kNow + 300;
  claims["iat"] = kNow + 3600;
  EXPECT_EQ(ProblemOf(Token(*rsa_, "RS256", "rsa-1", claims)), JwtProblem::kNotYetValid);
}

TEST_F(IdTokenTest, AWrongAudienceIsRefused) {
  auto claims = Claims();
  claims["aud"] = "another-client";
  EXPECT_EQ(ProblemOf(Token(*rsa_, "RS256", "rsa-1", claims)), JwtProblem::kAudience);
  // Several audiences: azp must name us.
  claims["aud"] = boost::json::array{"certus", "another-client"};
  EXPECT_EQ(ProblemOf(Token(*rsa_, "RS256", "rsa-1", claims)), JwtProblem::kAudience);
  claims["azp"] = "certus";
  EXPECT_TRUE(VerifyIdToken(Token(*rsa_, "RS256", "rsa-1", claims), keys_, Expect()));
}

TEST_F(IdTokenTest, AWrongIssuerIsRefused) {
  auto claims = Claims();
  claims["iss"] = "https://evil.example.com";
  EXPECT_EQ(ProblemOf(Token(*ec_, "ES256", "ec-1", claims)), JwtProblem::kIssuer);
}

TEST_F(IdTokenTest, AWrongNonceIsRefused) {
  auto claims = Claims();
  claims["nonce"] = "replayed-nonce";
  EXPECT_EQ(ProblemOf(Token(*rsa_, "RS256", "rsa-1", claims)), JwtProblem::kNonce);
  claims.erase("nonce");
  EXPECT_EQ(ProblemOf(Token(*rsa_, "RS256", "rsa-1", claims)), JwtProblem::kNonce);
}

TEST_F(IdTokenTest, AnUnknownKeyIsReportedSoTheJwksIsFetchedAgain) {
  auto rotated = MakeRsa();
  EXPECT_EQ(ProblemOf(Token(rotated, "RS256", "rsa-2", Claims())), JwtProblem::kUnknownKey);
  // An RSA kid with an ES256 header finds no key either.
  EXPECT_EQ(ProblemOf(Token(*ec_, "ES256", "rsa-1", Claims())), JwtProblem::kUnknownKey);
  auto with_new = Set({Jwk(*rsa_, "rsa-1"), Jwk(rotated, "rsa-2")});
  EXPECT_TRUE(VerifyIdToken(Token(rotated, "RS256", "rsa-2", Claims()), with_new, Expect()));
}

TEST_F(IdTokenTest, GarbageIsMalformed) {
  EXPECT_EQ(ProblemOf("not-a-token"), JwtProblem::kMalformed);
  EXPECT_EQ(ProblemOf("a.b.c.d"), JwtProblem::kMalformed);
  EXPECT_EQ(ProblemOf("!!.!!.!!"), JwtProblem::kMalformed);
}

TEST(OidcHelpers, NextPathsStayOnThisOrigin) {
  EXPECT_TRUE(SafeNextPath("/orgs/1/risks?x=1"));
  EXPECT_FALSE(SafeNextPath("//evil.example.com/"));
  EXPECT_FALSE(SafeNextPath("/\\evil.example.com"));
  EXPECT_FALSE(SafeNextPath("https://evil.example.com/"));
  EXPECT_FALSE(SafeNextPath("/a\r\nSet-Cookie: x"));
  EXPECT_FALSE(SafeNextPath(""));
}

TEST(OidcHelpers, PkceChallengeIsRfc7636) {
  // RFC 7636 Appendix B.
  EXPECT_EQ(CodeChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

TEST(OidcHelpers, OnlyHttpsOrLoopbackHttp) {
  EXPECT_TRUE(AcceptableUrl("https://login.example.com/realms/x"));
  EXPECT_TRUE(AcceptableUrl("http://127.0.0.1:4000"));
  EXPECT_TRUE(AcceptableUrl("http://localhost:4000/"));
  EXPECT_TRUE(AcceptableUrl("http://[::1]:4000/"));
  EXPECT_FALSE(AcceptableUrl("http://login.example.com/"));
  EXPECT_FALSE(AcceptableUrl("ftp://127.0.0.1/"));
}

}  // namespace
}  // namespace certus::identity::oidc
