#include "storage/sqlite/sqlite_database.hpp"

#include <algorithm>
#include <cerrno>
#include <list>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <utility>

#include <fcntl.h>
#include <fmt/format.h>
#include <pthread.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>
#include <unistd.h>

#include "core/encoding.hpp"
#include "storage/migrations.hpp"

namespace certus::storage::sqlite {

namespace {

// Client messages; the PostgreSQL driver uses the same words for the same failures.
constexpr const char* kDuplicateMessage = "A record with these values already exists.";
constexpr const char* kReferenceMessage =
    "A related record is missing, or other records still refer to this one.";
constexpr const char* kCheckMessage = "The values break a rule of the database.";
constexpr const char* kBusyMessage = "The database is busy; retry.";
constexpr const char* kUnavailableMessage = "The database is unavailable; retry later.";

constexpr std::size_t kStatementCacheSize = 128;
// The WAL size (pages) at which the checkpoint thread runs: SQLite's default for its own.
constexpr int kCheckpointPages = 1000;
// Readers hold a connection only for one short read transaction; waiting longer than this
// means a thread is waiting for itself (a read inside a read with the pool exhausted).
constexpr auto kReaderWait = std::chrono::seconds(30);

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsIdentifierChar(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$' ||
         byte >= 0x80;
}

std::string Excerpt(std::string_view sql) {
  constexpr std::size_t kMax = 200;
  if (sql.size() <= kMax) return std::string(sql);
  return std::string(sql.substr(0, kMax)) + "...";
}

/// Maps an SQLite result code to the Error vocabulary. Must be called right after the failing
/// call, while sqlite3_errmsg still describes it.
Error ErrorFrom(sqlite3* db, int rc, std::string_view sql) {
  std::string detail =
      fmt::format("sqlite: {} (code {}) in: {}",
                  db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc), rc, Excerpt(sql));
  switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return {ErrorCode::kConflict, kDuplicateMessage, std::move(detail)};
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return {ErrorCode::kConflict, kReferenceMessage, std::move(detail)};
    case SQLITE_CONSTRAINT_CHECK: return {ErrorCode::kConflict, kCheckMessage, std::move(detail)};
    default: break;
  }
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return {ErrorCode::kUnavailable, kBusyMessage, std::move(detail)};
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL: return {ErrorCode::kUnavailable, kUnavailableMessage, std::move(detail)};
    default: return Error::Internal(std::move(detail));
  }
}

/// PostgreSQL stores only UTF-8 text without NUL; both engines refuse anything else so that a
/// store tested on SQLite behaves the same on PostgreSQL.
Expected<void> CheckText(const std::string& text) {
  if (text.find('\0') != std::string::npos) {
    return Fail(ErrorCode::kMalformed, "Text must not contain NUL characters.");
  }
  if (!IsValidUtf8(text)) return Fail(ErrorCode::kMalformed, "Text must be valid UTF-8.");
  return {};
}

struct StatementDeleter {
  void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};
using Statement = std::unique_ptr<sqlite3_stmt, StatementDeleter>;

/// True when `rest` (what follows the first statement of an Execute) holds another statement.
bool HoldsStatement(sqlite3* db, std::string_view rest) {
  if (rest.find_first_not_of(" \t\r\n;") == std::string_view::npos) return false;
  sqlite3_stmt* raw = nullptr;
  const int rc = sqlite3_prepare_v2(db, rest.data(), static_cast<int>(rest.size()), &raw, nullptr);
  Statement statement(raw);
  return rc != SQLITE_OK || statement != nullptr;
}

enum class ConnectionRole { kWriter, kReader };

}  // namespace

