// The audit log on both engines: chained appends, and every kind of tampering detected.
#include "auditlog/audit_log.hpp"

#include <gtest/gtest.h>

#include "tests/support/fakes.hpp"
#include "tests/support/test_database.hpp"

namespace certus::auditlog {
namespace {

using testing::Engine;

class AuditLogTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    database_ = testing::TestDatabase::Create(GetParam());
    for (int i = 1; i <= 5; ++i) Append("org-a", "risk-" + std::to_string(i));
    Append("org-b", "other");
  }

  void Append(const std::string& chain, const std::string& object_id) {
    auto done = storage::InWriteTransaction(db(), [&](storage::Transaction& tx) -> Expected<bool> {
      CERTUS_CHECK(
          log_.Append(tx, {chain, "u1", "alice@example.com", "context_issue", object_id, "create",
                           nullptr, boost::json::object{{"title", object_id}}, "req"}));
      return true;
    });
    ASSERT_TRUE(done) << done.error().message() << done.error().log_detail();
  }

  VerifyResult Verify(const std::string& chain) {
    auto verdict = storage::InReadTransaction(
        db(), [&](storage::Transaction& tx) { return log_.Verify(tx, chain); });
    EXPECT_TRUE(verdict);
    return *verdict;
  }

  void Sql(const std::string& sql) {
    auto done = storage::InWriteTransaction(
        db(), [&](storage::Transaction& tx) { return tx.Execute(sql); });
    ASSERT_TRUE(done) << done.error().log_detail();
  }

  std::int64_t IdOf(const std::string& chain, int seq) {
    auto result = storage::InReadTransaction(db(), [&](storage::Transaction& tx) {
      return tx.Execute("SELECT id FROM audit_events WHERE chain = $1 AND seq = $2",
                        {chain, std::int64_t{seq}});
    });
    return result->rows.at(0).Int(0);
  }

  storage::Database& db() { return database_->db(); }

  std::unique_ptr<testing::TestDatabase> database_;
  testing::FakeClock clock_;
  AuditLog log_{clock_};
};

TEST_P(AuditLogTest, AnUntouchedChainVerifies) {
  auto verdict = Verify("org-a");
  EXPECT_TRUE(verdict.ok) << verdict.problem;
  EXPECT_EQ(verdict.events, 5);
  EXPECT_FALSE(verdict.first_bad_event);
  EXPECT_TRUE(Verify("org-b").ok);
}

TEST_P(AuditLogTest, AnEditedEventIsFound) {
  auto id = IdOf("org-a", 3);
  Sql("UPDATE audit_events SET after_json = '{\"title\":\"forged\"}' WHERE id = " +
      std::to_string(id));
  auto verdict = Verify("org-a");
  EXPECT_FALSE(verdict.ok);
  EXPECT_EQ(verdict.first_bad_event, id);
  EXPECT_TRUE(Verify("org-b").ok);  // chains are independent
}

TEST_P(AuditLogTest, AnEditedEventWithARecomputedHashIsStillFound) {
  // The forger rewrites event 2 and recomputes its own hash; event 3 no longer follows it.
  auto events = storage::InReadTransaction(db(), [&](storage::Transaction& tx) {
    return log_.History(tx, "org-a", "context_issue", "risk-2");
  });
  ASSERT_TRUE(events);
  StoredEvent forged = events->at(0);
  forged.actor_label = "mallory@example.com";
  auto hash = AuditLog::Hash(forged.prev_hash, forged);
  Sql("UPDATE audit_events SET actor_label = 'mallory@example.com', hash = '" + hash +
      "' WHERE id = " + std::to_string(forged.id));
  auto verdict = Verify("org-a");
  EXPECT_FALSE(verdict.ok);
  EXPECT_EQ(verdict.first_bad_event, IdOf("org-a", 3));
}

TEST_P(AuditLogTest, ARemovedEventIsFound) {
  auto removed = IdOf("org-a", 2);
  Sql("DELETE FROM audit_events WHERE id = " + std::to_string(removed));
  auto verdict = Verify("org-a");
  EXPECT_FALSE(verdict.ok);
  EXPECT_EQ(verdict.first_bad_event, IdOf("org-a", 3));
}

TEST_P(AuditLogTest, RemovingTheLastEventsIsFound) {
  Sql("DELETE FROM audit_events WHERE chain = 'org-a' AND seq >= 4");
  auto verdict = Verify("org-a");
  EXPECT_FALSE(verdict.ok);
  EXPECT_FALSE(verdict.first_bad_event);
  EXPECT_NE(verdict.problem.find("end"), std::string::npos);
}

TEST_P(AuditLogTest, ReorderedEventsAreFound) {
  auto second = IdOf("org-a", 2);
  auto third = IdOf("org-a", 3);
  Sql("UPDATE audit_events SET seq = 1000 WHERE id = " + std::to_string(second));
  Sql("UPDATE audit_events SET seq = 2 WHERE id = " + std::to_string(third));
  Sql("UPDATE audit_events SET seq = 3 WHERE id = " + std::to_string(second));
  auto verdict = Verify("org-a");
  EXPECT_FALSE(verdict.ok);
  EXPECT_EQ(verdict.first_bad_event, third);
}

