#include "storage/postgres/postgres_database.hpp"

#include <charconv>
#include <chrono>
#include <cstring>
#include <system_error>
#include <utility>

#include <fmt/format.h>
#include <libpq-fe.h>
#include <spdlog/spdlog.h>

#include "core/encoding.hpp"
#include "storage/migrations.hpp"

namespace certus::storage::postgres {

void ConnectionCloser::operator()(pg_conn* connection) const { PQfinish(connection); }

namespace {

// Client messages; the SQLite driver uses the same words for the same failures.
constexpr const char* kDuplicateMessage = "A record with these values already exists.";
constexpr const char* kReferenceMessage =
    "A related record is missing, or other records still refer to this one.";
constexpr const char* kCheckMessage = "The values break a rule of the database.";
constexpr const char* kConcurrentMessage = "The record was changed concurrently; retry.";
constexpr const char* kBusyMessage = "The database is busy; retry.";
constexpr const char* kUnavailableMessage = "The database is unavailable; retry later.";

constexpr auto kPoolWait = std::chrono::seconds(30);

// Type OIDs of pg_type.h, which libpq does not install.
constexpr Oid kBoolOid = 16;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;

struct ResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

// Notices ("relation already exists, skipping") are not for the terminal.
void IgnoreNotice(void* /*arg*/, const char* /*message*/) {}

std::string Excerpt(std::string_view sql) {
  constexpr std::size_t kMax = 200;
  if (sql.size() <= kMax) return std::string(sql);
  return std::string(sql.substr(0, kMax)) + "...";
}

std::string Trimmed(const char* message) {
  std::string text = message != nullptr ? message : "";
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

bool IsConnectionFailure(std::string_view sqlstate) {
  // Class 08 except 08P01 (protocol violation: a bug, such as a wrong parameter count),
  // shutdowns (57P01-57P03) and too many connections (53300).
  return (sqlstate.starts_with("08") && sqlstate != "08P01") || sqlstate.starts_with("57P0") ||
         sqlstate == "53300";
}

/// Maps a failed statement to the Error vocabulary; `result` may be null (nothing was sent).
Error ErrorFrom(PGconn* connection, const PGresult* result, std::string_view sql) {
  const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const std::string_view sqlstate = state != nullptr ? state : "";
  std::string detail = fmt::format(
      "postgres: {} (SQLSTATE {}) in: {}",
      Trimmed(result != nullptr ? PQresultErrorMessage(result) : PQerrorMessage(connection)),
      sqlstate.empty() ? "none" : sqlstate, Excerpt(sql));
  if (PQstatus(connection) != CONNECTION_OK || IsConnectionFailure(sqlstate)) {
    return {ErrorCode::kUnavailable, kUnavailableMessage, std::move(detail)};
  }
  if (sqlstate == "23505") return {ErrorCode::kConflict, kDuplicateMessage, std::move(detail)};
  if (sqlstate == "23503") return {ErrorCode::kConflict, kReferenceMessage, std::move(detail)};
  if (sqlstate == "23514") return {ErrorCode::kConflict, kCheckMessage, std::move(detail)};
  if (sqlstate == "40001" || sqlstate == "40P01") {
    return {ErrorCode::kConflict, kConcurrentMessage, std::move(detail)};
  }
  return Error::Internal(std::move(detail));
}

/// PostgreSQL text cannot hold NUL (a text-format parameter would be cut there) and must be
/// UTF-8; both engines refuse such text alike.
Expected<void> CheckText(const std::string& text) {
  if (text.find('\0') != std::string::npos) {
    return Fail(ErrorCode::kMalformed, "Text must not contain NUL characters.");
  }
  if (!IsValidUtf8(text)) return Fail(ErrorCode::kMalformed, "Text must be valid UTF-8.");
  return {};
}

Expected<Value> ConvertField(const char* text, int length, Oid type) {
  const char* end = text + length;
  switch (type) {
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid: {
      std::int64_t integer = 0;
      auto [ptr, ec] = std::from_chars(text, end, integer);
      if (ec != std::errc() || ptr != end) break;
      return Value(integer);
    }
    case kBoolOid: return Value(std::int64_t{text[0] == 't' ? 1 : 0});
    case kFloat4Oid:
    case kFloat8Oid: {
      double number = 0;
      auto [ptr, ec] = std::from_chars(text, end, number);
      if (ec != std::errc() || ptr != end) break;
      return Value(number);
    }
    default: return Value(std::string(text, static_cast<std::size_t>(length)));
  }
  return Fail(Error::Internal(fmt::format("postgres: cannot read number of type {}", type)));
}

Expected<Result> ExecuteOn(PGconn* connection, std::string_view sql,
                           const std::vector<Value>& params) {
  const std::size_t count = params.size();
  std::vector<std::string> numbers(count);  // sized once: `values` points into it
  std::vector<const char*> values(count, nullptr);
  std::vector<Oid> types(count, 0);  // 0: the server infers the type of text and NULL
  for (std::size_t i = 0; i < count; ++i) {
    const Value& param = params[i];
    if (const auto* integer = std::get_if<std::int64_t>(&param)) {
      numbers[i] = std::to_string(*integer);
      values[i] = numbers[i].c_str();
      types[i] = kInt8Oid;
    } else if (const auto* number = std::get_if<double>(&param)) {
      numbers[i] = fmt::format("{:.17g}", *number);
      values[i] = numbers[i].c_str();
      types[i] = kFloat8Oid;
    } else if (const auto* text = std::get_if<std::string>(&param)) {
      CERTUS_CHECK(CheckText(*text));
      values[i] = text->c_str();
    }
  }
  const std::string statement(sql);
  PgResult result(PQexecParams(connection, statement.c_str(), static_cast<int>(count), types.data(),
                               values.data(), nullptr, nullptr, 0));
  const ExecStatusType status = PQresultStatus(result.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    return Fail(ErrorFrom(connection, result.get(), sql));
  }

  Result out;
  const int rows = PQntuples(result.get());
  const int columns = PQnfields(result.get());
  std::vector<Oid> column_types(static_cast<std::size_t>(columns));
  for (int column = 0; column < columns; ++column) {
    column_types[static_cast<std::size_t>(column)] = PQftype(result.get(), column);
  }
  out.rows.reserve(static_cast<std::size_t>(rows));
  for (int row = 0; row < rows; ++row) {
    std::vector<Value> fields;
    fields.reserve(static_cast<std::size_t>(columns));
    for (int column = 0; column < columns; ++column) {
      if (PQgetisnull(result.get(), row, column)) {
        fields.emplace_back(nullptr);
        continue;
      }
      fields.push_back(CERTUS_TRY(ConvertField(PQgetvalue(result.get(), row, column),
                                               PQgetlength(result.get(), row, column),
                                               column_types[static_cast<std::size_t>(column)])));
    }
    out.rows.emplace_back(std::move(fields));
  }
  // PQcmdTuples counts the rows a SELECT returned too; `affected` is only for changes.
  if (std::strncmp(PQcmdStatus(result.get()), "SELECT", 6) != 0) {
    const char* tuples = PQcmdTuples(result.get());
    std::from_chars(tuples, tuples + std::strlen(tuples), out.affected);
  }
  return out;
}

/// Runs `script`, which may hold several statements separated by `;`.
Expected<std::string> RunScript(PGconn* connection, std::string_view script) {
  const std::string text(script);
  PgResult result(PQexec(connection, text.c_str()));
  const ExecStatusType status = PQresultStatus(result.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    return Fail(ErrorFrom(connection, result.get(), script));
  }
  return std::string(PQcmdStatus(result.get()));
}

/// A transaction on a lent connection, which goes back to the pool when the transaction
/// commits, fails to commit, or is destroyed (rolling back).
class PostgresTransaction final : public Transaction {
 public:
  PostgresTransaction(PostgresDatabase& db, PgConnection connection)
      : db_(db), connection_(std::move(connection)) {}
  PostgresTransaction(const PostgresTransaction&) = delete;
  PostgresTransaction& operator=(const PostgresTransaction&) = delete;
  ~PostgresTransaction() override { End(); }

  Expected<Result> Execute(std::string_view sql, const std::vector<Value>& params) override {
    CERTUS_CHECK(CheckOpen());
    auto result = ExecuteOn(connection_.get(), sql, params);
    if (!result) failed_ = true;
    return result;
  }

  Expected<void> ExecuteScript(std::string_view script) {
    CERTUS_CHECK(CheckOpen());
    auto result = RunScript(connection_.get(), script);
    if (!result) {
      failed_ = true;
      return Fail(result.error());
    }
    return {};
  }

  Expected<void> Commit() override {
    CERTUS_CHECK(CheckOpen());
    auto status = RunScript(connection_.get(), "COMMIT");
    End();
    if (!status) return Fail(status.error());
    // The server answers ROLLBACK to a COMMIT of a transaction it had aborted.
    if (*status != "COMMIT") {
      return Fail(Error::Internal(fmt::format("postgres: COMMIT answered {}", *status)));
    }
    return {};
  }

  Dialect dialect() const override { return Dialect::kPostgres; }

 private:
  Expected<void> CheckOpen() {
    if (connection_ == nullptr) {
      return Fail(Error::Internal("postgres: the transaction has already ended"));
    }
    if (failed_) {
      End();
      return Fail(Error::Internal("postgres: an earlier statement of the transaction failed"));
    }
    return {};
  }

  void End() {
    if (connection_ == nullptr) return;
    const PGTransactionStatusType state = PQtransactionStatus(connection_.get());
    if (state == PQTRANS_INTRANS || state == PQTRANS_INERROR) {
      if (auto rolled_back = RunScript(connection_.get(), "ROLLBACK"); !rolled_back) {
        spdlog::warn("storage: rollback failed: {}", rolled_back.error().log_detail());
      }
    }
    db_.Release(std::move(connection_));
  }

  PostgresDatabase& db_;
  PgConnection connection_;
  bool failed_ = false;
};

}  // namespace

PostgresDatabase::PostgresDatabase(std::string url, DatabaseSettings settings)
    : url_(std::move(url)), settings_(settings) {}

PostgresDatabase::~PostgresDatabase() = default;

Expected<std::unique_ptr<PostgresDatabase>> PostgresDatabase::Open(
    const std::string& url, const DatabaseSettings& settings) {
  if (settings.pool_size < 1) {
    return Fail(ErrorCode::kMalformed, "The database pool size must be at least 1.");
  }
  char* message = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &message);
  if (options == nullptr) {
    std::string detail = Trimmed(message);
    PQfreemem(message);
    return Fail(
        Error(ErrorCode::kMalformed, "The PostgreSQL URL is malformed.", "postgres: " + detail));
  }
  PQconninfoFree(options);
  return std::make_unique<PostgresDatabase>(url, settings);
}

Expected<PgConnection> PostgresDatabase::Connect() const {
  // Processed in order, later keys winning: the URL may set connect_timeout, but not the
  // encoding, which must be UTF-8 for text to round-trip.
  const char* keys[] = {"connect_timeout", "fallback_application_name", "dbname", "client_encoding",
                        nullptr};
  const char* values[] = {"10", "certus", url_.c_str(), "UTF8", nullptr};
  PgConnection connection(PQconnectdbParams(keys, values, 1));
  if (connection == nullptr) {
    return Fail(Error(ErrorCode::kUnavailable, kUnavailableMessage, "postgres: out of memory"));
  }
  if (PQstatus(connection.get()) != CONNECTION_OK) {
    return Fail(Error(ErrorCode::kUnavailable, kUnavailableMessage,
                      "postgres: cannot connect: " + Trimmed(PQerrorMessage(connection.get()))));
  }
  PQsetNoticeProcessor(connection.get(), IgnoreNotice, nullptr);
  return connection;
}

Expected<PgConnection> PostgresDatabase::Acquire() {
  std::unique_lock lock(mutex_);
  if (!released_.wait_for(lock, kPoolWait,
                          [&] { return !idle_.empty() || open_ < settings_.pool_size; })) {
    return Fail(Error(ErrorCode::kUnavailable, kBusyMessage,
                      "postgres: every connection of the pool stayed lent"));
  }
  if (!idle_.empty()) {
    PgConnection connection = std::move(idle_.back());
    idle_.pop_back();
    return connection;
  }
  ++open_;
  lock.unlock();  // connecting takes a round trip or more; others may take idle connections
  auto connection = Connect();
  if (!connection) {
    lock.lock();
    --open_;
    lock.unlock();
    released_.notify_one();
  }
  return connection;
}

void PostgresDatabase::Release(PgConnection connection) {
  const bool reusable = connection != nullptr && PQstatus(connection.get()) == CONNECTION_OK &&
                        PQtransactionStatus(connection.get()) == PQTRANS_IDLE;
  {
    std::lock_guard lock(mutex_);
    if (reusable) {
      idle_.push_back(std::move(connection));
    } else {
      --open_;
    }
  }
  released_.notify_one();
  // A connection not kept closes here, outside the lock.
}

Expected<std::unique_ptr<Transaction>> PostgresDatabase::Begin(TxMode mode) {
  PgConnection connection = CERTUS_TRY(Acquire());
  const char* begin =
      mode == TxMode::kWrite ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
  auto started = RunScript(connection.get(), begin);
  if (!started && PQstatus(connection.get()) != CONNECTION_OK) {
    // The server dropped this pooled connection (restart, failover, idle timeout): reconnect.
    PQreset(connection.get());
    if (PQstatus(connection.get()) == CONNECTION_OK) {
      PQsetNoticeProcessor(connection.get(), IgnoreNotice, nullptr);
      started = RunScript(connection.get(), begin);
    }
  }
  if (!started) {
    Release(std::move(connection));
    return Fail(started.error());
  }
  return std::unique_ptr<Transaction>(
      std::make_unique<PostgresTransaction>(*this, std::move(connection)));
}

Expected<int> PostgresDatabase::Migrate() {
  auto migrations = CERTUS_TRY(OrderMigrations(PostgresMigrations()));
  return ApplyMigrations(*this, migrations, [](Transaction& tx, std::string_view script) {
    // Every transaction of this database is a PostgresTransaction.
    return static_cast<PostgresTransaction&>(tx).ExecuteScript(script);
  });
}

Expected<int> PostgresDatabase::SchemaVersion() { return ReadSchemaVersion(*this); }

}  // namespace certus::storage::postgres
