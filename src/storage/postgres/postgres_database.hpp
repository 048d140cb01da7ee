#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "storage/database.hpp"

struct pg_conn;  // libpq's PGconn

namespace certus::storage::postgres {

/// Closes a libpq connection (PQfinish).
struct ConnectionCloser {
  void operator()(pg_conn* connection) const;
};
using PgConnection = std::unique_ptr<pg_conn, ConnectionCloser>;

/// PostgreSQL through libpq, with a pool of up to `pool_size` connections opened on first
/// need. Write transactions run `BEGIN` (READ COMMITTED: concurrent writers meet on row locks,
/// so increment with `SET n = n + 1` or lock with `SELECT … FOR UPDATE`); read transactions
/// run `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY` and see one snapshot throughout.
///
/// Thread-safe: any thread may Begin. When every connection is lent, Begin waits for one to
/// come back, for at most 30 seconds (then kUnavailable). A pooled connection that the server
/// dropped is reconnected once at Begin; one found broken after use is closed, not reused. The
/// database must outlive its transactions.
///
/// Errors: kUnavailable when the server cannot be reached or the pool stays exhausted;
/// kConflict on SQLSTATE 23505 (unique), 23503 (foreign key), 23514 (check), 40001 and 40P01
/// (serialization failure, deadlock: retry); kMalformed on text containing NUL or invalid
/// UTF-8; kInternal otherwise, with the server's message in `log_detail`.
class PostgresDatabase final : public Database {
 public:
  /// Checks the syntax of `url` (a libpq connection URI) without connecting; fails with
  /// kMalformed, without echoing the URL, which may hold a password.
  static Expected<std::unique_ptr<PostgresDatabase>> Open(const std::string& url,
                                                          const DatabaseSettings& settings);
  /// Use Open.
  PostgresDatabase(std::string url, DatabaseSettings settings);
  ~PostgresDatabase() override;

  Expected<std::unique_ptr<Transaction>> Begin(TxMode mode) override;
  Dialect dialect() const override { return Dialect::kPostgres; }
  Expected<int> Migrate() override;
  Expected<int> SchemaVersion() override;

  /// Takes a connection back from a transaction that ended; closes it if it is not idle and
  /// healthy.
  void Release(PgConnection connection);

 private:
  Expected<PgConnection> Acquire();
  Expected<PgConnection> Connect() const;

  const std::string url_;
  const DatabaseSettings settings_;

  std::mutex mutex_;
  std::condition_variable released_;
  std::vector<PgConnection> idle_;
  int open_ = 0;  // connections that exist: idle, lent, or being opened
};

}  // namespace certus::storage::postgres
