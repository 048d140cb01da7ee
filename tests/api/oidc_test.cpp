// OpenID Connect sign-in (issue 9 item 1, ADR 0019) without a real provider: the public
// methods list, the authorization request (state, nonce, PKCE S256), the callback refusing
// unknown, used and expired states, and the whole flow against a provider faked in process
// (discovery, JWKS, token endpoint checking the PKCE verifier; ID tokens signed RS256 here).
// The end-to-end test with a real provider is tests/e2e/oidc.test.mjs.
#include "identity/oidc.hpp"

#include <mutex>

#include <gmock/gmock.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>

#include "core/encoding.hpp"
#include "identity/totp.hpp"
#include "tests/api/api_fixture.hpp"

namespace certus::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr const char* kIssuer = "https://idp.example.com";

std::string QueryParam(const std::string& url, const std::string& name) {
  const auto query = url.find('?');
  if (query == std::string::npos) return {};
  std::string rest = url.substr(query + 1);
  std::size_t at = 0;
  while (at <= rest.size()) {
    auto end = rest.find('&', at);
    if (end == std::string::npos) end = rest.size();
    const std::string pair = rest.substr(at, end - at);
    const auto eq = pair.find('=');
    if (pair.substr(0, eq) == name) {
      std::string value = eq == std::string::npos ? "" : pair.substr(eq + 1);
      std::string decoded;
      for (std::size_t i = 0; i < value.size(); ++i) {
        if (value[i] == '%' && i + 2 < value.size()) {
          decoded += static_cast<char>(std::stoi(value.substr(i + 1, 2), nullptr, 16));
          i += 2;
        } else {
          decoded += value[i] == '+' ? ' ' : value[i];
        }
      }
      return decoded;
    }
    at = end + 1;
  }
  return {};
}

std::shared_ptr<EVP_PKEY> ProviderKey() {
  static std::shared_ptr<EVP_PKEY> key(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048}),
                                       EVP_PKEY_free);
  return key;
}

std::string BnParam(const char* name) {
  BIGNUM* bn = nullptr;
  EVP_PKEY_get_bn_param(ProviderKey().get(), name, &bn);
  std::string out(static_cast<std::size_t>(BN_num_bytes(bn)), '\0');
  BN_bn2bin(bn, reinterpret_cast<unsigned char*>(out.data()));
  BN_free(bn);
  return Base64UrlEncode(out);
}

/// A provider in process: discovery, JWKS and the token endpoint.
class FakeProvider final : public identity::oidc::Transport {
 public:
  Expected<identity::oidc::HttpAnswer> Send(const identity::oidc::HttpExchange& exchange) override {
    std::lock_guard lock(mutex_);
    const std::string issuer = kIssuer;
    if (exchange.url == issuer + "/.well-known/openid-configuration") {
      ++discoveries;
      boost::json::object document{
          {"issuer", issuer},
          {"authorization_endpoint", issuer + "/auth"},
          {"token_endpoint", issuer + "/token"},
          {"jwks_uri", issuer + "/jwks"},
          {"code_challenge_methods_supported", boost::json::array{"S256"}},
          {"token_endpoint_auth_methods_supported", boost::json::array{"client_secret_basic"}}};
      if (end_session) document["end_session_endpoint"] = issuer + "/logout";
      return Answer(document);
    }
    if (exchange.url == issuer + "/jwks") {
      return Answer(boost::json::object{{"keys", boost::json::array{boost::json::object{
                                                     {"kty", "RSA"},
                                                     {"kid", "k1"},
                                                     {"use", "sig"},
                                                     {"n", BnParam(OSSL_PKEY_PARAM_RSA_N)},
                                                     {"e", BnParam(OSSL_PKEY_PARAM_RSA_E)}}}}});
    }
    if (exchange.url == issuer + "/token") {
      token_body = exchange.body;
      for (const auto& [name, value] : exchange.headers) {
        if (name == "Authorization") token_authorization = value;
      }
      const std::string verifier = QueryParam("?" + exchange.body, "code_verifier");
      if (identity::oidc::CodeChallenge(verifier) != challenge ||
          QueryParam("?" + exchange.body, "code") != "the-code") {
        return identity::oidc::HttpAnswer{400, R"({"error":"invalid_grant"})"};
      }
      return Answer(boost::json::object{
          {"access_token", "at"}, {"token_type", "Bearer"}, {"id_token", IdToken()}});
    }
    return identity::oidc::HttpAnswer{404, "{}"};
  }