TEST_P(AuditLogTest, HistoryAndListFollowTheChain) {
  Append("org-a", "risk-1");
  auto history = storage::InReadTransaction(db(), [&](storage::Transaction& tx) {
    return log_.History(tx, "org-a", "context_issue", "risk-1");
  });
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].seq, 1);
  EXPECT_EQ((*history)[1].seq, 6);

  PageQuery page;
  page.limit = 4;
  auto first = storage::InReadTransaction(
      db(), [&](storage::Transaction& tx) { return log_.List(tx, "org-a", page); });
  ASSERT_TRUE(first);
  ASSERT_EQ(first->items.size(), 4u);
  EXPECT_EQ(first->items[0].seq, 6);
  ASSERT_TRUE(first->next);
  page.after = first->next;
  auto rest = storage::InReadTransaction(
      db(), [&](storage::Transaction& tx) { return log_.List(tx, "org-a", page); });
  ASSERT_EQ(rest->items.size(), 2u);
  EXPECT_EQ(rest->items[1].seq, 1);
  EXPECT_FALSE(rest->next);
}

/// Events of several chains, interleaved, with before/after values, more of them than one
/// multi-row INSERT carries.
std::vector<Event> BatchEvents() {
  std::vector<Event> events;
  for (int i = 1; i <= 600; ++i) {
    const std::string chain = i % 7 == 0 ? "org-b" : "org-a";
    events.push_back({chain, "u1", "alice@example.com", "risk", "risk-" + std::to_string(i),
                      i % 3 == 0 ? "update" : "create",
                      i % 3 == 0 ? boost::json::value(boost::json::object{{"n", i - 1}})
                                 : boost::json::value(nullptr),
                      boost::json::object{{"n", i}, {"title", "Risk " + std::to_string(i)}},
                      "req-batch"});
  }
  return events;
}

std::vector<StoredEvent> AllEvents(storage::Database& db, AuditLog& log, const std::string& chain) {
  auto events = storage::InReadTransaction(db, [&](storage::Transaction& tx) {
    PageQuery page;
    page.limit = 100000;
    return log.List(tx, chain, page);
  });
  EXPECT_TRUE(events);
  return events ? events->items : std::vector<StoredEvent>{};
}

TEST_P(AuditLogTest, AppendAllWritesWhatAppendingOneByOneWrites) {
  // The fixture's database already holds events on both chains: the batch continues them.
  const auto events = BatchEvents();
  auto singly = testing::TestDatabase::Create(GetParam());
  // The same history before the batch as the fixture's (SetUp).
  auto append_to_singly = [&](const std::string& chain, const std::string& object_id) {
    return storage::InWriteTransaction(singly->db(), [&](storage::Transaction& tx) {
      return log_.Append(tx, {chain, "u1", "alice@example.com", "context_issue", object_id,
                              "create", nullptr, boost::json::object{{"title", object_id}}, "req"});
    });
  };
  for (int i = 1; i <= 5; ++i) ASSERT_TRUE(append_to_singly("org-a", "risk-" + std::to_string(i)));
  ASSERT_TRUE(append_to_singly("org-b", "other"));
  auto batch = storage::InWriteTransaction(
      db(), [&](storage::Transaction& tx) { return log_.AppendAll(tx, events); });
  ASSERT_TRUE(batch) << batch.error().log_detail();
  auto one_by_one =
      storage::InWriteTransaction(singly->db(), [&](storage::Transaction& tx) -> Expected<void> {
        for (const auto& event : events) CERTUS_CHECK(log_.Append(tx, event));
        return {};
      });
  ASSERT_TRUE(one_by_one) << one_by_one.error().log_detail();

  for (const std::string chain : {"org-a", "org-b"}) {
    const auto batched = AllEvents(db(), log_, chain);
    const auto single = AllEvents(singly->db(), log_, chain);
    ASSERT_EQ(batched.size(), single.size()) << chain;
    ASSERT_EQ(batched.size(), chain == "org-a" ? 5u + 515u : 1u + 85u);
    for (std::size_t i = 0; i < batched.size(); ++i) {
      EXPECT_EQ(batched[i].seq, single[i].seq);
      EXPECT_EQ(batched[i].object_id, single[i].object_id);
      EXPECT_EQ(batched[i].before_json, single[i].before_json);
      EXPECT_EQ(batched[i].after_json, single[i].after_json);
      EXPECT_EQ(batched[i].prev_hash, single[i].prev_hash);
      EXPECT_EQ(batched[i].hash, single[i].hash) << chain << " seq " << batched[i].seq;
    }
    auto verdict = Verify(chain);
    EXPECT_TRUE(verdict.ok) << verdict.problem;
    EXPECT_EQ(verdict.events, static_cast<std::int64_t>(batched.size()));
  }
  // And appending one event after a batch goes on from the head the batch left.
  Append("org-a", "after-batch");
  EXPECT_TRUE(Verify("org-a").ok);
}

TEST_P(AuditLogTest, AppendAllOfNothingWritesNothing) {
  auto done = storage::InWriteTransaction(
      db(), [&](storage::Transaction& tx) { return log_.AppendAll(tx, std::span<const Event>()); });
  ASSERT_TRUE(done);
  EXPECT_EQ(Verify("org-a").events, 5);
}

INSTANTIATE_TEST_SUITE_P(Engines, AuditLogTest, ::testing::ValuesIn(testing::TestEngines()),
                         testing::EngineName);

}  // namespace
}  // namespace certus::auditlog
