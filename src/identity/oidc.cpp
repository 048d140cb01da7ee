#include "identity/oidc.hpp"

#include <boost/json.hpp>
#include <openssl/evp.h>
#include <spdlog/spdlog.h>

#include "core/encoding.hpp"
#include "core/time.hpp"

namespace certus::identity::oidc {

namespace {

constexpr std::chrono::seconds kJwksRefetchInterval{60};

Error ProviderError(std::string detail) {
  return {ErrorCode::kUnavailable, "The identity provider is not available.", std::move(detail)};
}

std::string Base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                      reinterpret_cast<const unsigned char*>(bytes.data()),
                                      static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

std::string Text(const boost::json::object& object, std::string_view name) {
  const auto* value = object.if_contains(name);
  return value != nullptr && value->is_string() ? std::string(value->as_string()) : std::string();
}

bool Contains(const boost::json::object& object, std::string_view name, std::string_view item) {
  const auto* value = object.if_contains(name);
  if (value == nullptr || !value->is_array()) return false;
  for (const auto& entry : value->as_array()) {
    if (entry.is_string() && entry.as_string() == item) return true;
  }
  return false;
}

/// A started sign-in as the database keeps it.
struct StoredState {
  std::string nonce;
  std::string code_verifier;
  std::string next_path;
};

}  // namespace

Expected<std::optional<std::string>> Client::LogoutUrl() {
  auto metadata = CERTUS_TRY(Metadata());
  if (metadata.end_session_endpoint.empty()) return std::nullopt;
  // RP-Initiated Logout 1.0 §2: without id_token_hint, client_id names the client whose
  // registered post_logout_redirect_uri the provider may send the browser back to.
  std::string url = metadata.end_session_endpoint;
  url += url.find('?') == std::string::npos ? '?' : '&';
  url += "client_id=" + FormEncode(settings_.client_id);
  if (!settings_.post_logout_redirect_url.empty()) {
    url += "&post_logout_redirect_uri=" + FormEncode(settings_.post_logout_redirect_url);
  }
  return url;
}

bool SafeNextPath(std::string_view path) {
  if (path.empty() || path.size() > 1024 || path.front() != '/') return false;
  // "//host" and "/\host" are other origins to browsers.
  if (path.size() > 1 && (path[1] == '/' || path[1] == '\\')) return false;
  for (unsigned char c : path) {
    if (c < 0x20 || c == 0x7f || c == '\\') return false;
  }
  return true;
}

std::string CodeChallenge(std::string_view verifier) { return Base64UrlEncode(Sha256(verifier)); }

Client::Client(storage::Database& db, const Clock& clock, Random& random, Settings settings)
    : db_(db), clock_(clock), random_(random), settings_(std::move(settings)) {
  transport_ = settings_.transport ? settings_.transport : std::make_shared<BeastTransport>();
  constexpr std::string_view kCallbackPath = "/api/v1/auth/oidc/callback";
  if (settings_.post_logout_redirect_url.empty() &&
      settings_.redirect_url.ends_with(kCallbackPath)) {
    settings_.post_logout_redirect_url =
        settings_.redirect_url.substr(0, settings_.redirect_url.size() - kCallbackPath.size()) +
        "/signin";
  }
}

Expected<HttpAnswer> Client::Send(const HttpExchange& exchange) {
  if (!AcceptableUrl(exchange.url)) {
    return Fail(ProviderError("refused URL (only https://, or http:// on loopback): " +
                              exchange.url.substr(0, 200)));
  }
  return transport_->Send(exchange);
}

Expected<ProviderMetadata> Client::Metadata() {
  std::lock_guard lock(mutex_);
  if (metadata_) return *metadata_;
  std::string issuer = settings_.issuer;
  while (issuer.ends_with('/')) issuer.pop_back();
  auto answer = CERTUS_TRY(Send({"GET", issuer + "/.well-known/openid-configuration", {}, {}}));
  if (answer.status != 200) {
    return Fail(ProviderError("discovery answered HTTP " + std::to_string(answer.status)));
  }
  boost::system::error_code ec;
  auto json = boost::json::parse(answer.body, ec);
  if (ec || !json.is_object()) return Fail(ProviderError("discovery is not a JSON object"));
  const auto& document = json.as_object();
  ProviderMetadata metadata;
  metadata.issuer = Text(document, "issuer");
  metadata.authorization_endpoint = Text(document, "authorization_endpoint");
  metadata.token_endpoint = Text(document, "token_endpoint");
  metadata.jwks_uri = Text(document, "jwks_uri");
  metadata.end_session_endpoint = Text(document, "end_session_endpoint");
  // Optional: a provider without an acceptable one is signed out of by hand, not refused.
  if (!metadata.end_session_endpoint.empty() && !AcceptableUrl(metadata.end_session_endpoint)) {
    spdlog::warn("OpenID Connect: ignoring the provider's end_session_endpoint {}",
                 metadata.end_session_endpoint.substr(0, 200));
    metadata.end_session_endpoint.clear();
  }
  // OpenID Connect Discovery §4.3: the issuer in the document is the one configured.
  if (metadata.issuer != settings_.issuer) {
    return Fail(ProviderError("discovery names issuer " + metadata.issuer.substr(0, 200) +
                              ", not the configured " + settings_.issuer));
  }
  for (const auto* url :
       {&metadata.authorization_endpoint, &metadata.token_endpoint, &metadata.jwks_uri}) {
    if (!AcceptableUrl(*url)) {
      return Fail(ProviderError("discovery lacks an acceptable endpoint: " + url->substr(0, 200)));
    }
  }
  if (document.contains("code_challenge_methods_supported") &&
      !Contains(document, "code_challenge_methods_supported", "S256")) {
    return Fail(ProviderError("the provider does not support PKCE S256"));
  }
  if (document.contains("token_endpoint_auth_methods_supported")) {
    if (Contains(document, "token_endpoint_auth_methods_supported", "client_secret_basic")) {
      metadata.client_secret_basic = true;
    } else if (Contains(document, "token_endpoint_auth_methods_supported", "client_secret_post")) {
      metadata.client_secret_basic = false;
    } else {
      return Fail(ProviderError("the provider supports neither client_secret_basic nor _post"));
    }
  }
  metadata_ = metadata;
  spdlog::info("OpenID Connect: discovered the provider {}", metadata.issuer);
  return metadata;
}

Expected<std::shared_ptr<const JwkSet>> Client::Keys(bool refresh) {
  const ProviderMetadata metadata = CERTUS_TRY(Metadata());
  std::lock_guard lock(mutex_);
  const auto now = clock_.Now();
  if (keys_ && (!refresh || (keys_fetched_at_ && now - *keys_fetched_at_ < kJwksRefetchInterval))) {
    return keys_;
  }
  auto answer = CERTUS_TRY(Send({"GET", metadata.jwks_uri, {}, {}}));
  if (answer.status != 200) {
    return Fail(ProviderError("the JWKS answered HTTP " + std::to_string(answer.status)));
  }
  auto set = JwkSet::Parse(answer.body);
  if (!set) return Fail(ProviderError("the JWKS is not a JSON Web Key Set"));
  keys_ = std::make_shared<const JwkSet>(std::move(*set));
  keys_fetched_at_ = now;
  return keys_;
}

Expected<std::string> Client::Begin(const std::string& next_path) {
  const ProviderMetadata metadata = CERTUS_TRY(Metadata());
  const std::string state = Base64UrlEncode(random_.Bytes(32));
  const std::string nonce = Base64UrlEncode(random_.Bytes(32));
  const std::string verifier = Base64UrlEncode(random_.Bytes(32));  // 43 characters
  const auto now = clock_.Now();
  CERTUS_TRY(storage::InWriteTransaction(db_, [&](storage::Transaction& tx) -> Expected<bool> {
    // Started sign-ins nobody finished are dropped as new ones begin.
    CERTUS_TRY(
        tx.Execute("DELETE FROM oidc_login_states WHERE expires_at < $1", {FormatTimestamp(now)}));
    CERTUS_TRY(tx.Execute(
        "INSERT INTO oidc_login_states (state_hash, nonce, code_verifier, next_path, created_at, "
        "expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
        {Sha256Hex(state), nonce, verifier, next_path, FormatTimestamp(now),
         FormatTimestamp(now + settings_.state_ttl)}));
    return true;
  }));
  std::string url = metadata.authorization_endpoint;
  url += metadata.authorization_endpoint.find('?') == std::string::npos ? '?' : '&';
  url += "response_type=code&client_id=" + FormEncode(settings_.client_id) +
         "&redirect_uri=" + FormEncode(settings_.redirect_url) +
         "&scope=" + FormEncode("openid email profile") + "&state=" + state + "&nonce=" + nonce +
         "&code_challenge=" + CodeChallenge(verifier) + "&code_challenge_method=S256";
  return url;
}

tl::expected<Completed, Failure> Client::Complete(const std::string& code,
                                                  const std::string& state) {
  using Unexpected = tl::unexpected<Failure>;
  const auto now = clock_.Now();
  // The state is taken once: a replayed or forged callback finds nothing.
  auto taken = storage::InWriteTransaction(
      db_, [&](storage::Transaction& tx) -> Expected<std::optional<StoredState>> {
        auto found = CERTUS_TRY(
            tx.Execute("SELECT nonce, code_verifier, next_path, expires_at FROM oidc_login_states "
                       "WHERE state_hash = $1",
                       {Sha256Hex(state)}));
        if (found.rows.empty()) return std::nullopt;
        auto deleted = CERTUS_TRY(
            tx.Execute("DELETE FROM oidc_login_states WHERE state_hash = $1", {Sha256Hex(state)}));
        const auto& row = found.rows[0];
        auto expires = ParseTimestamp(row.Text(3));
        if (deleted.affected != 1 || !expires || now >= *expires) return std::nullopt;
        return StoredState{row.Text(0), row.Text(1), row.Text(2)};
      });
  if (!taken) return Unexpected(Failure{"unavailable", taken.error().log_detail()});
  if (!*taken) return Unexpected(Failure{"state", "unknown, used or expired state"});
  const StoredState stored = std::move(**taken);

  auto metadata = Metadata();
  if (!metadata) return Unexpected(Failure{"unavailable", metadata.error().log_detail()});
  HttpExchange exchange{"POST", metadata->token_endpoint, {}, {}};
  exchange.body = "grant_type=authorization_code&code=" + FormEncode(code) +
                  "&redirect_uri=" + FormEncode(settings_.redirect_url) +
                  "&code_verifier=" + FormEncode(stored.code_verifier);
  if (metadata->client_secret_basic) {
    // RFC 6749 §2.3.1: both parts form-encoded before Basic.
    exchange.headers.emplace_back("Authorization",
                                  "Basic " + Base64(FormEncode(settings_.client_id) + ":" +
                                                    FormEncode(settings_.client_secret.Expose())));
  } else {
    exchange.body += "&client_id=" + FormEncode(settings_.client_id) +
                     "&client_secret=" + FormEncode(settings_.client_secret.Expose());
  }
  auto answer = Send(exchange);
  if (!answer) return Unexpected(Failure{"unavailable", answer.error().log_detail()});
  boost::system::error_code ec;
  auto json = boost::json::parse(answer->body, ec);
  const bool is_object = !ec && json.is_object();
  if (answer->status != 200 || !is_object) {
    // The provider's error code only: its body is not logged whole.
    return Unexpected(Failure{
        "provider", "the token endpoint answered HTTP " + std::to_string(answer->status) +
                        (is_object ? " " + Text(json.as_object(), "error").substr(0, 64) : "")});
  }
  const std::string id_token = Text(json.as_object(), "id_token");
  if (id_token.empty()) return Unexpected(Failure{"provider", "the token answer has no id_token"});

  IdTokenExpectations expect{settings_.issuer, settings_.client_id, stored.nonce, now};
  auto keys = Keys(false);
  if (!keys) return Unexpected(Failure{"unavailable", keys.error().log_detail()});
  auto claims = VerifyIdToken(id_token, **keys, expect);
  if (!claims && claims.error().problem == JwtProblem::kUnknownKey) {
    // The provider may have rotated its keys.
    keys = Keys(true);
    if (!keys) return Unexpected(Failure{"unavailable", keys.error().log_detail()});
    claims = VerifyIdToken(id_token, **keys, expect);
  }
  if (!claims) {
    return Unexpected(Failure{"token", "the ID token is refused (" +
                                           std::string(JwtProblemName(claims.error().problem)) +
                                           "): " + claims.error().detail});
  }
  if (claims->email.empty() || !claims->email_verified) {
    return Unexpected(Failure{"email", "the ID token has no verified email"});
  }
  return Completed{std::move(*claims), stored.next_path};
}

}  // namespace certus::identity::oidc
