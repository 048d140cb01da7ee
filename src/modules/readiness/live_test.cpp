#include "modules/readiness/live.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>

#include <gtest/gtest.h>

#include "auditlog/audit_log.hpp"
#include "modules/readiness/json.hpp"
#include "modules/readiness/service.hpp"
#include "tests/support/fakes.hpp"
#include "tests/support/test_database.hpp"

namespace certus::readiness {
namespace {

using testing::Engine;

/// A live snapshot brought up to date event by event must hold exactly what a replay of the
/// whole log gives, and the service's evaluation of today must equal the replayed one.
class LiveSnapshotTest : public ::testing::TestWithParam<Engine> {
 protected:
  void Append(const std::string& type, const std::string& id, const std::string& action,
              std::string_view after) {
    auditlog::Event event{org_.str(), "", "", type, id, action, nullptr, boost::json::parse(after),
                          ""};
    clock_.Advance(std::chrono::seconds(1));
    auto done = storage::InWriteTransaction(
        db_->db(), [&](storage::Transaction& tx) { return log_.Append(tx, event); });
    ASSERT_TRUE(done) << done.error().log_detail();
  }

  template <typename Work>
  auto Read(Work&& work) {
    auto result = storage::InReadTransaction(db_->db(), std::forward<Work>(work));
    EXPECT_TRUE(result) << result.error().log_detail();
    return std::move(*result);
  }

  Date Today() const { return DateOf(clock_.Now()); }

  static void ExpectSame(Snapshot& live, const Snapshot& replayed) {
    for (const auto& [type, records] : replayed.records) {
      const auto& folded = live.Of(type);
      ASSERT_EQ(folded.size(), records.size()) << type;
      for (std::size_t i = 0; i < records.size(); ++i) {
        SCOPED_TRACE(type + " " + records[i].id);
        EXPECT_EQ(folded[i].id, records[i].id);
        EXPECT_EQ(folded[i].json, records[i].json);
        EXPECT_EQ(folded[i].created_at, records[i].created_at);
        EXPECT_EQ(folded[i].updated_at, records[i].updated_at);
        ASSERT_EQ(folded[i].events.size(), records[i].events.size());
        for (std::size_t e = 0; e < records[i].events.size(); ++e) {
          EXPECT_EQ(folded[i].events[e].action, records[i].events[e].action);
          EXPECT_EQ(folded[i].events[e].after, records[i].events[e].after);
          EXPECT_EQ(folded[i].events[e].at, records[i].events[e].at);
        }
      }
    }
  }