std::string RewritePlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size());
  std::size_t i = 0;
  const std::size_t n = sql.size();
  auto copy_to = [&](std::size_t end) {
    out.append(sql.substr(i, end - i));
    i = end;
  };
  while (i < n) {
    const char c = sql[i];
    const char next = i + 1 < n ? sql[i + 1] : '\0';
    if (c == '\'' || c == '"' || c == '`') {
      // A doubled quote inside a literal closes one literal and opens the next: same result.
      const std::size_t close = sql.find(c, i + 1);
      copy_to(close == std::string_view::npos ? n : close + 1);
    } else if (c == '-' && next == '-') {
      const std::size_t eol = sql.find('\n', i);
      copy_to(eol == std::string_view::npos ? n : eol + 1);
    } else if (c == '/' && next == '*') {
      const std::size_t close = sql.find("*/", i + 2);
      copy_to(close == std::string_view::npos ? n : close + 2);
    } else if (c == '$' && IsDigit(next) && (i == 0 || !IsIdentifierChar(sql[i - 1]))) {
      out.push_back('?');
      ++i;
    } else {
      out.push_back(c);
      ++i;
    }
  }
  return out;
}

/// One sqlite3 handle and its prepared statements, used by one transaction at a time.
class Connection final {
 public:
  static Expected<std::unique_ptr<Connection>> Open(const std::string& path, ConnectionRole role,
                                                    const DatabaseSettings& settings);

  explicit Connection(sqlite3* db) : db_(db) {}
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() {
    cache_.clear();  // statements are finalized before the handle closes
    sqlite3_close_v2(db_);
  }

  Expected<Result> Execute(std::string_view sql, const std::vector<Value>& params);
  Expected<void> ExecuteScript(std::string_view script);
  /// Runs one parameterless statement through the cache (BEGIN, COMMIT, ROLLBACK, PRAGMA).
  Expected<void> Run(std::string_view sql) {
    CERTUS_TRY(Execute(sql, {}));
    return {};
  }
  bool InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }
  sqlite3* handle() const { return db_; }

 private:
  struct Cached {
    Statement statement;
    std::list<std::string>::iterator position;
  };

  Expected<sqlite3_stmt*> Prepare(std::string_view sql);

  sqlite3* db_;
  std::list<std::string> recent_;  // SQL texts of cache_, most recently used first
  std::unordered_map<std::string, Cached> cache_;
};

Expected<std::unique_ptr<Connection>> Connection::Open(const std::string& path, ConnectionRole role,
                                                       const DatabaseSettings& settings) {
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (role == ConnectionRole::kWriter) flags |= SQLITE_OPEN_CREATE;
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  // The handle is allocated even when opening fails, and must be closed either way.
  auto connection = std::make_unique<Connection>(raw);
  if (rc != SQLITE_OK) {
    return Fail(Error(ErrorCode::kUnavailable, "The SQLite database cannot be opened.",
                      fmt::format("sqlite: cannot open {}: {}", path,
                                  raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc))));
  }
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, settings.busy_timeout_ms);

  if (role == ConnectionRole::kWriter) {
    auto mode = CERTUS_TRY(connection->Execute("PRAGMA journal_mode=WAL", {}));
    const std::string journal = mode.rows.empty() ? "" : mode.rows[0].Text(0);
    // An in-memory database has no WAL; a file must, or readers would block the writer.
    if (path != ":memory:" && journal != "wal") {
      return Fail(Error(ErrorCode::kUnavailable, "The SQLite database cannot use WAL mode.",
                        fmt::format("sqlite: journal_mode of {} is {}", path, journal)));
    }
    // Commits write the WAL without syncing it; SqliteDatabase::MakeDurable syncs it once for
    // every commit made while the previous sync ran, before any of them is acknowledged.
    CERTUS_CHECK(connection->Run("PRAGMA synchronous=NORMAL"));
    CERTUS_CHECK(connection->Run("PRAGMA foreign_keys=ON"));
    // Up to 64 MiB of pages for the writer (the default is 2 MiB): a large transaction such
    // as an import of 100,000 risks otherwise spills its dirty index pages to the WAL and
    // reads them back, over and over — half of such an import's time (ADR 0023). Memory is
    // taken only as pages are used.
    CERTUS_CHECK(connection->Run("PRAGMA cache_size=-65536"));
  } else {
    CERTUS_CHECK(connection->Run("PRAGMA foreign_keys=ON"));
    CERTUS_CHECK(connection->Run("PRAGMA query_only=ON"));
  }
  return connection;
}

