// HTTP scenarios for information security objectives (ISO 27001 6.2) and the metrics that
// monitor and measure them (9.1): append-only measurements with corrections, and the status
// of an objective computed from them.
#include <gmock/gmock.h>

#include "tests/api/api_fixture.hpp"

namespace certus::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

class ObjectivesApi : public ApiTest {
 protected:
  std::string Metrics() const { return "/api/v1/orgs/" + org_ + "/metrics"; }
  std::string Objectives() const { return "/api/v1/orgs/" + org_ + "/objectives"; }
  static std::string Id(const boost::json::value& object) {
    return std::string(object.at("id").as_string());
  }
  std::string MetricUrl(const boost::json::value& metric) const {
    return Metrics() + "/" + Id(metric);
  }
  std::string ObjectiveUrl(const boost::json::value& objective) const {
    return Objectives() + "/" + Id(objective);
  }

  std::string UserId(const std::string& email) {
    return std::string(
        server_->SignedIn(email).Get("/api/v1/auth/me").Json().at("user").at("id").as_string());
  }

  boost::json::object PatchRate(const std::string& owner) const {
    return {{"name", "Critical patches applied within 14 days"},
            {"unit", "%"},
            {"direction", "higher_is_better"},
            {"target", 95},
            {"warning", 80},
            {"frequency", "monthly"},
            {"owner_id", owner},
            {"method", "Share of critical patches installed within 14 days of release"},
            {"source", "Patch management console"}};
  }

  boost::json::value Create(HttpClient& client, const std::string& url,
                            const boost::json::object& body) {
    auto reply = client.Post(url, Json(body));
    EXPECT_EQ(reply.status, 201u) << reply.body;
    return reply.Json();
  }

  boost::json::value Measure(HttpClient& client, const boost::json::value& metric, double value,
                             const std::string& on, const std::string& note = "") {
    boost::json::object body{{"value", value}, {"measured_on", on}};
    if (!note.empty()) body["note"] = note;
    auto reply = client.Post(MetricUrl(metric) + "/measurements", Json(body));
    EXPECT_EQ(reply.status, 201u) << reply.body;
    return reply.Json();
  }

  std::string StatusOf(HttpClient& client, const boost::json::value& objective) {
    auto reply = client.Get(ObjectiveUrl(objective));
    EXPECT_EQ(reply.status, 200u) << reply.body;
    return std::string(reply.Json().at("status").as_string());
  }

  void AdvanceDays(int days) { server_->clock().Advance(std::chrono::hours(24 * days)); }
};

TEST_P(ObjectivesApi, MetricsCarryTargetDirectionAndTheNextDueMeasurement) {
  auto alice = server_->SignedIn("alice@example.com");
  auto reply = alice.Post(Metrics(), Json(PatchRate(alice_id_)));
  ASSERT_EQ(reply.status, 201u) << reply.body;
  auto metric = reply.Json();
  EXPECT_EQ(metric.at("ref"), "MET-0001");
  EXPECT_EQ(metric.at("direction"), "higher_is_better");
  EXPECT_EQ(metric.at("target"), 95);
  EXPECT_EQ(metric.at("warning"), 80);
  EXPECT_EQ(metric.at("frequency"), "monthly");
  EXPECT_EQ(metric.at("status"), "active");
  EXPECT_EQ(metric.at("latest"), nullptr);
  EXPECT_EQ(metric.at("measurement_count"), 0);
  // Never measured: due one period after it was defined (the clock starts on 2026-03-02).
  EXPECT_EQ(metric.at("due_on"), "2026-04-02");
  EXPECT_EQ(metric.at("overdue"), false);
  EXPECT_EQ(reply.Header("etag"), "\"1\"");
  EXPECT_EQ(reply.Header("location"), MetricUrl(metric));
  EXPECT_EQ(alice.Get(MetricUrl(metric)).Json(), metric);

  Measure(alice, metric, 91.5, "2026-03-01");
  auto measured = alice.Get(MetricUrl(metric)).Json();
  EXPECT_EQ(measured.at("latest").at("value"), 91.5);
  EXPECT_EQ(measured.at("latest").at("measured_on"), "2026-03-01");
  EXPECT_EQ(measured.at("due_on"), "2026-04-01");
  EXPECT_EQ(measured.at("measurement_count"), 1);
  AdvanceDays(31);                                 // 2026-04-02
  alice = server_->SignedIn("alice@example.com");  // the session idled out meanwhile
  auto late = alice.Get(Metrics()).Json().at("items").at(0);
  EXPECT_EQ(late.at("overdue"), true);

  // Retired metrics are no longer due.
  auto retired =
      alice.Patch(MetricUrl(metric), Json({{"status", "retired"}}), {{"If-Match", "\"1\""}});
  ASSERT_EQ(retired.status, 200u) << retired.body;
  EXPECT_EQ(retired.Json().at("due_on"), nullptr);
  EXPECT_EQ(retired.Json().at("overdue"), false);
  EXPECT_EQ(alice
                .Post(MetricUrl(metric) + "/measurements",
                      Json({{"value", 1}, {"measured_on", "2026-04-01"}}))
                .status,
            409u);
}