  std::string IdToken() {
    const std::int64_t now =
        std::chrono::duration_cast<std::chrono::seconds>(clock->Now().time_since_epoch()).count();
    boost::json::object claims{
        {"iss", kIssuer}, {"sub", subject}, {"aud", "certus"}, {"exp", now + 300},
        {"iat", now},     {"nonce", nonce}, {"email", email},  {"email_verified", true}};
    if (!amr.empty()) {
      boost::json::array methods;
      for (const auto& method : amr) methods.emplace_back(method);
      claims["amr"] = std::move(methods);
    }
    const std::string input = Base64UrlEncode(R"({"alg":"RS256","kid":"k1"})") + "." +
                              Base64UrlEncode(boost::json::serialize(claims));
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, ProviderKey().get());
    std::size_t length = 0;
    EVP_DigestSign(ctx, nullptr, &length, reinterpret_cast<const unsigned char*>(input.data()),
                   input.size());
    std::string signature(length, '\0');
    EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(signature.data()), &length,
                   reinterpret_cast<const unsigned char*>(input.data()), input.size());
    EVP_MD_CTX_free(ctx);
    return input + "." + Base64UrlEncode(signature);
  }

  const Clock* clock = nullptr;
  std::string nonce, challenge;
  std::string subject = "sub-alice";
  std::string email = "alice@example.com";
  std::string token_body, token_authorization;
  std::vector<std::string> amr;
  bool end_session = true;  ///< whether discovery names an end_session_endpoint
  int discoveries = 0;

 private:
  static Expected<identity::oidc::HttpAnswer> Answer(const boost::json::value& json) {
    return identity::oidc::HttpAnswer{200, boost::json::serialize(json)};
  }
  std::mutex mutex_;
};

