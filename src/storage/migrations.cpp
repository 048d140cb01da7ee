#include "storage/migrations.hpp"

#include <algorithm>
#include <charconv>
#include <system_error>

#include <fmt/format.h>

#include "core/clock.hpp"
#include "core/time.hpp"

namespace certus::storage {

namespace {

Expected<bool> SchemaTableExists(Transaction& tx) {
  // to_regclass follows search_path, as the migrations themselves do.
  const char* sql = tx.dialect() == Dialect::kSqlite
                        ? "SELECT COUNT(*) FROM sqlite_master "
                          "WHERE type = 'table' AND name = 'schema_migrations'"
                        : "SELECT COUNT(*) FROM (SELECT to_regclass('schema_migrations') AS t) s "
                          "WHERE s.t IS NOT NULL";
  auto result = CERTUS_TRY(tx.Execute(sql));
  return result.rows.at(0).Int(0) > 0;
}

Expected<int> MaxVersion(Transaction& tx) {
  auto result = CERTUS_TRY(tx.Execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
  return static_cast<int>(result.rows.at(0).Int(0));
}

/// Opens a write transaction that, on PostgreSQL, holds the migration lock until it ends.
Expected<std::unique_ptr<Transaction>> BeginLocked(Database& db) {
  auto tx = CERTUS_TRY(db.Begin(TxMode::kWrite));
  if (db.dialect() == Dialect::kPostgres) {
    CERTUS_TRY(tx->Execute("SELECT pg_advisory_xact_lock($1)", {kMigrationLockKey}));
  }
  return tx;
}

}  // namespace

Expected<std::vector<Migration>> OrderMigrations(std::vector<EmbeddedFile> files) {
  std::vector<Migration> migrations;
  migrations.reserve(files.size());
  for (auto& file : files) {
    const std::string& name = file.name;
    int version = 0;
    auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), version);
    if (ec != std::errc() || end == name.data() || *end != '_' || version <= 0) {
      return Fail(Error::Internal(
          fmt::format("migration file {} does not start with a number and '_'", name)));
    }
    migrations.push_back({version, name, std::move(file.content)});
  }
  std::sort(migrations.begin(), migrations.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });
  for (std::size_t i = 1; i < migrations.size(); ++i) {
    if (migrations[i].version == migrations[i - 1].version) {
      return Fail(Error::Internal(fmt::format("migrations {} and {} share version {}",
                                              migrations[i - 1].name, migrations[i].name,
                                              migrations[i].version)));
    }
  }
  return migrations;
}

Expected<int> ApplyMigrations(Database& db, const std::vector<Migration>& migrations,
                              const ScriptRunner& run_script) {
  {
    auto tx = CERTUS_TRY(BeginLocked(db));
    CERTUS_TRY(
        tx->Execute("CREATE TABLE IF NOT EXISTS schema_migrations ("
                    "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"));
    const int newest_known = migrations.empty() ? 0 : migrations.back().version;
    const int applied = CERTUS_TRY(MaxVersion(*tx));
    if (applied > newest_known) {
      return Fail(Error(ErrorCode::kUnavailable,
                        fmt::format("The database schema (version {}) is newer than this "
                                    "Certus (version {}); upgrade Certus.",
                                    applied, newest_known)));
    }
    CERTUS_CHECK(tx->Commit());
  }

  int count = 0;
  for (const Migration& migration : migrations) {
    auto tx = CERTUS_TRY(BeginLocked(db));
    // Checked under the lock: another server may have applied it since we last looked.
    auto seen = CERTUS_TRY(tx->Execute("SELECT 1 FROM schema_migrations WHERE version = $1",
                                       {std::int64_t{migration.version}}));
    if (!seen.rows.empty()) continue;
    auto ran = run_script(*tx, migration.sql);
    if (!ran) {
      Error error = ran.error();
      return Fail(Error(error.code(), error.message(),
                        fmt::format("migration {}: {}", migration.name, error.log_detail())));
    }
    CERTUS_TRY(tx->Execute(
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
        {std::int64_t{migration.version}, migration.name, FormatTimestamp(SystemClock().Now())}));
    CERTUS_CHECK(tx->Commit());
    ++count;
  }
  return count;
}

Expected<int> ReadSchemaVersion(Database& db) {
  auto tx = CERTUS_TRY(db.Begin(TxMode::kRead));
  if (!CERTUS_TRY(SchemaTableExists(*tx))) return 0;
  return MaxVersion(*tx);
}

}  // namespace certus::storage
