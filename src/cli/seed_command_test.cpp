// `certus seed` on both engines, at a tiny volume: the counts asked for, the organization's
// audit chain exactly as long as asked and valid, readiness evaluable, and the same seed
// writing the same records.
#include "cli/seed_command.hpp"

#include <filesystem>
#include <sstream>
#include <tuple>

#include <gtest/gtest.h>
#include <unistd.h>

#include "cli/app.hpp"
#include "tests/support/fakes.hpp"
#include "tests/support/test_database.hpp"

namespace certus::cli {
namespace {

using testing::Engine;

/// A risk as the determinism check compares it: everything but ids and timestamps.
using RiskShape = std::tuple<std::string, std::string, std::string, std::int64_t, std::int64_t,
                             std::string, std::string, std::string, std::size_t, std::size_t>;

class SeedTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    blob_dir_ = std::filesystem::temp_directory_path() /
                ("certus-seed-test-" + std::to_string(getpid()) +
                 (GetParam() == Engine::kSqlite ? "-sqlite" : "-postgres"));
  }
  void TearDown() override { std::filesystem::remove_all(blob_dir_); }

  SeedOptions Options(std::uint64_t seed) const {
    SeedOptions options;
    options.size = "T";
    options.volume = {.people = 8,
                      .assets = 12,
                      .risks = 60,
                      .controls = 96,
                      .evidence = 40,
                      .documents = 4,
                      .events = 800};
    options.tenants = 1;
    options.tenant_volume = {.people = 4,
                             .assets = 3,
                             .risks = 8,
                             .controls = 93,
                             .evidence = 4,
                             .documents = 1,
                             .events = 250};
    options.seed = seed;
    options.today = clock_.Now();
    options.blob_dir = blob_dir_;
    options.batch = 50;  // several commits even at this size
    return options;
  }

  static void Init(App& app) {
    auto admin =
        app.identity().CreateUser(Actor::System(), {.email = "admin@example.com",
                                                    .display_name = "",
                                                    .password = SecretString("correct-horse-1"),
                                                    .installation_admin = true});
    ASSERT_TRUE(admin) << admin.error().message();
  }

  static AppSettings Settings(const std::filesystem::path& blobs) {
    AppSettings settings;
    settings.blob_dir = blobs;
    settings.identity.hash_cost = identity::HashCost::kMinimum;
    return settings;
  }

  std::vector<RiskShape> Risks(App& app, const OrgId& org) {
    const Actor admin = AdminOf(app, org);
    std::vector<RiskShape> shapes;
    auto page = app.risk_register().ListRisks(admin, org, {}, {.sort = "ref", .limit = 500});
    EXPECT_TRUE(page) << page.error().message();
    if (!page) return shapes;
    for (const auto& r : page->items) {
      shapes.emplace_back(r.ref, r.title, r.threat, r.likelihood, r.impact,
                          std::string(risk::TreatmentOptionName(r.treatment)), r.transfer_to,
                          r.next_review_on.value_or(""), r.asset_ids.size(), r.control_ids.size());
    }
    return shapes;
  }

  static Actor AdminOf(App& app, const OrgId&) {
    auto users = app.identity().ListUsers();
    return Actor{users->front().id, users->front().email, Role::kAdmin, true, {}};
  }

  std::filesystem::path blob_dir_;
  testing::FakeClock clock_{*ParseTimestamp("2026-11-24T15:00:00Z")};
  testing::SeededRandom random_;
};

