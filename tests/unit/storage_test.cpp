#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <limits>
#include <stdexcept>
#include <thread>

#include <gtest/gtest.h>

#include "core/time.hpp"
#include "storage/database.hpp"
#include "storage/migrations.hpp"
#include "storage/sqlite/sqlite_database.hpp"
#include "tests/support/test_database.hpp"

namespace certus::storage {
namespace {

using certus::testing::Engine;
using certus::testing::TestDatabase;

constexpr const char* kDuplicateMessage = "A record with these values already exists.";

std::string Describe(const Error& error) { return error.message() + " | " + error.log_detail(); }

/// Every engine, on a fresh migrated database with a scratch table `samples` of each type.
class StorageTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    test_db_ = TestDatabase::Create(GetParam());
    // BIGINT and DOUBLE PRECISION mean the same in both engines.
    ASSERT_TRUE(
        Write("CREATE TABLE samples (id BIGINT PRIMARY KEY, i BIGINT, "
              "d DOUBLE PRECISION, t TEXT, n TEXT)"));
  }

  Database& db() { return test_db_->db(); }

  /// One statement in its own write transaction.
  Expected<Result> Write(const std::string& sql, const std::vector<Value>& params = {}) {
    return InWriteTransaction(db(), [&](Transaction& tx) { return tx.Execute(sql, params); });
  }

  /// The rows of one statement in its own read transaction; a failure fails the test.
  std::vector<Row> Read(const std::string& sql, const std::vector<Value>& params = {}) {
    auto result = InReadTransaction(db(), [&](Transaction& tx) { return tx.Execute(sql, params); });
    if (!result) {
      ADD_FAILURE() << sql << ": " << Describe(result.error());
      return {};
    }
    return std::move(result->rows);
  }

  std::int64_t Count(const std::string& table) {
    auto rows = Read("SELECT COUNT(*) FROM " + table);
    return rows.empty() ? -1 : rows[0].Int(0);
  }

  Expected<Result> InsertUser(const std::string& id, const std::string& email) {
    return Write(
        "INSERT INTO users (id, email, email_lower, display_name, password_hash, created_at, "
        "updated_at) VALUES ($1, $2, $2, 'Test', 'hash', $3, $3)",
        {id, email, std::string("2026-01-01T00:00:00.000000Z")});
  }

  std::unique_ptr<TestDatabase> test_db_;
};

INSTANTIATE_TEST_SUITE_P(Engines, StorageTest, ::testing::ValuesIn(certus::testing::TestEngines()),
                         certus::testing::EngineName);

TEST_P(StorageTest, MigrateAgainAppliesNothingAndSchemaIsAtTheLatestVersion) {
  // Every embedded migration is applied once; the count grows as modules add theirs.
  const auto latest = static_cast<std::int64_t>(certus::storage::SqliteMigrations().size());
  auto applied = db().Migrate();
  ASSERT_TRUE(applied) << Describe(applied.error());
  EXPECT_EQ(*applied, 0);
  auto version = db().SchemaVersion();
  ASSERT_TRUE(version) << Describe(version.error());
  EXPECT_EQ(*version, latest);

  auto rows = Read("SELECT version, name, applied_at FROM schema_migrations ORDER BY version");
  ASSERT_EQ(rows.size(), static_cast<std::size_t>(latest));
  EXPECT_EQ(rows[0].Int(0), 1);
  EXPECT_EQ(rows[0].Text(1), "0001_foundation.sql");
  EXPECT_TRUE(ParseTimestamp(rows[0].Text(2)).has_value()) << rows[0].Text(2);
}

TEST_P(StorageTest, MigrateRefusesADatabaseNewerThanThisBuild) {
  ASSERT_TRUE(
      Write("INSERT INTO schema_migrations (version, name, applied_at) "
            "VALUES (9999, '9999_future.sql', '2030-01-01T00:00:00.000000Z')"));
  auto applied = db().Migrate();
  ASSERT_FALSE(applied);
  EXPECT_EQ(applied.error().code(), ErrorCode::kUnavailable);
  EXPECT_NE(applied.error().message().find("9999"), std::string::npos);
  EXPECT_EQ(db().SchemaVersion().value_or(-1), 9999);
}

