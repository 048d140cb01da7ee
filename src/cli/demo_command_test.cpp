// `certus demo` on both engines: the sample organization is written through the services,
// readiness shows strengths and the deliberate gaps, the history replays as of a past day,
// the audit log verifies, and a second run changes nothing.
#include "cli/demo_command.hpp"

#include <filesystem>
#include <map>
#include <sstream>

#include <gtest/gtest.h>
#include <unistd.h>

#include "cli/app.hpp"
#include "tests/support/fakes.hpp"
#include "tests/support/test_database.hpp"

namespace certus::cli {
namespace {

using testing::Engine;

class DemoTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    test_db_ = testing::TestDatabase::Create(GetParam());
    blob_dir_ = std::filesystem::temp_directory_path() /
                ("certus-demo-test-" + std::to_string(getpid()) +
                 (GetParam() == Engine::kSqlite ? "-sqlite" : "-postgres"));
  }
  void TearDown() override { std::filesystem::remove_all(blob_dir_); }

  std::unique_ptr<testing::TestDatabase> test_db_;
  std::filesystem::path blob_dir_;
  testing::FakeClock clock_{*ParseTimestamp("2026-11-24T15:00:00Z")};
  testing::SeededRandom random_;
};

std::map<std::string, readiness::Status> Checks(const readiness::Report& report) {
  std::map<std::string, readiness::Status> checks;
  for (const auto& c : report.clauses) {
    for (const auto& r : c.requirements) {
      for (const auto& k : r.checks) checks[k.id] = k.status;
    }
  }
  return checks;
}

TEST_P(DemoTest, AddsNorthwindCloudWithStrengthsAndGaps) {
  AppSettings settings;
  settings.blob_dir = blob_dir_;
  settings.identity.hash_cost = identity::HashCost::kMinimum;
  App app(test_db_->db(), clock_, random_, settings);
  std::ostringstream out, err;
  // Before `certus init` there is nobody to administer it.
  auto refused = Demo(test_db_->db(), random_, clock_.Now(), blob_dir_, out, err);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), ErrorCode::kConflict);

  auto admin = app.identity().CreateUser(Actor::System(),
                                         {.email = "admin@example.com",
                                          .display_name = "",
                                          .password = SecretString("correct-horse-battery-staple"),
                                          .installation_admin = true});
  ASSERT_TRUE(admin) << admin.error().message();
  auto status = Demo(test_db_->db(), random_, clock_.Now(), blob_dir_, out, err);
  ASSERT_TRUE(status) << status.error().message();
  ASSERT_EQ(*status, 0) << err.str();
  EXPECT_NE(out.str().find("40  risks"), std::string::npos) << out.str();

  auto orgs = app.identity().OrgsOf(admin->id);
  ASSERT_TRUE(orgs);
  ASSERT_EQ(orgs->size(), 1u);
  EXPECT_EQ(orgs->front().org.name, kDemoOrgName);
  EXPECT_EQ(orgs->front().role, Role::kAdmin);
  const OrgId org = orgs->front().org.id;

  auto report = app.readiness().Evaluate(Actor::System(), org, std::nullopt);
  ASSERT_TRUE(report) << report.error().message();
  EXPECT_EQ(report->verdict, "not_ready");
  auto checks = Checks(*report);
  for (const char* id : {"context.issues_reviewed",
                         "scope.published",
                         "policy.published",
                         "policy.acknowledged",
                         "roles.risk_owners",
                         "risk.methodology_approved",
                         "risk.rated",
                         "risk.treated_or_accepted",
                         "soa.controls_decided",
                         "soa.version_current",
                         "objectives.measured",
                         "people.competence",
                         "risk.assessment_recent",
                         "audit.recent",
                         "audit.programme_coverage",
                         "audit.independence",
                         "review.inputs",
                         "review.decisions",
                         "performance.metrics_measured",
                         "improvement.activity"}) {
    EXPECT_EQ(checks[id], readiness::Status::kPass) << id;
  }
  for (const char* id : {"people.awareness", "documents.controlled", "operation.nothing_overdue",
                         "improvement.nonconformities_handled"}) {
    EXPECT_EQ(checks[id], readiness::Status::kFail) << id;
  }

  // The story is dated: eleven months ago the ISMS had its scope and policy but no risks
  // treated, no audit and no review yet.
  auto early =
      app.readiness().Evaluate(Actor::System(), org, DateOf(clock_.Now() - std::chrono::days(330)));
  ASSERT_TRUE(early);
  auto then = Checks(*early);
  EXPECT_EQ(then["scope.published"], readiness::Status::kPass);
  EXPECT_EQ(then["audit.recent"], readiness::Status::kFail);
  EXPECT_EQ(then["review.recent"], readiness::Status::kFail);
  EXPECT_LT(early->score, report->score);

  // Every change is in the audit log, and every chain verifies.
  auto verified = storage::InReadTransaction(test_db_->db(), [&](storage::Transaction& tx) {
    return app.audit_log().Verify(tx, org.str());
  });
  ASSERT_TRUE(verified);
  EXPECT_TRUE(verified->ok) << verified->problem;
  EXPECT_GT(verified->events, 500);

  // A second run refuses and adds nothing.
  std::ostringstream again_out, again_err;
  auto again = Demo(test_db_->db(), random_, clock_.Now(), blob_dir_, again_out, again_err);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, 1);
  EXPECT_NE(again_err.str().find("already exists"), std::string::npos);
  auto all = app.identity().ListAllOrgs();
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Engines, DemoTest, ::testing::ValuesIn(testing::TestEngines()),
                         testing::EngineName);

}  // namespace
}  // namespace certus::cli
