#include "cli/backup_commands.hpp"

#include <filesystem>

#include <fmt/format.h>

#include "core/clock.hpp"
#include "core/time.hpp"
#include "storage/backup.hpp"

namespace certus::cli {

namespace {

namespace backup = storage::backup;

constexpr int kFailed = 1;
constexpr int kUsage = 2;

/// The one mapping of backup and restore errors to exit statuses: the invocation must change
/// (2), or the archive or the environment failed (1).
int Report(const Error& error, std::ostream& err) {
  err << "error: " << error.message() << "\n";
  if (!error.log_detail().empty()) err << "  (" << error.log_detail() << ")\n";
  switch (error.code()) {
    case ErrorCode::kMalformed:
    case ErrorCode::kPreconditionFailed: return kUsage;
    default: return kFailed;
  }
}

std::string Bytes(std::int64_t bytes) {
  if (bytes < 1024) return fmt::format("{} bytes", bytes);
  if (bytes < 1024LL * 1024) return fmt::format("{:.1f} KiB", static_cast<double>(bytes) / 1024);
  if (bytes < 1024LL * 1024 * 1024) {
    return fmt::format("{:.1f} MiB", static_cast<double>(bytes) / (1024 * 1024));
  }
  return fmt::format("{:.2f} GiB", static_cast<double>(bytes) / (1024.0 * 1024 * 1024));
}

void PrintMembers(const backup::Manifest& manifest, std::ostream& out) {
  std::int64_t blobs = 0;
  std::int64_t blob_bytes = 0;
  for (const auto& member : manifest.members) {
    if (member.path.starts_with(std::string(backup::kBlobDirectory) + "/")) {
      ++blobs;
      blob_bytes += member.size;
      continue;
    }
    out << fmt::format("  {:<24} {:>12}  sha256 {}\n", member.path, Bytes(member.size),
                       member.sha256);
  }
  out << fmt::format("  {:<24} {:>12}  in {} evidence file{}\n",
                     std::string(backup::kBlobDirectory) + "/", Bytes(blob_bytes), blobs,
                     blobs == 1 ? "" : "s");
}

bool UsageProblem(const BackupCommandOptions& options, const char* command, const char* flag,
                  std::ostream& err) {
  if (options.unexpected_arguments) {
    err << "error: unexpected arguments; see `certus " << command << " --help`\n";
    return true;
  }
  if (options.file.empty()) {
    err << "error: " << flag << " FILE is required; see `certus " << command << " --help`\n";
    return true;
  }
  return false;
}

}  // namespace

int BackupCommand(const BackupCommandOptions& options, std::ostream& out, std::ostream& err) {
  if (UsageProblem(options, "backup", "--to", err)) return kUsage;
  const std::string url =
      options.database.empty()
          ? "sqlite:" + (std::filesystem::path(options.data_dir) / backup::kSqliteFileName).string()
          : options.database;
  const auto result = backup::CreateBackup({.database_url = url,
                                            .data_dir = options.data_dir,
                                            .to = options.file,
                                            .certus_version = CERTUS_VERSION,
                                            .created_at = FormatTimestamp(SystemClock().Now())});
  if (!result) return Report(result.error(), err);
  for (const auto& warning : result->warnings) err << "warning: " << warning << "\n";
  const auto& manifest = result->manifest;
  out << fmt::format("Wrote {} ({}): {} database at schema version {}, {} evidence file{}\n",
                     std::filesystem::absolute(options.file).string(), Bytes(result->archive_size),
                     backup::EngineName(manifest.engine), manifest.schema_version,
                     result->blob_count, result->blob_count == 1 ? "" : "s");
  PrintMembers(manifest, out);
  out << "Archive SHA-256: " << result->archive_sha256 << "\n";
  return 0;
}

int RestoreCommand(const BackupCommandOptions& options, std::ostream& out, std::ostream& err) {
  if (UsageProblem(options, "restore", "--from", err)) return kUsage;
  if (options.data_dir.empty()) {
    err << "error: --data-dir DIR is required\n";
    return kUsage;
  }
  const auto result = backup::Restore({.from = options.file,
                                       .data_dir = options.data_dir,
                                       .database_url = options.database,
                                       .force = options.force});
  if (!result) return Report(result.error(), err);
  const auto& archive = result->archive;
  const auto& manifest = archive.manifest;
  out << fmt::format(
      "Verified {} ({}, SHA-256 {}): a {} backup made by certus {} at {}, schema version {}\n",
      std::filesystem::absolute(options.file).string(), Bytes(archive.archive_size),
      archive.archive_sha256, backup::EngineName(manifest.engine), manifest.certus_version,
      manifest.created_at, manifest.schema_version);
  PrintMembers(manifest, out);
  out << fmt::format(
      "Restored into {}{}", std::filesystem::absolute(options.data_dir).string(),
      manifest.engine == backup::Engine::kPostgres ? " and the PostgreSQL database" : "");
  out << (result->replaced_existing ? " (its previous contents were replaced)\n" : "\n");
  out << "Check it with `certus audit-log verify`, then start `certus serve`.\n";
  return 0;
}

}  // namespace certus::cli