Expected<sqlite3_stmt*> Connection::Prepare(std::string_view sql) {
  if (auto found = cache_.find(std::string(sql)); found != cache_.end()) {
    recent_.splice(recent_.begin(), recent_, found->second.position);
    return found->second.statement.get();
  }
  const std::string rewritten = RewritePlaceholders(sql);
  sqlite3_stmt* raw = nullptr;
  const char* tail = nullptr;
  const int rc = sqlite3_prepare_v3(db_, rewritten.data(), static_cast<int>(rewritten.size()),
                                    SQLITE_PREPARE_PERSISTENT, &raw, &tail);
  Statement statement(raw);
  if (rc != SQLITE_OK) return Fail(ErrorFrom(db_, rc, sql));
  if (statement == nullptr) return Fail(Error::Internal("sqlite: empty statement"));
  const std::string_view rest(tail,
                              static_cast<std::size_t>(rewritten.data() + rewritten.size() - tail));
  if (HoldsStatement(db_, rest)) {
    return Fail(Error::Internal(
        fmt::format("sqlite: Execute takes one statement, got several in: {}", Excerpt(sql))));
  }
  if (cache_.size() >= kStatementCacheSize) {
    cache_.erase(recent_.back());
    recent_.pop_back();
  }
  recent_.emplace_front(sql);
  auto [entry, inserted] =
      cache_.emplace(recent_.front(), Cached{std::move(statement), recent_.begin()});
  return entry->second.statement.get();
}

Expected<Result> Connection::Execute(std::string_view sql, const std::vector<Value>& params) {
  for (const Value& param : params) {
    if (const auto* text = std::get_if<std::string>(&param)) CERTUS_CHECK(CheckText(*text));
  }
  sqlite3_stmt* statement = CERTUS_TRY(Prepare(sql));
  // Reset even on failure, so that a cached statement never holds a lock or stale bindings.
  struct Reset {
    sqlite3_stmt* statement;
    ~Reset() {
      sqlite3_reset(statement);
      sqlite3_clear_bindings(statement);
    }
  } reset{statement};

  const int expected = sqlite3_bind_parameter_count(statement);
  if (expected != static_cast<int>(params.size())) {
    return Fail(Error::Internal(fmt::format("sqlite: statement takes {} parameters, got {} in: {}",
                                            expected, params.size(), Excerpt(sql))));
  }
  for (std::size_t i = 0; i < params.size(); ++i) {
    const int index = static_cast<int>(i) + 1;
    const Value& param = params[i];
    int rc = SQLITE_OK;
    if (const auto* integer = std::get_if<std::int64_t>(&param)) {
      rc = sqlite3_bind_int64(statement, index, *integer);
    } else if (const auto* number = std::get_if<double>(&param)) {
      rc = sqlite3_bind_double(statement, index, *number);
    } else if (const auto* text = std::get_if<std::string>(&param)) {
      // SQLITE_STATIC: `params` outlives the statement's use; Reset clears the bindings.
      rc = sqlite3_bind_text64(statement, index, text->data(), text->size(), SQLITE_STATIC,
                               SQLITE_UTF8);
    } else {
      rc = sqlite3_bind_null(statement, index);
    }
    if (rc != SQLITE_OK) return Fail(ErrorFrom(db_, rc, sql));
  }

  const sqlite3_int64 changes_before = sqlite3_total_changes64(db_);
  Result result;
  const int columns = sqlite3_column_count(statement);
  for (;;) {
    const int rc = sqlite3_step(statement);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return Fail(ErrorFrom(db_, rc, sql));
    std::vector<Value> values;
    values.reserve(static_cast<std::size_t>(columns));
    for (int column = 0; column < columns; ++column) {
      switch (sqlite3_column_type(statement, column)) {
        case SQLITE_INTEGER:
          values.emplace_back(std::int64_t{sqlite3_column_int64(statement, column)});
          break;
        case SQLITE_FLOAT: values.emplace_back(sqlite3_column_double(statement, column)); break;
        case SQLITE_TEXT: {
          const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, column));
          const auto size = static_cast<std::size_t>(sqlite3_column_bytes(statement, column));
          values.emplace_back(std::string(text != nullptr ? text : "", size));
          break;
        }
        case SQLITE_BLOB: {
          const auto* blob = static_cast<const char*>(sqlite3_column_blob(statement, column));
          const auto size = static_cast<std::size_t>(sqlite3_column_bytes(statement, column));
          values.emplace_back(blob != nullptr ? std::string(blob, size) : std::string());
          break;
        }
        default: values.emplace_back(nullptr); break;
      }
    }
    result.rows.emplace_back(std::move(values));
  }
  // sqlite3_changes64 keeps the count of the last INSERT/UPDATE/DELETE, so a SELECT or DDL
  // would report a stale number; the total only moves when this statement changed rows.
  if (sqlite3_total_changes64(db_) != changes_before) result.affected = sqlite3_changes64(db_);
  return result;
}

