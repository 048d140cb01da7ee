#pragma once

#include <memory>
#include <string>
#include <thread>

#include "cli/app.hpp"
#include "http/engine/server.hpp"
#include "tests/support/fakes.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/test_database.hpp"

namespace certus::testing {

/// A real `certus serve` stack on 127.0.0.1 and a free port, over a fresh test database,
/// with a FakeClock and seeded randomness. Stops and cleans up in its destructor.
class TestServer final {
 public:
  static std::unique_ptr<TestServer> Start(Engine engine, http::ServerSettings settings = {},
                                           std::filesystem::path web_dir = {});
  ~TestServer();

  std::uint16_t port() const { return server_->port(); }
  cli::App& app() { return *app_; }
  storage::Database& db() { return database_->db(); }
  FakeClock& clock() { return clock_; }
  /// The blob store's directory: a temporary one of this server, removed with it.
  const std::filesystem::path& blob_dir() const { return blob_dir_; }
  HttpClient Client() const { return HttpClient(port()); }

  /// Creates a user (password hashed at minimum cost) and returns their id.
  std::string CreateUser(const std::string& email, const std::string& password = kPassword,
                         bool installation_admin = false);
  /// Creates an organization administered by `admin_id`; returns its id.
  std::string CreateOrg(const std::string& name, const std::string& admin_id);
  /// Adds an existing user to an organization with `role`.
  void AddMember(const std::string& org_id, const std::string& admin_id, const std::string& email,
                 Role role);
  /// A client signed in as `email`.
  HttpClient SignedIn(const std::string& email, const std::string& password = kPassword);

  static constexpr const char* kPassword = "correct horse battery staple";

 private:
  TestServer() = default;

  std::unique_ptr<TestDatabase> database_;
  std::filesystem::path blob_dir_;
  FakeClock clock_;
  SeededRandom random_;
  std::unique_ptr<cli::App> app_;
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
};

}  // namespace certus::testing
