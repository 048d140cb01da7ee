#include "identity/oidc_jwt.hpp"

#include <boost/json.hpp>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include "core/encoding.hpp"

namespace certus::identity::oidc {

namespace {

using Failure = tl::unexpected<JwtFailure>;

Failure Bad(JwtProblem problem, std::string detail) {
  return Failure(JwtFailure{problem, std::move(detail)});
}

struct BnFree {
  void operator()(BIGNUM* bn) const { BN_free(bn); }
};
using Bn = std::unique_ptr<BIGNUM, BnFree>;

Bn BnFrom(std::string_view bytes) {
  return Bn(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                      static_cast<int>(bytes.size()), nullptr));
}

std::shared_ptr<evp_pkey_st> KeyFromParams(const char* type, OSSL_PARAM_BLD* builder) {
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(builder);
  if (params == nullptr) return nullptr;
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr);
  EVP_PKEY* key = nullptr;
  if (ctx != nullptr && EVP_PKEY_fromdata_init(ctx) == 1) {
    if (EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) != 1) key = nullptr;
  }
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  if (key == nullptr) return nullptr;
  return std::shared_ptr<evp_pkey_st>(key, EVP_PKEY_free);
}

std::optional<std::string> Member(const boost::json::object& object, std::string_view name) {
  const auto* value = object.if_contains(name);
  if (value == nullptr || !value->is_string()) return std::nullopt;
  return std::string(value->as_string());
}

std::shared_ptr<evp_pkey_st> RsaKey(const boost::json::object& jwk) {
  auto n = Base64UrlDecode(Member(jwk, "n").value_or(""));
  auto e = Base64UrlDecode(Member(jwk, "e").value_or(""));
  if (!n || !e || n->size() < 256 || e->empty()) return nullptr;  // RSA keys of 2048 bits or more
  Bn n_bn = BnFrom(*n), e_bn = BnFrom(*e);
  OSSL_PARAM_BLD* builder = OSSL_PARAM_BLD_new();
  if (builder == nullptr) return nullptr;
  std::shared_ptr<evp_pkey_st> key;
  if (n_bn && e_bn && OSSL_PARAM_BLD_push_BN(builder, OSSL_PKEY_PARAM_RSA_N, n_bn.get()) == 1 &&
      OSSL_PARAM_BLD_push_BN(builder, OSSL_PKEY_PARAM_RSA_E, e_bn.get()) == 1) {
    key = KeyFromParams("RSA", builder);
  }
  OSSL_PARAM_BLD_free(builder);
  return key;
}

std::shared_ptr<evp_pkey_st> P256Key(const boost::json::object& jwk) {
  if (Member(jwk, "crv") != "P-256") return nullptr;
  auto x = Base64UrlDecode(Member(jwk, "x").value_or(""));
  auto y = Base64UrlDecode(Member(jwk, "y").value_or(""));
  if (!x || !y || x->size() != 32 || y->size() != 32) return nullptr;
  std::string point = "\x04" + *x + *y;
  OSSL_PARAM_BLD* builder = OSSL_PARAM_BLD_new();
  if (builder == nullptr) return nullptr;
  std::shared_ptr<evp_pkey_st> key;
  if (OSSL_PARAM_BLD_push_utf8_string(builder, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) == 1 &&
      OSSL_PARAM_BLD_push_octet_string(builder, OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                       point.size()) == 1) {
    key = KeyFromParams("EC", builder);
  }
  OSSL_PARAM_BLD_free(builder);
  return key;
}

/// ES256 signatures are r || s (32 bytes each, RFC 7518 §3.4); OpenSSL wants DER.
std::optional<std::string> EcdsaDer(std::string_view raw) {
  if (raw.size() != 64) return std::nullopt;
  ECDSA_SIG* sig = ECDSA_SIG_new();
  if (sig == nullptr) return std::nullopt;
  BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()), 32, nullptr);
  BIGNUM* s = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()) + 32, 32, nullptr);
  if (r == nullptr || s == nullptr || ECDSA_SIG_set0(sig, r, s) != 1) {
    BN_free(r);
    BN_free(s);
    ECDSA_SIG_free(sig);
    return std::nullopt;
  }
  unsigned char* der = nullptr;
  const int length = i2d_ECDSA_SIG(sig, &der);
  ECDSA_SIG_free(sig);
  if (length <= 0) return std::nullopt;
  std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(length));
  OPENSSL_free(der);
  return out;
}

