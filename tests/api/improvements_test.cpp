// HTTP scenarios for continual improvement (ISO 27001 10.1): opportunities from any
// source, the decision on each with its rationale, and the outcome.
#include <gmock/gmock.h>

#include "tests/api/api_fixture.hpp"

namespace certus::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

class ImprovementsApi : public ApiTest {
 protected:
  std::string Ofis() const { return "/api/v1/orgs/" + org_ + "/improvements"; }
  std::string Url(const boost::json::value& ofi) const {
    return Ofis() + "/" + std::string(ofi.at("id").as_string());
  }
  static std::vector<std::pair<std::string, std::string>> IfMatch(const boost::json::value& o) {
    return {{"If-Match", "\"" + std::to_string(o.at("version").as_int64()) + "\""}};
  }
  boost::json::value Create(HttpClient& client, const boost::json::object& body) {
    auto reply = client.Post(Ofis(), Json(body));
    EXPECT_EQ(reply.status, 201u) << reply.body;
    return reply.Json();
  }
};

TEST_P(ImprovementsApi, RaiseDecideImplementClose) {
  auto carl = server_->SignedIn("carl@example.com");
  auto maria = server_->SignedIn("maria@example.com");
  auto reply = carl.Post(Ofis(), Json({{"title", "Automate the leaver feed"},
                                       {"description", "HR system could notify IT directly."},
                                       {"due_on", "2026-06-30"}}));
  ASSERT_EQ(reply.status, 201u) << reply.body;
  auto ofi = reply.Json();
  EXPECT_EQ(ofi.at("ref"), "OFI-0001");
  EXPECT_EQ(ofi.at("source"), "suggestion");
  EXPECT_EQ(ofi.at("decision"), "pending");
  EXPECT_EQ(ofi.at("status"), "open");
  EXPECT_EQ(ofi.at("raised_on"), "2026-03-02");
  EXPECT_EQ(reply.Header("location"), Url(ofi));

  // Work starts once accepted; a decision needs its rationale and is for managers.
  auto early = carl.Patch(Url(ofi), Json({{"status", "in_progress"}}), IfMatch(ofi));
  EXPECT_EQ(early.status, 409u);
  EXPECT_THAT(early.body, HasSubstr("10.1"));
  EXPECT_EQ(carl.Patch(Url(ofi), Json({{"decision", "accepted"}, {"decision_rationale", "Yes"}}),
                       IfMatch(ofi))
                .status,
            403u);
  auto bare = maria.Patch(Url(ofi), Json({{"decision", "accepted"}}), IfMatch(ofi));
  EXPECT_EQ(bare.status, 422u);
  EXPECT_THAT(ErrorFields(bare), ElementsAre("decision_rationale"));
  auto decided = maria.Patch(
      Url(ofi), Json({{"decision", "accepted"}, {"decision_rationale", "Cheap and removes CA-1"}}),
      IfMatch(ofi));
  ASSERT_EQ(decided.status, 200u) << decided.body;
  ofi = decided.Json();
  EXPECT_EQ(ofi.at("decided_on"), "2026-03-02");
  EXPECT_FALSE(ofi.at("decided_by").is_null());

  ofi = carl.Patch(Url(ofi), Json({{"status", "in_progress"}}), IfMatch(ofi)).Json();
  EXPECT_EQ(ofi.at("status"), "in_progress");
  auto no_outcome = carl.Patch(Url(ofi), Json({{"status", "implemented"}}), IfMatch(ofi));
  EXPECT_EQ(no_outcome.status, 409u);
  EXPECT_THAT(no_outcome.body, HasSubstr("outcome"));
  auto done =
      carl.Patch(Url(ofi), Json({{"status", "implemented"}, {"outcome", "Feed live since May."}}),
                 IfMatch(ofi));
  ASSERT_EQ(done.status, 200u) << done.body;
  EXPECT_EQ(done.Json().at("status"), "implemented");
  EXPECT_EQ(carl.Get(Url(ofi) + "/history").Json().at("items").as_array().size(), 4u);
}