TEST_P(ObjectivesApi, MetricValidationNamesEveryBadField) {
  auto alice = server_->SignedIn("alice@example.com");
  auto missing = alice.Post(Metrics(), "{}");
  EXPECT_EQ(missing.status, 422u);
  EXPECT_THAT(ErrorFields(missing),
              UnorderedElementsAre("name", "direction", "target", "frequency", "owner_id"));
  auto wrong = alice.Post(Metrics(), Json({{"name", ""},
                                           {"direction", "up"},
                                           {"target", "95"},
                                           {"frequency", "daily"},
                                           {"owner_id", mallory_id_},
                                           {"colour", "red"}}));
  EXPECT_EQ(wrong.status, 422u);
  EXPECT_THAT(ErrorFields(wrong),
              UnorderedElementsAre("name", "direction", "target", "frequency", "colour"));
  auto outsider = PatchRate(mallory_id_);
  EXPECT_THAT(ErrorFields(alice.Post(Metrics(), Json(outsider))), ElementsAre("owner_id"));
  auto huge = PatchRate(alice_id_);
  huge["target"] = 1e300;
  EXPECT_THAT(ErrorFields(alice.Post(Metrics(), Json(huge))), ElementsAre("target"));
  // The warning threshold lies on the worse side of the target.
  auto warning = PatchRate(alice_id_);
  warning["warning"] = 99;
  EXPECT_THAT(ErrorFields(alice.Post(Metrics(), Json(warning))), ElementsAre("warning"));
  warning["direction"] = "lower_is_better";
  EXPECT_EQ(alice.Post(Metrics(), Json(warning)).status, 201u);
  EXPECT_EQ(alice.Get(Metrics()).Json().at("items").as_array().size(), 1u);
}