TEST_P(SeedTest, WritesTheVolumesWithAValidChainAndEvaluableReadiness) {
  auto test_db = testing::TestDatabase::Create(GetParam());
  App app(test_db->db(), clock_, random_, Settings(blob_dir_));
  std::ostringstream progress;

  // Not before `certus init`.
  auto refused = SeedOrganizations(test_db->db(), random_, Options(7), progress);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), ErrorCode::kConflict);
  EXPECT_NE(refused.error().message().find("certus init"), std::string::npos);

  Init(app);
  auto seeded = SeedOrganizations(test_db->db(), random_, Options(7), progress);
  ASSERT_TRUE(seeded) << seeded.error().message();
  ASSERT_EQ(seeded->size(), 2u);
  EXPECT_TRUE(progress.str().empty());  // no terminal: no progress lines
  const auto& main = seeded->front();
  const OrgId org = main.id;
  EXPECT_EQ(main.counts.at("risks"), 60);
  EXPECT_EQ(main.counts.at("assets"), 12);
  EXPECT_EQ(main.counts.at("controls"), 96);
  EXPECT_EQ(main.counts.at("evidence"), 40);
  EXPECT_EQ(main.counts.at("documents"), 4);
  EXPECT_EQ(main.events, 800);
  EXPECT_EQ(seeded->back().events, 250);

  // What the services read back agrees with the counts.
  const Actor admin = AdminOf(app, org);
  auto risks = app.risk_register().ListRisks(admin, org, {}, {.limit = 500});
  ASSERT_TRUE(risks);
  EXPECT_EQ(risks->items.size(), 60u);
  auto assets = app.risk().ListAssets(admin, org, {}, {.limit = 500});
  ASSERT_TRUE(assets);
  EXPECT_EQ(assets->items.size(), 12u);
  auto controls = app.controls().List(admin, org, {}, {.sort = "ref_id", .limit = 500});
  ASSERT_TRUE(controls);
  EXPECT_EQ(controls->items.size(), 96u);
  auto evidence = app.evidence().List(admin, org, {}, {.limit = 500});
  ASSERT_TRUE(evidence);
  EXPECT_EQ(evidence->items.size(), 40u);
  auto documents = app.documents().ListDocuments(admin, org, {}, false, false, {.limit = 500});
  ASSERT_TRUE(documents);
  EXPECT_EQ(documents->items.size(), 4u);
  bool published = false;
  for (const auto& d : documents->items) published = published || d.published_version.has_value();
  EXPECT_TRUE(published);

  // Every chain verifies, the organizations' and the installation's.
  auto chains = storage::InReadTransaction(
      test_db->db(), [&](storage::Transaction& tx) { return app.audit_log().Chains(tx); });
  ASSERT_TRUE(chains);
  EXPECT_GE(chains->size(), 3u);
  for (const auto& chain : *chains) {
    auto verdict = storage::InReadTransaction(
        test_db->db(), [&](storage::Transaction& tx) { return app.audit_log().Verify(tx, chain); });
    ASSERT_TRUE(verdict);
    EXPECT_TRUE(verdict->ok) << chain << ": " << verdict->problem;
  }

  // Readiness is rebuilt from the audit log: it must evaluate the seeded records.
  auto report = app.readiness().Evaluate(Actor::System(), org, std::nullopt);
  ASSERT_TRUE(report) << report.error().message();
  EXPECT_GT(report->score, 0);
  auto earlier =
      app.readiness().Evaluate(Actor::System(), org, DateOf(clock_.Now() - std::chrono::days(200)));
  ASSERT_TRUE(earlier) << earlier.error().message();

  // A second run of the same seed refuses and changes nothing.
  auto again = SeedOrganizations(test_db->db(), random_, Options(7), progress);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code(), ErrorCode::kConflict);
  auto orgs = app.identity().ListAllOrgs();
  ASSERT_TRUE(orgs);
  EXPECT_EQ(orgs->size(), 2u);
}

TEST_P(SeedTest, TheSameSeedWritesTheSameRecords) {
  // Seeds 11 and 12 in one database (their organizations' names differ), 11 again in another.
  std::vector<std::vector<RiskShape>> runs;
  for (int database = 0; database < 2; ++database) {
    auto test_db = testing::TestDatabase::Create(GetParam());
    App app(test_db->db(), clock_, random_, Settings(blob_dir_));
    Init(app);
    for (std::uint64_t seed :
         database == 0 ? std::vector<std::uint64_t>{11, 12} : std::vector<std::uint64_t>{11}) {
      std::ostringstream progress;
      auto options = Options(seed);
      options.tenants = 0;
      options.volume = {.people = 6,
                        .assets = 6,
                        .risks = 60,
                        .controls = 93,
                        .evidence = 10,
                        .documents = 1,
                        .events = 400};
      auto seeded = SeedOrganizations(test_db->db(), random_, options, progress);
      ASSERT_TRUE(seeded) << seeded.error().message();
      EXPECT_EQ(seeded->front().events, 400);
      runs.push_back(Risks(app, seeded->front().id));
    }
  }
  ASSERT_EQ(runs.size(), 3u);
  ASSERT_EQ(runs[0].size(), 60u);
  EXPECT_EQ(runs[0], runs[2]);  // seed 11 twice
  EXPECT_NE(runs[0], runs[1]);  // seeds 11 and 12
}

INSTANTIATE_TEST_SUITE_P(Engines, SeedTest, ::testing::ValuesIn(testing::TestEngines()),
                         testing::EngineName);

}  // namespace
}  // namespace certus::cli