  std::unique_ptr<testing::TestDatabase> db_ = testing::TestDatabase::Create(GetParam());
  testing::FakeClock clock_;
  auditlog::AuditLog log_{clock_};
  ReadinessService service_{db_->db(), clock_, log_};
  ReadinessStore store_{3};  // pages of three events: every page boundary is crossed
  OrgId org_{"01900000-0000-7000-8000-000000000001"};
};

TEST_P(LiveSnapshotTest, FoldingEachEventGivesWhatAReplayGives) {
  Append("risk", "r2", "create", R"({"id":"r2","owner_id":"u1","likelihood":3})");
  Append("risk", "r1", "create", R"({"id":"r1","owner_id":"u1","likelihood":1})");
  Append("risk", "r5", "create", R"({"id":"r5","likelihood":2})");
  Append("soa_version", "v1", "approve", R"({"number":1,"approved_by":"u1"})");

  auto live = Read([&](storage::Transaction& tx) -> Expected<LiveSnapshot> {
    const auto seq = CERTUS_TRY(store_.LastSeq(tx, org_));
    return LiveSnapshot(CERTUS_TRY(service_.LoadSnapshot(tx, org_, Today())), seq);
  });
  ASSERT_EQ(live.size(), 4U);

  // After it was built: updates, a sub-event, a deletion, a new record before and after the
  // others in id order, an object whose first event is not its state, text that is no JSON
  // object, a second state of an id-less record, and types no rule reads.
  Append("risk", "r1", "update", R"({"owner_id":"u2","id":"r1","likelihood":4})");
  Append("risk", "r2", "accept", R"({"id":"acc-1","risk_id":"r2"})");
  Append("risk", "r5", "delete", "null");
  Append("risk", "r0", "create", R"({"id":"r0"})");
  Append("risk", "r9", "create", R"({"id":"r9"})");
  Append("risk", "r3", "link", R"({"id":"x-1","risk_id":"r3"})");
  Append("risk", "r3", "create", R"({"id":"r3","likelihood":5})");
  Append("risk", "r9", "update", R"("not an object")");
  Append("soa_version", "v1", "note", R"({"text":"no id: an event once a state exists"})");
  Append("document", "d1", "create", R"({"id":"d1","title":"Policy"})");
  Append("document", "d1", "approve_version", R"({"id":"dv1","document_id":"d1","number":1})");
  Append("evidence", "e1", "create", R"({"id":"e1"})");

  const auto last = Read([&](storage::Transaction& tx) { return store_.LastSeq(tx, org_); });
  auto folded = storage::InReadTransaction(db_->db(), [&](storage::Transaction& tx) {
    return store_.EventsSince(tx, org_, live.seq(), last, [&](const ReadinessStore::Event& e) {
      if (e.object_type == "evidence") return live.PassOver(e.seq);  // as the service does
      live.Fold(e.seq, e.object_type, e.object_id, e.action, e.after_json, e.occurred_at);
    });
  });
  ASSERT_TRUE(folded) << folded.error().log_detail();
  EXPECT_EQ(live.seq(), last);
  const auto replayed =
      Read([&](storage::Transaction& tx) { return service_.LoadSnapshot(tx, org_, Today()); });
  ExpectSame(live.snapshot(), replayed);
  EXPECT_EQ(live.size(), 7U);  // r0 r1 r2 r3 r9, v1, d1; r5 is gone
  // The latest event folded: the document's version (the evidence after it is passed over).
  EXPECT_EQ(live.latest_at(), FormatTimestamp(clock_.Now() - std::chrono::seconds(1)));
}

TEST_P(LiveSnapshotTest, TodaysEvaluationEqualsTheReplayedOneAfterEveryChange) {
  auto replayed = [&] {
    auto snapshot =
        Read([&](storage::Transaction& tx) { return service_.LoadSnapshot(tx, org_, Today()); });
    return boost::json::serialize(
        ToJson(ReadinessService::Assemble(snapshot, ReadinessService::SettingsOf(snapshot))));
  };
  auto live = [&] {
    auto report = service_.EvaluateDay(org_, Today());
    EXPECT_TRUE(report) << report.error().log_detail();
    return boost::json::serialize(ToJson(*report));
  };
  Append("risk_methodology", "m1", "approve",
         R"({"id":"m1","status":"approved","acceptance_threshold":8})");
  Append("risk", "r1", "create",
         R"({"id":"r1","ref":"R-0001","owner_id":"u1","likelihood":4,"impact":4,)"
         R"("inherent_score":16,"treatment":"undecided","status":"open"})");
  EXPECT_EQ(live(), replayed());  // built
  Append("risk", "r2", "create",
         R"({"id":"r2","ref":"R-0002","owner_id":"","likelihood":1,"impact":1,)"
         R"("inherent_score":1,"treatment":"accept","status":"open"})");
  EXPECT_EQ(live(), replayed());  // folded
  Append("risk", "r1", "update",
         R"({"id":"r1","ref":"R-0001","owner_id":"u1","likelihood":4,"impact":4,)"
         R"("inherent_score":16,"treatment":"mitigate","control_ids":["c1"],"status":"open"})");
  Append("control", "c1", "create",
         R"({"id":"c1","ref_id":"A.5.1","applicable":false,"owner_id":"u1"})");
  EXPECT_EQ(live(), replayed());
  Append("risk", "r2", "delete", "null");
  EXPECT_EQ(live(), replayed());
  Append("evidence", "e1", "create", R"({"id":"e1"})");  // no rule reads it: the last report
  EXPECT_EQ(live(), replayed());

  // A day after: the live snapshot serves the new today too.
  clock_.Advance(std::chrono::hours(24));
  Append("control", "c1", "update",
         R"({"id":"c1","ref_id":"A.5.1","applicable":true,"justification":"r1","owner_id":"u1"})");
  EXPECT_EQ(live(), replayed());
}

TEST_P(LiveSnapshotTest, TrendOfPastDaysInOnePassEqualsEachDayReplayed) {
  // Samples are stored per organization: the organization must exist.
  auto created = storage::InWriteTransaction(db_->db(), [&](storage::Transaction& tx) {
    return tx.Execute(
        "INSERT INTO organizations (id, name, version, created_at, updated_at) "
        "VALUES ($1, 'Trend', 1, $2, $2)",
        {org_.str(), FormatTimestamp(clock_.Now())});
  });
  ASSERT_TRUE(created) << created.error().log_detail();
  // A week of changes, with days without any, then a trend over it and the days around.
  const Date start = Today();
  auto next_day = [&] { clock_.Advance(std::chrono::hours(24)); };
  Append("risk_methodology", "m1", "approve",
         R"({"id":"m1","status":"approved","acceptance_threshold":8})");
  Append("risk", "r1", "create",
         R"({"id":"r1","ref":"R-0001","owner_id":"u1","likelihood":4,"impact":4,)"
         R"("inherent_score":16,"treatment":"undecided","status":"open"})");
  next_day();
  Append("risk", "r1", "update",
         R"({"id":"r1","ref":"R-0001","owner_id":"u1","likelihood":4,"impact":4,)"
         R"("inherent_score":16,"treatment":"mitigate","control_ids":["c1"],"status":"open"})");
  next_day();
  next_day();
  Append("control", "c1", "create",
         R"({"id":"c1","ref_id":"A.5.1","applicable":true,"justification":"r1","owner_id":"u1"})");
  Append("evidence", "e1", "create", R"({"id":"e1"})");
  next_day();
  Append("risk", "r2", "create",
         R"({"id":"r2","ref":"R-0002","likelihood":5,"impact":5,"inherent_score":25,)"
         R"("treatment":"undecided","status":"open"})");
  next_day();
  Append("risk", "r2", "delete", "null");
  next_day();

  const auto trend = service_.Trend(
      Actor::System(), org_, Date(std::chrono::sys_days(start) - std::chrono::days(2)), Today());
  ASSERT_TRUE(trend) << trend.error().log_detail();
  ASSERT_EQ(trend->size(), 9U);
  ReadinessService fresh(db_->db(), clock_, log_);  // no live snapshot, no memo
  for (const auto& sample : *trend) {
    auto day = ParseDate(sample.day);
    ASSERT_TRUE(day);
    auto report = fresh.EvaluateDay(org_, *day);
    ASSERT_TRUE(report) << report.error().log_detail();
    EXPECT_EQ(sample.verdict, report->verdict) << sample.day;
    EXPECT_EQ(sample.score, report->score) << sample.day;
  }
  EXPECT_NE(trend->at(2).score, trend->at(4).score) << "the days differ";
}

TEST(SnapshotKeys, EveryKeyARuleReadsIsKeptInSnapshots) {
  // Snapshots keep only the keys in kKeysRead: a rule reading another key would see it
  // absent. Every literal key the rules read through the JSON readers or find() is checked.
  const std::regex read_key(
      R"re(\b(?:Str|StrView|ArrayOf|Int|Bool|IsNull|Strings|DateField)\([^()]*, "(\w+)"\)|\.(?:find|contains|at|if_contains)\("(\w+)"\))re");
  int keys = 0;
  const std::filesystem::path dir =
      std::filesystem::path(CERTUS_SOURCE_DIR) / "src/modules/readiness";
  for (const auto& file : std::filesystem::directory_iterator(dir)) {
    const std::string name = file.path().filename().string();
    if (file.path().extension() != ".cpp" || name.ends_with("_test.cpp")) continue;
    std::ifstream in(file.path());
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (std::sregex_iterator it(text.begin(), text.end(), read_key), end; it != end; ++it) {
      const std::string key = (*it)[1].matched ? (*it)[1].str() : (*it)[2].str();
      EXPECT_TRUE(IsKeyRead(key)) << name << " reads \"" << key << "\", missing from kKeysRead";
      ++keys;
    }
  }
  EXPECT_GT(keys, 50) << "the rules' sources were read";
  auto risk = ParseRecordJson(R"({"id":"r","description":"long text","owner_id":"u"})");
  ASSERT_TRUE(risk);
  EXPECT_EQ(*risk, (boost::json::object{{"id", "r"}, {"owner_id", "u"}}));
  EXPECT_FALSE(ParseRecordJson("[1]"));
}

INSTANTIATE_TEST_SUITE_P(Engines, LiveSnapshotTest, ::testing::ValuesIn(testing::TestEngines()),
                         testing::EngineName);

}  // namespace
}  // namespace certus::readiness