Expected<void> Connection::ExecuteScript(std::string_view script) {
  const std::string text(script);
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
  sqlite3_free(message);  // sqlite3_errmsg below holds the same text
  if (rc != SQLITE_OK) return Fail(ErrorFrom(db_, rc, script));
  return {};
}

namespace {

/// A transaction on a lent connection. The connection goes back to the database when the
/// transaction commits, fails to commit, or is destroyed (rolling back).
class SqliteTransaction final : public Transaction {
 public:
  SqliteTransaction(SqliteDatabase& db, Connection* connection, TxMode mode, bool in_memory)
      : db_(db), connection_(connection), mode_(mode), in_memory_(in_memory) {}
  SqliteTransaction(const SqliteTransaction&) = delete;
  SqliteTransaction& operator=(const SqliteTransaction&) = delete;
  // NOLINTNEXTLINE(bugprone-exception-escape): End only throws on allocation failure.
  ~SqliteTransaction() override { End(); }

  /// Runs BEGIN; on failure the transaction is spent and its connection given back.
  Expected<void> Start() {
    Expected<void> started;
    if (in_memory_ && mode_ == TxMode::kRead) {
      // The single in-memory connection also writes; make this read as strict as a reader's.
      started = connection_->Run("PRAGMA query_only=ON");
    }
    if (started) started = connection_->Run(mode_ == TxMode::kWrite ? "BEGIN IMMEDIATE" : "BEGIN");
    if (!started) End();
    return started;
  }

  Expected<Result> Execute(std::string_view sql, const std::vector<Value>& params) override {
    CERTUS_CHECK(CheckOpen());
    auto result = connection_->Execute(sql, params);
    if (!result) failed_ = true;
    return result;
  }

  Expected<void> ExecuteScript(std::string_view script) {
    CERTUS_CHECK(CheckOpen());
    auto result = connection_->ExecuteScript(script);
    if (!result) failed_ = true;
    return result;
  }

  Expected<void> Commit() override {
    CERTUS_CHECK(CheckOpen());
    auto committed = connection_->Run("COMMIT");
    // Numbered while the writer is held, so that commits are numbered in their order.
    const std::uint64_t ticket = committed && mode_ == TxMode::kWrite ? db_.Committed() : 0;
    End();
    CERTUS_CHECK(committed);
    if (ticket != 0) CERTUS_CHECK(db_.MakeDurable(ticket));
    return {};
  }

  Dialect dialect() const override { return Dialect::kSqlite; }

 private:
  Expected<void> CheckOpen() {
    if (connection_ == nullptr) {
      return Fail(Error::Internal("sqlite: the transaction has already ended"));
    }
    if (failed_) {
      // PostgreSQL aborts a transaction at its first failed statement; SQLite would carry on.
      // Both behave the PostgreSQL way so that tests on SQLite catch what would fail there.
      End();
      return Fail(Error::Internal("sqlite: an earlier statement of the transaction failed"));
    }
    return {};
  }

  void End() {
    if (connection_ == nullptr) return;
    if (connection_->InTransaction()) {
      if (auto rolled_back = connection_->Run("ROLLBACK"); !rolled_back) {
        spdlog::error("storage: rollback failed: {}", rolled_back.error().log_detail());
      }
    }
    if (in_memory_ && mode_ == TxMode::kRead) {
      if (auto reset = connection_->Run("PRAGMA query_only=OFF"); !reset) {
        spdlog::error("storage: cannot leave query_only: {}", reset.error().log_detail());
      }
    }
    db_.Release(std::exchange(connection_, nullptr));
  }