TEST_P(StorageTest, RoundTripsEveryValueTypeExactly) {
  const std::string injection = "'; DROP TABLE users; --";
  const std::string non_ascii = "Zürich — 東京 🚀 \"quoted\" \\ $1 ?1";
  const std::vector<std::vector<Value>> inserted = {
      {std::int64_t{1}, std::numeric_limits<std::int64_t>::max(), 0.1, injection, nullptr},
      {std::int64_t{2}, std::numeric_limits<std::int64_t>::min(), -1.5e300, non_ascii, nullptr},
      {std::int64_t{3}, std::int64_t{0}, 2.2250738585072014e-308, std::string(), nullptr},
  };
  for (const auto& params : inserted) {
    auto result = Write("INSERT INTO samples (id, i, d, t, n) VALUES ($1, $2, $3, $4, $5)", params);
    ASSERT_TRUE(result) << Describe(result.error());
    EXPECT_EQ(result->affected, 1);
  }

  auto rows = Read("SELECT id, i, d, t, n FROM samples ORDER BY id");
  ASSERT_EQ(rows.size(), inserted.size());
  for (std::size_t r = 0; r < rows.size(); ++r) {
    ASSERT_EQ(rows[r].size(), 5U);
    for (std::size_t c = 0; c < 5; ++c) {
      EXPECT_EQ(rows[r].at(c), inserted[r][c]) << "row " << r << " column " << c;
    }
  }
  EXPECT_EQ(Count("users"), 0) << "the injected text must not have run";
  EXPECT_EQ(Read("SELECT id FROM samples WHERE t = $1", {injection}).size(), 1U);
  EXPECT_EQ(Read("SELECT id FROM samples WHERE t = $1", {non_ascii}).size(), 1U);

  // Accessors: integers format as text, NULL reads as empty / 0 / nullopt.
  EXPECT_EQ(rows[0].Text(1), "9223372036854775807");
  EXPECT_EQ(rows[1].Int(1), std::numeric_limits<std::int64_t>::min());
  EXPECT_TRUE(rows[0].IsNull(4));
  EXPECT_EQ(rows[0].Text(4), "");
  EXPECT_EQ(rows[0].OptText(4), std::nullopt);
  EXPECT_EQ(rows[0].Int(4), 0);
  EXPECT_EQ(rows[0].OptInt(4), std::nullopt);
  EXPECT_EQ(rows[2].OptText(3), std::optional<std::string>(""));
}

TEST_P(StorageTest, AggregatesReadAsIntegersInBothEngines) {
  for (std::int64_t id = 1; id <= 3; ++id) {
    ASSERT_TRUE(Write("INSERT INTO samples (id, i) VALUES ($1, $1)", {id}));
  }
  // PostgreSQL returns SUM and AVG of BIGINT as NUMERIC text, SQLite as numbers.
  auto rows = Read("SELECT COUNT(*), SUM(i), AVG(i), MAX(i) FROM samples");
  ASSERT_EQ(rows.size(), 1U);
  EXPECT_EQ(rows[0].Int(0), 3);
  EXPECT_EQ(rows[0].Int(1), 6);
  EXPECT_EQ(rows[0].Int(2), 2);
  EXPECT_EQ(rows[0].Int(3), 3);
  EXPECT_EQ(Read("SELECT $1 = 1", {std::int64_t{1}}).at(0).Bool(0), true);
}

TEST_P(StorageTest, DollarInsideLiteralIdentifierOrCommentIsNotAPlaceholder) {
  ASSERT_TRUE(Write("INSERT INTO samples (id, t) VALUES ($1, $2)", {std::int64_t{1}, "x"}));
  auto rows = Read("SELECT '$1 and ''$2''', \"t\" /* $3 */ FROM samples WHERE id = $1 -- and $4\n",
                   {std::int64_t{1}});
  ASSERT_EQ(rows.size(), 1U);
  EXPECT_EQ(rows[0].Text(0), "$1 and '$2'");
  EXPECT_EQ(rows[0].Text(1), "x");
}

TEST_P(StorageTest, PlaceholderUsedTwiceBindsTheSameValue) {
  for (auto [id, i] : {std::pair<std::int64_t, std::int64_t>{1, 1}, {2, 5}, {3, 2}, {4, 1}}) {
    ASSERT_TRUE(Write("INSERT INTO samples (id, i) VALUES ($1, $2)", {id, i}));
  }
  auto rows =
      Read("SELECT id FROM samples WHERE id >= $1 AND i >= $1 ORDER BY id", {std::int64_t{2}});
  ASSERT_EQ(rows.size(), 2U);
  EXPECT_EQ(rows[0].Int(0), 2);
  EXPECT_EQ(rows[1].Int(0), 3);
}

