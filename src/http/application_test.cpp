// The client address behind a reverse proxy (ADR 0022): X-Forwarded-For counts only from a
// trusted proxy, and only its last entry, the one the proxy appended.
#include "http/application.hpp"

#include <gtest/gtest.h>

#include "tests/support/fakes.hpp"

namespace certus::http {
namespace {

class NoOne final : public Authenticator {
 public:
  Expected<std::optional<Principal>> Authenticate(const Request&) override { return std::nullopt; }
  Expected<std::optional<OrgAccess>> AccessIn(const Principal&, const OrgId&) override {
    return std::nullopt;
  }
};

class ForwardedAddress : public ::testing::Test {
 protected:
  /// The address the route sees for a request from `peer` with these X-Forwarded-For headers.
  std::string SeenAddress(const std::vector<std::string>& trusted, const std::string& peer,
                          const std::vector<std::string>& forwarded) {
    Router router;
    router.Add(Method::kGet, "/api/v1/address", Access::kPublic, [](Request& request) {
      Response response;
      response.body = request.remote_address;
      return response;
    });
    ApplicationSettings settings;
    settings.access_log = false;
    settings.trusted_proxies = trusted;
    Application app(std::move(router), authenticator_, StaticFiles::Load("/nonexistent"), random_,
                    settings);
    Request request;
    request.method = Method::kGet;
    request.target = request.path = "/api/v1/address";
    request.remote_address = peer;
    for (const auto& value : forwarded) request.headers.emplace_back("x-forwarded-for", value);
    return app.Handle(request).body;
  }

  NoOne authenticator_;
  certus::testing::SeededRandom random_;
};

TEST_F(ForwardedAddress, ATrustedProxyNamesTheClientByItsLastEntry) {
  EXPECT_EQ(SeenAddress({"127.0.0.1"}, "127.0.0.1", {"203.0.113.7"}), "203.0.113.7");
  // What the client wrote comes first; the proxy appended what it saw.
  EXPECT_EQ(SeenAddress({"127.0.0.1"}, "127.0.0.1", {"10.9.9.9, 203.0.113.7"}), "203.0.113.7");
  EXPECT_EQ(SeenAddress({"127.0.0.1"}, "127.0.0.1", {"10.9.9.9", "2001:db8::1 "}), "2001:db8::1");
  EXPECT_EQ(SeenAddress({"127.0.0.1"}, "127.0.0.1", {}), "127.0.0.1");
}

TEST_F(ForwardedAddress, AnyoneElseIsTakenAtTheirAddress) {
  EXPECT_EQ(SeenAddress({"127.0.0.1"}, "198.51.100.4", {"203.0.113.7"}), "198.51.100.4");
  EXPECT_EQ(SeenAddress({}, "127.0.0.1", {"203.0.113.7"}), "127.0.0.1");
}

}  // namespace
}  // namespace certus::http
