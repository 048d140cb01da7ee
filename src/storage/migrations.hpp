#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/embedded_file.hpp"
#include "core/error.hpp"
#include "storage/database.hpp"

namespace certus::storage {

/// The SQL files of src/storage/migrations/sqlite, embedded at build time (generated source).
std::vector<EmbeddedFile> SqliteMigrations();
/// The SQL files of src/storage/migrations/postgres, embedded at build time (generated source).
std::vector<EmbeddedFile> PostgresMigrations();

/// One schema change: `0007_risks.sql` has version 7.
struct Migration {
  int version = 0;
  std::string name;
  std::string sql;
};

/// Orders `files` by the number before the first `_` of their names. Fails with kInternal on a
/// name without such a prefix or on two files with the same number: both are build mistakes.
Expected<std::vector<Migration>> OrderMigrations(std::vector<EmbeddedFile> files);

/// Runs a multi-statement script inside the given transaction (engines differ in how).
using ScriptRunner = std::function<Expected<void>(Transaction& tx, std::string_view script)>;

/// Applies the migrations that `schema_migrations` does not list yet, in order, each in its own
/// write transaction together with its `schema_migrations` row; returns how many were applied.
/// On PostgreSQL every transaction first takes `pg_advisory_xact_lock(kMigrationLockKey)`, so
/// servers starting at once apply each migration once. Fails with kUnavailable when the
/// database already holds a migration newer than `migrations` (an older binary must not write
/// to a newer schema), and with the failing migration's error otherwise; migrations applied
/// before the failure stay applied.
Expected<int> ApplyMigrations(Database& db, const std::vector<Migration>& migrations,
                              const ScriptRunner& run_script);

/// The newest version in `schema_migrations`, or 0 when the table does not exist yet.
Expected<int> ReadSchemaVersion(Database& db);

/// The advisory lock key that serializes migrations on one PostgreSQL database.
inline constexpr std::int64_t kMigrationLockKey = 0x4345525455530001;  // "CERTUS" 0001

}  // namespace certus::storage