  SqliteDatabase& db_;
  Connection* connection_;
  const TxMode mode_;
  const bool in_memory_;
  bool failed_ = false;
};

}  // namespace

SqliteDatabase::SqliteDatabase(std::string path, DatabaseSettings settings,
                               std::unique_ptr<Connection> writer)
    : path_(std::move(path)),
      settings_(settings),
      in_memory_(path_ == ":memory:"),
      writer_(std::move(writer)) {}

SqliteDatabase::~SqliteDatabase() {
  if (checkpoint_thread_.joinable()) {
    {
      std::lock_guard lock(checkpoint_mutex_);
      stopping_ = true;
    }
    checkpoint_cv_.notify_one();
    checkpoint_thread_.join();
  }
  checkpointer_.reset();  // before the writer, whose close checkpoints what is left
  if (wal_fd_ >= 0) ::close(wal_fd_);
}

namespace {

/// Called by SQLite after each commit of the writer with the WAL's size in pages.
int OnWalCommit(void* db, sqlite3* /*handle*/, const char* /*schema*/, int pages) {
  if (pages >= kCheckpointPages) static_cast<SqliteDatabase*>(db)->CheckpointSoon();
  return SQLITE_OK;
}

}  // namespace

void SqliteDatabase::CheckpointSoon() {
  {
    std::lock_guard lock(checkpoint_mutex_);
    checkpoint_due_ = true;
  }
  checkpoint_cv_.notify_one();
}

void SqliteDatabase::StartCheckpoints(std::unique_ptr<Connection> checkpointer) {
  checkpointer_ = std::move(checkpointer);
  // Replaces SQLite's automatic checkpoint, which would run inside a commit while its
  // transaction holds the writer.
  sqlite3_wal_hook(writer_->handle(), OnWalCommit, this);
  checkpoint_thread_ = std::thread([this] {
    // A thread of the storage layer takes no process signal: `certus serve` blocks SIGTERM
    // in its threads and waits for it on one of them, but this thread starts before.
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, nullptr);
    for (;;) {
      std::unique_lock lock(checkpoint_mutex_);
      checkpoint_cv_.wait(lock, [&] { return checkpoint_due_ || stopping_; });
      if (stopping_) return;
      checkpoint_due_ = false;
      lock.unlock();
      // PASSIVE: copies what no reader still needs, never waits for readers or the writer.
      const int rc = sqlite3_wal_checkpoint_v2(checkpointer_->handle(), nullptr,
                                               SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
      if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
        spdlog::warn("storage: checkpoint of {} failed: {}", path_, sqlite3_errstr(rc));
      }
    }
  });
}

Expected<std::unique_ptr<SqliteDatabase>> SqliteDatabase::Open(const std::string& path,
                                                               const DatabaseSettings& settings) {
  if (path.empty()) return Fail(ErrorCode::kMalformed, "The SQLite database path is empty.");
  if (settings.pool_size < 1 || settings.busy_timeout_ms < 0) {
    return Fail(ErrorCode::kMalformed, "The database pool size must be at least 1.");
  }
  auto writer = CERTUS_TRY(Connection::Open(path, ConnectionRole::kWriter, settings));
  auto db = std::make_unique<SqliteDatabase>(path, settings, std::move(writer));
  if (path != ":memory:") {
    db->StartCheckpoints(CERTUS_TRY(Connection::Open(path, ConnectionRole::kWriter, settings)));
  }
  return db;
}

Expected<Connection*> SqliteDatabase::AcquireWriter() {
  std::unique_lock lock(mutex_);
  const auto timeout = std::chrono::milliseconds(settings_.busy_timeout_ms);
  if (!writer_free_.wait_for(lock, timeout, [&] { return !writer_lent_; })) {
    return Fail(Error(ErrorCode::kUnavailable, kBusyMessage,
                      fmt::format("sqlite: waited {} ms for the connection of another "
                                  "transaction of this process",
                                  settings_.busy_timeout_ms)));
  }
  writer_lent_ = true;
  return writer_.get();
}