TEST_P(StorageTest, TransactionDestroyedWithoutCommitRollsBack) {
  {
    auto tx = db().Begin(TxMode::kWrite);
    ASSERT_TRUE(tx) << Describe(tx.error());
    ASSERT_TRUE((*tx)->Execute("INSERT INTO samples (id) VALUES (1)"));
    auto inside = (*tx)->Execute("SELECT COUNT(*) FROM samples");
    ASSERT_TRUE(inside);
    EXPECT_EQ(inside->rows.at(0).Int(0), 1) << "the transaction sees its own write";
  }
  EXPECT_EQ(Count("samples"), 0);
  // The connection went back to the pool in a usable state.
  EXPECT_TRUE(Write("INSERT INTO samples (id) VALUES (1)"));
  EXPECT_EQ(Count("samples"), 1);
}

TEST_P(StorageTest, CommittedTransactionIsSpent) {
  auto tx = db().Begin(TxMode::kWrite);
  ASSERT_TRUE(tx) << Describe(tx.error());
  ASSERT_TRUE((*tx)->Execute("INSERT INTO samples (id) VALUES (1)"));
  ASSERT_TRUE((*tx)->Commit());

  auto late = (*tx)->Execute("INSERT INTO samples (id) VALUES (2)");
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code(), ErrorCode::kInternal);
  EXPECT_FALSE((*tx)->Commit());
  tx->reset();
  EXPECT_EQ(Count("samples"), 1);
}

TEST_P(StorageTest, UniqueViolationIsAConflictAndWritesNothing) {
  ASSERT_TRUE(InsertUser("u1", "ada@example.com"));
  auto result = InWriteTransaction(db(), [&](Transaction& tx) -> Expected<Result> {
    CERTUS_TRY(tx.Execute("INSERT INTO samples (id) VALUES (1)"));
    return tx.Execute(
        "INSERT INTO users (id, email, email_lower, display_name, password_hash, created_at, "
        "updated_at) VALUES ('u2', 'ada@example.com', 'ada@example.com', 'Ada', 'h', 'x', 'x')");
  });
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code(), ErrorCode::kConflict);
  EXPECT_EQ(result.error().message(), kDuplicateMessage) << "engine text stays in the log";
  EXPECT_FALSE(result.error().log_detail().empty());
  EXPECT_EQ(Count("users"), 1);
  EXPECT_EQ(Count("samples"), 0) << "the earlier statement of the transaction is not kept";
}

TEST_P(StorageTest, PrimaryKeyViolationIsAConflict) {
  ASSERT_TRUE(Write("INSERT INTO samples (id, t) VALUES (1, 'first')"));
  auto again = Write("INSERT INTO samples (id, t) VALUES (1, 'second')");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code(), ErrorCode::kConflict);
  EXPECT_EQ(again.error().message(), kDuplicateMessage);
  EXPECT_EQ(Read("SELECT t FROM samples").at(0).Text(0), "first");
}

TEST_P(StorageTest, StatementAfterAFailedOneFailsAndCommitIsRefused) {
  ASSERT_TRUE(Write("INSERT INTO samples (id) VALUES (1)"));
  auto tx = db().Begin(TxMode::kWrite);
  ASSERT_TRUE(tx) << Describe(tx.error());
  ASSERT_TRUE((*tx)->Execute("INSERT INTO samples (id) VALUES (2)"));
  auto duplicate = (*tx)->Execute("INSERT INTO samples (id) VALUES (1)");
  ASSERT_FALSE(duplicate);
  EXPECT_EQ(duplicate.error().code(), ErrorCode::kConflict);

  // Both engines behave like PostgreSQL: the transaction is aborted as a whole.
  auto next = (*tx)->Execute("INSERT INTO samples (id) VALUES (3)");
  ASSERT_FALSE(next);
  EXPECT_EQ(next.error().code(), ErrorCode::kInternal);
  EXPECT_FALSE((*tx)->Commit());
  tx->reset();
  auto rows = Read("SELECT id FROM samples");
  ASSERT_EQ(rows.size(), 1U);
  EXPECT_EQ(rows[0].Int(0), 1);
}