/// A server like TestServer's, with OpenID Connect configured against the fake provider.
class OidcApi : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    database_ = TestDatabase::Create(GetParam());
    provider_ = std::make_shared<FakeProvider>();
    provider_->clock = &clock_;
    cli::AppSettings settings;
    settings.identity.hash_cost = identity::HashCost::kMinimum;
    settings.http.access_log = false;
    settings.blob_dir = std::filesystem::temp_directory_path() /
                        ("certus-oidc-test-blobs-" + HexEncode(random_.Bytes(8)));
    settings.oidc.issuer = kIssuer;
    settings.oidc.client_id = "certus";
    settings.oidc.client_secret = SecretString("s3cret:with/odd chars");
    settings.oidc.redirect_url = "http://127.0.0.1/api/v1/auth/oidc/callback";
    settings.oidc.label = "Example IdP";
    settings.oidc.transport = provider_;
    app_ = std::make_unique<cli::App>(database_->db(), clock_, random_, settings);
    http::ServerSettings server_settings;
    server_settings.host = "127.0.0.1";
    server_settings.port = 0;
    server_settings.threads = 2;
    server_ = std::make_unique<http::Server>(
        server_settings, [this](http::Request& request) { return app_->http().Handle(request); });
    ASSERT_TRUE(server_->Listen());
    thread_ = std::thread([this] { server_->Run(); });
    auto alice = app_->identity().CreateUser(
        Actor::System(),
        {"alice@example.com", "Alice", SecretString(TestServer::kPassword), false});
    ASSERT_TRUE(alice);
    alice_id_ = alice->id.str();
  }

  void TearDown() override {
    server_->Stop();
    if (thread_.joinable()) thread_.join();
  }

  HttpClient Client() { return HttpClient(server_->port()); }

  /// Starts a sign-in as the browser would; tells the provider the nonce and challenge.
  std::string Begin(const std::string& next = "") {
    auto reply = Client().Get("/api/v1/auth/oidc/login" + (next.empty() ? "" : "?next=" + next));
    EXPECT_EQ(reply.status, 302u) << reply.body;
    const std::string location = reply.Header("location");
    provider_->nonce = QueryParam(location, "nonce");
    provider_->challenge = QueryParam(location, "code_challenge");
    return QueryParam(location, "state");
  }

  Reply Callback(const std::string& state, const std::string& code = "the-code") {
    return Client().Get("/api/v1/auth/oidc/callback?code=" + code + "&state=" + state);
  }

  /// The cookie (name=value) of a sign-in through the provider, or empty.
  std::string SignInCookie() {
    auto reply = Callback(Begin());
    const std::string cookie = reply.Header("set-cookie");
    EXPECT_FALSE(cookie.empty()) << reply.Header("location");
    return cookie.substr(0, cookie.find(';'));
  }

  /// Makes alice the admin of an organization that requires a second factor; answers its id.
  std::string OrgRequiringASecondFactor() {
    auto org = app_->identity().CreateOrg(Actor::System(), "Acme Ltd", UserId(alice_id_));
    EXPECT_TRUE(org);
    const std::string id = org->id.str();
    EXPECT_TRUE(storage::InWriteTransaction(database_->db(), [&](storage::Transaction& tx) {
      return tx.Execute("UPDATE organizations SET require_second_factor = 1 WHERE id = $1", {id});
    }));
    return id;
  }

  std::int64_t Links() {
    auto count = storage::InReadTransaction(database_->db(), [](storage::Transaction& tx) {
      return tx.Execute("SELECT COUNT(*) FROM user_oidc_identities");
    });
    return count ? count->rows[0].Int(0) : -1;
  }

  std::unique_ptr<TestDatabase> database_;
  FakeClock clock_;
  SeededRandom random_;
  std::shared_ptr<FakeProvider> provider_;
  std::unique_ptr<cli::App> app_;
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
  std::string alice_id_;
};

TEST_P(OidcApi, TheMethodsNameTheProvider) {
  auto reply = Client().Get("/api/v1/auth/methods");
  ASSERT_EQ(reply.status, 200u);
  auto json = reply.Json();
  EXPECT_TRUE(json.at("password").as_bool());
  EXPECT_EQ(json.at("oidc").at("label").as_string(), "Example IdP");
  EXPECT_EQ(json.at("oidc").at("login_url").as_string(), "/api/v1/auth/oidc/login");
}

TEST_P(OidcApi, TheLoginRedirectCarriesStateNonceAndAPkceChallenge) {
  auto reply = Client().Get("/api/v1/auth/oidc/login?next=/orgs");
  ASSERT_EQ(reply.status, 302u) << reply.body;
  const std::string location = reply.Header("location");
  EXPECT_THAT(location, StartsWith(std::string(kIssuer) + "/auth?"));
  EXPECT_EQ(QueryParam(location, "response_type"), "code");
  EXPECT_EQ(QueryParam(location, "client_id"), "certus");
  EXPECT_EQ(QueryParam(location, "scope"), "openid email profile");
  EXPECT_EQ(QueryParam(location, "redirect_uri"), "http://127.0.0.1/api/v1/auth/oidc/callback");
  EXPECT_EQ(QueryParam(location, "code_challenge_method"), "S256");
  EXPECT_EQ(QueryParam(location, "code_challenge").size(), 43u);
  EXPECT_GE(QueryParam(location, "state").size(), 43u);
  EXPECT_GE(QueryParam(location, "nonce").size(), 43u);
  EXPECT_EQ(reply.Header("cache-control"), "no-store");
  // Every sign-in has its own.
  auto again = Client().Get("/api/v1/auth/oidc/login");
  EXPECT_NE(QueryParam(again.Header("location"), "state"), QueryParam(location, "state"));
  EXPECT_NE(QueryParam(again.Header("location"), "nonce"), QueryParam(location, "nonce"));
  EXPECT_EQ(provider_->discoveries, 1) << "discovery is cached";
}

