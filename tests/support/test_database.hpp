#pragma once

#include <filesystem>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "storage/database.hpp"

namespace certus::testing {

/// The database engines a store test runs on.
enum class Engine { kSqlite, kPostgres };

/// Prints `Sqlite` or `Postgres` in gtest messages.
void PrintTo(Engine engine, std::ostream* out);

/// SQLite always; PostgreSQL too when the environment variable CERTUS_TEST_PG holds a
/// connection URL (scripts/with-postgres.sh sets it). Use with ::testing::ValuesIn.
std::vector<Engine> TestEngines();

/// Names a parameterized test after its engine (`Sqlite`, `Postgres`):
/// `INSTANTIATE_TEST_SUITE_P(Engines, MyTest, ::testing::ValuesIn(TestEngines()), EngineName);`
std::string EngineName(const ::testing::TestParamInfo<Engine>& info);

/// A fresh, migrated database of its own for one test, removed when the object is destroyed.
///
/// SQLite: a file in a new temporary directory. PostgreSQL: a new schema `t_<random hex>` in
/// the database of CERTUS_TEST_PG, selected through the URL's search_path and dropped with
/// everything in it at the end, so tests may run in parallel processes on one server.
///
///     auto test_db = TestDatabase::Create(GetParam());
///     RiskStore store;
///     storage::InWriteTransaction(test_db->db(), [&](storage::Transaction& tx) { … });
///
/// Not thread-safe itself; `db()` is, like every storage::Database. Create throws
/// std::runtime_error when the database cannot be made (PostgreSQL requested without
/// CERTUS_TEST_PG, server unreachable, migration failed): the test fails with the reason.
class TestDatabase final {
 public:
  static std::unique_ptr<TestDatabase> Create(Engine engine);

  /// Only Create can make the key: use Create.
  class Key {
    friend class TestDatabase;
    Key() = default;
  };
  TestDatabase(Key, Engine engine) : engine_(engine) {}
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;
  ~TestDatabase();

  /// The migrated database, owned by this object.
  storage::Database& db() { return *db_; }
  /// A URL that opens the same database with storage::OpenDatabase (a second "process").
  const std::string& url() const { return url_; }
  Engine engine() const { return engine_; }

 private:
  Engine engine_;
  std::string url_;
  std::unique_ptr<storage::Database> db_;
  std::filesystem::path directory_;           // SQLite: removed with its contents
  std::unique_ptr<storage::Database> admin_;  // PostgreSQL: the connection that drops schema_
  std::string schema_;
};

}  // namespace certus::testing