TEST_P(StorageTest, ForeignKeyViolationIsAConflictInBothDirections) {
  auto orphan = Write(
      "INSERT INTO memberships (org_id, user_id, role, created_at, updated_at) "
      "VALUES ('no-org', 'no-user', 'admin', 'x', 'x')");
  ASSERT_FALSE(orphan);
  EXPECT_EQ(orphan.error().code(), ErrorCode::kConflict) << Describe(orphan.error());
  EXPECT_EQ(Count("memberships"), 0);

  ASSERT_TRUE(InsertUser("u1", "ada@example.com"));
  ASSERT_TRUE(
      Write("INSERT INTO organizations (id, name, created_at, updated_at) "
            "VALUES ('o1', 'Org', 'x', 'x')"));
  ASSERT_TRUE(
      Write("INSERT INTO memberships (org_id, user_id, role, created_at, updated_at) "
            "VALUES ('o1', 'u1', 'admin', 'x', 'x')"));
  auto referenced = Write("DELETE FROM organizations WHERE id = 'o1'");
  ASSERT_FALSE(referenced);
  EXPECT_EQ(referenced.error().code(), ErrorCode::kConflict) << Describe(referenced.error());
  EXPECT_EQ(orphan.error().message(), referenced.error().message());
  EXPECT_EQ(Count("organizations"), 1);
}

TEST_P(StorageTest, UpdateReturningGivesNewValuesAndAffectedCounts) {
  auto inserted = Write(
      "INSERT INTO org_counters (org_id, name, value) "
      "VALUES ('o1', 'risk', 0), ('o1', 'nc', 10), ('o2', 'risk', 0)");
  ASSERT_TRUE(inserted) << Describe(inserted.error());
  EXPECT_EQ(inserted->affected, 3);

  auto updated =
      Write("UPDATE org_counters SET value = value + 1 WHERE org_id = $1 RETURNING name, value",
            {std::string("o1")});
  ASSERT_TRUE(updated) << Describe(updated.error());
  EXPECT_EQ(updated->affected, 2);
  ASSERT_EQ(updated->rows.size(), 2U);
  auto returned = updated->rows;
  std::sort(returned.begin(), returned.end(),
            [](const Row& a, const Row& b) { return a.Text(0) < b.Text(0); });
  EXPECT_EQ(returned[0].Text(0), "nc");
  EXPECT_EQ(returned[0].Int(1), 11);
  EXPECT_EQ(returned[1].Text(0), "risk");
  EXPECT_EQ(returned[1].Int(1), 1);

  // Right after a statement that changed rows, so that a stale count would show.
  auto selected = Write("SELECT value FROM org_counters");
  ASSERT_TRUE(selected);
  EXPECT_EQ(selected->rows.size(), 3U);
  EXPECT_EQ(selected->affected, 0) << "a SELECT changes nothing";

  auto none = Write("UPDATE org_counters SET value = 0 WHERE org_id = 'nobody' RETURNING value");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->affected, 0);
  EXPECT_TRUE(none->rows.empty());

  auto deleted = Write("DELETE FROM org_counters WHERE name = 'risk'");
  ASSERT_TRUE(deleted);
  EXPECT_EQ(deleted->affected, 2);
}

TEST_P(StorageTest, ReadTransactionRefusesWrites) {
  auto tx = db().Begin(TxMode::kRead);
  ASSERT_TRUE(tx) << Describe(tx.error());
  auto written = (*tx)->Execute("INSERT INTO samples (id) VALUES (1)");
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().code(), ErrorCode::kInternal);
  tx->reset();
  EXPECT_EQ(Count("samples"), 0);
}

TEST_P(StorageTest, TextThatPostgresCannotStoreIsMalformedInBothEngines) {
  auto nul = Write("INSERT INTO samples (id, t) VALUES (1, $1)", {std::string("a\0b", 3)});
  ASSERT_FALSE(nul);
  EXPECT_EQ(nul.error().code(), ErrorCode::kMalformed);
  auto latin1 = Write("INSERT INTO samples (id, t) VALUES (1, $1)", {std::string("caf\xe9")});
  ASSERT_FALSE(latin1);
  EXPECT_EQ(latin1.error().code(), ErrorCode::kMalformed);
  EXPECT_EQ(Count("samples"), 0);
}

TEST_P(StorageTest, ExecuteRefusesSeveralStatements) {
  auto both = Write("INSERT INTO samples (id) VALUES (1); INSERT INTO samples (id) VALUES (2)");
  ASSERT_FALSE(both);
  EXPECT_EQ(both.error().code(), ErrorCode::kInternal);
  EXPECT_EQ(Count("samples"), 0);
  EXPECT_TRUE(Write("INSERT INTO samples (id) VALUES (1);")) << "a trailing ';' is fine";
}

