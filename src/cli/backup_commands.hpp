#pragma once

#include <ostream>
#include <string>

namespace certus::cli {

/// What `certus backup` and `certus restore` were given on the command line.
struct BackupCommandOptions {
  std::string data_dir;
  std::string database;               ///< --database; empty means sqlite:DATA_DIR/certus.db
  std::string file;                   ///< --to (backup) or --from (restore)
  bool force = false;                 ///< restore only
  bool unexpected_arguments = false;  ///< anything CLI11 left over: a usage error
};

/// `certus backup --to FILE`: writes a backup archive of a live installation (SQLite online
/// backup or pg_dump, plus the evidence blobs) and prints what it wrote and the archive's
/// SHA-256 on `out`, warnings on `err`. Exit status: 0 written, 1 failed (nothing written),
/// 2 usage.
int BackupCommand(const BackupCommandOptions& options, std::ostream& out, std::ostream& err);

/// `certus restore --from FILE --data-dir D [--force]`: verifies the whole archive, then
/// restores it (storage::backup::Restore). Exit status: 0 restored, 1 verification or
/// restore failure (named on `err`; the old data is intact), 2 usage (including a non-empty
/// data directory without --force, or an archive of the other engine).
int RestoreCommand(const BackupCommandOptions& options, std::ostream& out, std::ostream& err);

}  // namespace certus::cli
