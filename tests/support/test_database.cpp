#include "tests/support/test_database.hpp"

#include <cstdlib>
#include <random>
#include <stdexcept>
#include <system_error>

#include <fmt/format.h>

namespace certus::testing {

namespace {

const char* PostgresUrl() {
  const char* url = std::getenv("CERTUS_TEST_PG");
  return url != nullptr && *url != '\0' ? url : nullptr;
}

[[noreturn]] void Throw(const std::string& what, const Error& error) {
  throw std::runtime_error(
      fmt::format("TestDatabase: {}: {} ({})", what, error.message(), error.log_detail()));
}

/// Names must not collide across the test processes that ctest runs at once, so they come
/// from the operating system rather than from a seeded generator.
std::string RandomHex(int bytes) {
  std::random_device device;
  std::string hex;
  for (int i = 0; i < bytes; ++i) hex += fmt::format("{:02x}", device() & 0xffU);
  return hex;
}

std::unique_ptr<storage::Database> OpenOrThrow(const std::string& url,
                                               const storage::DatabaseSettings& settings) {
  auto db = storage::OpenDatabase(url, settings);
  if (!db) Throw("cannot open the test database", db.error());
  return std::move(*db);
}

}  // namespace

std::vector<Engine> TestEngines() {
  std::vector<Engine> engines{Engine::kSqlite};
  if (PostgresUrl() != nullptr) engines.push_back(Engine::kPostgres);
  return engines;
}

void PrintTo(Engine engine, std::ostream* out) {
  *out << (engine == Engine::kSqlite ? "Sqlite" : "Postgres");
}

std::string EngineName(const ::testing::TestParamInfo<Engine>& info) {
  return info.param == Engine::kSqlite ? "Sqlite" : "Postgres";
}

std::unique_ptr<TestDatabase> TestDatabase::Create(Engine engine) {
  auto test = std::make_unique<TestDatabase>(Key(), engine);
  // Small pools: parallel test processes share one PostgreSQL server.
  const storage::DatabaseSettings settings{.pool_size = 4, .busy_timeout_ms = 5000};
  if (engine == Engine::kSqlite) {
    test->directory_ = std::filesystem::temp_directory_path() / ("certus-test-" + RandomHex(8));
    std::filesystem::create_directory(test->directory_);
    test->url_ = "sqlite:" + (test->directory_ / "certus.db").string();
  } else {
    const char* base = PostgresUrl();
    if (base == nullptr) {
      throw std::runtime_error("TestDatabase: PostgreSQL requested but CERTUS_TEST_PG is unset");
    }
    const std::string base_url = base;
    test->admin_ = OpenOrThrow(base_url, {.pool_size = 1, .busy_timeout_ms = 5000});
    const std::string schema = "t_" + RandomHex(8);
    // The schema name is made here from hex digits, so splicing it into SQL is safe.
    auto created = storage::InWriteTransaction(*test->admin_, [&](storage::Transaction& tx) {
      return tx.Execute("CREATE SCHEMA " + schema);
    });
    if (!created) Throw("cannot create schema " + schema, created.error());
    test->schema_ = schema;
    const char separator = base_url.find('?') == std::string::npos ? '?' : '&';
    test->url_ = base_url + separator + "options=-csearch_path%3D" + schema;
  }
  test->db_ = OpenOrThrow(test->url_, settings);
  if (auto migrated = test->db_->Migrate(); !migrated) {
    Throw("cannot migrate", migrated.error());
  }
  return test;
}

TestDatabase::~TestDatabase() {
  db_.reset();  // closes every connection before the files or the schema go
  if (!directory_.empty()) {
    std::error_code ignored;  // a leftover temporary directory must not fail the test
    std::filesystem::remove_all(directory_, ignored);
  }
  if (admin_ != nullptr && !schema_.empty()) {
    auto dropped = storage::InWriteTransaction(*admin_, [&](storage::Transaction& tx) {
      return tx.Execute("DROP SCHEMA " + schema_ + " CASCADE");
    });
    if (!dropped) {
      ADD_FAILURE() << "TestDatabase: cannot drop schema " << schema_ << ": "
                    << dropped.error().log_detail();
    }
  }
}

}  // namespace certus::testing
