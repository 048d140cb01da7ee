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

INSTANTIATE_TEST_SUITE_P(Engines, AuditLogTest, ::testing::ValuesIn(testing::TestEngines()),
                         testing::EngineName);

}  // namespace
}  // namespace certus::auditlog
