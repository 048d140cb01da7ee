// HTTP scenarios for information security incidents (ISO 27001 8.1, A.5.24–A.5.28): reported
// with when they were detected, handled new → triaged → contained → resolved → closed, closed
// only with the resolution and the lessons learned (A.5.27), an append-only timeline, links to
// assets, risks and the nonconformities they reveal (10.2).
#include <gmock/gmock.h>

#include "storage/database.hpp"
#include "tests/api/api_fixture.hpp"

namespace certus::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

class IncidentsApi : public ApiTest {
 protected:
  std::string Incidents() const { return "/api/v1/orgs/" + org_ + "/incidents"; }
  std::string Url(const boost::json::value& incident) const {
    return Incidents() + "/" + std::string(incident.at("id").as_string());
  }

  boost::json::value Created(const Reply& reply) {
    EXPECT_EQ(reply.status, 201u) << reply.body;
    return reply.Json();
  }

  static boost::json::object Phishing(const std::string& title = "Phishing wave") {
    return {{"title", title},
            {"description", "Credential phishing mails to finance"},
            {"category", "phishing"},
            {"severity", "high"},
            {"detected_at", "2026-03-01T08:00:00Z"},
            {"reported_at", "2026-03-01T08:30:00Z"}};
  }

  Reply Step(HttpClient& client, const boost::json::value& incident, const std::string& step,
             const boost::json::object& body = {}) {
    return client.Post(Url(incident) + "/" + step, Json(body));
  }

  std::vector<std::string> TimelineKinds(HttpClient& client, const boost::json::value& incident) {
    std::vector<std::string> out;
    auto timeline = client.Get(Url(incident) + "/timeline").Json();
    for (const auto& e : timeline.at("items").as_array()) {
      std::string what(e.at("kind").as_string());
      if (!e.at("status").is_null()) what += ":" + std::string(e.at("status").as_string());
      out.push_back(what);
    }
    return out;
  }
};