TEST_P(OidcApi, ACallbackWithAnUnknownStateIsRefused) {
  auto reply = Callback("forged-state");
  EXPECT_EQ(reply.status, 302u);
  EXPECT_EQ(reply.Header("location"), "/signin?oidc_error=state");
  EXPECT_TRUE(reply.Header("set-cookie").empty());
  auto missing = Client().Get("/api/v1/auth/oidc/callback?code=x");
  EXPECT_EQ(missing.Header("location"), "/signin?oidc_error=state");
  auto denied = Client().Get("/api/v1/auth/oidc/callback?error=access_denied&state=x");
  EXPECT_EQ(denied.Header("location"), "/signin?oidc_error=denied");
}

TEST_P(OidcApi, AnExpiredStateIsRefused) {
  const std::string state = Begin();
  clock_.Advance(std::chrono::minutes(11));
  auto reply = Callback(state);
  EXPECT_EQ(reply.Header("location"), "/signin?oidc_error=state");
  EXPECT_TRUE(provider_->token_body.empty()) << "no code is exchanged for an expired state";
}

TEST_P(OidcApi, ASignInOpensASessionLinksTheSubjectAndGoesNext) {
  const std::string state = Begin("/orgs/x/risks");
  auto reply = Callback(state);
  ASSERT_EQ(reply.status, 302u) << reply.body;
  EXPECT_EQ(reply.Header("location"), "/orgs/x/risks");
  const std::string cookie = reply.Header("set-cookie");
  EXPECT_THAT(cookie, HasSubstr("certus_session=certus_"));
  EXPECT_THAT(cookie, HasSubstr("HttpOnly"));
  // The code went with the verifier; the secret by Basic, not in the body.
  EXPECT_THAT(provider_->token_body, HasSubstr("code_verifier="));
  EXPECT_THAT(provider_->token_body, Not(HasSubstr("s3cret")));
  EXPECT_THAT(provider_->token_authorization, StartsWith("Basic "));
  auto me = Client().Get("/api/v1/auth/me", {{"Cookie", cookie.substr(0, cookie.find(';'))}});
  ASSERT_EQ(me.status, 200u) << me.body;
  EXPECT_EQ(me.Json().at("user").at("email").as_string(), "alice@example.com");
  EXPECT_EQ(Links(), 1);
  // The state works once.
  EXPECT_EQ(Callback(state).Header("location"), "/signin?oidc_error=state");
  // Later sign-ins match the subject first, whatever email the provider says now.
  provider_->email = "alice.renamed@example.com";
  auto later = Callback(Begin());
  EXPECT_EQ(later.Header("location"), "/");
  EXPECT_FALSE(later.Header("set-cookie").empty());
  EXPECT_EQ(Links(), 1);
}

TEST_P(OidcApi, AnUnknownEmailIsRefused) {
  provider_->subject = "sub-stranger";
  provider_->email = "stranger@example.com";
  auto reply = Callback(Begin());
  EXPECT_EQ(reply.Header("location"), "/signin?oidc_error=unknown_user");
  EXPECT_TRUE(reply.Header("set-cookie").empty());
  EXPECT_EQ(Links(), 0);
}

TEST_P(OidcApi, AWrongCodeVerifierOrCodeIsRefusedByTheProvider) {
  const std::string state = Begin();
  provider_->challenge = "something-else";
  EXPECT_EQ(Callback(state).Header("location"), "/signin?oidc_error=provider");
}

