#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/random.hpp"
#include "core/secret.hpp"
#include "identity/oidc_http.hpp"
#include "identity/oidc_jwt.hpp"
#include "storage/database.hpp"

namespace certus::identity::oidc {

/// The installation's OpenID provider (`certus serve --oidc-*`; ADR 0019).
struct Settings {
  std::string issuer;  ///< empty: OpenID Connect sign-in is off
  std::string client_id;
  SecretString client_secret;
  std::string redirect_url;  ///< <public-url>/api/v1/auth/oidc/callback
  /// Where the provider sends the browser after signing out (OpenID Connect RP-Initiated
  /// Logout 1.0 `post_logout_redirect_uri`); empty: <public-url>/signin, from redirect_url.
  std::string post_logout_redirect_url;
  std::string label = "single sign-on";
  /// How to reach the provider; nullptr: HTTP(S) with Beast.
  std::shared_ptr<Transport> transport;
  std::chrono::seconds state_ttl = std::chrono::minutes(10);

  bool enabled() const { return !issuer.empty(); }
};

/// The provider's metadata (OpenID Connect Discovery 1.0) that Certus uses.
struct ProviderMetadata {
  std::string issuer;
  std::string authorization_endpoint;
  std::string token_endpoint;
  std::string jwks_uri;
  /// RP-Initiated Logout 1.0; empty when the provider offers none.
  std::string end_session_endpoint;
  bool client_secret_basic = true;  ///< else client_secret_post
};

/// Why a sign-in at the provider did not end in a session: a short code for the sign-in page
/// (`/signin?oidc_error=<reason>`) and a detail for the log, never a token or secret.
struct Failure {
  std::string reason;
  std::string detail;
};

/// The verified outcome of the provider's callback.
struct Completed {
  IdTokenClaims claims;
  std::string next_path;
};

/// The relying party: discovery and JWKS (cached; the JWKS is fetched again for an unknown
/// `kid`, at most once a minute), the authorization request with state, nonce and PKCE S256
/// (kept in the database so any server instance can finish the sign-in), and the code
/// exchange with the ID token verified. Thread-safe.
class Client final {
 public:
  Client(storage::Database& db, const Clock& clock, Random& random, Settings settings);

  const Settings& settings() const { return settings_; }

  /// Starts a sign-in: the provider's authorization URL to redirect the browser to.
  Expected<std::string> Begin(const std::string& next_path);
  /// Finishes one: takes the state (once), exchanges the code and verifies the ID token.
  tl::expected<Completed, Failure> Complete(const std::string& code, const std::string& state);

  /// The metadata, fetched at first use and cached.
  Expected<ProviderMetadata> Metadata();

  /// Where to send the browser to sign out at the provider too (OpenID Connect RP-Initiated
  /// Logout 1.0: `end_session_endpoint` with `client_id` and `post_logout_redirect_uri`; no
  /// ID token is kept to send as `id_token_hint`), or nullopt when the provider has no
  /// end_session_endpoint.
  Expected<std::optional<std::string>> LogoutUrl();

 private:
  Expected<std::shared_ptr<const JwkSet>> Keys(bool refresh);
  Expected<HttpAnswer> Send(const HttpExchange& exchange);

  storage::Database& db_;
  const Clock& clock_;
  Random& random_;
  Settings settings_;
  std::shared_ptr<Transport> transport_;
  std::mutex mutex_;
  std::optional<ProviderMetadata> metadata_;
  std::shared_ptr<const JwkSet> keys_;
  std::optional<Timestamp> keys_fetched_at_;
};

/// Whether `path` is a same-origin relative path to go to after sign-in.
bool SafeNextPath(std::string_view path);

/// The PKCE S256 challenge of a verifier (RFC 7636 §4.2).
std::string CodeChallenge(std::string_view verifier);

}  // namespace certus::identity::oidc
