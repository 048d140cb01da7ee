#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "storage/database.hpp"

namespace certus::storage::sqlite {

/// Rewrites the `$N` placeholders of `sql` to SQLite's `?N`, leaving string literals `'…'`,
/// quoted identifiers `"…"` and comments (`--`, `/* */`) as they are. A `$` that follows a
/// letter, digit or `_` belongs to an identifier and is kept too.
std::string RewritePlaceholders(std::string_view sql);

class Connection;  // one sqlite3 handle and its statement cache (sqlite_database.cpp)

/// SQLite through its C API, in WAL mode with `foreign_keys=ON`.
///
/// Group commit (docs/adr/0025-sqlite-group-commit.md): a write transaction's COMMIT writes
/// the WAL without syncing it (`synchronous=NORMAL`) and gives the writer to the next
/// transaction; Commit then returns only once an fdatasync of the WAL that began after the
/// COMMIT has finished. One sync serves every commit made while the previous one ran, so a
/// committed and acknowledged change survives a power loss as with `synchronous=FULL`, at
/// one sync per batch instead of one per transaction. Checkpoints run on a thread of their
/// own (PASSIVE, once the WAL holds 1,000 pages), not inside a commit.
///
/// A file database has one writer connection, lent to one write transaction at a time
/// (`BEGIN IMMEDIATE`), and up to `pool_size` reader connections (`BEGIN`, `query_only`), so
/// readers run concurrently with the writer and see the snapshot of their first read.
/// `:memory:` has a single connection that readers and the writer take in turn.
///
/// Thread-safe: any thread may Begin. Each connection caches its prepared statements by SQL
/// text. The database must outlive its transactions. A thread holding a write transaction
/// that begins another one waits for itself: it fails with kUnavailable after
/// `busy_timeout_ms` (with `:memory:` the same holds for a read inside a write).
///
/// Errors: kUnavailable when the file cannot be opened or the write lock is not obtained
/// within `busy_timeout_ms`; kConflict on a unique, foreign-key or check violation;
/// kMalformed on text that is not UTF-8 or contains NUL; kInternal otherwise, with SQLite's
/// message in `log_detail`.
class SqliteDatabase final : public Database {
 public:
  /// Opens (creating if missing) the database file at `path`, or a private in-memory
  /// database when `path` is `:memory:`. Does not migrate.
  static Expected<std::unique_ptr<SqliteDatabase>> Open(const std::string& path,
                                                        const DatabaseSettings& settings);
  ~SqliteDatabase() override;

  Expected<std::unique_ptr<Transaction>> Begin(TxMode mode) override;
  Dialect dialect() const override { return Dialect::kSqlite; }
  Expected<int> Migrate() override;
  Expected<int> SchemaVersion() override;

  /// Use Open; public only for std::make_unique (Connection is private to the .cpp).
  SqliteDatabase(std::string path, DatabaseSettings settings, std::unique_ptr<Connection> writer);

  /// Gives a connection back; called by transactions when they end.
  void Release(Connection* connection);

  /// Called by a write transaction right after its COMMIT, with the writer still held: the
  /// commit's number, in commit order (0 for `:memory:`, which has nothing to sync).
  std::uint64_t Committed();
  /// Returns once commit `ticket` and every earlier one are synced to disk; at most one
  /// thread syncs at a time, for every commit made up to when it began.
  Expected<void> MakeDurable(std::uint64_t ticket);
  /// How many syncs of the WAL were made (tests).
  std::uint64_t syncs();

  /// Wakes the checkpoint thread (the WAL has grown past kCheckpointPages).
  void CheckpointSoon();

 private:
  Expected<Connection*> AcquireWriter();
  Expected<Connection*> AcquireReader();
  Expected<void> SyncWal();
  /// Checkpoints on a thread of their own, on `checkpointer`, once the WAL has grown.
  void StartCheckpoints(std::unique_ptr<Connection> checkpointer);

  const std::string path_;
  const DatabaseSettings settings_;
  const bool in_memory_;

  std::mutex mutex_;
  std::condition_variable writer_free_;
  std::condition_variable reader_free_;
  std::unique_ptr<Connection> writer_;
  bool writer_lent_ = false;  // a flag, not a held mutex: a transaction may end on another thread
  std::vector<std::unique_ptr<Connection>> readers_;  // every reader ever opened
  std::vector<Connection*> idle_readers_;

  std::mutex sync_mutex_;
  std::condition_variable synced_cv_;
  std::uint64_t committed_ = 0;  // commits numbered so far
  std::uint64_t synced_ = 0;     // every commit up to this one is on disk
  std::uint64_t syncs_ = 0;
  bool syncing_ = false;
  int wal_fd_ = -1;  // the WAL file, opened at the first sync

  std::unique_ptr<Connection> checkpointer_;
  std::thread checkpoint_thread_;
  std::mutex checkpoint_mutex_;
  std::condition_variable checkpoint_cv_;
  bool checkpoint_due_ = false;
  bool stopping_ = false;
};

}  // namespace certus::storage::sqlite
