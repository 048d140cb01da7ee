#include "tests/support/test_server.hpp"

#include <random>
#include <stdexcept>

namespace certus::testing {

std::unique_ptr<TestServer> TestServer::Start(Engine engine, http::ServerSettings settings,
                                              std::filesystem::path web_dir) {
  std::unique_ptr<TestServer> server(new TestServer());
  server->database_ = TestDatabase::Create(engine);
  cli::AppSettings app_settings;
  app_settings.identity.hash_cost = identity::HashCost::kMinimum;
  app_settings.http.access_log = false;
  app_settings.web_dir = std::move(web_dir);
  std::random_device seed;
  server->blob_dir_ = std::filesystem::temp_directory_path() /
                      ("certus-test-blobs-" + std::to_string(seed()) + std::to_string(seed()));
  app_settings.blob_dir = server->blob_dir_;
  server->app_ = std::make_unique<cli::App>(server->database_->db(), server->clock_,
                                            server->random_, app_settings);
  settings.host = "127.0.0.1";
  settings.port = 0;
  if (settings.threads == 0) settings.threads = 2;
  auto* app = server->app_.get();
  settings.body_limit_for = [app](const http::Request& head) {
    return app->http().BodyLimitFor(head);
  };
  server->server_ = std::make_unique<http::Server>(
      settings, [app](http::Request& request) { return app->http().Handle(request); });
  if (auto listening = server->server_->Listen(); !listening) {
    throw std::runtime_error("test server cannot listen: " + listening.error().message());
  }
  server->thread_ = std::thread([raw = server->server_.get()] { raw->Run(); });
  return server;
}

TestServer::~TestServer() {
  if (server_) server_->Stop();
  if (thread_.joinable()) thread_.join();
  std::error_code ignored;
  if (!blob_dir_.empty()) std::filesystem::remove_all(blob_dir_, ignored);
}

std::string TestServer::CreateUser(const std::string& email, const std::string& password,
                                   bool installation_admin) {
  auto user = app_->identity().CreateUser(Actor::System(),
                                          {email, "", SecretString(password), installation_admin});
  if (!user) throw std::runtime_error("CreateUser: " + user.error().message());
  return user->id.str();
}

std::string TestServer::CreateOrg(const std::string& name, const std::string& admin_id) {
  auto org = app_->identity().CreateOrg(Actor::System(), name, UserId(admin_id));
  if (!org) throw std::runtime_error("CreateOrg: " + org.error().message());
  return org->id.str();
}

void TestServer::AddMember(const std::string& org_id, const std::string& admin_id,
                           const std::string& email, Role role) {
  Actor admin{UserId(admin_id), "admin", Role::kAdmin, false, {}};
  auto member = app_->identity().AddMember(admin, OrgId(org_id), email, role);
  if (!member) throw std::runtime_error("AddMember: " + member.error().message());
}

HttpClient TestServer::SignedIn(const std::string& email, const std::string& password) {
  HttpClient client = Client();
  auto reply = client.Login(email, password);
  if (reply.status != 200) throw std::runtime_error("sign-in failed: " + reply.body);
  return client;
}

}  // namespace certus::testing
