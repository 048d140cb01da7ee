#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace certus::storage::backup {

// A backup is one POSIX ustar archive (docs/adr/0008-backup-format.md):
//
//   database/certus.db       SQLite: an online-backup copy, rollback-journal mode, checked
//   database/certus.pgdump   PostgreSQL: `pg_dump --format=custom`
//   blobs/ab/cdef…           every evidence file of <data-dir>/blobs, named by its SHA-256
//   manifest.json            last: format, versions, engine, and each member's size and SHA-256

/// The archive format this code writes and the newest it reads.
inline constexpr int kFormatVersion = 1;
inline constexpr std::string_view kManifestMember = "manifest.json";
inline constexpr std::string_view kSqliteMember = "database/certus.db";
inline constexpr std::string_view kPostgresMember = "database/certus.pgdump";
/// The directory of the data directory that holds the blob store (blobstore::DirectoryBlobStore
/// root), and the archive directory its files go to.
inline constexpr std::string_view kBlobDirectory = "blobs";
/// The SQLite database file of a data directory (the default `sqlite:DATA_DIR/certus.db`).
inline constexpr std::string_view kSqliteFileName = "certus.db";

enum class Engine { kSqlite, kPostgres };

/// `sqlite` or `postgresql`, as the manifest spells it.
std::string_view EngineName(Engine engine);

struct ManifestMember {
  std::string path;
  std::int64_t size = 0;
  std::string sha256;  ///< lowercase hex
};

/// manifest.json. Every member of the archive but the manifest itself is listed.
struct Manifest {
  int format_version = kFormatVersion;
  std::string certus_version;
  Engine engine = Engine::kSqlite;
  std::string created_at;  ///< RFC 3339 UTC
  int schema_version = 0;  ///< the newest migration applied to the database backed up
  std::vector<ManifestMember> members;
};

std::string ManifestToJson(const Manifest& manifest);
/// Strict: every field present with its type, a known engine, safe member paths
/// (IsArchiveMemberPath), no path twice. Fails with kValidation naming the problem; a newer
/// format version fails too, with a message saying so.
Expected<Manifest> ParseManifest(std::string_view json);

/// Whether `path` is a name a Certus archive may hold: the manifest, one of the two database
/// members, or `blobs/xx/<62 hex digits>`. Nothing else, so no name can reach outside the
/// directory it is restored into (no `..`, no absolute path, no link).
bool IsArchiveMemberPath(std::string_view path);

/// The newest migration this binary knows for `engine`.
Expected<int> NewestSchemaVersion(Engine engine);

struct BackupRequest {
  std::string database_url;        ///< sqlite:PATH or postgresql://… (postgres://…)
  std::filesystem::path data_dir;  ///< its `blobs` directory is archived when it exists
  std::filesystem::path to;        ///< the archive to write
  std::string certus_version;
  std::string created_at;  ///< RFC 3339 UTC; also every member's mtime
};

struct BackupResult {
  Manifest manifest;
  std::int64_t archive_size = 0;
  std::string archive_sha256;
  std::int64_t blob_count = 0;
  std::int64_t blob_bytes = 0;
  std::vector<std::string> warnings;  ///< e.g. a blob whose bytes no longer match its name
};

/// Writes a consistent backup of a live installation to `request.to`:
/// - SQLite: the SQLite online backup API copies the database in one step under a read
///   transaction (WAL: writers go on) into a staging file, which is switched to a rollback
///   journal and must pass `PRAGMA integrity_check`;
/// - PostgreSQL: `pg_dump --format=custom` (its own snapshot), the password handed to it in
///   PGPASSWORD, never on its command line; a search_path other than `public` in the URL
///   limits the dump to that schema;
/// - then the blobs, which are immutable and written before the rows that name them, so every
///   blob the database snapshot refers to is there.
/// The archive is written to `<to>.tmp` (mode 0600), fsync'd, renamed to `to` and its
/// directory fsync'd: `to` is never a partial archive. Staging files live in a temporary
/// directory beside `to` and are removed whatever happens.
///
/// Errors: kNotFound when the SQLite file does not exist; kUnavailable for I/O failures or a
/// failed pg_dump; kInternal when the copy fails its integrity check.
Expected<BackupResult> CreateBackup(const BackupRequest& request);

struct VerifiedArchive {
  Manifest manifest;
  std::int64_t archive_size = 0;
  std::string archive_sha256;
};

/// Reads the whole archive and checks it without writing anything: every header intact,
/// only safe member paths, no member twice, only regular files, the manifest present and
/// valid, every member it lists present with its size and SHA-256, no member it does not
/// list, a blob's bytes hashing to its name, exactly the database member of its engine, and
/// a schema version no newer than this binary's migrations.
///
/// Errors: kValidation naming the first problem found; kNotFound or kUnavailable when the
/// file cannot be read.
Expected<VerifiedArchive> VerifyArchive(const std::filesystem::path& file);

struct RestoreRequest {
  std::filesystem::path from;
  std::filesystem::path data_dir;
  /// Empty or `sqlite:…` for SQLite (which must then be DATA_DIR/certus.db), or the
  /// postgresql:// URL of the database to restore into.
  std::string database_url;
  /// Replace a non-empty data directory (SQLite, blobs) or a database holding a Certus schema
  /// (PostgreSQL: `pg_restore --clean --if-exists`).
  bool force = false;
};

struct RestoreResult {
  VerifiedArchive archive;
  std::int64_t blob_count = 0;
  bool replaced_existing = false;
};

/// Verifies the archive (VerifyArchive) before writing anything, then restores it:
/// - every file goes to a new temporary sibling of the data directory, re-hashed as written;
/// - SQLite: the database there must pass `PRAGMA integrity_check` and hold the manifest's
///   schema version;
/// - PostgreSQL: `pg_restore --single-transaction --exit-on-error --no-owner --no-acl` into
///   the configured database (so a failure leaves it as it was), which must hold no Certus
///   schema unless `force`;
/// - last, the temporary directory takes the data directory's place (renames), and the old
///   one is removed. A failure at any step before leaves the old data directory intact.
///
/// Errors: kPreconditionFailed when the invocation must change (a non-empty data directory
/// or populated database without `force`, an archive of the other engine, a SQLite URL
/// outside the data directory); kValidation when the archive fails verification (or its
/// restored copy does); kUnavailable for I/O failures or a failed pg_restore.
Expected<RestoreResult> Restore(const RestoreRequest& request);

}  // namespace certus::storage::backup