TEST_P(ObjectivesApi, MeasurementsAreAppendedAndCorrectedNeverEdited) {
  auto alice = server_->SignedIn("alice@example.com");
  auto metric = Create(alice, Metrics(), PatchRate(alice_id_));
  const std::string measurements = MetricUrl(metric) + "/measurements";
  auto first = alice.Post(measurements,
                          Json({{"value", 88}, {"measured_on", "2026-02-01"}, {"note", "Jan"}}));
  ASSERT_EQ(first.status, 201u) << first.body;
  EXPECT_EQ(first.Header("location"), measurements + "/" + Id(first.Json()));
  EXPECT_EQ(first.Json().at("recorded_by"), boost::json::value(alice_id_));
  auto wrong = Measure(alice, metric, 70, "2026-03-01");
  Measure(alice, metric, 90, "2026-01-01");

  // Bad input changes nothing.
  EXPECT_THAT(
      ErrorFields(alice.Post(measurements,
                             Json({{"value", "x"}, {"measured_on", "2026-03-03"}, {"when", 1}}))),
      UnorderedElementsAre("value", "measured_on", "when"));
  EXPECT_THAT(ErrorFields(alice.Post(measurements, "{}")),
              UnorderedElementsAre("value", "measured_on"));
  // A correction says why.
  EXPECT_THAT(
      ErrorFields(alice.Post(
          measurements,
          Json({{"value", 89}, {"measured_on", "2026-03-01"}, {"corrects_id", Id(wrong)}}))),
      ElementsAre("note"));
  EXPECT_THAT(ErrorFields(alice.Post(measurements, Json({{"value", 89},
                                                         {"measured_on", "2026-03-01"},
                                                         {"note", "typo"},
                                                         {"corrects_id", "nope"}}))),
              ElementsAre("corrects_id"));

  auto fix = alice.Post(measurements, Json({{"value", 89},
                                            {"measured_on", "2026-03-01"},
                                            {"note", "70 was a typo"},
                                            {"corrects_id", Id(wrong)}}));
  ASSERT_EQ(fix.status, 201u) << fix.body;
  // One correction per measurement: the next one corrects the correction.
  EXPECT_EQ(alice
                .Post(measurements, Json({{"value", 1},
                                          {"measured_on", "2026-03-01"},
                                          {"note", "again"},
                                          {"corrects_id", Id(wrong)}}))
                .status,
            409u);

  auto list = alice.Get(measurements).Json();
  std::vector<std::string> dates;
  for (const auto& item : list.at("items").as_array()) {
    dates.emplace_back(item.at("measured_on").as_string());
  }
  EXPECT_THAT(dates, ElementsAre("2026-01-01", "2026-02-01", "2026-03-01", "2026-03-01"));
  auto stored_wrong = alice.Get(measurements + "/" + Id(wrong)).Json();
  EXPECT_EQ(stored_wrong.at("value"), 70);  // unchanged
  EXPECT_EQ(stored_wrong.at("superseded"), true);
  EXPECT_EQ(stored_wrong.at("superseded_by"), boost::json::value(Id(fix.Json())));
  EXPECT_EQ(fix.Json().at("corrects_id"), boost::json::value(Id(wrong)));
  EXPECT_EQ(alice.Get(MetricUrl(metric)).Json().at("latest").at("value"), 89);
  auto paged = alice.Get(measurements + "?limit=3").Json();
  EXPECT_EQ(paged.at("items").as_array().size(), 3u);
  EXPECT_NE(paged.at("next_cursor"), nullptr);

  // No editing, no deleting: not even a route for it.
  EXPECT_EQ(
      alice.Patch(measurements + "/" + Id(wrong), Json({{"value", 1}}), {{"If-Match", "\"1\""}})
          .status,
      405u);
  EXPECT_EQ(alice.Delete(measurements + "/" + Id(wrong), {{"If-Match", "\"1\""}}).status, 405u);
  // A metric with results is evidence (9.1): retire it instead of deleting it.
  EXPECT_EQ(alice.Delete(MetricUrl(metric), {{"If-Match", "\"1\""}}).status, 409u);

  // Every measurement is on the metric's history.
  auto history = alice.Get(MetricUrl(metric) + "/history").Json();
  std::vector<std::string> actions;
  for (const auto& event : history.at("items").as_array()) {
    actions.emplace_back(event.at("action").as_string());
  }
  EXPECT_THAT(actions, ElementsAre("create", "record_measurement", "record_measurement",
                                   "record_measurement", "correct_measurement"));
  // The database refuses changes too, whoever asks.
  auto tx = server_->db().Begin(storage::TxMode::kWrite);
  ASSERT_TRUE(tx);
  EXPECT_FALSE((*tx)->Execute("UPDATE metric_measurements SET value = 1"));
}