TEST_P(StorageTest, WrongParameterCountIsAnInternalError) {
  auto missing = Write("INSERT INTO samples (id, i) VALUES ($1, $2)", {std::int64_t{1}});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), ErrorCode::kInternal) << Describe(missing.error());
  EXPECT_EQ(Count("samples"), 0);
  // PostgreSQL accepts typed parameters that a statement does not use; SQLite, on which every
  // test runs, refuses them, so such a slip is caught anyway.
  if (GetParam() == Engine::kSqlite) {
    auto extra = Write("INSERT INTO samples (id) VALUES ($1)", {std::int64_t{1}, std::int64_t{2}});
    ASSERT_FALSE(extra);
    EXPECT_EQ(extra.error().code(), ErrorCode::kInternal) << Describe(extra.error());
    EXPECT_EQ(Count("samples"), 0);
  }
}

TEST_P(StorageTest, SqlErrorIsInternalWithTheEngineTextOnlyInTheLog) {
  auto result = Write("INSERT INTO no_such_table (id) VALUES (1)");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code(), ErrorCode::kInternal);
  EXPECT_EQ(result.error().message().find("no_such_table"), std::string::npos);
  EXPECT_NE(result.error().log_detail().find("no_such_table"), std::string::npos);
}

TEST_P(StorageTest, ReaderSeesItsSnapshotWhileAnotherThreadHoldsAWriteTransaction) {
  ASSERT_TRUE(Write("INSERT INTO samples (id, i) VALUES (1, 1)"));

  std::promise<void> written;
  std::promise<void> may_commit;
  std::shared_future<void> may_commit_future = may_commit.get_future().share();
  Expected<void> writer_outcome = Fail(Error::Internal("writer did not run"));
  std::thread writer([&] {
    auto tx = db().Begin(TxMode::kWrite);
    if (tx) {
      auto updated = (*tx)->Execute("UPDATE samples SET i = 2 WHERE id = 1");
      written.set_value();
      may_commit_future.wait();
      writer_outcome = updated ? (*tx)->Commit() : Fail(updated.error());
    } else {
      written.set_value();
      writer_outcome = Fail(tx.error());
    }
  });

  written.get_future().wait();
  // The write transaction is open on the other thread: a reader must neither wait nor see it.
  auto reader = db().Begin(TxMode::kRead);
  auto before = reader ? (*reader)->Execute("SELECT i FROM samples WHERE id = 1")
                       : Expected<Result>(Fail(reader.error()));
  may_commit.set_value();
  writer.join();

  ASSERT_TRUE(writer_outcome) << Describe(writer_outcome.error());
  ASSERT_TRUE(before) << Describe(before.error());
  EXPECT_EQ(before->rows.at(0).Int(0), 1);
  auto after_commit = (*reader)->Execute("SELECT i FROM samples WHERE id = 1");
  ASSERT_TRUE(after_commit) << Describe(after_commit.error());
  EXPECT_EQ(after_commit->rows.at(0).Int(0), 1) << "one read transaction, one snapshot";
  reader->reset();
  EXPECT_EQ(Read("SELECT i FROM samples WHERE id = 1").at(0).Int(0), 2);
}

