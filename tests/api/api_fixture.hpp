#pragma once

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "tests/support/test_server.hpp"

namespace certus::testing {

/// A server per test on each engine, with an admin (alice), a member of the same
/// organization per role, and an outsider (mallory) who administers another organization.
class ApiTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    server_ = TestServer::Start(GetParam());
    alice_id_ = server_->CreateUser("alice@example.com");
    org_ = server_->CreateOrg("Acme Ltd", alice_id_);
    mallory_id_ = server_->CreateUser("mallory@example.com");
    other_org_ = server_->CreateOrg("Other Corp", mallory_id_);
    for (auto [email, role] : {std::pair{"victor@example.com", Role::kViewer},
                               std::pair{"audrey@example.com", Role::kAuditor},
                               std::pair{"carl@example.com", Role::kContributor},
                               std::pair{"maria@example.com", Role::kManager}}) {
      server_->CreateUser(email);
      server_->AddMember(org_, alice_id_, email, role);
    }
  }

  std::string Issues() const { return "/api/v1/orgs/" + org_ + "/context-issues"; }

  static std::string Json(const boost::json::value& value) { return boost::json::serialize(value); }

  /// Field names of a 422 problem's `errors`.
  static std::vector<std::string> ErrorFields(const Reply& reply) {
    std::vector<std::string> fields;
    auto json = reply.Json();
    if (!json.is_object() || !json.as_object().contains("errors")) return fields;
    for (const auto& error : json.at("errors").as_array()) {
      fields.emplace_back(error.at("field").as_string());
    }
    return fields;
  }

  std::unique_ptr<TestServer> server_;
  std::string alice_id_, mallory_id_, org_, other_org_;
};

}  // namespace certus::testing