TEST_P(IncidentsApi, ReportTheWholeHandlingAndClose) {
  auto carl = server_->SignedIn("carl@example.com");
  auto reply = carl.Post(Incidents(), Json(Phishing()));
  auto incident = Created(reply);
  EXPECT_EQ(incident.at("ref"), "INC-0001");
  EXPECT_EQ(incident.at("status"), "new");
  EXPECT_EQ(incident.at("reported_by_email"), "carl@example.com");
  EXPECT_EQ(incident.at("detected_at"), "2026-03-01T08:00:00.000000Z");
  EXPECT_EQ(incident.at("hours_to_contain"), nullptr);
  EXPECT_EQ(reply.Header("etag"), "\"1\"");
  EXPECT_EQ(reply.Header("location"), Url(incident));
  EXPECT_EQ(carl.Get(Url(incident)).Json(), incident);

  // Steps in order only.
  auto early = Step(carl, incident, "resolve");
  EXPECT_EQ(early.status, 409u);
  EXPECT_THAT(early.body, HasSubstr("only an incident that is contained"));
  ASSERT_EQ(Step(carl, incident, "triage",
                 {{"note", "Twelve recipients"}, {"at", "2026-03-01T09:00:00Z"}})
                .status,
            200u);
  EXPECT_THAT(ErrorFields(Step(carl, incident, "contain", {{"at", "2026-03-01T08:30:00Z"}})),
              ElementsAre("at"));
  auto contained =
      Step(carl, incident, "contain", {{"at", "2026-03-01T14:00:00Z"}, {"note", "Mails purged"}});
  ASSERT_EQ(contained.status, 200u) << contained.body;
  EXPECT_EQ(contained.Json().at("status"), "contained");
  EXPECT_EQ(contained.Json().at("hours_to_contain").as_double(), 6.0);
  EXPECT_THAT(ErrorFields(Step(carl, incident, "resolve", {{"at", "2026-02-28T00:00:00Z"}})),
              ElementsAre("at"));
  EXPECT_THAT(ErrorFields(Step(carl, incident, "resolve", {{"at", "2026-04-01T00:00:00Z"}})),
              ElementsAre("at"));
  auto resolved = Step(carl, incident, "resolve", {{"at", "2026-03-02T08:00:00Z"}});
  ASSERT_EQ(resolved.status, 200u) << resolved.body;
  EXPECT_EQ(resolved.Json().at("hours_to_resolve").as_double(), 24.0);

  // 8.1, A.5.27: closing needs the resolution and the lessons learned, named in the 409.
  auto refused = Step(carl, incident, "close");
  EXPECT_EQ(refused.status, 409u);
  EXPECT_THAT(refused.body, HasSubstr("A.5.27"));
  EXPECT_THAT(refused.body, HasSubstr("lessons_learned"));
  EXPECT_THAT(refused.body, HasSubstr("resolution"));
  ASSERT_EQ(carl.Patch(Url(incident),
                       Json({{"resolution", "Root cause: no MFA on webmail; passwords reset"},
                             {"personal_data_involved", true}}),
                       {{"If-Match", "\"4\""}})
                .status,
            200u);
  auto still = Step(carl, incident, "close");
  EXPECT_EQ(still.status, 409u);
  EXPECT_THAT(still.body, HasSubstr("lessons_learned"));
  EXPECT_THAT(still.body, HasSubstr("A.5.34"));
  EXPECT_THAT(still.body, Not(HasSubstr("(resolution")));
  ASSERT_EQ(
      carl.Patch(Url(incident),
                 Json({{"lessons_learned", "Enforce MFA everywhere"},
                       {"notification_notes", "No personal data left the mailbox; DPO agreed"}}),
                 {{"If-Match", "\"5\""}})
          .status,
      200u);
  auto closed = Step(carl, incident, "close", {{"note", "Reviewed with the CISO"}});
  ASSERT_EQ(closed.status, 200u) << closed.body;
  EXPECT_EQ(closed.Json().at("status"), "closed");
  EXPECT_EQ(closed.Header("etag"), "\"7\"");

  // A closed incident is a record until a manager reopens it.
  auto patch = carl.Patch(Url(incident), Json({{"title", "x"}}), {{"If-Match", "\"7\""}});
  EXPECT_EQ(patch.status, 409u);
  EXPECT_THAT(patch.body, HasSubstr("closed"));
  EXPECT_EQ(carl.Post(Url(incident) + "/timeline", Json({{"entry", "late"}})).status, 409u);
  EXPECT_EQ(Step(carl, incident, "reopen", {{"note", "Recurred"}}).status, 403u);
  auto maria = server_->SignedIn("maria@example.com");
  EXPECT_THAT(ErrorFields(Step(maria, incident, "reopen")), ElementsAre("note"));
  auto reopened = Step(maria, incident, "reopen", {{"note", "Same campaign again"}});
  ASSERT_EQ(reopened.status, 200u) << reopened.body;
  EXPECT_EQ(reopened.Json().at("status"), "triaged");
  EXPECT_EQ(reopened.Json().at("reopen_count"), 1);
  EXPECT_EQ(reopened.Json().at("closed_at"), nullptr);
  EXPECT_EQ(reopened.Json().at("hours_to_contain"), nullptr);

  EXPECT_THAT(TimelineKinds(carl, incident),
              ElementsAre("status:new", "status:triaged", "status:contained", "status:resolved",
                          "status:closed", "status:triaged"));
  auto history = carl.Get(Url(incident) + "/history").Json();
  std::vector<std::string> actions;
  for (const auto& event : history.at("items").as_array())
    actions.emplace_back(event.at("action").as_string());
  EXPECT_THAT(actions, ElementsAre("create", "triage", "contain", "resolve", "update", "update",
                                   "close", "reopen"));
}