Expected<Connection*> SqliteDatabase::AcquireReader() {
  std::unique_lock lock(mutex_);
  const auto deadline = std::chrono::steady_clock::now() + kReaderWait;
  for (;;) {
    if (!idle_readers_.empty()) {
      Connection* reader = idle_readers_.back();
      idle_readers_.pop_back();
      return reader;
    }
    if (static_cast<int>(readers_.size()) < settings_.pool_size) {
      // Opened under the lock: it happens at most pool_size times in the life of the process.
      readers_.push_back(CERTUS_TRY(Connection::Open(path_, ConnectionRole::kReader, settings_)));
      return readers_.back().get();
    }
    if (reader_free_.wait_until(lock, deadline) == std::cv_status::timeout &&
        idle_readers_.empty()) {
      return Fail(Error(ErrorCode::kUnavailable, kBusyMessage,
                        "sqlite: every reader connection stayed busy"));
    }
  }
}

void SqliteDatabase::Release(Connection* connection) {
  {
    std::lock_guard lock(mutex_);
    if (connection == writer_.get()) {
      writer_lent_ = false;
    } else {
      idle_readers_.push_back(connection);
    }
  }
  if (connection == writer_.get()) {
    writer_free_.notify_one();
  } else {
    reader_free_.notify_one();
  }
}

std::uint64_t SqliteDatabase::Committed() {
  if (in_memory_) return 0;
  std::lock_guard lock(sync_mutex_);
  return ++committed_;
}

Expected<void> SqliteDatabase::MakeDurable(std::uint64_t ticket) {
  std::unique_lock lock(sync_mutex_);
  while (synced_ < ticket) {
    if (syncing_) {
      // The sync under way may have started before this commit: wait, then look again.
      synced_cv_.wait(lock);
      continue;
    }
    syncing_ = true;
    const std::uint64_t target = committed_;
    lock.unlock();
    auto synced = SyncWal();
    lock.lock();
    syncing_ = false;
    if (synced) {
      synced_ = std::max(synced_, target);
      ++syncs_;
    }
    synced_cv_.notify_all();
    CERTUS_CHECK(synced);
  }
  return {};
}

Expected<void> SqliteDatabase::SyncWal() {
  // Only the one thread that is syncing gets here (syncing_), so the descriptor needs no lock.
  // The WAL file lives as long as a connection is open (the writer is, always), and fsync
  // flushes a file's pages whichever descriptor wrote them.
  if (wal_fd_ < 0) {
    const std::string wal = path_ + "-wal";
    wal_fd_ =
        ::open(wal.c_str(), O_RDONLY | O_CLOEXEC);  // NOLINT(cppcoreguidelines-pro-type-vararg)
    if (wal_fd_ < 0) {
      return Fail(Error(ErrorCode::kUnavailable, kUnavailableMessage,
                        fmt::format("sqlite: cannot open {} to sync it: {}", wal,
                                    std::generic_category().message(errno))));
    }
  }
  if (::fdatasync(wal_fd_) != 0) {
    return Fail(Error(ErrorCode::kUnavailable, kUnavailableMessage,
                      fmt::format("sqlite: fdatasync of {}-wal failed: {}; committed changes "
                                  "may not survive a power loss",
                                  path_, std::generic_category().message(errno))));
  }
  return {};
}

std::uint64_t SqliteDatabase::syncs() {
  std::lock_guard lock(sync_mutex_);
  return syncs_;
}

Expected<std::unique_ptr<Transaction>> SqliteDatabase::Begin(TxMode mode) {
  Connection* connection =
      CERTUS_TRY(mode == TxMode::kWrite || in_memory_ ? AcquireWriter() : AcquireReader());
  auto tx = std::make_unique<SqliteTransaction>(*this, connection, mode, in_memory_);
  CERTUS_CHECK(tx->Start());
  return std::unique_ptr<Transaction>(std::move(tx));
}

Expected<int> SqliteDatabase::Migrate() {
  auto migrations = CERTUS_TRY(OrderMigrations(SqliteMigrations()));
  return ApplyMigrations(*this, migrations, [](Transaction& tx, std::string_view script) {
    // Every transaction of this database is a SqliteTransaction.
    return static_cast<SqliteTransaction&>(tx).ExecuteScript(script);
  });
}

Expected<int> SqliteDatabase::SchemaVersion() { return ReadSchemaVersion(*this); }

}  // namespace certus::storage::sqlite