TEST_P(StorageTest, ConcurrentWriteTransactionsLoseNoIncrement) {
  ASSERT_TRUE(Write("INSERT INTO org_counters (org_id, name, value) VALUES ('o1', 'risk', 0)"));
  constexpr int kThreads = 8;
  constexpr int kPerThread = 25;
  std::vector<std::vector<std::int64_t>> seen(kThreads);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int n = 0; n < kPerThread; ++n) {
        auto value = InWriteTransaction(db(), [](Transaction& tx) -> Expected<std::int64_t> {
          auto result =
              CERTUS_TRY(tx.Execute("UPDATE org_counters SET value = value + 1 "
                                    "WHERE org_id = $1 AND name = $2 RETURNING value",
                                    {std::string("o1"), std::string("risk")}));
          return result.rows.at(0).Int(0);
        });
        if (value) {
          seen[static_cast<std::size_t>(t)].push_back(*value);
        } else {
          ++failures;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();

  EXPECT_EQ(failures.load(), 0);
  std::vector<std::int64_t> all;
  for (const auto& values : seen) all.insert(all.end(), values.begin(), values.end());
  std::sort(all.begin(), all.end());
  std::vector<std::int64_t> expected(std::size_t{kThreads} * kPerThread);
  for (std::size_t i = 0; i < expected.size(); ++i) expected[i] = static_cast<std::int64_t>(i) + 1;
  EXPECT_EQ(all, expected) << "every transaction saw a distinct value";
  EXPECT_EQ(Read("SELECT value FROM org_counters").at(0).Int(0), kThreads * kPerThread);
}

// ---------------------------------------------------------------------------------------------
// Engine-specific behaviour.

TEST(SqliteStorageTest, InMemoryDatabaseStartsAtVersionZeroAndMigrates) {
  auto db = OpenDatabase("sqlite::memory:");
  ASSERT_TRUE(db) << Describe(db.error());
  EXPECT_EQ((*db)->dialect(), Dialect::kSqlite);
  EXPECT_EQ((*db)->SchemaVersion().value_or(-1), 0);
  const auto latest = static_cast<std::int64_t>(certus::storage::SqliteMigrations().size());
  EXPECT_EQ((*db)->Migrate().value_or(-1), latest);
  EXPECT_EQ((*db)->SchemaVersion().value_or(-1), latest);
  EXPECT_EQ((*db)->Migrate().value_or(-1), 0);

  ASSERT_TRUE(InWriteTransaction(**db, [](Transaction& tx) {
    return tx.Execute("INSERT INTO org_counters (org_id, name, value) VALUES ('o', 'n', 7)");
  }));
  auto tx = (*db)->Begin(TxMode::kRead);
  ASSERT_TRUE(tx);
  EXPECT_FALSE((*tx)->Execute("DELETE FROM org_counters")) << "reads stay reads in memory too";
  tx->reset();
  auto value = InReadTransaction(
      **db, [](Transaction& read) { return read.Execute("SELECT value FROM org_counters"); });
  ASSERT_TRUE(value);
  EXPECT_EQ(value->rows.at(0).Int(0), 7);
}

TEST(SqliteStorageTest, WriterOfAnotherConnectionTimesOutAsUnavailable) {
  auto test_db = TestDatabase::Create(Engine::kSqlite);
  auto other = OpenDatabase(test_db->url(), {.pool_size = 2, .busy_timeout_ms = 50});
  ASSERT_TRUE(other) << Describe(other.error());

  auto holder = test_db->db().Begin(TxMode::kWrite);
  ASSERT_TRUE(holder);
  auto blocked = (*other)->Begin(TxMode::kWrite);
  ASSERT_FALSE(blocked);
  EXPECT_EQ(blocked.error().code(), ErrorCode::kUnavailable) << Describe(blocked.error());
  auto reader = (*other)->Begin(TxMode::kRead);
  ASSERT_TRUE(reader) << "readers are not blocked by the writer";
  EXPECT_TRUE((*reader)->Execute("SELECT COUNT(*) FROM users"));
}

TEST(SqliteStorageTest, SecondWriteTransactionOnOneThreadTimesOutInsteadOfHanging) {
  auto test_db = TestDatabase::Create(Engine::kSqlite);
  auto db = OpenDatabase(test_db->url(), {.pool_size = 2, .busy_timeout_ms = 50});
  ASSERT_TRUE(db);
  auto first = (*db)->Begin(TxMode::kWrite);
  ASSERT_TRUE(first);
  auto second = (*db)->Begin(TxMode::kWrite);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code(), ErrorCode::kUnavailable);
  first->reset();
  EXPECT_TRUE((*db)->Begin(TxMode::kWrite)) << "the writer is free again";
}

TEST(SqliteStorageTest, EveryCommitReturnsAfterASyncThatOneSyncSharesAmongConcurrentCommits) {
  auto test_db = TestDatabase::Create(Engine::kSqlite);
  auto* sqlite = dynamic_cast<certus::storage::sqlite::SqliteDatabase*>(&test_db->db());
  ASSERT_NE(sqlite, nullptr);
  auto insert = [&](std::int64_t n) {
    return InWriteTransaction(*sqlite, [n](Transaction& tx) {
      return tx.Execute("INSERT INTO org_counters (org_id, name, value) VALUES ('o', $1, $2)",
                        {std::to_string(n), n});
    });
  };
  // One at a time, each commit waits for a sync of its own.
  const std::uint64_t before = sqlite->syncs();
  for (std::int64_t n = 0; n < 5; ++n) ASSERT_TRUE(insert(n));
  EXPECT_EQ(sqlite->syncs() - before, 5U);
  // A failed transaction commits nothing and syncs nothing.
  EXPECT_FALSE(insert(0));
  EXPECT_EQ(sqlite->syncs() - before, 5U);

  // Many at once: every commit succeeds and is there, with at most one sync per commit.
  constexpr int kThreads = 8;
  constexpr int kPerThread = 40;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        if (!insert(100 + (t * kPerThread) + i)) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  const std::uint64_t syncs = sqlite->syncs() - before - 5;
  EXPECT_GE(syncs, 1U);
  EXPECT_LE(syncs, std::uint64_t{kThreads} * kPerThread);
  auto count = InReadTransaction(
      *sqlite, [](Transaction& tx) { return tx.Execute("SELECT COUNT(*) FROM org_counters"); });
  ASSERT_TRUE(count);
  EXPECT_EQ(count->rows.at(0).Int(0), 5 + (kThreads * kPerThread));
}