TEST_P(IncidentsApi, TimelineIsAppendOnly) {
  auto carl = server_->SignedIn("carl@example.com");
  auto incident = Created(carl.Post(Incidents(), Json(Phishing())));
  EXPECT_THAT(ErrorFields(carl.Post(Url(incident) + "/timeline", "{}")), ElementsAre("entry"));
  EXPECT_THAT(ErrorFields(carl.Post(Url(incident) + "/timeline",
                                    Json({{"entry", "x"}, {"at", "tomorrow"}}))),
              ElementsAre("at"));
  EXPECT_THAT(ErrorFields(carl.Post(Url(incident) + "/timeline",
                                    Json({{"entry", "x"}, {"at", "2026-03-03T00:00:00Z"}}))),
              ElementsAre("at"));
  // An entry about something before it was recorded sorts where it happened.
  auto added = carl.Post(Url(incident) + "/timeline",
                         Json({{"entry", "First mail opened"}, {"at", "2026-03-01T07:45:00Z"}}));
  ASSERT_EQ(added.status, 201u) << added.body;
  EXPECT_EQ(added.Json().at("recorded_by_email"), "carl@example.com");
  EXPECT_EQ(added.Json().at("kind"), "note");
  auto timeline = carl.Get(Url(incident) + "/timeline").Json().at("items").as_array();
  ASSERT_EQ(timeline.size(), 2u);
  EXPECT_EQ(timeline[0].at("entry"), "First mail opened");
  EXPECT_EQ(timeline[1].at("status"), "new");
  // No route changes an entry, and the database refuses it whoever asks.
  EXPECT_EQ(carl.Patch(Url(incident) + "/timeline", "{}", {{"If-Match", "\"1\""}}).status, 405u);
  for (const char* sql :
       {"UPDATE incident_timeline SET entry = 'edited'", "DELETE FROM incident_timeline"}) {
    auto tx = server_->db().Begin(storage::TxMode::kWrite);  // rolled back when it goes
    ASSERT_TRUE(tx);
    EXPECT_FALSE((*tx)->Execute(sql)) << sql;
  }
  EXPECT_EQ(carl.Get(Url(incident) + "/timeline").Json().at("items").as_array().size(), 2u);
  // The incident's history records the entry.
  auto history = carl.Get(Url(incident) + "/history").Json().at("items").as_array();
  EXPECT_EQ(history.back().at("action"), "add_timeline_entry");
}

TEST_P(IncidentsApi, RaiseAndLinkNonconformities) {
  auto alice = server_->SignedIn("alice@example.com");
  auto incident = Created(alice.Post(Incidents(), Json(Phishing())));
  EXPECT_THAT(ErrorFields(alice.Post(Url(incident) + "/nonconformity", "{}")),
              ElementsAre("title"));
  auto raised =
      alice.Post(Url(incident) + "/nonconformity", Json({{"title", "MFA not enforced on webmail"},
                                                         {"requirement_ref", "A.8.5"},
                                                         {"severity", "major"}}));
  ASSERT_EQ(raised.status, 201u) << raised.body;
  auto linked = raised.Json().at("nonconformities").as_array();
  ASSERT_EQ(linked.size(), 1u);
  EXPECT_EQ(linked[0].at("ref"), "NC-0001");
  EXPECT_EQ(linked[0].at("title"), "MFA not enforced on webmail");
  auto nc_id = std::string(linked[0].at("id").as_string());
  auto nc = alice.Get("/api/v1/orgs/" + org_ + "/nonconformities/" + nc_id).Json();
  EXPECT_EQ(nc.at("source"), "incident");
  EXPECT_EQ(nc.at("source_ref"), "INC-0001");
  EXPECT_EQ(nc.at("severity"), "major");
  EXPECT_EQ(raised.Json().at("version"), 2);

  // An existing nonconformity is linked by id, like assets and risks.
  auto other = Created(alice.Post("/api/v1/orgs/" + org_ + "/nonconformities",
                                  Json({{"title", "Awareness training overdue"},
                                        {"source", "monitoring"},
                                        {"severity", "minor"}})));
  auto second = Created(alice.Post(Incidents(), Json(Phishing("Second wave"))));
  auto link = alice.Patch(Url(second), Json({{"nonconformity_ids", {nc_id, other.at("id")}}}),
                          {{"If-Match", "\"1\""}});
  ASSERT_EQ(link.status, 200u) << link.body;
  EXPECT_EQ(link.Json().at("nonconformities").as_array().size(), 2u);
  EXPECT_EQ(link.Json().at("nonconformities").as_array()[0].at("ref"), "NC-0001");

  // Raising is refused whole when the nonconformity is invalid: nothing is written.
  auto bad =
      alice.Post(Url(second) + "/nonconformity", Json({{"title", "x"}, {"owner_id", mallory_id_}}));
  EXPECT_EQ(bad.status, 422u);
  EXPECT_THAT(ErrorFields(bad), ElementsAre("owner_id"));
  EXPECT_EQ(alice.Get(Url(second)).Json().at("version"), 2);
  EXPECT_EQ(
      alice.Get("/api/v1/orgs/" + org_ + "/nonconformities").Json().at("items").as_array().size(),
      2u);
}

