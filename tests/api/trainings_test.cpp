// HTTP scenarios for trainings, their audience and completion records (ISO 27001 7.2 c, 7.3)
// and the training figures of the awareness dashboard.
#include <gmock/gmock.h>

#include "tests/api/api_fixture.hpp"

namespace certus::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class TrainingsApi : public ApiTest {
 protected:
  std::string Base() const { return "/api/v1/orgs/" + org_; }
  std::string Trainings() const { return Base() + "/trainings"; }

  static std::string Id(const boost::json::value& object) {
    return std::string(object.at("id").as_string());
  }

  boost::json::value Create(HttpClient& client, const std::string& url,
                            const boost::json::object& body) {
    auto reply = client.Post(url, Json(body));
    EXPECT_EQ(reply.status, 201u) << reply.body;
    return reply.Json();
  }

  boost::json::value Person(HttpClient& client, const std::string& name,
                            const std::string& department, bool in_scope = true) {
    return Create(client, Base() + "/people",
                  {{"name", name},
                   {"email", name + "@example.com"},
                   {"department", department},
                   {"in_scope", in_scope}});
  }

  Reply Complete(HttpClient& client, const boost::json::value& training,
                 const boost::json::value& person, const std::string& on) {
    return client.Post(Trainings() + "/" + Id(training) + "/completions",
                       Json({{"person_id", person.at("id")}, {"completed_on", on}}));
  }
};

TEST_P(TrainingsApi, CompletionsFollowTheAudienceAndTheStatus) {
  auto alice = server_->SignedIn("alice@example.com");
  auto ann = Person(alice, "ann", "Ops");
  auto bob = Person(alice, "bob", "Sales");
  auto out = Person(alice, "out", "Ops", false);

  auto invalid = alice.Post(Trainings(), Json({{"audience", "departments"}, {"due_on", "soon"}}));
  EXPECT_EQ(invalid.status, 422u);
  EXPECT_THAT(ErrorFields(invalid), ::testing::UnorderedElementsAre("title", "due_on"));
  auto empty = alice.Post(
      Trainings(), Json({{"title", "T"}, {"due_on", "2026-04-01"}, {"audience", "departments"}}));
  EXPECT_EQ(empty.status, 422u);
  EXPECT_THAT(ErrorFields(empty), ElementsAre("departments"));

  auto reply = alice.Post(Trainings(), Json({{"title", "Phishing awareness"},
                                             {"audience", "departments"},
                                             {"departments", {"Ops"}},
                                             {"due_on", "2026-04-01"}}));
  ASSERT_EQ(reply.status, 201u) << reply.body;
  auto training = reply.Json();
  EXPECT_EQ(training.at("ref"), "TRN-0001");
  EXPECT_EQ(training.at("status"), "draft");
  const std::string url = Trainings() + "/" + Id(training);

  auto draft = Complete(alice, training, ann, "2026-03-01");
  EXPECT_EQ(draft.status, 409u);
  EXPECT_THAT(draft.body, HasSubstr("7.3"));

  auto opened = alice.Patch(url, Json({{"status", "open"}}), {{"If-Match", "\"1\""}});
  ASSERT_EQ(opened.status, 200u) << opened.body;
  EXPECT_EQ(Complete(alice, training, bob, "2026-03-01").status, 422u);  // other department
  EXPECT_EQ(Complete(alice, training, out, "2026-03-01").status, 422u);  // out of scope
  EXPECT_EQ(Complete(alice, training, ann, "2026-03-03").status, 422u);  // tomorrow
  EXPECT_EQ(server_->SignedIn("carl@example.com")
                .Post(url + "/completions",
                      Json({{"person_id", ann.at("id")}, {"completed_on", "2026-03-01"}}))
                .status,
            403u);
  auto done = Complete(alice, training, ann, "2026-03-01");
  ASSERT_EQ(done.status, 201u) << done.body;
  EXPECT_EQ(done.Json().at("recorded_by"), "alice@example.com");
  EXPECT_EQ(Complete(alice, training, ann, "2026-03-02").status, 409u);

  auto detail = alice.Get(url).Json();
  EXPECT_EQ(detail.at("audience_size"), 1);
  EXPECT_EQ(detail.at("completed"), 1);
  EXPECT_EQ(detail.at("completion_rate"), 1.0);
  EXPECT_EQ(detail.at("members").at(0).at("completion").at("completed_on"), "2026-03-01");
  EXPECT_EQ(alice.Get(url + "/completions").Json().at("items").as_array().size(), 1u);

  // Once opened, a training is a record of what people were asked to do.
  auto back = alice.Patch(url, Json({{"status", "draft"}}), {{"If-Match", "\"2\""}});
  EXPECT_EQ(back.status, 409u);
  EXPECT_EQ(alice.Delete(url, {{"If-Match", "\"2\""}}).status, 409u);
  EXPECT_EQ(alice.Delete(url, {{"If-Match", "\"1\""}}).status, 412u);
  auto scratch = Create(alice, Trainings(), {{"title", "Scratch"}, {"due_on", "2026-04-01"}});
  EXPECT_EQ(alice.Delete(Trainings() + "/" + Id(scratch), {{"If-Match", "\"1\""}}).status, 204u);

  auto list = alice.Get(Trainings() + "?status=open").Json().at("items");
  ASSERT_EQ(list.as_array().size(), 1u);
  EXPECT_EQ(list.at(0).at("audience_size"), 1);
  EXPECT_EQ(alice.Get(Trainings() + "?status=nope").status, 422u);
  EXPECT_EQ(alice.Get(url + "/history").Json().at("items").as_array().size(), 3u);
  // A person with training records is retained (7.2 d).
  EXPECT_EQ(alice.Delete(Base() + "/people/" + Id(ann), {{"If-Match", "\"1\""}}).status, 409u);
  EXPECT_EQ(server_->SignedIn("mallory@example.com").Get(url).status, 404u);
  EXPECT_EQ(alice.Get(Base() + "/audit-log/verify").Json().at("ok"), true);
}