bool VerifySha256(evp_pkey_st* key, std::string_view data, std::string_view signature) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (ctx == nullptr) return false;
  bool ok = EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
            EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(signature.data()),
                             signature.size(), reinterpret_cast<const unsigned char*>(data.data()),
                             data.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

tl::expected<boost::json::object, JwtFailure> DecodeJsonPart(std::string_view part,
                                                             std::string_view what) {
  auto bytes = Base64UrlDecode(part);
  if (!bytes) return Bad(JwtProblem::kMalformed, std::string(what) + " is not base64url");
  boost::system::error_code ec;
  auto value = boost::json::parse(*bytes, ec);
  if (ec || !value.is_object()) {
    return Bad(JwtProblem::kMalformed, std::string(what) + " is not a JSON object");
  }
  return std::move(value.as_object());
}

struct Parts {
  std::string_view header, payload, signature, signing_input;
};

tl::expected<Parts, JwtFailure> Split(std::string_view token) {
  const auto first = token.find('.');
  const auto second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) {
    return Bad(JwtProblem::kMalformed, "not a compact JWS of three parts");
  }
  return Parts{token.substr(0, first), token.substr(first + 1, second - first - 1),
               token.substr(second + 1), token.substr(0, second)};
}

std::optional<std::int64_t> NumericDate(const boost::json::object& claims, std::string_view name) {
  const auto* value = claims.if_contains(name);
  if (value == nullptr) return std::nullopt;
  if (value->is_int64()) return value->as_int64();
  if (value->is_uint64()) return static_cast<std::int64_t>(value->as_uint64());
  if (value->is_double()) return static_cast<std::int64_t>(value->as_double());
  return std::nullopt;
}

}  // namespace

std::string_view JwtProblemName(JwtProblem problem) {
  switch (problem) {
    case JwtProblem::kMalformed: return "malformed";
    case JwtProblem::kAlgorithm: return "algorithm";
    case JwtProblem::kUnknownKey: return "unknown_key";
    case JwtProblem::kSignature: return "signature";
    case JwtProblem::kIssuer: return "issuer";
    case JwtProblem::kAudience: return "audience";
    case JwtProblem::kExpired: return "expired";
    case JwtProblem::kNotYetValid: return "not_yet_valid";
    case JwtProblem::kNonce: return "nonce";
    case JwtProblem::kMissingClaim: return "missing_claim";
  }
  return "unknown";
}

Expected<JwkSet> JwkSet::Parse(std::string_view json) {
  boost::system::error_code ec;
  auto value = boost::json::parse(json, ec);
  if (ec || !value.is_object() || !value.as_object().contains("keys") ||
      !value.at("keys").is_array()) {
    return Fail(ErrorCode::kMalformed, "The provider's JWKS is not a JSON Web Key Set.");
  }
  JwkSet set;
  for (const auto& item : value.at("keys").as_array()) {
    if (!item.is_object()) continue;
    const auto& jwk = item.as_object();
    if (auto use = Member(jwk, "use"); use && *use != "sig") continue;
    const auto kty = Member(jwk, "kty").value_or("");
    const auto alg = Member(jwk, "alg");
    Key key;
    key.kid = Member(jwk, "kid").value_or("");
    if (kty == "RSA" && (!alg || *alg == "RS256")) {
      key.alg = "RS256";
      key.key = RsaKey(jwk);
    } else if (kty == "EC" && (!alg || *alg == "ES256")) {
      key.alg = "ES256";
      key.key = P256Key(jwk);
    }
    if (key.key) set.keys_.push_back(std::move(key));
  }
  return set;
}

const JwkSet::Key* JwkSet::Find(std::string_view kid, std::string_view alg) const {
  const Key* only = nullptr;
  int count = 0;
  for (const auto& key : keys_) {
    if (key.alg != alg) continue;
    if (!kid.empty() && key.kid == kid) return &key;
    only = &key;
    ++count;
  }
  return kid.empty() && count == 1 ? only : nullptr;
}

tl::expected<std::pair<std::string, std::string>, JwtFailure> PeekHeader(std::string_view token) {
  auto parts = Split(token);
  if (!parts) return tl::unexpected(parts.error());
  auto header = DecodeJsonPart(parts->header, "the header");
  if (!header) return tl::unexpected(header.error());
  auto alg = Member(*header, "alg");
  if (!alg) return Bad(JwtProblem::kMalformed, "the header has no alg");
  return std::make_pair(Member(*header, "kid").value_or(""), *alg);
}