TEST_P(IncidentsApi, ValidationLinksAndStaleWrites) {
  auto alice = server_->SignedIn("alice@example.com");
  auto missing = alice.Post(Incidents(), "{}");
  EXPECT_EQ(missing.status, 422u);
  EXPECT_THAT(ErrorFields(missing), UnorderedElementsAre("title", "severity", "detected_at"));
  auto wrong = alice.Post(Incidents(), Json({{"title", "x"},
                                             {"severity", "urgent"},
                                             {"category", "aliens"},
                                             {"detected_at", "yesterday"},
                                             {"asset_ids", {"AST-0001"}},
                                             {"status", "closed"},
                                             {"impact", 5}}));
  EXPECT_THAT(ErrorFields(wrong), UnorderedElementsAre("severity", "category", "detected_at",
                                                       "asset_ids[0]", "impact"));
  auto future = alice.Post(
      Incidents(),
      Json({{"title", "x"}, {"severity", "low"}, {"detected_at", "2026-03-05T00:00:00Z"}}));
  EXPECT_THAT(ErrorFields(future), ElementsAre("detected_at"));
  auto before = Phishing();
  before["reported_at"] = "2026-03-01T07:00:00Z";
  EXPECT_THAT(ErrorFields(alice.Post(Incidents(), Json(before))), ElementsAre("reported_at"));
  auto unknown = Phishing();
  unknown["owner_id"] = mallory_id_;
  unknown["risk_ids"] = boost::json::array{"00000000-0000-4000-8000-000000000001"};
  unknown["asset_ids"] = boost::json::array{"00000000-0000-4000-8000-000000000002"};
  EXPECT_THAT(ErrorFields(alice.Post(Incidents(), Json(unknown))),
              UnorderedElementsAre("owner_id", "risk_ids[0]", "asset_ids[0]"));
  EXPECT_EQ(alice.Get(Incidents()).Json().at("items").as_array().size(), 0u);

  auto asset = Created(
      alice.Post("/api/v1/orgs/" + org_ + "/assets",
                 Json({{"name", "Webmail"}, {"type", "service"}, {"owner_id", alice_id_}})));
  auto risk = Created(alice.Post(
      "/api/v1/orgs/" + org_ + "/risks",
      Json({{"title", "Phishing"}, {"owner_id", alice_id_}, {"likelihood", 3}, {"impact", 3}})));
  auto body = Phishing();
  body["asset_ids"] = boost::json::array{asset.at("id")};
  body["risk_ids"] = boost::json::array{risk.at("id")};
  auto incident = Created(alice.Post(Incidents(), Json(body)));
  EXPECT_EQ(incident.at("assets").as_array()[0].at("ref"), "AST-0001");
  EXPECT_EQ(incident.at("risks").as_array()[0].at("title"), "Phishing");
  auto by_asset = alice.Get(Incidents() + "?asset_id=" + std::string(asset.at("id").as_string()));
  EXPECT_EQ(by_asset.Json().at("items").as_array().size(), 1u);

  // If-Match: required, and a stale version is refused without a change.
  EXPECT_EQ(alice.Patch(Url(incident), Json({{"title", "y"}})).status, 428u);
  EXPECT_EQ(alice.Patch(Url(incident), Json({{"title", "y"}}), {{"If-Match", "\"2\""}}).status,
            412u);
  EXPECT_EQ(alice.Post(Url(incident) + "/triage", "{}", {{"If-Match", "\"7\""}}).status, 412u);
  auto moved = alice.Patch(Url(incident), Json({{"detected_at", "2026-03-01T09:00:00Z"}}),
                           {{"If-Match", "\"1\""}});
  EXPECT_THAT(ErrorFields(moved), ElementsAre("reported_at"));
  EXPECT_EQ(alice.Get(Url(incident)).Json().at("title"), "Phishing wave");
  // Contributors change only what they report or handle.
  auto carl = server_->SignedIn("carl@example.com");
  EXPECT_EQ(carl.Patch(Url(incident), Json({{"title", "y"}}), {{"If-Match", "\"1\""}}).status,
            403u);
  EXPECT_EQ(Step(carl, incident, "triage").status, 403u);
}