TEST_P(OidcApi, ALockedAccountCannotSignInThroughTheProvider) {
  for (int i = 0; i < 20; ++i) {
    Client().Post("/api/v1/auth/login",
                  R"({"email":"alice@example.com","password":"wrong password"})",
                  {{"Content-Type", "application/json"}});
    clock_.Advance(std::chrono::minutes(16));  // past the throttle window
  }
  auto reply = Callback(Begin());
  EXPECT_EQ(reply.Header("location"), "/signin?oidc_error=locked");
  EXPECT_TRUE(reply.Header("set-cookie").empty());
}

TEST_P(OidcApi, TwoStepUsersNeedTheProvidersSecondFactor) {
  const Actor alice{UserId(alice_id_), "alice@example.com", std::nullopt, false, {}};
  auto enrollment = app_->identity().StartTotpEnrollment(alice);
  ASSERT_TRUE(enrollment);
  auto key = identity::Base32Decode(enrollment->secret_base32.Expose());
  ASSERT_TRUE(key);
  ASSERT_TRUE(app_->identity().ConfirmTotp(
      alice, SecretString(identity::TotpCode(*key, identity::TotpStep(clock_.Now())))));
  auto refused = Callback(Begin());
  EXPECT_EQ(refused.Header("location"), "/signin?oidc_error=second_factor");
  EXPECT_TRUE(refused.Header("set-cookie").empty());
  provider_->amr = {"pwd", "mfa"};
  auto accepted = Callback(Begin());
  EXPECT_EQ(accepted.Header("location"), "/");
  EXPECT_FALSE(accepted.Header("set-cookie").empty());
}

TEST_P(OidcApi, TheSessionSaysWhetherTheProviderReportedASecondFactor) {
  const std::string plain = SignInCookie();
  auto me = Client().Get("/api/v1/auth/me", {{"Cookie", plain}});
  ASSERT_EQ(me.status, 200u) << me.body;
  EXPECT_EQ(me.Json().at("auth_method"), "oidc");
  provider_->amr = {"pwd", "otp"};
  const std::string strong = SignInCookie();
  EXPECT_EQ(Client().Get("/api/v1/auth/me", {{"Cookie", strong}}).Json().at("auth_method"),
            "oidc+mfa");
  // "pwd" alone is no second factor.
  provider_->amr = {"pwd"};
  EXPECT_EQ(Client().Get("/api/v1/auth/me", {{"Cookie", SignInCookie()}}).Json().at("auth_method"),
            "oidc");
}

TEST_P(OidcApi, AnOrganizationRequiringASecondFactorAdmitsOnlySessionsTheProviderReportedOneFor) {
  const std::string org = OrgRequiringASecondFactor();
  const std::string issues = "/api/v1/orgs/" + org + "/context-issues";
  auto refused = Client().Get(issues, {{"Cookie", SignInCookie()}});
  EXPECT_EQ(refused.status, 403u);
  EXPECT_EQ(refused.Json().at("type"), "urn:certus:problem:second-factor-required");
  EXPECT_EQ(refused.Json().at("auth_method"), "oidc");
  EXPECT_THAT(std::string(refused.Json().at("detail").as_string()),
              HasSubstr("identity provider did not report a second factor"));
  provider_->amr = {"pwd", "mfa"};
  EXPECT_EQ(Client().Get(issues, {{"Cookie", SignInCookie()}}).status, 200u);
}

TEST_P(OidcApi, AnAdminRequiresASecondFactorOnlyFromASessionTheProviderReportedOneFor) {
  auto org = app_->identity().CreateOrg(Actor::System(), "Acme Ltd", UserId(alice_id_));
  ASSERT_TRUE(org);
  const std::string path = "/api/v1/orgs/" + org->id.str();
  const auto require = [&](const std::string& cookie) {
    auto me = Client().Get("/api/v1/auth/me", {{"Cookie", cookie}});
    auto current = Client().Get(path, {{"Cookie", cookie}});
    return Client().Send("PATCH", path, R"({"require_second_factor": true})",
                         {{"Cookie", cookie},
                          {"X-CSRF-Token", std::string(me.Json().at("csrf_token").as_string())},
                          {"If-Match", std::string(current.Header("etag"))},
                          {"Content-Type", "application/json"}});
  };
  auto refused = require(SignInCookie());
  EXPECT_EQ(refused.status, 409u) << refused.body;
  EXPECT_THAT(std::string(refused.Json().at("detail").as_string()),
              HasSubstr("identity provider did not report a second factor"));
  provider_->amr = {"mfa"};
  auto required = require(SignInCookie());
  ASSERT_EQ(required.status, 200u) << required.body;
  EXPECT_EQ(required.Json().at("require_second_factor"), true);
}

