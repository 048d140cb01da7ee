#include "http/url.hpp"

#include <gtest/gtest.h>

namespace certus::http {
namespace {

TEST(OutgoingUrl, DefaultsThePortAndNamesItInHostOnlyWhenItIsNotTheSchemes) {
  auto plain = ParseOutgoingUrl("http://hooks.example.com");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->port, "80");
  EXPECT_EQ(plain->target, "/");
  EXPECT_EQ(plain->HostHeader(), "hooks.example.com");

  auto tls = ParseOutgoingUrl("https://idp.example.com:8443/realms/x?a=1");
  ASSERT_TRUE(tls);
  EXPECT_TRUE(tls->tls);
  EXPECT_EQ(tls->host, "idp.example.com");
  EXPECT_EQ(tls->target, "/realms/x?a=1");
  EXPECT_EQ(tls->HostHeader(), "idp.example.com:8443");

  auto v6 = ParseOutgoingUrl("http://[::1]:9000/cb");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->HostHeader(), "[::1]:9000");
}

TEST(OutgoingUrl, RefusesOtherSchemesUserInformationAndEmptyHosts) {
  EXPECT_FALSE(ParseOutgoingUrl("ftp://example.com/"));
  EXPECT_FALSE(ParseOutgoingUrl("https://user:pw@example.com/"));
  EXPECT_FALSE(ParseOutgoingUrl("https:///path"));
  EXPECT_FALSE(ParseOutgoingUrl("http://example.com:/"));
}

}  // namespace
}  // namespace certus::http