TEST_P(ObjectivesApi, ObjectiveStatusIsComputedFromTheMetricsMeasurements) {
  auto alice = server_->SignedIn("alice@example.com");
  auto metric = Create(alice, Metrics(), PatchRate(alice_id_));
  auto reply =
      alice.Post(Objectives(),
                 Json({{"title", "Patch critical vulnerabilities promptly"},
                       {"owner_id", alice_id_},
                       {"metric_id", Id(metric)},
                       {"due_on", "2026-09-30"},
                       {"plan",
                        {{"what", "Automate patch roll-out"},
                         {"resources", "One engineer, patch tool licence"},
                         {"responsible", "IT operations"},
                         {"responsible_id", alice_id_},
                         {"when", "Roll-out by June, steady state by September"},
                         {"evaluation", "Monthly patch report reviewed by the ISMS manager"}}}}));
  ASSERT_EQ(reply.status, 201u) << reply.body;
  auto objective = reply.Json();
  EXPECT_EQ(objective.at("ref"), "OBJ-0001");
  EXPECT_EQ(objective.at("target"), 95);  // the metric's
  EXPECT_EQ(objective.at("state"), "active");
  EXPECT_EQ(objective.at("status"), "no_data");
  EXPECT_EQ(objective.at("metric").at("ref"), "MET-0001");
  EXPECT_EQ(objective.at("plan").at("evaluation"),
            "Monthly patch report reviewed by the ISMS manager");
  EXPECT_EQ(reply.Header("location"), ObjectiveUrl(objective));

  // One result short of the target: on track, no trend yet.
  Measure(alice, metric, 85, "2026-03-01");
  EXPECT_EQ(StatusOf(alice, objective), "on_track");
  // Worse than the warning threshold: at risk, and the reason says why.
  auto drop = Measure(alice, metric, 75, "2026-03-02");
  auto at_risk = alice.Get(ObjectiveUrl(objective)).Json();
  EXPECT_EQ(at_risk.at("status"), "at_risk");
  EXPECT_THAT(std::string(at_risk.at("status_reason").as_string()),
              ::testing::HasSubstr("warning threshold of 80%"));
  // Corrected: the trend from 85 to 86 in a day reaches the target long before September.
  alice.Post(MetricUrl(metric) + "/measurements", Json({{"value", 86},
                                                        {"measured_on", "2026-03-02"},
                                                        {"note", "75 was last month's figure"},
                                                        {"corrects_id", Id(drop)}}));
  EXPECT_EQ(StatusOf(alice, objective), "on_track");
  // A month with no measurement: the metric is measured monthly, so at risk.
  AdvanceDays(32);                                 // 2026-04-03
  alice = server_->SignedIn("alice@example.com");  // the session idled out meanwhile
  EXPECT_EQ(StatusOf(alice, objective), "at_risk");
  // A flat trend that falls short by September.
  Measure(alice, metric, 86, "2026-04-02");
  EXPECT_EQ(StatusOf(alice, objective), "at_risk");
  // The target met: achieved.
  Measure(alice, metric, 96, "2026-04-03");
  EXPECT_EQ(StatusOf(alice, objective), "achieved");
  // The listing computes the same.
  EXPECT_EQ(alice.Get(Objectives()).Json().at("items").at(0).at("status"), "achieved");

  // Due on a date now past, with the last result before it short of the target: missed.
  auto late = Create(alice, Objectives(),
                     {{"title", "Reach 99% by March"},
                      {"owner_id", alice_id_},
                      {"metric_id", Id(metric)},
                      {"target", 99},
                      {"due_on", "2026-04-01"}});
  EXPECT_EQ(late.at("status"), "missed");
  EXPECT_EQ(late.at("target"), 99);

  // Lower is better, both ways.
  auto incidents = PatchRate(alice_id_);
  incidents["name"] = "Phishing clicks per month";
  incidents["unit"] = "clicks";
  incidents["direction"] = "lower_is_better";
  incidents["target"] = 5;
  incidents["warning"] = 20;
  auto clicks = Create(alice, Metrics(), incidents);
  auto fewer = Create(alice, Objectives(),
                      {{"title", "Fewer phishing clicks"},
                       {"owner_id", alice_id_},
                       {"metric_id", Id(clicks)},
                       {"due_on", "2026-12-31"}});
  Measure(alice, clicks, 25, "2026-04-01");
  EXPECT_EQ(StatusOf(alice, fewer), "at_risk");
  Measure(alice, clicks, 5, "2026-04-03");
  EXPECT_EQ(StatusOf(alice, fewer), "achieved");

  // Without a metric there is nothing to compute.
  auto qualitative = Create(alice, Objectives(),
                            {{"title", "Embed security in the culture"},
                             {"owner_id", alice_id_},
                             {"due_on", "2026-12-31"}});
  EXPECT_EQ(qualitative.at("status"), "no_data");
  EXPECT_EQ(qualitative.at("target"), nullptr);
  EXPECT_EQ(qualitative.at("metric"), nullptr);
}