TEST_P(TrainingsApi, CompletingATrainingRecordsTheCompetenceItProvides) {
  auto alice = server_->SignedIn("alice@example.com");
  auto competence = Create(alice, Base() + "/competences",
                           {{"name", "Phishing recognition"}, {"job_roles", {"Clerk"}}});
  auto experience_only = Create(alice, Base() + "/competences",
                                {{"name", "Forensics"}, {"evidence_kinds", {"experience"}}});
  auto ann = Create(alice, Base() + "/people",
                    {{"name", "Ann"}, {"email", "ann@example.com"}, {"job_role", "Clerk"}});
  auto refused = alice.Post(Trainings(), Json({{"title", "Forensics 101"},
                                               {"due_on", "2026-04-01"},
                                               {"competence_id", Id(experience_only)}}));
  EXPECT_EQ(refused.status, 422u);
  EXPECT_THAT(ErrorFields(refused), ElementsAre("competence_id"));

  auto training = Create(alice, Trainings(),
                         {{"title", "Phishing drill"},
                          {"audience", "people"},
                          {"person_ids", {ann.at("id")}},
                          {"due_on", "2026-04-01"},
                          {"status", "open"},
                          {"competence_id", Id(competence)},
                          {"validity_months", 12}});
  ASSERT_EQ(Complete(alice, training, ann, "2025-01-31").status, 201u);
  auto evidence =
      alice.Get(Base() + "/people/" + Id(ann) + "/competence-evidence").Json().at("items");
  ASSERT_EQ(evidence.as_array().size(), 1u);
  EXPECT_EQ(evidence.at(0).at("kind"), "training");
  EXPECT_EQ(evidence.at(0).at("training_id"), training.at("id"));
  EXPECT_EQ(evidence.at(0).at("expires_on"), "2026-01-31");
  // Completed more than twelve months ago: the competence has expired.
  auto person = alice.Get(Base() + "/people/" + Id(ann)).Json();
  EXPECT_EQ(person.at("competences").at(0).at("state"), "expired");
  // Evidence a completion recorded goes only with the completion.
  auto removal = alice.Delete(Base() + "/people/" + Id(ann) + "/competence-evidence/" +
                                  std::string(evidence.at(0).at("id").as_string()),
                              {{"If-Match", "\"1\""}});
  EXPECT_EQ(removal.status, 409u);
}