TEST_P(ImprovementsApi, RejectedOnesCloseAndListsFilter) {
  auto alice = server_->SignedIn("alice@example.com");
  auto ofi = Create(alice, {{"title", "Buy a SIEM"}, {"source", "management_review"}});
  auto pending_close = alice.Patch(Url(ofi), Json({{"status", "closed"}}), IfMatch(ofi));
  EXPECT_EQ(pending_close.status, 409u);
  ofi = alice
            .Patch(Url(ofi),
                   Json({{"decision", "rejected"}, {"decision_rationale", "Too costly this year"}}),
                   IfMatch(ofi))
            .Json();
  auto closed = alice.Patch(Url(ofi), Json({{"status", "closed"}}), IfMatch(ofi));
  ASSERT_EQ(closed.status, 200u) << closed.body;
  EXPECT_EQ(
      alice.Patch(Url(closed.Json()), Json({{"status", "implemented"}}), IfMatch(closed.Json()))
          .status,
      409u);
  Create(alice, {{"title", "Phishing drills"}, {"source", "incident"}});
  auto titles = [&](const std::string& query) {
    std::vector<std::string> out;
    auto reply = alice.Get(Ofis() + query);
    EXPECT_EQ(reply.status, 200u) << reply.body;
    auto json = reply.Json();
    for (const auto& i : json.at("items").as_array()) out.emplace_back(i.at("title").as_string());
    return out;
  };
  EXPECT_THAT(titles(""), ElementsAre("Phishing drills", "Buy a SIEM"));
  EXPECT_THAT(titles("?decision=rejected"), ElementsAre("Buy a SIEM"));
  EXPECT_THAT(titles("?source=incident"), ElementsAre("Phishing drills"));
  EXPECT_THAT(titles("?q=siem"), ElementsAre("Buy a SIEM"));
  EXPECT_THAT(ErrorFields(alice.Get(Ofis() + "?status=x&decision=y")),
              UnorderedElementsAre("status", "decision"));
}

TEST_P(ImprovementsApi, ValidationLinksAndRoles) {
  auto alice = server_->SignedIn("alice@example.com");
  auto missing = alice.Post(Ofis(), "{}");
  EXPECT_EQ(missing.status, 422u);
  EXPECT_THAT(ErrorFields(missing), ElementsAre("title"));
  auto wrong = alice.Post(Ofis(), Json({{"title", "x"},
                                        {"source", "rumour"},
                                        {"due_on", "later"},
                                        {"status", "done"},
                                        {"extra", 1}}));
  EXPECT_THAT(ErrorFields(wrong), UnorderedElementsAre("source", "due_on", "status", "extra"));
  EXPECT_THAT(ErrorFields(alice.Post(Ofis(), Json({{"title", "x"}, {"owner_id", mallory_id_}}))),
              ElementsAre("owner_id"));
  EXPECT_THAT(ErrorFields(alice.Post(
                  Ofis(), Json({{"title", "x"},
                                {"nonconformity_id", "00000000-0000-4000-8000-000000000001"}}))),
              ElementsAre("nonconformity_id"));
  // Linked to a nonconformity of the organization.
  auto nc = alice.Post("/api/v1/orgs/" + org_ + "/nonconformities",
                       Json({{"title", "NC"}, {"source", "monitoring"}, {"severity", "minor"}}));
  ASSERT_EQ(nc.status, 201u);
  const std::string nc_id(nc.Json().at("id").as_string());
  auto linked = Create(alice, {{"title", "Linked"}, {"nonconformity_id", nc_id}});
  EXPECT_EQ(linked.at("nonconformity_id"), boost::json::value(nc_id));
  EXPECT_EQ(alice.Get(Ofis() + "?nonconformity_id=" + nc_id).Json().at("items").as_array().size(),
            1u);

  for (auto email : {"victor@example.com", "audrey@example.com"}) {
    auto client = server_->SignedIn(email);
    EXPECT_EQ(client.Get(Url(linked)).status, 200u) << email;
    EXPECT_EQ(client.Post(Ofis(), "{}").status, 403u) << email;
  }
  // Contributors change what they raised or own, not the rest.
  auto carl = server_->SignedIn("carl@example.com");
  EXPECT_EQ(carl.Patch(Url(linked), Json({{"title", "x"}}), IfMatch(linked)).status, 403u);
  EXPECT_EQ(alice.Patch(Url(linked), Json({{"title", "x"}})).status, 428u);
  EXPECT_EQ(alice.Patch(Url(linked), Json({{"title", "x"}}), {{"If-Match", "\"5\""}}).status, 412u);
  auto mallory = server_->SignedIn("mallory@example.com");
  EXPECT_EQ(mallory.Get(Url(linked)).status, 404u);
  EXPECT_EQ(mallory.Get(Ofis()).status, 404u);
}

INSTANTIATE_TEST_SUITE_P(Engines, ImprovementsApi, ::testing::ValuesIn(TestEngines()), EngineName);

}  // namespace
}  // namespace certus::testing