TEST_P(ObjectivesApi, ObjectivesNeedIfMatchAndValidLinks) {
  auto alice = server_->SignedIn("alice@example.com");
  auto metric = Create(alice, Metrics(), PatchRate(alice_id_));
  auto missing = alice.Post(Objectives(), "{}");
  EXPECT_THAT(ErrorFields(missing), UnorderedElementsAre("title", "owner_id", "due_on"));
  auto wrong = alice.Post(Objectives(), Json({{"title", "x"},
                                              {"owner_id", "nobody"},
                                              {"due_on", "2026-13-01"},
                                              {"target", true},
                                              {"state", "paused"},
                                              {"plan", {{"who", "me"}}}}));
  EXPECT_THAT(ErrorFields(wrong), UnorderedElementsAre("due_on", "target", "state", "plan.who"));
  EXPECT_THAT(
      ErrorFields(alice.Post(Objectives(), Json({{"title", "x"},
                                                 {"owner_id", "nobody"},
                                                 {"due_on", "2026-12-01"},
                                                 {"plan", {{"responsible_id", "nobody"}}}}))),
      UnorderedElementsAre("owner_id", "plan.responsible_id"));
  EXPECT_THAT(ErrorFields(alice.Post(Objectives(), Json({{"title", "x"},
                                                         {"owner_id", alice_id_},
                                                         {"due_on", "2026-12-01"},
                                                         {"metric_id", "nope"}}))),
              ElementsAre("metric_id"));

  auto objective = Create(alice, Objectives(),
                          {{"title", "Patch promptly"},
                           {"owner_id", alice_id_},
                           {"metric_id", Id(metric)},
                           {"due_on", "2026-12-31"}});
  EXPECT_EQ(alice.Patch(ObjectiveUrl(objective), Json({{"title", "y"}})).status, 428u);
  auto ok = alice.Patch(
      ObjectiveUrl(objective),
      Json({{"state", "cancelled"}, {"target", 97.5}, {"plan", {{"what", "Automate"}}}}),
      {{"If-Match", "\"1\""}});
  ASSERT_EQ(ok.status, 200u) << ok.body;
  EXPECT_EQ(ok.Json().at("state"), "cancelled");
  EXPECT_EQ(ok.Json().at("target"), 97.5);
  EXPECT_EQ(ok.Json().at("plan").at("what"), "Automate");
  EXPECT_EQ(ok.Header("etag"), "\"2\"");
  EXPECT_EQ(
      alice.Patch(ObjectiveUrl(objective), Json({{"title", "z"}}), {{"If-Match", "\"1\""}}).status,
      412u);
  // What a GET answers may be sent back.
  auto echoed = alice.Get(ObjectiveUrl(objective)).Json().as_object();
  echoed["title"] = "Patch critical vulnerabilities promptly";
  EXPECT_EQ(alice.Patch(ObjectiveUrl(objective), Json(echoed), {{"If-Match", "\"2\""}}).status,
            200u);
  // Unlinking the metric leaves the objective without data.
  auto unlinked =
      alice.Patch(ObjectiveUrl(objective), Json({{"metric_id", nullptr}}), {{"If-Match", "\"3\""}});
  EXPECT_EQ(unlinked.Json().at("metric_id"), nullptr);
  EXPECT_EQ(unlinked.Json().at("status"), "no_data");
  // Objectives are retained documented information (6.2): cancelled, never deleted.
  EXPECT_EQ(alice.Delete(ObjectiveUrl(objective), {{"If-Match", "\"4\""}}).status, 405u);
  auto history = alice.Get(ObjectiveUrl(objective) + "/history").Json();
  EXPECT_EQ(history.at("items").as_array().size(), 4u);
  EXPECT_EQ(history.at("items").at(1).at("after").at("state"), "cancelled");
  EXPECT_FALSE(history.at("items").at(1).at("after").as_object().contains("status"));

  // A metric with objectives is not deleted; an unused one is.
  auto objective2 = Create(alice, Objectives(),
                           {{"title", "Another"},
                            {"owner_id", alice_id_},
                            {"metric_id", Id(metric)},
                            {"due_on", "2026-12-31"}});
  EXPECT_EQ(alice.Delete(MetricUrl(metric), {{"If-Match", "\"1\""}}).status, 409u);
  auto spare = Create(alice, Metrics(), PatchRate(alice_id_));
  EXPECT_EQ(alice.Delete(MetricUrl(spare), {{"If-Match", "\"1\""}}).status, 204u);
  EXPECT_EQ(alice.Get(MetricUrl(spare)).status, 404u);
}

