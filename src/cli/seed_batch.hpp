#pragma once

// `certus seed` (seed_command.cpp): a database that gathers many service calls into one
// transaction. Internal to src/cli.

#include <cstdint>
#include <memory>

#include "storage/database.hpp"

namespace certus::cli::seed {

/// A Database over another one that runs every transaction the services begin, read or
/// write, inside one shared write transaction of the real database, which it commits when
/// told (Flush) rather than at each service call. The services write exactly what they
/// write through the real database — the same rows, the same audit events, in the same
/// order — but thousands of calls share one commit (one fsync), which is what makes
/// seeding a million events affordable (ADR 0016).
///
/// The inner transactions' Commit does nothing; an inner transaction destroyed without
/// Commit rolls nothing back: a failed service call leaves its partial writes in the shared
/// transaction, so the caller must not Flush after a failure (destroying the BatchDatabase,
/// or calling Discard, rolls the whole batch back). Reads see the batch's own writes, since
/// they run in the same transaction. Not thread-safe: one thread seeds. Borrows `db`, which
/// must outlive it.
class BatchDatabase final : public storage::Database {
 public:
  explicit BatchDatabase(storage::Database& db) : db_(db) {}
  ~BatchDatabase() override = default;

  Expected<std::unique_ptr<storage::Transaction>> Begin(storage::TxMode mode) override;
  storage::Dialect dialect() const override { return db_.dialect(); }
  Expected<int> Migrate() override { return db_.Migrate(); }
  Expected<int> SchemaVersion() override { return db_.SchemaVersion(); }

  /// Commits the shared transaction, if one is open; the next Begin opens another.
  Expected<void> Flush();
  /// Commits when at least `calls` transactions were begun since the last commit.
  Expected<void> FlushEvery(std::int64_t calls);
  /// Rolls the shared transaction back.
  void Discard() { outer_.reset(); }

 private:
  storage::Database& db_;
  std::unique_ptr<storage::Transaction> outer_;
  std::int64_t begun_ = 0;
  bool cache_set_ = false;
};

}  // namespace certus::cli::seed