TEST(SqliteStorageTest, TheWalIsCheckpointedIntoTheDatabaseFileOutsideTheCommits) {
  auto test_db = TestDatabase::Create(Engine::kSqlite);
  const std::string url = test_db->url();
  const std::filesystem::path file = url.substr(url.find(':') + 1);
  const auto before = std::filesystem::file_size(file);
  // About 8 MB in 40 commits: the WAL passes its 1,000 pages (4 MB) several times over.
  const std::string text(200 * 1024, 'x');
  for (int n = 0; n < 40; ++n) {
    ASSERT_TRUE(InWriteTransaction(test_db->db(), [&](Transaction& tx) {
      return tx.Execute("INSERT INTO org_counters (org_id, name, value) VALUES ($1, $2, 0)",
                        {text, std::to_string(n)});
    }));
  }
  // Only a checkpoint writes pages into the database file itself.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::filesystem::file_size(file) < before + (4U << 20U) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_GE(std::filesystem::file_size(file), before + (4U << 20U));
}

TEST(SqliteStorageTest, RewritesPlaceholdersOutsideLiteralsIdentifiersAndComments) {
  using sqlite::RewritePlaceholders;
  EXPECT_EQ(RewritePlaceholders("SELECT $1, $12"), "SELECT ?1, ?12");
  EXPECT_EQ(RewritePlaceholders("VALUES ($1,$2)"), "VALUES (?1,?2)");
  EXPECT_EQ(RewritePlaceholders("SELECT '$1', 'it''s $2', $3"), "SELECT '$1', 'it''s $2', ?3");
  EXPECT_EQ(RewritePlaceholders("SELECT \"$1\" FROM t"), "SELECT \"$1\" FROM t");
  EXPECT_EQ(RewritePlaceholders("SELECT $1 -- $2\n, $3"), "SELECT ?1 -- $2\n, ?3");
  EXPECT_EQ(RewritePlaceholders("SELECT /* $1 */ $2"), "SELECT /* $1 */ ?2");
  EXPECT_EQ(RewritePlaceholders("SELECT a$1, $x, $"), "SELECT a$1, $x, $");
  EXPECT_EQ(RewritePlaceholders("SELECT 'unterminated $1"), "SELECT 'unterminated $1");
}

TEST(PostgresStorageTest, ConnectionDroppedByTheServerIsReplaced) {
  if (certus::testing::TestEngines().size() < 2) {
    GTEST_SKIP() << "PostgreSQL only; set CERTUS_TEST_PG (scripts/with-postgres.sh)";
  }
  auto test_db = TestDatabase::Create(Engine::kPostgres);
  Database& db = test_db->db();
  auto pid_of = [](Transaction& tx) {
    return tx.Execute("SELECT pg_backend_pid()").value().rows.at(0).Int(0);
  };
  auto victim_tx = db.Begin(TxMode::kRead);
  auto killer_tx = db.Begin(TxMode::kRead);
  ASSERT_TRUE(victim_tx && killer_tx);
  const std::int64_t victim = pid_of(**victim_tx);
  victim_tx->reset();  // back in the pool, idle
  auto killed = (*killer_tx)->Execute("SELECT pg_terminate_backend($1::integer, 5000)", {victim});
  ASSERT_TRUE(killed) << Describe(killed.error());
  ASSERT_EQ(killed->rows.at(0).Int(0), 1);

  // Take every pooled connection, the dead one included: each Begin must succeed.
  std::vector<std::unique_ptr<Transaction>> held;
  for (int i = 0; i < 3; ++i) {
    auto tx = db.Begin(TxMode::kRead);
    ASSERT_TRUE(tx) << Describe(tx.error());
    EXPECT_NE(pid_of(**tx), victim);
    held.push_back(std::move(*tx));
  }
}

