#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "core/clock.hpp"
#include "core/error.hpp"

struct evp_pkey_st;

namespace certus::identity::oidc {

/// The public keys of an OpenID provider (its JWKS document, RFC 7517): RSA keys for RS256
/// and P-256 EC keys for ES256. Other keys in the document are skipped.
class JwkSet final {
 public:
  struct Key {
    std::string kid;
    std::string alg;  ///< "RS256" or "ES256": what the key type allows
    std::shared_ptr<evp_pkey_st> key;
  };

  /// Parses a JWKS document; kMalformed when it is not one.
  static Expected<JwkSet> Parse(std::string_view json);

  /// The key named `kid` for `alg` (when `kid` is empty: the only key for `alg`, if one).
  const Key* Find(std::string_view kid, std::string_view alg) const;
  std::size_t size() const { return keys_.size(); }

 private:
  std::vector<Key> keys_;
};

/// What an ID token must say (OpenID Connect Core 1.0 §3.1.3.7).
struct IdTokenExpectations {
  std::string issuer;
  std::string client_id;
  std::string nonce;
  Timestamp now;
  std::chrono::seconds leeway{60};
};

/// The claims Certus reads from a verified ID token.
struct IdTokenClaims {
  std::string issuer;
  std::string subject;
  std::string email;
  bool email_verified = false;
  std::vector<std::string> amr;  ///< authentication methods references, if the provider says
};

enum class JwtProblem {
  kMalformed,     ///< not a compact JWS with a JSON header and claims
  kAlgorithm,     ///< `none`, HS*, or anything but RS256 and ES256
  kUnknownKey,    ///< no key of the JWKS matches `kid` and `alg` (refetch the JWKS once)
  kSignature,     ///< the signature does not verify
  kIssuer,        ///< `iss` is not the configured issuer
  kAudience,      ///< `aud` does not name the client (or `azp` is wrong)
  kExpired,       ///< `exp` is past (beyond the leeway)
  kNotYetValid,   ///< `iat` (or `nbf`) is in the future (beyond the leeway)
  kNonce,         ///< `nonce` is not the one of this sign-in
  kMissingClaim,  ///< `sub`, `exp` or `iat` is missing
};

struct JwtFailure {
  JwtProblem problem;
  std::string detail;  ///< for the log; never the token
};

std::string_view JwtProblemName(JwtProblem problem);

/// The `kid` and `alg` of a compact JWS header, without verifying anything.
tl::expected<std::pair<std::string, std::string>, JwtFailure> PeekHeader(std::string_view token);

/// Verifies an ID token: signature (RS256 or ES256 only), iss, aud/azp, exp, iat, nonce.
tl::expected<IdTokenClaims, JwtFailure> VerifyIdToken(std::string_view token, const JwkSet& keys,
                                                      const IdTokenExpectations& expect);

}  // namespace certus::identity::oidc