TEST_P(ObjectivesApi, ListsFilterSearchAndPage) {
  auto alice = server_->SignedIn("alice@example.com");
  const auto maria = UserId("maria@example.com");
  auto patches = Create(alice, Metrics(), PatchRate(alice_id_));
  auto training = PatchRate(maria);
  training["name"] = "Awareness training completion";
  training["frequency"] = "quarterly";
  Create(alice, Metrics(), training);
  auto names = [&](const std::string& url) {
    std::vector<std::string> out;
    auto reply = alice.Get(url);
    EXPECT_EQ(reply.status, 200u) << reply.body;
    const auto json = reply.Json();
    for (const auto& item : json.at("items").as_array()) {
      out.emplace_back(item.at(item.as_object().contains("name") ? "name" : "title").as_string());
    }
    return out;
  };
  EXPECT_EQ(names(Metrics()).size(), 2u);
  EXPECT_THAT(names(Metrics() + "?q=AWARENESS"), ElementsAre("Awareness training completion"));
  EXPECT_THAT(names(Metrics() + "?frequency=quarterly"),
              ElementsAre("Awareness training completion"));
  EXPECT_THAT(names(Metrics() + "?owner_id=" + alice_id_),
              ElementsAre("Critical patches applied within 14 days"));
  EXPECT_THAT(ErrorFields(alice.Get(Metrics() + "?status=gone")), ElementsAre("status"));

  for (auto [title, due] :
       {std::pair{"B", "2026-10-01"}, std::pair{"A", "2026-12-01"}, std::pair{"C", "2026-06-01"}}) {
    Create(
        alice, Objectives(),
        {{"title", title}, {"owner_id", alice_id_}, {"metric_id", Id(patches)}, {"due_on", due}});
  }
  EXPECT_THAT(names(Objectives()), ElementsAre("C", "B", "A"));  // soonest due first
  EXPECT_THAT(names(Objectives() + "?sort=title&limit=2"), ElementsAre("A", "B"));
  EXPECT_THAT(names(Objectives() + "?metric_id=" + Id(patches)).size(), 3u);
  EXPECT_THAT(names(Objectives() + "?state=cancelled"), ElementsAre());
}