TEST_P(IncidentsApi, ListFiltersPagingAndSummary) {
  auto alice = server_->SignedIn("alice@example.com");
  auto a = Created(alice.Post(Incidents(), Json(Phishing("Alpha phishing"))));
  auto b = Phishing("Bravo laptop stolen");
  b["category"] = "loss_or_theft";
  b["severity"] = "low";
  b["detected_at"] = "2026-02-01T10:00:00Z";
  b["reported_at"] = "2026-02-01T10:00:00Z";
  auto bravo = Created(alice.Post(Incidents(), Json(b)));
  auto c = Phishing("Charlie outage");
  c["category"] = "denial_of_service";
  c["severity"] = "critical";
  c["detected_at"] = "2025-01-01T00:00:00Z";
  c["reported_at"] = "2025-01-01T01:00:00Z";
  auto charlie = Created(alice.Post(Incidents(), Json(c)));
  ASSERT_EQ(Step(alice, bravo, "triage", {{"at", "2026-02-01T11:00:00Z"}}).status, 200u);
  ASSERT_EQ(Step(alice, bravo, "contain", {{"at", "2026-02-01T12:00:00Z"}}).status, 200u);
  ASSERT_EQ(Step(alice, bravo, "resolve").status, 200u);
  ASSERT_EQ(
      alice
          .Patch(Url(bravo), Json({{"resolution", "Disk encrypted"}, {"lessons_learned", "ok"}}),
                 {{"If-Match", "\"4\""}})
          .status,
      200u);
  ASSERT_EQ(Step(alice, bravo, "close").status, 200u);

  const auto refs = [&](const std::string& query) {
    std::vector<std::string> out;
    auto reply = alice.Get(Incidents() + query);
    EXPECT_EQ(reply.status, 200u) << query << " " << reply.body;
    auto json = reply.Json();
    for (const auto& i : json.at("items").as_array()) out.emplace_back(i.at("ref").as_string());
    return out;
  };
  EXPECT_THAT(refs(""), ElementsAre("INC-0001", "INC-0002", "INC-0003"));  // newest detection first
  EXPECT_THAT(refs("?open=true"), ElementsAre("INC-0001", "INC-0003"));
  EXPECT_THAT(refs("?status=closed"), ElementsAre("INC-0002"));
  EXPECT_THAT(refs("?severity=critical"), ElementsAre("INC-0003"));
  EXPECT_THAT(refs("?category=phishing"), ElementsAre("INC-0001"));
  EXPECT_THAT(refs("?q=laptop"), ElementsAre("INC-0002"));
  EXPECT_THAT(refs("?sort=-severity"), ElementsAre("INC-0003", "INC-0001", "INC-0002"));
  EXPECT_THAT(ErrorFields(alice.Get(Incidents() + "?status=done&severity=x&open=maybe")),
              UnorderedElementsAre("status", "severity", "open"));
  auto first = alice.Get(Incidents() + "?limit=2&sort=ref").Json();
  ASSERT_FALSE(first.at("next_cursor").is_null());
  auto rest = alice
                  .Get(Incidents() + "?limit=2&sort=ref&cursor=" +
                       std::string(first.at("next_cursor").as_string()))
                  .Json();
  ASSERT_EQ(rest.at("items").as_array().size(), 1u);
  EXPECT_EQ(rest.at("items").as_array()[0].at("ref"), "INC-0003");

  // The summary counts what was detected in the window (default: the year up to today).
  auto summary = alice.Get(Incidents() + "/summary").Json();
  EXPECT_EQ(summary.at("to"), "2026-03-02");
  EXPECT_EQ(summary.at("total"), 2);
  EXPECT_EQ(summary.at("open"), 1);
  EXPECT_EQ(summary.at("by_status").at("closed"), 1);
  EXPECT_EQ(summary.at("by_severity").at("high"), 1);
  EXPECT_EQ(summary.at("by_category").at("loss_or_theft"), 1);
  EXPECT_EQ(summary.at("by_category").at("malware"), 0);
  EXPECT_EQ(summary.at("mean_hours_to_contain").as_double(), 2.0);
  auto all = alice.Get(Incidents() + "/summary?from=2025-01-01&to=2026-03-02").Json();
  EXPECT_EQ(all.at("total"), 3);
  EXPECT_EQ(all.at("by_severity").at("critical"), 1);
  EXPECT_THAT(ErrorFields(alice.Get(Incidents() + "/summary?from=2026-03-02&to=2026-01-01")),
              ElementsAre("from"));
  EXPECT_THAT(ErrorFields(alice.Get(Incidents() + "/summary?from=March")), ElementsAre("from"));
  (void)a;
  (void)charlie;
}

