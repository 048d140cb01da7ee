#include "cli/integrity.hpp"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "storage/database.hpp"

namespace certus::cli {

namespace {

boost::json::array Names(const std::vector<std::string>& names) {
  boost::json::array out;
  for (const auto& name : names) out.emplace_back(name);
  return out;
}

}  // namespace

Expected<IntegrityFindings> CheckBlobIntegrity(App& app) {
  const auto started = std::chrono::steady_clock::now();
  IntegrityFindings findings;
  findings.store = CERTUS_TRY(app.blobs().VerifyAll());
  const auto& report = findings.store;
  // The files that records name. Read across the two modules' tables here, as a backup
  // reads every table: the check is the installation's, not a module's.
  auto named = CERTUS_TRY(storage::InReadTransaction(app.db(), [](storage::Transaction& tx) {
    return tx.Execute(
        "SELECT file_sha256 FROM evidence WHERE file_sha256 IS NOT NULL "
        "UNION SELECT sha256 FROM document_attachments ORDER BY 1");
  }));
  findings.referenced = static_cast<std::int64_t>(named.rows.size());
  for (const auto& row : named.rows) {
    const std::string sha256 = row.Text(0);
    if (!CERTUS_TRY(app.blobs().Exists(sha256))) findings.missing.push_back(sha256);
  }
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);

  auditlog::Event event;
  event.chain = std::string(auditlog::kInstallationChain);
  event.actor_label = "certus integrity check";
  event.object_type = "blob_store";
  event.object_id = "blobs";
  event.action = "integrity_check";
  event.before = nullptr;
  event.after = boost::json::object{{"blobs", report.blobs},
                                    {"bytes", report.bytes},
                                    {"damaged", Names(report.damaged)},
                                    {"unreadable", Names(report.unreadable)},
                                    {"referenced", findings.referenced},
                                    {"missing", Names(findings.missing)}};
  CERTUS_CHECK(storage::InWriteTransaction(
      app.db(), [&](storage::Transaction& tx) { return app.audit_log().Append(tx, event); }));

  for (const auto& name : report.damaged) {
    spdlog::error("integrity check: blob {} no longer matches its SHA-256 (altered or damaged)",
                  name);
  }
  for (const auto& name : report.unreadable) {
    spdlog::error("integrity check: blob {} could not be read", name);
  }
  for (const auto& name : findings.missing) {
    spdlog::error("integrity check: blob {} is named by a record but missing from the store", name);
  }
  spdlog::info(
      "integrity check: {} blobs, {} bytes, {} damaged, {} unreadable; {} named by records, "
      "{} missing; in {} ms",
      report.blobs, report.bytes, report.damaged.size(), report.unreadable.size(),
      findings.referenced, findings.missing.size(), took.count());
  return findings;
}

PeriodicIntegrityCheck::PeriodicIntegrityCheck(App& app, std::chrono::seconds first,
                                               std::chrono::seconds every) {
  thread_ = std::thread([this, &app, first, every] {
    std::unique_lock lock(mutex_);
    auto next = std::chrono::steady_clock::now() + first;
    while (!wake_.wait_until(lock, next, [this] { return stopping_; })) {
      lock.unlock();
      if (auto checked = CheckBlobIntegrity(app); !checked) {
        spdlog::error("integrity check failed: {}", checked.error().message());
      }
      lock.lock();
      next = std::chrono::steady_clock::now() + every;
    }
  });
}

PeriodicIntegrityCheck::~PeriodicIntegrityCheck() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

}  // namespace certus::cli
