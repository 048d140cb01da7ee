// The HTTP engine on its own: a stop lets the request in flight finish, and refuses new ones.
#include "http/engine/server.hpp"

#include <future>
#include <thread>

#include <gtest/gtest.h>

#include "tests/support/http_client.hpp"

namespace certus::http {
namespace {

TEST(Server, StopFinishesTheRequestInFlightThenRunReturns) {
  std::promise<void> entered;
  std::promise<void> release;
  auto released = release.get_future().share();
  ServerSettings settings;
  settings.port = 0;
  settings.threads = 2;
  Server server(settings, [&](Request&) {
    entered.set_value();
    released.wait();  // the request is in flight until the test says otherwise
    Response response;
    response.body = "finished";
    return response;
  });
  ASSERT_TRUE(server.Listen());
  std::thread runner([&] { server.Run(); });

  const auto port = server.port();
  testing::HttpClient client(port);
  auto reply = std::async(std::launch::async, [&] { return client.Get("/slow"); });
  entered.get_future().wait();
  server.Stop();
  release.set_value();

  auto answer = reply.get();
  EXPECT_EQ(answer.status, 200u);
  EXPECT_EQ(answer.body, "finished");
  runner.join();  // Run returned: nothing else was pending
  // The listening socket is closed: a new connection is refused.
  EXPECT_THROW(testing::HttpClient(port).Get("/again"), std::runtime_error);
}

}  // namespace
}  // namespace certus::http