TEST_P(ObjectivesApi, ContributorsMeasureAndPlanWhatTheyOwn) {
  auto alice = server_->SignedIn("alice@example.com");
  const auto carl_id = UserId("carl@example.com");
  auto carl = server_->SignedIn("carl@example.com");
  auto theirs = Create(alice, Metrics(), PatchRate(carl_id));
  auto not_theirs = Create(alice, Metrics(), PatchRate(alice_id_));
  Measure(carl, theirs, 90, "2026-03-01");
  EXPECT_EQ(carl.Post(MetricUrl(not_theirs) + "/measurements",
                      Json({{"value", 1}, {"measured_on", "2026-03-01"}}))
                .status,
            403u);
  // Their own metric, not one for somebody else.
  EXPECT_EQ(carl.Post(Metrics(), Json(PatchRate(carl_id))).status, 201u);
  EXPECT_EQ(carl.Post(Metrics(), Json(PatchRate(alice_id_))).status, 403u);
  EXPECT_EQ(carl.Patch(MetricUrl(theirs), Json({{"owner_id", alice_id_}}), {{"If-Match", "\"1\""}})
                .status,
            403u);
  auto objective = carl.Post(Objectives(), Json({{"title", "Mine"},
                                                 {"owner_id", carl_id},
                                                 {"metric_id", Id(theirs)},
                                                 {"due_on", "2026-12-31"}}));
  EXPECT_EQ(objective.status, 201u) << objective.body;
  auto hers = Create(alice, Objectives(),
                     {{"title", "Hers"}, {"owner_id", alice_id_}, {"due_on", "2026-12-31"}});
  EXPECT_EQ(carl.Patch(ObjectiveUrl(hers), Json({{"title", "x"}}), {{"If-Match", "\"1\""}}).status,
            403u);
  for (auto email : {"victor@example.com", "audrey@example.com"}) {
    auto reader = server_->SignedIn(email);
    EXPECT_EQ(reader.Get(MetricUrl(theirs) + "/measurements").status, 200u) << email;
    EXPECT_EQ(reader.Get(ObjectiveUrl(hers)).status, 200u) << email;
    EXPECT_EQ(reader
                  .Post(MetricUrl(theirs) + "/measurements",
                        Json({{"value", 1}, {"measured_on", "2026-03-01"}}))
                  .status,
              403u)
        << email;
  }
}

TEST_P(ObjectivesApi, OtherOrganizationsSeeNothingAndLinkNothing) {
  auto alice = server_->SignedIn("alice@example.com");
  auto metric = Create(alice, Metrics(), PatchRate(alice_id_));
  auto objective = Create(alice, Objectives(),
                          {{"title", "Ours"}, {"owner_id", alice_id_}, {"due_on", "2026-12-31"}});
  auto mallory = server_->SignedIn("mallory@example.com");
  EXPECT_EQ(mallory.Get(MetricUrl(metric)).status, 404u);
  EXPECT_EQ(mallory.Get(MetricUrl(metric) + "/measurements").status, 404u);
  EXPECT_EQ(mallory.Get(ObjectiveUrl(objective)).status, 404u);
  // Mallory's own organization cannot reach our metric either.
  const std::string theirs = "/api/v1/orgs/" + other_org_;
  EXPECT_EQ(mallory.Get(theirs + "/metrics/" + Id(metric)).status, 404u);
  EXPECT_EQ(mallory
                .Post(theirs + "/metrics/" + Id(metric) + "/measurements",
                      Json({{"value", 1}, {"measured_on", "2026-03-01"}}))
                .status,
            404u);
  auto link = mallory.Post(theirs + "/objectives", Json({{"title", "Theirs"},
                                                         {"owner_id", mallory_id_},
                                                         {"metric_id", Id(metric)},
                                                         {"due_on", "2026-12-31"}}));
  EXPECT_THAT(ErrorFields(link), ElementsAre("metric_id"));
  EXPECT_EQ(server_->Client().Get(Metrics()).status, 401u);
}

INSTANTIATE_TEST_SUITE_P(Engines, ObjectivesApi, ::testing::ValuesIn(TestEngines()), EngineName);

}  // namespace
}  // namespace certus::testing
