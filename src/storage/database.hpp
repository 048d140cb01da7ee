#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/error.hpp"

namespace certus::storage {

/// A bound parameter or a column value. Booleans are stored as integers 0/1 and timestamps
/// as fixed-width RFC 3339 text in both engines (docs/adr/0002-storage.md).
using Value = std::variant<std::nullptr_t, std::int64_t, double, std::string>;

/// One result row. Accessors never throw on NULL where the return type can say it.
class Row final {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}

  std::size_t size() const { return values_.size(); }
  bool IsNull(std::size_t i) const { return std::holds_alternative<std::nullptr_t>(values_.at(i)); }
  /// The text of column `i`; empty for NULL; integers are formatted.
  std::string Text(std::size_t i) const;
  std::optional<std::string> OptText(std::size_t i) const;
  /// The integer of column `i`; 0 for NULL; text is parsed (PostgreSQL NUMERIC arrives as
  /// text); a double is truncated toward zero. Text that is no number throws std::logic_error:
  /// reading a text column as an integer is a bug in the query, never the user's doing.
  std::int64_t Int(std::size_t i) const;
  std::optional<std::int64_t> OptInt(std::size_t i) const;
  bool Bool(std::size_t i) const { return Int(i) != 0; }
  const Value& at(std::size_t i) const { return values_.at(i); }

 private:
  std::vector<Value> values_;
};

/// The result of one statement.
struct Result {
  std::vector<Row> rows;
  std::int64_t affected = 0;  ///< rows changed by INSERT/UPDATE/DELETE
};

enum class Dialect { kSqlite, kPostgres };

/// One transaction on one connection. SQL uses `$1, $2, …` placeholders in both engines
/// (the SQLite driver rewrites them); values are always bound, never spliced into text.
/// Not thread-safe: one transaction belongs to one thread at a time. Destroying a
/// transaction that was not committed rolls it back.
///
/// Execute takes exactly one statement whose placeholders match `params`. Text parameters
/// must be UTF-8 without NUL (else kMalformed, in both engines). The first failed Execute
/// aborts the whole transaction in both engines, as PostgreSQL does: later Execute and Commit
/// fail with kInternal and nothing is written (use `ON CONFLICT` to tolerate duplicates).
class Transaction {
 public:
  virtual ~Transaction() = default;
  virtual Expected<Result> Execute(std::string_view sql, const std::vector<Value>& params = {}) = 0;
  /// Makes every change durable. After Commit (successful or not) the transaction is spent.
  virtual Expected<void> Commit() = 0;
  virtual Dialect dialect() const = 0;
};

enum class TxMode {
  kRead,   ///< may run concurrently with other readers and the writer
  kWrite,  ///< writes; SQLite serializes writers, PostgreSQL uses row locks
};

/// A database: SQLite file or PostgreSQL server. Thread-safe: any thread may Begin.
/// Errors: kUnavailable when the database cannot be reached, kConflict on a unique or
/// foreign-key violation, kInternal otherwise (with the engine's message in log_detail).
/// The database must outlive its transactions.
///
/// Write transactions on PostgreSQL are READ COMMITTED: change a counter with
/// `UPDATE … SET n = n + 1 … RETURNING n`, never by reading it and writing the sum.
class Database {
 public:
  virtual ~Database() = default;
  /// A thread holding a transaction must not wait for another one of its own: with SQLite a
  /// second write transaction (or any second one on `sqlite::memory:`) fails with
  /// kUnavailable after `busy_timeout_ms` (the wait for the writer, whether another thread
  /// or another process holds it); an exhausted pool fails after 30 seconds.
  virtual Expected<std::unique_ptr<Transaction>> Begin(TxMode mode) = 0;
  virtual Dialect dialect() const = 0;
  /// Applies pending migrations of this dialect, each in its own transaction, recording
  /// each in `schema_migrations`. Returns how many were applied.
  virtual Expected<int> Migrate() = 0;
  /// The number of the newest migration applied (0 for an empty database).
  virtual Expected<int> SchemaVersion() = 0;
};

struct DatabaseSettings {
  int pool_size = 8;           ///< readers (SQLite) or connections (PostgreSQL)
  int busy_timeout_ms = 5000;  ///< SQLite: how long a writer waits for the lock
};

/// Opens `sqlite:PATH`, `sqlite::memory:` or `postgresql://…` / `postgres://…`.
/// The SQLite file's directory must exist. Does not migrate.
Expected<std::unique_ptr<Database>> OpenDatabase(const std::string& url,
                                                 const DatabaseSettings& settings = {});

/// Runs `work(tx)` in a write transaction and commits if it succeeds. `work` returns
/// Expected<T>; on failure nothing is committed.
template <typename Work>
auto InWriteTransaction(Database& db, Work&& work) -> decltype(work(std::declval<Transaction&>())) {
  auto tx = CERTUS_TRY(db.Begin(TxMode::kWrite));
  auto result = work(*tx);
  if (!result) return result;
  CERTUS_CHECK(tx->Commit());
  return result;
}

template <typename Work>
auto InReadTransaction(Database& db, Work&& work) -> decltype(work(std::declval<Transaction&>())) {
  auto tx = CERTUS_TRY(db.Begin(TxMode::kRead));
  return work(*tx);
}

}  // namespace certus::storage