TEST_P(IncidentsApi, ReadersReadAndOutsidersSeeNothing) {
  auto alice = server_->SignedIn("alice@example.com");
  auto incident = Created(alice.Post(Incidents(), Json(Phishing())));
  for (auto email : {"victor@example.com", "audrey@example.com"}) {
    auto reader = server_->SignedIn(email);
    EXPECT_EQ(reader.Get(Incidents()).status, 200u) << email;
    EXPECT_EQ(reader.Get(Url(incident) + "/timeline").status, 200u) << email;
    EXPECT_EQ(reader.Post(Incidents(), Json(Phishing())).status, 403u) << email;
    EXPECT_EQ(reader.Post(Url(incident) + "/timeline", Json({{"entry", "x"}})).status, 403u);
    EXPECT_EQ(Step(reader, incident, "triage").status, 403u) << email;
  }
  auto mallory = server_->SignedIn("mallory@example.com");
  EXPECT_EQ(mallory.Get(Url(incident)).status, 404u);
  EXPECT_EQ(mallory.Get(Url(incident) + "/timeline").status, 404u);
  EXPECT_EQ(mallory
                .Get("/api/v1/orgs/" + other_org_ + "/incidents/" +
                     std::string(incident.at("id").as_string()))
                .status,
            404u);
  EXPECT_EQ(server_->Client().Get(Incidents()).status, 401u);
}

INSTANTIATE_TEST_SUITE_P(Engines, IncidentsApi, ::testing::ValuesIn(TestEngines()), EngineName);

}  // namespace
}  // namespace certus::testing
