#include "cli/seed_batch.hpp"

namespace certus::cli::seed {

namespace {

/// A service's transaction: a view of the shared one whose Commit is the batch's business.
class InnerTransaction final : public storage::Transaction {
 public:
  explicit InnerTransaction(storage::Transaction& outer) : outer_(outer) {}
  Expected<storage::Result> Execute(std::string_view sql,
                                    const std::vector<storage::Value>& params) override {
    return outer_.Execute(sql, params);
  }
  Expected<void> Commit() override { return {}; }
  storage::Dialect dialect() const override { return outer_.dialect(); }

 private:
  storage::Transaction& outer_;
};

}  // namespace

Expected<std::unique_ptr<storage::Transaction>> BatchDatabase::Begin(storage::TxMode) {
  if (!outer_) {
    outer_ = CERTUS_TRY(db_.Begin(storage::TxMode::kWrite));
    begun_ = 0;
    if (db_.dialect() == storage::Dialect::kSqlite && !cache_set_) {
      // A batch touches far more pages than SQLite's default cache (2 MB) holds: without a
      // larger one, it spills dirty pages to the WAL and re-reads them, call after call.
      // The setting belongs to the writer connection, which only the seed uses.
      CERTUS_TRY(outer_->Execute("PRAGMA cache_size = -1048576"));  // 1 GiB
      // Reads of a database of gigabytes through the page cache, without a system call each.
      CERTUS_TRY(outer_->Execute("PRAGMA mmap_size = 17179869184"));  // up to 16 GiB
      cache_set_ = true;
    }
  }
  ++begun_;
  return std::unique_ptr<storage::Transaction>(std::make_unique<InnerTransaction>(*outer_));
}

Expected<void> BatchDatabase::Flush() {
  if (!outer_) return {};
  auto outer = std::move(outer_);
  begun_ = 0;
  return outer->Commit();
}

Expected<void> BatchDatabase::FlushEvery(std::int64_t calls) {
  if (begun_ < calls) return {};
  return Flush();
}

}  // namespace certus::cli::seed
