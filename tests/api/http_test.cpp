// The HTTP platform: health, headers, limits, hostile input, static files, the OpenAPI
// document.
#include <fstream>
#include <regex>

#include <gmock/gmock.h>

#include "tests/api/api_fixture.hpp"

namespace certus::testing {
namespace {

using ::testing::HasSubstr;

using HttpApi = ApiTest;

TEST_P(HttpApi, HealthAndReadinessNeedNoSignIn) {
  auto client = server_->Client();
  auto health = client.Get("/healthz");
  EXPECT_EQ(health.status, 200u);
  EXPECT_EQ(health.Json().at("status"), "ok");
  EXPECT_EQ(client.Get("/readyz").status, 200u);
}

TEST_P(HttpApi, EveryResponseCarriesSecurityHeadersAndARequestId) {
  auto client = server_->Client();
  for (const auto& reply : {client.Get("/healthz"), client.Get("/api/v1/auth/me")}) {
    EXPECT_THAT(reply.Header("content-security-policy"), HasSubstr("frame-ancestors 'none'"));
    EXPECT_THAT(reply.Header("content-security-policy"), HasSubstr("script-src 'self'"));
    EXPECT_EQ(reply.Header("x-content-type-options"), "nosniff");
    EXPECT_EQ(reply.Header("referrer-policy"), "no-referrer");
    EXPECT_EQ(reply.Header("cache-control"), "no-store");
    EXPECT_EQ(reply.Header("x-request-id").size(), 16u);
  }
}

TEST_P(HttpApi, UnknownPathsAre404AndWrongMethods405) {
  auto alice = server_->SignedIn("alice@example.com");
  auto missing = alice.Get("/api/v1/nothing-here");
  EXPECT_EQ(missing.status, 404u);
  EXPECT_EQ(missing.Header("content-type"), "application/problem+json");
  EXPECT_EQ(alice.Send("PUT", Issues(), "{}", {}).status, 405u);
}

TEST_P(HttpApi, OversizedBodiesAre413AndNothingIsWritten) {
  auto alice = server_->SignedIn("alice@example.com");
  std::string huge = "{\"kind\":\"internal\",\"title\":\"" +
                     std::string(std::size_t{11} * 1024 * 1024, 'a') + "\"}";
  auto reply = alice.Post(Issues(), huge);
  EXPECT_EQ(reply.status, 413u);
  EXPECT_EQ(alice.Get(Issues()).Json().at("items").as_array().size(), 0u);
}

TEST_P(HttpApi, EnormousHeadersAndQueryStringsAreRefused) {
  auto client = server_->Client();
  auto long_query = client.Get("/api/v1/auth/me?q=" + std::string(std::size_t{64} * 1024, 'x'));
  EXPECT_EQ(long_query.status, 431u);
  auto long_header =
      client.Get("/healthz", {{"X-Padding", std::string(std::size_t{64} * 1024, 'y')}});
  EXPECT_EQ(long_header.status, 431u);
  EXPECT_EQ(client.Get("/healthz").status, 200u);  // and the server is still there
}

TEST_P(HttpApi, GarbageIsABadRequest) {
  auto client = server_->Client();
  auto raw = client.SendRaw("THIS IS NOT HTTP\r\n\r\n");
  EXPECT_EQ(ParseReply(raw).status, 400u);
  auto bad_utf8 = client.Get("/api/v1/orgs/%FF%FE/context-issues");
  EXPECT_EQ(bad_utf8.status, 400u);
  EXPECT_EQ(client.Get("/healthz").status, 200u);
}

// curl waits up to a second for "100 Continue" before sending a body over 1 MiB.
TEST_P(HttpApi, AClientThatExpectsContinueIsToldToSendTheBody) {
  const std::string body = R"({"email": "nobody@example.com", "password": "wrong password"})";
  auto raw = server_->Client().SendRaw(
      "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
      "Content-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body);
  ASSERT_THAT(raw, ::testing::StartsWith("HTTP/1.1 100 Continue\r\n"));
  EXPECT_EQ(ParseReply(raw.substr(raw.find("\r\n\r\n") + 4)).status, 401u);
}

TEST_P(HttpApi, PathTraversalNeverLeavesTheWebRoot) {
  auto client = server_->Client();
  for (std::string path : {"/../../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
                           "/..%2f..%2f..%2fetc%2fpasswd", "/assets/../../../etc/passwd"}) {
    auto reply = client.Get(path);
    EXPECT_THAT(reply.body, ::testing::Not(HasSubstr("root:"))) << path;
    EXPECT_NE(reply.status, 200u) << path;
  }
}

TEST_P(HttpApi, SlowClientsAreCutOff) {
  http::ServerSettings settings;
  settings.request_timeout = std::chrono::seconds(1);
  auto server = TestServer::Start(GetParam(), settings);
  auto client = server->Client();
  // Half a request line, then silence: the server must give up on its own.
  auto started = std::chrono::steady_clock::now();
  auto raw = client.SendRaw("GET /healthz HTTP/1.1\r\nHost: x\r\n", 10000);
  EXPECT_EQ(raw, "");
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(9));
}

TEST_P(HttpApi, TheBuiltUiIsServedWithCacheHeadersAndSpaFallback) {
  auto dir = std::filesystem::temp_directory_path() / ("certus-web-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir / "assets");
  std::ofstream(dir / "index.html") << "<!doctype html><title>Certus</title>";
  std::ofstream(dir / "assets" / "app-1234.js") << "console.log(1)";
  auto server = TestServer::Start(GetParam(), {}, dir);
  auto client = server->Client();

  auto index = client.Get("/");
  EXPECT_EQ(index.status, 200u);
  EXPECT_THAT(index.Header("content-type"), HasSubstr("text/html"));
  EXPECT_EQ(index.Header("cache-control"), "no-cache");
  auto asset = client.Get("/assets/app-1234.js");
  EXPECT_EQ(asset.status, 200u);
  EXPECT_THAT(asset.Header("cache-control"), HasSubstr("immutable"));
  auto deep_link = client.Get("/orgs/123/context-issues");
  EXPECT_EQ(deep_link.status, 200u);
  EXPECT_THAT(deep_link.body, HasSubstr("<title>Certus</title>"));
  EXPECT_EQ(client.Get("/assets/missing.js").status, 404u);
  EXPECT_EQ(client.Post("/index.html", "").status, 404u);
  std::filesystem::remove_all(dir);
}

/// The path of a route pattern as OpenAPI writes it: `{org}` stays `{org}`.
TEST_P(HttpApi, OpenApiDocumentsExactlyTheRoutesThatExist) {
  auto client = server_->Client();
  auto reply = client.Get("/api/v1/openapi.json");
  ASSERT_EQ(reply.status, 200u);
  auto doc = reply.Json();
  ASSERT_TRUE(doc.is_object()) << "openapi.json is not JSON";
  EXPECT_THAT(std::string(doc.at("openapi").as_string()), ::testing::StartsWith("3.1"));

  std::set<std::string> documented;
  for (const auto& [path, item] : doc.at("paths").as_object()) {
    for (const auto& [method, operation] : item.as_object()) {
      if (method == "parameters") continue;
      std::string upper(method);
      for (auto& c : upper) c = static_cast<char>(std::toupper(c));
      documented.insert(upper + " " + std::string(path));
      EXPECT_TRUE(operation.as_object().contains("responses")) << upper << " " << path;
    }
  }
  std::set<std::string> routed;
  for (const auto& route : server_->app().http().router().routes()) {
    routed.insert(std::string(http::MethodName(route.method)) + " " + route.pattern);
  }
  EXPECT_EQ(documented, routed);
}

INSTANTIATE_TEST_SUITE_P(Engines, HttpApi, ::testing::ValuesIn(TestEngines()), EngineName);

}  // namespace
}  // namespace certus::testing
