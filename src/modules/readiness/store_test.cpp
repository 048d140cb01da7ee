#include "modules/readiness/store.hpp"

#include <gtest/gtest.h>

#include "auditlog/audit_log.hpp"
#include "tests/support/fakes.hpp"
#include "tests/support/test_database.hpp"

namespace certus::readiness {
namespace {

using testing::Engine;

boost::json::value Json(std::string_view text) { return boost::json::parse(text); }

class ReadinessReplay : public ::testing::TestWithParam<Engine> {
 protected:
  void Append(const std::string& id, const std::string& action, std::string_view after) {
    auditlog::Event event{org_.str(), "", "", "risk", id, action, nullptr, Json(after), ""};
    clock_.Advance(std::chrono::seconds(1));
    auto done = storage::InWriteTransaction(
        db_->db(), [&](storage::Transaction& tx) { return log_.Append(tx, event); });
    ASSERT_TRUE(done) << done.error().log_detail();
  }

  std::vector<Record> Replay(std::int64_t page_rows) {
    ReadinessStore store(page_rows);
    auto records = storage::InReadTransaction(db_->db(), [&](storage::Transaction& tx) {
      return store.Replay(tx, org_, "risk", "2099-01-01T00:00:00.000000Z");
    });
    EXPECT_TRUE(records) << records.error().log_detail();
    return records ? *records : std::vector<Record>{};
  }

  std::unique_ptr<testing::TestDatabase> db_ = testing::TestDatabase::Create(GetParam());
  testing::FakeClock clock_;
  auditlog::AuditLog log_{clock_};
  OrgId org_{"01900000-0000-7000-8000-000000000001"};
};

TEST_P(ReadinessReplay, PagesOfAnySizeFoldToTheSameRecords) {
  // Objects whose events straddle every page boundary of a 3-row page.
  for (int i = 0; i < 5; ++i) {
    const std::string id = "r" + std::to_string(i);
    Append(id, "create", R"({"id":")" + id + R"(","version":0})");
    for (int v = 1; v <= i; ++v) {
      Append(id, "update", R"({"id":")" + id + R"(","version":)" + std::to_string(v) + "}");
    }
    if (i == 2) Append(id, "accept", R"({"id":"acceptance-1","risk_id":"r2"})");
  }
  Append("r3", "delete", "null");

  const auto whole = Replay(10000);
  const auto paged = Replay(3);
  ASSERT_EQ(whole.size(), 4u);  // r3 deleted
  ASSERT_EQ(paged.size(), whole.size());
  for (std::size_t i = 0; i < whole.size(); ++i) {
    EXPECT_EQ(paged[i].id, whole[i].id);
    EXPECT_EQ(paged[i].json, whole[i].json);
    EXPECT_EQ(paged[i].created_at, whole[i].created_at);
    EXPECT_EQ(paged[i].updated_at, whole[i].updated_at);
    EXPECT_EQ(paged[i].events.size(), whole[i].events.size());
  }
  EXPECT_EQ(whole[3].id, "r4");
  EXPECT_EQ(whole[3].json.at("version").as_int64(), 4);
  EXPECT_EQ(whole[2].events.size(), 1u);  // r2's acceptance, kept as an event of the risk
  EXPECT_EQ(whole[0].updated_at, whole[0].created_at);
  EXPECT_LT(whole[3].created_at, whole[3].updated_at);
}

TEST_P(ReadinessReplay, AnUnreadableLatestStateIsReadTheSlowWay) {
  Append("r1", "create", R"({"id":"r1","version":1})");
  Append("r1", "update", R"({"id":"r1","version":2})");
  Append("r2", "create", R"({"id":"r2","version":1})");
  Append("r2", "update", R"({"id":"r2","version":2})");
  // Text no service writes: it opens like a state of r2 but is not JSON.
  auto done = storage::InWriteTransaction(db_->db(), [&](storage::Transaction& tx) {
    return tx.Execute(
        "UPDATE audit_events SET after_json = '{\"id\":\"r2\",' "
        "WHERE object_id = 'r2' AND action = 'update'");
  });
  ASSERT_TRUE(done);
  const auto records = Replay(10000);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].json.at("version").as_int64(), 2);
  EXPECT_EQ(records[1].json.at("version").as_int64(), 1);  // the state before the unreadable one
}

INSTANTIATE_TEST_SUITE_P(Engines, ReadinessReplay, ::testing::ValuesIn(testing::TestEngines()),
                         testing::EngineName);

TEST(ReadinessFolder, AnUnreadableLatestStateLeavesThePreviousOneStanding) {
  RecordFolder folder;
  folder.Add("d", "create", R"({"id":"d","version":1})", "2026-01-01T00:00:00.000000Z");
  folder.Add("d", "update", R"({"id":"d","version":)", "2026-01-02T00:00:00.000000Z");
  auto records = folder.Finish();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].json.at("version").as_int64(), 1);
  EXPECT_EQ(records[0].updated_at, "2026-01-01T00:00:00.000000Z");
}

TEST(ReadinessFolder, AStateWhoseIdIsNotFirstIsStillTheRecord) {
  RecordFolder folder;
  folder.Add("e", "create", R"({"title":"t","id":"e"})", "2026-01-01T00:00:00.000000Z");
  folder.Add("e", "update", R"({"id":"e","title":"u"})", "2026-01-02T00:00:00.000000Z");
  folder.Add("e", "update", R"({"title":"w","id":"e"})", "2026-01-03T00:00:00.000000Z");
  auto records = folder.Finish();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].json.at("title").as_string(), "w");
  EXPECT_TRUE(records[0].events.empty());
  // An id that merely starts like the record's is another record's, not a state.
  RecordFolder other;
  other.Add("f", "create", R"({"id":"f"})", "2026-01-01T00:00:00.000000Z");
  other.Add("f", "link", R"({"id":"f2"})", "2026-01-02T00:00:00.000000Z");
  auto linked = other.Finish();
  ASSERT_EQ(linked.size(), 1u);
  EXPECT_EQ(linked[0].events.size(), 1u);
}

}  // namespace
}  // namespace certus::readiness
