#include "http/router.hpp"

#include <gtest/gtest.h>

namespace certus::http {
namespace {

Handler Named(const std::string& name) {
  return [name](Request&) {
    Response response;
    response.body = name;
    return response;
  };
}

std::string Called(const Router::Match& match) {
  Request request;
  return match.route == nullptr ? "" : match.route->handler(request).body;
}

TEST(Router, TheMostSpecificRouteWinsWhateverTheOrder) {
  Router router;
  router.Add(Method::kGet, "/orgs/{org}/risks/{id}", Access::kUser, Named("risk"));
  router.Add(Method::kGet, "/orgs/{org}/risks/heatmap", Access::kUser, Named("heatmap"));

  auto heatmap = router.Find(Method::kGet, "/orgs/1/risks/heatmap");
  EXPECT_EQ(Called(heatmap), "heatmap");
  EXPECT_EQ(heatmap.params.at("org"), "1");
  auto risk = router.Find(Method::kGet, "/orgs/1/risks/r7");
  EXPECT_EQ(Called(risk), "risk");
  EXPECT_EQ(risk.params.at("id"), "r7");
}

TEST(Router, AnotherMethodOnAKnownPathIsReportedForA405) {
  Router router;
  router.Add(Method::kGet, "/things/{id}", Access::kUser, Named("get"));
  auto match = router.Find(Method::kDelete, "/things/1");
  EXPECT_EQ(match.route, nullptr);
  EXPECT_TRUE(match.path_known);
  EXPECT_FALSE(router.Find(Method::kGet, "/things").path_known);
}

}  // namespace
}  // namespace certus::http
