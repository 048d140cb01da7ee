#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "blobstore/blob_store.hpp"
#include "cli/app.hpp"

namespace certus::cli {

/// What the integrity check found: the store's verdict on each of its blobs, and the files
/// that records name but the store no longer has.
struct IntegrityFindings {
  blobstore::IntegrityReport store;
  std::int64_t referenced = 0;       ///< distinct files named by evidence and attachments
  std::vector<std::string> missing;  ///< named by a record, absent from the store

  bool ok() const { return store.ok() && missing.empty(); }
};

/// The integrity check of the evidence files and attachments (issue 9, item 8): re-hashes
/// every blob of the store, looks up every file that an evidence record or a document
/// attachment names, and appends what it found to the installation's audit chain
/// (`blob_store` / `integrity_check`), so that the result is itself tamper-evident. Logs a
/// summary, and an error naming each damaged or missing blob.
Expected<IntegrityFindings> CheckBlobIntegrity(App& app);

/// Runs CheckBlobIntegrity on a thread of its own, first after `first` and then every
/// `every`, until destroyed (the destructor wakes and joins the thread; a check under way
/// finishes first). A failed check is logged, and the next one runs on schedule.
class PeriodicIntegrityCheck final {
 public:
  PeriodicIntegrityCheck(App& app, std::chrono::seconds first, std::chrono::seconds every);
  ~PeriodicIntegrityCheck();
  PeriodicIntegrityCheck(const PeriodicIntegrityCheck&) = delete;
  PeriodicIntegrityCheck& operator=(const PeriodicIntegrityCheck&) = delete;

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace certus::cli