TEST(OpenDatabaseTest, UnknownSchemeIsMalformedAndTheUrlIsNotEchoed) {
  auto db = OpenDatabase("mysql://admin:s3cret@db.example.com/certus");
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code(), ErrorCode::kMalformed);
  EXPECT_NE(db.error().message().find("sqlite:PATH"), std::string::npos);
  EXPECT_NE(db.error().message().find("postgresql://"), std::string::npos);
  EXPECT_EQ(db.error().message().find("s3cret"), std::string::npos);
  EXPECT_EQ(db.error().log_detail().find("s3cret"), std::string::npos);
}

TEST(OpenDatabaseTest, SqliteWithoutPathIsMalformed) {
  auto db = OpenDatabase("sqlite:");
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code(), ErrorCode::kMalformed);
}

TEST(OpenDatabaseTest, SqliteInAMissingDirectoryIsUnavailable) {
  const auto missing = std::filesystem::temp_directory_path() / "certus-no-such-dir" / "x.db";
  auto db = OpenDatabase("sqlite:" + missing.string());
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code(), ErrorCode::kUnavailable);
}

TEST(OpenDatabaseTest, MalformedPostgresUrlIsMalformed) {
  auto db = OpenDatabase("postgresql://localhost/certus?no_such_option=1");
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code(), ErrorCode::kMalformed);
}

TEST(OpenDatabaseTest, UnreachablePostgresIsUnavailableAtFirstTransaction) {
  // Nothing listens on port 1; the connection is refused at once.
  auto db = OpenDatabase("postgresql://certus:s3cret@127.0.0.1:1/certus", {.pool_size = 1});
  ASSERT_TRUE(db) << "connections are opened lazily";
  EXPECT_EQ((*db)->dialect(), Dialect::kPostgres);
  auto tx = (*db)->Begin(TxMode::kRead);
  ASSERT_FALSE(tx);
  EXPECT_EQ(tx.error().code(), ErrorCode::kUnavailable);
  EXPECT_EQ(tx.error().message().find("s3cret"), std::string::npos);
  auto again = (*db)->Begin(TxMode::kWrite);
  ASSERT_FALSE(again) << "a failed connect gives its pool slot back";
  EXPECT_EQ(again.error().code(), ErrorCode::kUnavailable);
}

TEST(MigrationsTest, OrderedByNumberNotByName) {
  auto ordered =
      OrderMigrations({{"0010_later.sql", "b"}, {"0002_second.sql", "a"}, {"0001_first.sql", "c"}});
  ASSERT_TRUE(ordered);
  ASSERT_EQ(ordered->size(), 3U);
  EXPECT_EQ((*ordered)[0].version, 1);
  EXPECT_EQ((*ordered)[1].version, 2);
  EXPECT_EQ((*ordered)[2].version, 10);
  EXPECT_EQ((*ordered)[2].name, "0010_later.sql");
  EXPECT_EQ((*ordered)[2].sql, "b");
}

TEST(MigrationsTest, NameWithoutNumberOrDuplicateNumberIsRefused) {
  auto unnumbered = OrderMigrations({{"foundation.sql", ""}});
  ASSERT_FALSE(unnumbered);
  EXPECT_EQ(unnumbered.error().code(), ErrorCode::kInternal);
  auto duplicate = OrderMigrations({{"0001_a.sql", ""}, {"1_b.sql", ""}});
  ASSERT_FALSE(duplicate);
  EXPECT_EQ(duplicate.error().code(), ErrorCode::kInternal);
}

TEST(MigrationsTest, EmbeddedMigrationsOfBothEnginesMatch) {
  auto sqlite_files = OrderMigrations(SqliteMigrations());
  auto postgres_files = OrderMigrations(PostgresMigrations());
  ASSERT_TRUE(sqlite_files && postgres_files);
  ASSERT_FALSE(sqlite_files->empty());
  ASSERT_EQ(sqlite_files->size(), postgres_files->size());
  for (std::size_t i = 0; i < sqlite_files->size(); ++i) {
    EXPECT_EQ((*sqlite_files)[i].name, (*postgres_files)[i].name);
  }
}

TEST(RowTest, TextOfAnIntegerColumnReadAsIntThrows) {
  Row row({std::string("not a number"), std::string("42"), 2.9, std::string("-7.0")});
  EXPECT_THROW(static_cast<void>(row.Int(0)), std::logic_error);
  EXPECT_EQ(row.Int(1), 42);
  EXPECT_EQ(row.Int(2), 2);
  EXPECT_EQ(row.Int(3), -7);
  EXPECT_EQ(row.Text(2), "2.9");
  EXPECT_THROW(static_cast<void>(row.Text(9)), std::out_of_range);
}

}  // namespace
}  // namespace certus::storage
