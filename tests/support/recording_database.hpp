#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "storage/database.hpp"

namespace certus::testing {

/// One statement a transaction executed, with the values bound to it.
struct RecordedStatement {
  std::string sql;
  std::vector<storage::Value> params;
};

/// A storage::Database that hands every call on to another one and records each statement
/// its transactions execute (whether it succeeded or not), in order. For tests that look at
/// the SQL a code path runs, such as the query plan checks.
///
/// Borrows `inner`, which must outlive it and its transactions. Thread-safe like any
/// Database: statements of concurrent transactions are recorded interleaved.
class RecordingDatabase final : public storage::Database {
 public:
  explicit RecordingDatabase(storage::Database& inner) : inner_(inner) {}

  Expected<std::unique_ptr<storage::Transaction>> Begin(storage::TxMode mode) override;
  storage::Dialect dialect() const override { return inner_.dialect(); }
  Expected<int> Migrate() override { return inner_.Migrate(); }
  Expected<int> SchemaVersion() override { return inner_.SchemaVersion(); }

  /// The statements recorded since the last call, oldest first; the record starts over.
  std::vector<RecordedStatement> Take();

  /// Used by the recording transactions.
  void Record(std::string_view sql, const std::vector<storage::Value>& params);

 private:
  storage::Database& inner_;
  std::mutex mutex_;
  std::vector<RecordedStatement> statements_;
};

}  // namespace certus::testing