TEST_P(OidcApi, SigningOutOfAProviderSessionNamesTheProvidersSignOutPage) {
  const std::string cookie = SignInCookie();
  auto me = Client().Get("/api/v1/auth/me", {{"Cookie", cookie}});
  ASSERT_EQ(me.status, 200u);
  const std::string csrf(me.Json().at("csrf_token").as_string());
  auto reply =
      Client().Post("/api/v1/auth/logout", "", {{"Cookie", cookie}, {"X-CSRF-Token", csrf}});
  ASSERT_EQ(reply.status, 200u) << reply.body;
  const std::string url(reply.Json().at("logout_url").as_string());
  // RP-Initiated Logout 1.0 without an ID token: the client and where to come back to.
  EXPECT_THAT(url, StartsWith(std::string(kIssuer) + "/logout?"));
  EXPECT_EQ(QueryParam(url, "client_id"), "certus");
  EXPECT_EQ(QueryParam(url, "post_logout_redirect_uri"), "http://127.0.0.1/signin");
  EXPECT_THAT(url, Not(HasSubstr("id_token_hint")));
  EXPECT_THAT(reply.Header("set-cookie"), HasSubstr("Max-Age=0"));
  EXPECT_EQ(Client().Get("/api/v1/auth/me", {{"Cookie", cookie}}).status, 401u);

  // A password session signs out as before: no provider to leave.
  HttpClient password(server_->port());
  ASSERT_EQ(password.Login("alice@example.com", TestServer::kPassword).status, 200u);
  EXPECT_EQ(password.Get("/api/v1/auth/me").Json().at("auth_method"), "password");
  EXPECT_EQ(password.Post("/api/v1/auth/logout", "").status, 204u);
}

TEST_P(OidcApi, WithoutAnEndSessionEndpointSigningOutIsCertusAlone) {
  provider_->end_session = false;
  const std::string cookie = SignInCookie();
  const std::string csrf(
      Client().Get("/api/v1/auth/me", {{"Cookie", cookie}}).Json().at("csrf_token").as_string());
  auto reply =
      Client().Post("/api/v1/auth/logout", "", {{"Cookie", cookie}, {"X-CSRF-Token", csrf}});
  EXPECT_EQ(reply.status, 204u) << reply.body;
  EXPECT_EQ(Client().Get("/api/v1/auth/me", {{"Cookie", cookie}}).status, 401u);
}

INSTANTIATE_TEST_SUITE_P(Engines, OidcApi, ::testing::ValuesIn(TestEngines()), EngineName);

/// Without a provider configured: password only, and the OIDC routes are not there.
class OidcOff : public ApiTest {};

TEST_P(OidcOff, OnlyPasswordsAreOn) {
  auto reply = server_->Client().Get("/api/v1/auth/methods");
  ASSERT_EQ(reply.status, 200u);
  EXPECT_TRUE(reply.Json().at("password").as_bool());
  EXPECT_TRUE(reply.Json().at("oidc").is_null());
  EXPECT_EQ(server_->Client().Get("/api/v1/auth/oidc/login").status, 404u);
  EXPECT_EQ(server_->Client().Get("/api/v1/auth/oidc/callback?code=a&state=b").status, 404u);
}

INSTANTIATE_TEST_SUITE_P(Engines, OidcOff, ::testing::ValuesIn(TestEngines()), EngineName);

}  // namespace
}  // namespace certus::testing
