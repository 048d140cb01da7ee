#include "tests/support/recording_database.hpp"

namespace certus::testing {

namespace {

class RecordingTransaction final : public storage::Transaction {
 public:
  RecordingTransaction(std::unique_ptr<storage::Transaction> inner, RecordingDatabase& record)
      : inner_(std::move(inner)), record_(record) {}

  Expected<storage::Result> Execute(std::string_view sql,
                                    const std::vector<storage::Value>& params) override {
    record_.Record(sql, params);
    return inner_->Execute(sql, params);
  }
  Expected<void> Commit() override { return inner_->Commit(); }
  storage::Dialect dialect() const override { return inner_->dialect(); }

 private:
  std::unique_ptr<storage::Transaction> inner_;
  RecordingDatabase& record_;
};

}  // namespace

Expected<std::unique_ptr<storage::Transaction>> RecordingDatabase::Begin(storage::TxMode mode) {
  auto inner = CERTUS_TRY(inner_.Begin(mode));
  return std::make_unique<RecordingTransaction>(std::move(inner), *this);
}

std::vector<RecordedStatement> RecordingDatabase::Take() {
  std::lock_guard lock(mutex_);
  return std::exchange(statements_, {});
}

void RecordingDatabase::Record(std::string_view sql, const std::vector<storage::Value>& params) {
  std::lock_guard lock(mutex_);
  statements_.push_back({std::string(sql), params});
}

}  // namespace certus::testing