TEST_P(TrainingsApi, AwarenessCountsCompletionsAndOverduePeoplePerDepartment) {
  auto alice = server_->SignedIn("alice@example.com");
  auto ann = Person(alice, "ann", "Ops");
  auto ben = Person(alice, "ben", "Ops");
  auto cat = Person(alice, "cat", "Sales");
  Person(alice, "out", "Sales", false);
  auto all = Create(alice, Trainings(),
                    {{"title", "Security basics"}, {"due_on", "2026-03-01"}, {"status", "open"}});
  Create(alice, Trainings(), {{"title", "Draft, not counted"}, {"due_on", "2026-03-01"}});
  auto ops = Create(alice, Trainings(),
                    {{"title", "Ops runbook"},
                     {"audience", "departments"},
                     {"departments", {"Ops"}},
                     {"due_on", "2026-06-01"},
                     {"status", "open"}});
  ASSERT_EQ(Complete(alice, all, ann, "2026-02-20").status, 201u);
  ASSERT_EQ(Complete(alice, all, cat, "2026-02-21").status, 201u);
  ASSERT_EQ(Complete(alice, ops, ann, "2026-03-02").status, 201u);

  auto awareness = alice.Get(Base() + "/awareness").Json();
  EXPECT_EQ(awareness.at("as_of"), "2026-03-02");
  const auto& departments = awareness.at("departments").as_array();
  ASSERT_EQ(departments.size(), 2u);
  const auto& o = departments[0];
  EXPECT_EQ(o.at("department"), "Ops");
  EXPECT_EQ(o.at("people"), 2);
  EXPECT_EQ(o.at("assigned"), 4);
  EXPECT_EQ(o.at("completed"), 2);
  EXPECT_EQ(o.at("overdue"), 1);
  EXPECT_EQ(o.at("training_completion_rate"), 0.5);
  ASSERT_EQ(o.at("overdue_people").as_array().size(), 1u);
  EXPECT_EQ(o.at("overdue_people").at(0).at("id"), ben.at("id"));
  EXPECT_EQ(o.at("overdue_people").at(0).at("trainings").at(0).at("ref"), "TRN-0001");
  const auto& s = departments[1];
  EXPECT_EQ(s.at("people"), 1);  // the person out of scope does not count
  EXPECT_EQ(s.at("training_completion_rate"), 1.0);
  EXPECT_EQ(awareness.at("total").at("assigned"), 5);
  EXPECT_EQ(awareness.at("total").at("overdue"), 1);

  auto detail = alice.Get(Trainings() + "/" + Id(all)).Json();
  EXPECT_EQ(detail.at("audience_size"), 3);
  EXPECT_EQ(detail.at("overdue"), 1);

  // People who left drop out of the figures; their records stay.
  auto left = alice.Patch(Base() + "/people/" + Id(ben), Json({{"status", "left"}}),
                          {{"If-Match", "\"1\""}});
  ASSERT_EQ(left.status, 200u);
  auto after = alice.Get(Base() + "/awareness").Json();
  EXPECT_EQ(after.at("departments").at(0).at("overdue"), 0);
  EXPECT_EQ(after.at("departments").at(0).at("training_completion_rate"), 1.0);
}

INSTANTIATE_TEST_SUITE_P(Engines, TrainingsApi, ::testing::ValuesIn(TestEngines()), EngineName);

}  // namespace
}  // namespace certus::testing