tl::expected<IdTokenClaims, JwtFailure> VerifyIdToken(std::string_view token, const JwkSet& keys,
                                                      const IdTokenExpectations& expect) {
  auto parts = Split(token);
  if (!parts) return tl::unexpected(parts.error());
  auto header = DecodeJsonPart(parts->header, "the header");
  if (!header) return tl::unexpected(header.error());
  const auto alg = Member(*header, "alg").value_or("");
  // Only asymmetric signatures: `none` and HS* (a MAC keyed with the client secret, or with
  // a public key by an attacker) are refused whatever the provider says.
  if (alg != "RS256" && alg != "ES256") {
    return Bad(JwtProblem::kAlgorithm, "alg " + alg.substr(0, 16) + " is not RS256 or ES256");
  }
  const auto kid = Member(*header, "kid").value_or("");
  const JwkSet::Key* key = keys.Find(kid, alg);
  if (key == nullptr) return Bad(JwtProblem::kUnknownKey, "no " + alg + " key with kid " + kid);
  auto signature = Base64UrlDecode(parts->signature);
  if (!signature) return Bad(JwtProblem::kMalformed, "the signature is not base64url");
  bool verified = false;
  if (alg == "RS256") {
    verified = VerifySha256(key->key.get(), parts->signing_input, *signature);
  } else if (auto der = EcdsaDer(*signature)) {
    verified = VerifySha256(key->key.get(), parts->signing_input, *der);
  }
  if (!verified) return Bad(JwtProblem::kSignature, "the signature does not verify");

  auto claims = DecodeJsonPart(parts->payload, "the claims");
  if (!claims) return tl::unexpected(claims.error());
  IdTokenClaims out;
  out.issuer = Member(*claims, "iss").value_or("");
  if (out.issuer != expect.issuer) return Bad(JwtProblem::kIssuer, "iss is not the issuer");
  out.subject = Member(*claims, "sub").value_or("");
  if (out.subject.empty()) return Bad(JwtProblem::kMissingClaim, "sub is missing");

  std::vector<std::string> audiences;
  if (const auto* aud = claims->if_contains("aud"); aud && aud->is_string()) {
    audiences.emplace_back(aud->as_string());
  } else if (aud && aud->is_array()) {
    for (const auto& item : aud->as_array()) {
      if (item.is_string()) audiences.emplace_back(item.as_string());
    }
  }
  if (std::find(audiences.begin(), audiences.end(), expect.client_id) == audiences.end()) {
    return Bad(JwtProblem::kAudience, "aud does not name this client");
  }
  const auto azp = Member(*claims, "azp");
  if ((audiences.size() > 1 || azp) && azp != expect.client_id) {
    return Bad(JwtProblem::kAudience, "azp is not this client");
  }

  const auto now =
      std::chrono::duration_cast<std::chrono::seconds>(expect.now.time_since_epoch()).count();
  const auto leeway = expect.leeway.count();
  const auto exp = NumericDate(*claims, "exp");
  const auto iat = NumericDate(*claims, "iat");
  if (!exp || !iat) return Bad(JwtProblem::kMissingClaim, "exp or iat is missing");
  if (now > *exp + leeway) return Bad(JwtProblem::kExpired, "the token has expired");
  if (*iat > now + leeway) return Bad(JwtProblem::kNotYetValid, "iat is in the future");
  if (auto nbf = NumericDate(*claims, "nbf"); nbf && *nbf > now + leeway) {
    return Bad(JwtProblem::kNotYetValid, "nbf is in the future");
  }
  const auto nonce = Member(*claims, "nonce").value_or("");
  if (expect.nonce.empty() || nonce.size() != expect.nonce.size() ||
      !ConstantTimeEquals(nonce, expect.nonce)) {
    return Bad(JwtProblem::kNonce, "nonce is not the one of this sign-in");
  }

  out.email = Member(*claims, "email").value_or("");
  if (const auto* verified_claim = claims->if_contains("email_verified")) {
    // Some providers send "true" as a string.
    out.email_verified = (verified_claim->is_bool() && verified_claim->as_bool()) ||
                         (verified_claim->is_string() && verified_claim->as_string() == "true");
  }
  if (const auto* amr = claims->if_contains("amr"); amr && amr->is_array()) {
    for (const auto& item : amr->as_array()) {
      if (item.is_string()) out.amr.emplace_back(item.as_string());
    }
  }
  return out;
}

}  // namespace certus::identity::oidc
