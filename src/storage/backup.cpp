#include "storage/backup.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include <boost/json.hpp>
#include <fcntl.h>
#include <fmt/format.h>
#include <libpq-fe.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/time.hpp"
#include "storage/backup_archive.hpp"
#include "storage/database.hpp"
#include "storage/migrations.hpp"

extern char** environ;  // NOLINT: POSIX declares it nowhere else

namespace certus::storage::backup {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kChunk = 1 << 16;
constexpr std::int64_t kMaxManifestBytes = 64LL << 20;

Error Unavailable(const std::string& what, int error) {
  return {ErrorCode::kUnavailable, what + ": " + std::strerror(error)};
}

Error Invalid(std::string what) { return {ErrorCode::kValidation, std::move(what)}; }

Error Refused(std::string what) { return {ErrorCode::kPreconditionFailed, std::move(what)}; }

bool IsLowerHex(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

/// A member name as it may be shown: bytes outside printable ASCII as \xNN, at most 200.
std::string Printable(std::string_view name) {
  std::string out;
  for (const char c : name.substr(0, 200)) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7f && c != '"' && c != '\\') {
      out += c;
    } else {
      out += fmt::format("\\x{:02x}", byte);
    }
  }
  if (name.size() > 200) out += "…";
  return out;
}

class Fd final {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  /// Closes now, reporting failure (a deferred write error shows at close).
  bool Close() { return ::close(std::exchange(fd_, -1)) == 0; }

 private:
  int fd_;
};

Expected<void> SyncDirectory(const fs::path& directory) {
  Fd fd(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0 || ::fsync(fd.get()) != 0) {
    return Fail(Unavailable("cannot sync directory " + directory.string(), errno));
  }
  return {};
}

/// A directory made with mkdtemp beside something, removed with its contents when this
/// goes out of scope unless Keep() was called.
class TempDirectory final {
 public:
  static Expected<TempDirectory> Create(const fs::path& parent, const std::string& stem) {
    std::string pattern = (parent / (stem + "-XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      return Fail(Unavailable("cannot create a temporary directory in " + parent.string(), errno));
    }
    return TempDirectory(pattern);
  }
  TempDirectory(TempDirectory&& other) noexcept : path_(std::exchange(other.path_, {})) {}
  TempDirectory& operator=(TempDirectory&&) = delete;
  TempDirectory(const TempDirectory&) = delete;
  TempDirectory& operator=(const TempDirectory&) = delete;
  ~TempDirectory() {
    if (!path_.empty()) {
      std::error_code ignored;  // best effort: the error that got us here matters more
      fs::remove_all(path_, ignored);
    }
  }
  const fs::path& path() const { return path_; }
  void Keep() { path_.clear(); }

 private:
  explicit TempDirectory(fs::path path) : path_(std::move(path)) {}
  fs::path path_;
};

/// The absolute, normalized form of a directory path, without a trailing separator.
fs::path NormalDirectory(const fs::path& directory) {
  auto path = fs::absolute(directory).lexically_normal();
  if (path.filename().empty() && path.has_parent_path()) path = path.parent_path();
  return path;
}

// ---- SQLite ----

struct SqliteCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using SqliteHandle = std::unique_ptr<sqlite3, SqliteCloser>;

Expected<SqliteHandle> OpenSqlite(const fs::path& path, int flags) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  SqliteHandle handle(raw);
  if (rc != SQLITE_OK) {
    return Fail(ErrorCode::kUnavailable,
                fmt::format("cannot open SQLite database {}: {}", path.string(),
                            raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  }
  sqlite3_busy_timeout(raw, 10000);
  return handle;
}

/// Runs `sql` and answers the first column of every row as text.
Expected<std::vector<std::string>> SqliteColumn(sqlite3* db, const char* sql) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &raw, nullptr) != SQLITE_OK) {
    return Fail(ErrorCode::kInternal, fmt::format("SQLite: {}: {}", sql, sqlite3_errmsg(db)));
  }
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> statement(raw, sqlite3_finalize);
  std::vector<std::string> values;
  while (true) {
    const int rc = sqlite3_step(raw);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) {
      return Fail(ErrorCode::kInternal, fmt::format("SQLite: {}: {}", sql, sqlite3_errmsg(db)));
    }
    const auto* text = sqlite3_column_text(raw, 0);
    values.emplace_back(text != nullptr ? reinterpret_cast<const char*>(text) : "");
  }
  return values;
}

/// `PRAGMA integrity_check` must answer exactly "ok"; answers the schema version.
Expected<int> CheckSqliteFile(const fs::path& path) {
  auto db = CERTUS_TRY(OpenSqlite(path, SQLITE_OPEN_READWRITE));
  auto verdict = SqliteColumn(db.get(), "PRAGMA integrity_check");
  if (!verdict) {
    return Fail(Invalid(fmt::format("the SQLite database {} cannot be checked: {}", path.string(),
                                    verdict.error().message())));
  }
  if (verdict->size() != 1 || verdict->front() != "ok") {
    return Fail(Invalid(fmt::format("the SQLite database {} fails its integrity check: {}",
                                    path.string(), verdict->empty() ? "" : verdict->front())));
  }
  auto tables = CERTUS_TRY(SqliteColumn(
      db.get(),
      "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"));
  if (tables.at(0) == "0") return 0;
  auto version =
      CERTUS_TRY(SqliteColumn(db.get(), "SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
  return std::atoi(version.at(0).c_str());
}

/// Copies a live database with the online backup API. One step of -1 pages copies the whole
/// database under a single read transaction, so the copy is one consistent snapshot; in WAL
/// mode the server's writers carry on meanwhile.
Expected<int> SqliteOnlineCopy(const fs::path& source, const fs::path& destination) {
  std::error_code ec;
  if (!fs::is_regular_file(source, ec)) {
    return Fail(ErrorCode::kNotFound, "No SQLite database at " + source.string());
  }
  // Read-write without create: a read-only connection cannot always open a WAL database
  // whose -shm file it may not write. Nothing is written to the source.
  auto from = CERTUS_TRY(OpenSqlite(source, SQLITE_OPEN_READWRITE));
  sqlite3_exec(from.get(), "PRAGMA query_only=ON", nullptr, nullptr, nullptr);
  auto to = CERTUS_TRY(OpenSqlite(destination, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
  sqlite3_backup* copy = sqlite3_backup_init(to.get(), "main", from.get(), "main");
  if (copy == nullptr) {
    return Fail(ErrorCode::kUnavailable,
                fmt::format("cannot start the SQLite backup: {}", sqlite3_errmsg(to.get())));
  }
  int rc = SQLITE_OK;
  for (int attempt = 0; attempt < 100; ++attempt) {
    rc = sqlite3_backup_step(copy, -1);
    if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED) break;
    sqlite3_sleep(100);
  }
  sqlite3_backup_finish(copy);
  if (rc != SQLITE_DONE) {
    return Fail(ErrorCode::kUnavailable,
                fmt::format("the SQLite online backup failed: {}", sqlite3_errstr(rc)));
  }
  // The copy is one self-contained file: no -wal beside it, whatever the source used.
  auto mode = CERTUS_TRY(SqliteColumn(to.get(), "PRAGMA journal_mode=DELETE"));
  if (mode.empty() || mode.front() != "delete") {
    return Fail(ErrorCode::kInternal, "cannot switch the SQLite copy to a rollback journal");
  }
  to.reset();
  auto checked = CheckSqliteFile(destination);
  if (!checked) {
    return Fail(ErrorCode::kInternal,
                "The backup copy of the database failed its check: " + checked.error().message());
  }
  return *checked;
}

// ---- PostgreSQL ----

/// A libpq URL split into a conninfo string without the password, and the password, so that
/// the password reaches pg_dump and pg_restore only through their environment.
struct PgConnection {
  std::string conninfo;
  std::string password;
};

std::string QuoteConninfo(std::string_view value) {
  std::string out = "'";
  for (const char c : value) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

Expected<PgConnection> SplitPgUrl(const std::string& url) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &error);
  if (options == nullptr) {
    PQfreemem(error);
    // The URL is not repeated: it may hold a password.
    return Fail(ErrorCode::kMalformed, "The PostgreSQL database URL cannot be parsed.");
  }
  PgConnection connection;
  for (auto* option = options; option->keyword != nullptr; ++option) {
    if (option->val == nullptr || *option->val == '\0') continue;
    const std::string_view keyword = option->keyword;
    if (keyword == "password") {
      connection.password = option->val;
      continue;
    }
    if (!connection.conninfo.empty()) connection.conninfo += ' ';
    connection.conninfo += std::string(keyword) + "=" + QuoteConninfo(option->val);
  }
  PQconninfoFree(options);
  return connection;
}

/// The PostgreSQL 15 program `name`: from CERTUS_PG_BINDIR, else Debian's
/// /usr/lib/postgresql/15/bin, else the PATH.
std::string PgProgram(const std::string& name) {
  if (const char* dir = std::getenv("CERTUS_PG_BINDIR"); dir != nullptr && *dir != '\0') {
    return (fs::path(dir) / name).string();
  }
  const auto debian = fs::path("/usr/lib/postgresql/15/bin") / name;
  if (::access(debian.c_str(), X_OK) == 0) return debian.string();
  return name;
}

/// Runs `argv` with the environment of this process, PGPASSWORD replaced by `password` when
/// one is given; its output goes where ours goes. Fails unless it exits 0.
Expected<void> RunPgProgram(const std::vector<std::string>& argv, const std::string& password) {
  std::vector<std::string> environment;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    if (!password.empty() && std::string_view(*entry).starts_with("PGPASSWORD=")) continue;
    environment.emplace_back(*entry);
  }
  if (!password.empty()) environment.push_back("PGPASSWORD=" + password);
  std::vector<char*> env_pointers;
  env_pointers.reserve(environment.size() + 1);
  for (auto& entry : environment) env_pointers.push_back(entry.data());
  env_pointers.push_back(nullptr);
  std::vector<std::string> args = argv;
  std::vector<char*> arg_pointers;
  arg_pointers.reserve(args.size() + 1);
  for (auto& arg : args) arg_pointers.push_back(arg.data());
  arg_pointers.push_back(nullptr);

  pid_t pid = 0;
  const bool search = argv.at(0).find('/') == std::string::npos;
  const int rc = search ? ::posix_spawnp(&pid, args[0].c_str(), nullptr, nullptr,
                                         arg_pointers.data(), env_pointers.data())
                        : ::posix_spawn(&pid, args[0].c_str(), nullptr, nullptr,
                                        arg_pointers.data(), env_pointers.data());
  if (rc != 0) {
    return Fail(ErrorCode::kUnavailable,
                fmt::format("cannot run {} (install postgresql-client-15): {}", argv[0],
                            std::strerror(rc)));
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return Fail(Unavailable("cannot wait for " + argv[0], errno));
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return Fail(ErrorCode::kUnavailable,
                fmt::format("{} failed ({} {}); its messages are above", argv[0],
                            WIFEXITED(status) ? "exit status" : "signal",
                            WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status)));
  }
  return {};
}

/// pg_dump --schema takes a pattern: double quotes make the name literal.
std::string QuotePgIdentifier(std::string_view name) {
  std::string out = "\"";
  for (const char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

Engine EngineOfUrl(std::string_view url) {
  return url.starts_with("postgresql://") || url.starts_with("postgres://") ? Engine::kPostgres
                                                                            : Engine::kSqlite;
}

// ---- archive members ----

struct BlobFile {
  std::string member;  // blobs/ab/cdef…
  fs::path path;
  std::int64_t size = 0;
};

/// The blob files under `root` (none when it does not exist), sorted. Files that are no blob
/// (the store's `.tmp-…` files, anything else) are left out, with a warning for the latter.
Expected<std::vector<BlobFile>> ListBlobs(const fs::path& root,
                                          std::vector<std::string>& warnings) {
  std::vector<BlobFile> blobs;
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(root, ec))) return blobs;
  if (!fs::is_directory(fs::symlink_status(root, ec))) {
    return Fail(ErrorCode::kUnavailable, root.string() + " is not a directory");
  }
  for (fs::directory_iterator fan(root, ec), end; !ec && fan != end; fan.increment(ec)) {
    const auto fan_name = fan->path().filename().string();
    if (!fan->is_directory(ec) || fan->is_symlink(ec) || fan_name.size() != 2 ||
        !IsLowerHex(fan_name)) {
      warnings.push_back("skipped " + fan->path().string() + ": not a blob directory");
      continue;
    }
    for (fs::directory_iterator file(fan->path(), ec); !ec && file != end; file.increment(ec)) {
      const auto name = file->path().filename().string();
      if (name.starts_with(".tmp-")) continue;  // a blob being written: not stored yet
      const auto status = file->symlink_status(ec);
      if (ec || !fs::is_regular_file(status) || name.size() != 62 || !IsLowerHex(name)) {
        warnings.push_back("skipped " + file->path().string() + ": not a blob");
        continue;
      }
      const auto size = file->file_size(ec);
      if (ec) break;
      std::string member(kBlobDirectory);
      member.append("/").append(fan_name).append("/").append(name);
      blobs.push_back({std::move(member), file->path(), static_cast<std::int64_t>(size)});
    }
  }
  if (ec) return Fail(Unavailable("cannot list " + root.string(), ec.value()));
  std::sort(blobs.begin(), blobs.end(),
            [](const BlobFile& a, const BlobFile& b) { return a.member < b.member; });
  return blobs;
}

/// The SHA-256 a blob member's name claims (its two path components after `blobs/`).
std::string BlobNameHash(std::string_view member) {
  std::string hash(member.substr(kBlobDirectory.size() + 1, 2));
  hash += member.substr(kBlobDirectory.size() + 4);
  return hash;
}

}  // namespace

std::string_view EngineName(Engine engine) {
  return engine == Engine::kSqlite ? "sqlite" : "postgresql";
}

bool IsArchiveMemberPath(std::string_view path) {
  if (path == kManifestMember || path == kSqliteMember || path == kPostgresMember) return true;
  // blobs/ab/<62 hex>: the fixed shape leaves no room for `..`, `/` or anything else.
  if (path.size() != kBlobDirectory.size() + 1 + 2 + 1 + 62) return false;
  if (!path.starts_with(kBlobDirectory) || path[kBlobDirectory.size()] != '/') return false;
  const auto rest = path.substr(kBlobDirectory.size() + 1);
  return rest[2] == '/' && IsLowerHex(rest.substr(0, 2)) && IsLowerHex(rest.substr(3));
}

std::string ManifestToJson(const Manifest& manifest) {
  boost::json::array members;
  for (const auto& member : manifest.members) {
    members.push_back(boost::json::object{
        {"path", member.path}, {"size", member.size}, {"sha256", member.sha256}});
  }
  const boost::json::object object{{"format", "certus-backup"},
                                   {"format_version", manifest.format_version},
                                   {"certus_version", manifest.certus_version},
                                   {"engine", EngineName(manifest.engine)},
                                   {"created_at", manifest.created_at},
                                   {"schema_version", manifest.schema_version},
                                   {"members", std::move(members)}};
  return boost::json::serialize(object) + "\n";
}

Expected<Manifest> ParseManifest(std::string_view json) {
  boost::system::error_code ec;
  const auto value = boost::json::parse(json, ec);
  if (ec || !value.is_object()) return Fail(Invalid("manifest.json is not a JSON object"));
  const auto& object = value.as_object();
  const auto text = [&](const char* key) -> std::optional<std::string> {
    const auto* field = object.if_contains(key);
    if (field == nullptr || !field->is_string()) return std::nullopt;
    return std::string(field->as_string());
  };
  const auto number = [&](const boost::json::object& from,
                          const char* key) -> std::optional<std::int64_t> {
    const auto* field = from.if_contains(key);
    if (field == nullptr) return std::nullopt;
    if (field->is_int64()) return field->as_int64();
    if (field->is_uint64() && field->as_uint64() <= INT64_MAX) {
      return static_cast<std::int64_t>(field->as_uint64());
    }
    return std::nullopt;
  };
  if (text("format") != "certus-backup") {
    return Fail(Invalid("manifest.json is not a Certus backup manifest (format)"));
  }
  const auto format_version = number(object, "format_version");
  if (!format_version || *format_version < 1) {
    return Fail(Invalid("manifest.json: format_version missing or invalid"));
  }
  if (*format_version > kFormatVersion) {
    return Fail(Invalid(
        fmt::format("the archive has backup format version {}; this certus reads up to version {}: "
                    "restore with a newer certus",
                    *format_version, kFormatVersion)));
  }
  Manifest manifest;
  manifest.format_version = static_cast<int>(*format_version);
  const auto certus_version = text("certus_version");
  const auto engine = text("engine");
  const auto created_at = text("created_at");
  const auto schema_version = number(object, "schema_version");
  if (!certus_version || !engine || !created_at || !schema_version || *schema_version < 0 ||
      *schema_version > INT32_MAX) {
    return Fail(Invalid(
        "manifest.json: certus_version, engine, created_at or schema_version missing or invalid"));
  }
  if (*engine == "sqlite") {
    manifest.engine = Engine::kSqlite;
  } else if (*engine == "postgresql") {
    manifest.engine = Engine::kPostgres;
  } else {
    return Fail(Invalid("manifest.json: unknown engine \"" + Printable(*engine) + "\""));
  }
  manifest.certus_version = *certus_version;
  manifest.created_at = *created_at;
  manifest.schema_version = static_cast<int>(*schema_version);
  const auto* members = object.if_contains("members");
  if (members == nullptr || !members->is_array()) {
    return Fail(Invalid("manifest.json: members missing"));
  }
  std::set<std::string> seen;
  for (const auto& item : members->as_array()) {
    const auto* member = item.if_object();
    const auto* path = member != nullptr ? member->if_contains("path") : nullptr;
    const auto* sha = member != nullptr ? member->if_contains("sha256") : nullptr;
    const auto size = member != nullptr ? number(*member, "size") : std::nullopt;
    if (path == nullptr || !path->is_string() || sha == nullptr || !sha->is_string() || !size ||
        *size < 0) {
      return Fail(Invalid("manifest.json: a member lacks its path, size or sha256"));
    }
    ManifestMember entry{std::string(path->as_string()), *size, std::string(sha->as_string())};
    if (!IsArchiveMemberPath(entry.path) || entry.path == kManifestMember) {
      return Fail(Invalid("manifest.json lists an unsafe or unknown path \"" +
                          Printable(entry.path) + "\""));
    }
    if (entry.sha256.size() != 64 || !IsLowerHex(entry.sha256)) {
      return Fail(Invalid("manifest.json: member " + entry.path + " has an invalid sha256"));
    }
    if (!seen.insert(entry.path).second) {
      return Fail(Invalid("manifest.json lists " + entry.path + " twice"));
    }
    manifest.members.push_back(std::move(entry));
  }
  return manifest;
}

Expected<int> NewestSchemaVersion(Engine engine) {
  auto migrations = CERTUS_TRY(
      OrderMigrations(engine == Engine::kSqlite ? SqliteMigrations() : PostgresMigrations()));
  return migrations.empty() ? 0 : migrations.back().version;
}

// ---- backup ----

Expected<BackupResult> CreateBackup(const BackupRequest& request) {
  const Engine engine = EngineOfUrl(request.database_url);
  if (engine == Engine::kSqlite && !request.database_url.starts_with("sqlite:")) {
    return Fail(ErrorCode::kMalformed,
                "Unsupported database URL; use sqlite:PATH or postgresql://….");
  }
  const fs::path to = fs::absolute(request.to);
  const fs::path directory = to.parent_path();
  std::error_code ec;
  if (!fs::is_directory(directory, ec)) {
    return Fail(ErrorCode::kNotFound, "No directory " + directory.string() + " to write to");
  }
  auto staging = CERTUS_TRY(TempDirectory::Create(directory, ".certus-backup"));

  BackupResult result;
  Manifest& manifest = result.manifest;
  manifest.certus_version = request.certus_version;
  manifest.engine = engine;
  manifest.created_at = request.created_at;

  fs::path database_copy;
  std::string database_member;
  if (engine == Engine::kSqlite) {
    const std::string source = request.database_url.substr(std::string_view("sqlite:").size());
    if (source.empty() || source == ":memory:") {
      return Fail(ErrorCode::kMalformed, "An in-memory SQLite database cannot be backed up.");
    }
    database_copy = staging.path() / kSqliteFileName;
    manifest.schema_version = CERTUS_TRY(SqliteOnlineCopy(source, database_copy));
    database_member = kSqliteMember;
  } else {
    auto db = CERTUS_TRY(OpenDatabase(request.database_url, {.pool_size = 1}));
    manifest.schema_version = CERTUS_TRY(db->SchemaVersion());
    const auto current = InReadTransaction(*db, [](Transaction& tx) -> Expected<std::string> {
      auto rows = CERTUS_TRY(tx.Execute("SELECT current_schema()"));
      return rows.rows.at(0).Text(0);
    });
    if (!current) return Fail(current.error());
    const std::string& schema = *current;
    db.reset();
    if (schema.empty()) {
      return Fail(ErrorCode::kNotFound, "The database's search_path names no existing schema.");
    }
    const auto connection = CERTUS_TRY(SplitPgUrl(request.database_url));
    database_copy = staging.path() / "certus.pgdump";
    std::vector<std::string> argv{PgProgram("pg_dump"), "--format=custom", "--no-password",
                                  "--file=" + database_copy.string(),
                                  "--dbname=" + connection.conninfo};
    if (schema != "public") argv.push_back("--schema=" + QuotePgIdentifier(schema));
    CERTUS_CHECK(RunPgProgram(argv, connection.password));
    database_member = kPostgresMember;
  }
  const auto database_size = static_cast<std::int64_t>(fs::file_size(database_copy, ec));
  if (ec) return Fail(Unavailable("cannot stat " + database_copy.string(), ec.value()));

  // After the database snapshot: a blob is written before the row that names it, so every
  // blob the snapshot refers to exists by now.
  const auto blobs =
      CERTUS_TRY(ListBlobs(fs::path(request.data_dir) / kBlobDirectory, result.warnings));

  const fs::path temp = to.string() + ".tmp";
  Fd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (fd.get() < 0) return Fail(Unavailable("cannot create " + temp.string(), errno));
  // It holds everything, so only its owner reads it, even if an older file had other modes.
  if (::fchmod(fd.get(), 0600) != 0)
    return Fail(Unavailable("cannot chmod " + temp.string(), errno));
  const auto written = [&]() -> Expected<MemberDigest> {
    std::int64_t mtime = 0;
    if (auto at = ParseTimestamp(request.created_at)) {
      mtime = std::chrono::duration_cast<std::chrono::seconds>(at->time_since_epoch()).count();
    }
    TarWriter writer(fd.get(), mtime);
    auto digest = CERTUS_TRY(writer.AddFile(database_member, database_copy, database_size));
    manifest.members.push_back({database_member, digest.size, digest.sha256});
    for (const auto& blob : blobs) {
      auto blob_digest = CERTUS_TRY(writer.AddFile(blob.member, blob.path, blob.size));
      if (blob_digest.sha256 != BlobNameHash(blob.member)) {
        result.warnings.push_back("blob " + blob.path.string() +
                                  " does not hash to its name: it was damaged before this backup, "
                                  "which holds it as it is");
      }
      manifest.members.push_back({blob.member, blob_digest.size, blob_digest.sha256});
      ++result.blob_count;
      result.blob_bytes += blob_digest.size;
    }
    CERTUS_TRY(writer.AddBytes(kManifestMember, ManifestToJson(manifest)));
    return writer.Finish();
  }();
  if (!written || ::fsync(fd.get()) != 0 || !fd.Close()) {
    const int error = errno;
    ::unlink(temp.c_str());
    if (!written) return Fail(written.error());
    return Fail(Unavailable("cannot write " + temp.string(), error));
  }
  if (::rename(temp.c_str(), to.c_str()) != 0) {
    const int error = errno;
    ::unlink(temp.c_str());
    return Fail(Unavailable("cannot rename " + temp.string() + " to " + to.string(), error));
  }
  CERTUS_CHECK(SyncDirectory(directory));
  result.archive_size = written->size;
  result.archive_sha256 = written->sha256;
  return result;
}

// ---- verification ----

Expected<VerifiedArchive> VerifyArchive(const fs::path& file) {
  auto reader = CERTUS_TRY(TarReader::Open(file));
  std::map<std::string, MemberDigest> seen;
  std::optional<std::string> manifest_text;
  std::string buffer(kChunk, '\0');
  while (auto entry = CERTUS_TRY(reader->Next())) {
    const auto& name = entry->name;
    if (!IsArchiveMemberPath(name)) {
      return Fail(Invalid("the archive holds an unsafe or unknown member path \"" +
                          Printable(name) + "\"; nothing was restored"));
    }
    if (entry->type != '0') {
      return Fail(Invalid("archive member " + name + " is not a regular file"));
    }
    if (seen.contains(name)) return Fail(Invalid("the archive holds " + name + " twice"));
    Sha256Stream hash;
    const bool is_manifest = name == kManifestMember;
    if (is_manifest) {
      if (entry->size > kMaxManifestBytes) return Fail(Invalid("manifest.json is too large"));
      manifest_text.emplace();
    }
    std::int64_t size = 0;
    while (true) {
      const auto got = CERTUS_TRY(reader->Read(buffer.data(), buffer.size()));
      if (got == 0) break;
      const std::string_view chunk(buffer.data(), got);
      hash.Update(chunk);
      if (is_manifest) manifest_text->append(chunk);
      size += static_cast<std::int64_t>(got);
    }
    seen.emplace(name, MemberDigest{size, hash.FinishHex()});
  }
  const auto whole = CERTUS_TRY(reader->FinishFile());
  if (!manifest_text) {
    return Fail(Invalid("the archive holds no manifest.json: not a Certus backup, or truncated"));
  }
  VerifiedArchive verified;
  verified.manifest = CERTUS_TRY(ParseManifest(*manifest_text));
  verified.archive_size = whole.size;
  verified.archive_sha256 = whole.sha256;
  const auto& manifest = verified.manifest;

  const auto database_member = manifest.engine == Engine::kSqlite ? kSqliteMember : kPostgresMember;
  const auto other_member = manifest.engine == Engine::kSqlite ? kPostgresMember : kSqliteMember;
  std::set<std::string> listed;
  for (const auto& member : manifest.members) {
    if (member.path == other_member) {
      return Fail(Invalid(fmt::format("the manifest of a {} backup lists {}",
                                      EngineName(manifest.engine), member.path)));
    }
    const auto found = seen.find(member.path);
    if (found == seen.end()) {
      return Fail(Invalid("member " + member.path +
                          " is listed in the manifest but missing from the archive"));
    }
    if (found->second.size != member.size) {
      return Fail(
          Invalid(fmt::format("member {} is {} bytes; the manifest says {} (altered or damaged)",
                              member.path, found->second.size, member.size)));
    }
    if (found->second.sha256 != member.sha256) {
      return Fail(Invalid("member " + member.path +
                          ": its SHA-256 does not match the manifest (altered or damaged)"));
    }
    listed.insert(member.path);
  }
  if (!listed.contains(std::string(database_member))) {
    return Fail(Invalid("the archive holds no database (" + std::string(database_member) + ")"));
  }
  for (const auto& [name, digest] : seen) {
    if (name != kManifestMember && !listed.contains(name)) {
      return Fail(Invalid("archive member " + name + " is not listed in the manifest"));
    }
  }
  const int newest = CERTUS_TRY(NewestSchemaVersion(manifest.engine));
  if (manifest.schema_version > newest) {
    return Fail(Invalid(fmt::format(
        "the backup's database schema is at version {}, newer than this certus knows ({}): "
        "restore with certus {} or newer",
        manifest.schema_version, newest, manifest.certus_version)));
  }
  return verified;
}

// ---- restore ----

namespace {

/// Writes one member's data from `reader` to `path` (created, never overwritten), fsync'd,
/// and checks it against the manifest again: the archive may have changed since it was
/// verified.
Expected<void> ExtractMember(TarReader& reader, const ManifestMember& member, const fs::path& path,
                             mode_t mode) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec) return Fail(Unavailable("cannot create " + path.parent_path().string(), ec.value()));
  Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode));
  if (fd.get() < 0) return Fail(Unavailable("cannot create " + path.string(), errno));
  Sha256Stream hash;
  std::string buffer(kChunk, '\0');
  std::int64_t size = 0;
  while (true) {
    const auto got = CERTUS_TRY(reader.Read(buffer.data(), buffer.size()));
    if (got == 0) break;
    std::string_view chunk(buffer.data(), got);
    hash.Update(chunk);
    size += static_cast<std::int64_t>(got);
    while (!chunk.empty()) {
      const ssize_t n = ::write(fd.get(), chunk.data(), chunk.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        return Fail(Unavailable("cannot write " + path.string(), errno));
      }
      chunk.remove_prefix(static_cast<std::size_t>(n));
    }
  }
  if (::fsync(fd.get()) != 0 || !fd.Close()) {
    return Fail(Unavailable("cannot write " + path.string(), errno));
  }
  if (size != member.size || hash.FinishHex() != member.sha256) {
    return Fail(Invalid("member " + member.path +
                        " changed between verification and restore; nothing was restored"));
  }
  return {};
}

/// fsyncs every directory under `root` and `root` itself, deepest first.
Expected<void> SyncTree(const fs::path& root) {
  std::error_code ec;
  std::vector<fs::path> directories;
  for (fs::recursive_directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_directory(ec) && !it->is_symlink(ec)) directories.push_back(it->path());
  }
  if (ec) return Fail(Unavailable("cannot list " + root.string(), ec.value()));
  std::reverse(directories.begin(), directories.end());
  for (const auto& directory : directories) CERTUS_CHECK(SyncDirectory(directory));
  return SyncDirectory(root);
}

Expected<bool> IsEmptyOrMissing(const fs::path& directory) {
  std::error_code ec;
  const auto status = fs::symlink_status(directory, ec);
  if (!fs::exists(status)) return true;
  if (!fs::is_directory(status)) {
    return Fail(Refused(directory.string() + " exists and is not a directory"));
  }
  const bool empty = fs::is_empty(directory, ec);
  if (ec) return Fail(Unavailable("cannot read " + directory.string(), ec.value()));
  return empty;
}

}  // namespace

Expected<RestoreResult> Restore(const RestoreRequest& request) {
  RestoreResult result;
  // Nothing is written before the whole archive has been read and checked.
  result.archive = CERTUS_TRY(VerifyArchive(request.from));
  const auto& manifest = result.archive.manifest;
  const fs::path data_dir = NormalDirectory(request.data_dir);

  const Engine target =
      request.database_url.empty() ? Engine::kSqlite : EngineOfUrl(request.database_url);
  if (target == Engine::kSqlite && !request.database_url.empty()) {
    if (!request.database_url.starts_with("sqlite:")) {
      return Fail(Refused("Unsupported database URL; use sqlite:PATH or postgresql://…."));
    }
    const fs::path wanted = data_dir / kSqliteFileName;
    const fs::path given = NormalDirectory(request.database_url.substr(7));
    if (given != wanted) {
      return Fail(Refused("A SQLite backup is restored to " + wanted.string() +
                          " (DATA_DIR/certus.db); --database names another file"));
    }
  }
  if (target != manifest.engine) {
    return Fail(Refused(fmt::format(
        "The archive is a {} backup but the configured database is {}: restore it into an "
        "installation of the same engine",
        EngineName(manifest.engine), EngineName(target))));
  }
  const bool data_empty = CERTUS_TRY(IsEmptyOrMissing(data_dir));
  if (!data_empty && !request.force) {
    return Fail(Refused("The data directory " + data_dir.string() +
                        " is not empty; nothing was restored. Restore into an empty directory, "
                        "or pass --force to replace its contents"));
  }
  std::unique_ptr<Database> postgres;
  if (target == Engine::kPostgres) {
    postgres = CERTUS_TRY(OpenDatabase(request.database_url, {.pool_size = 1}));
    const int existing = CERTUS_TRY(ReadSchemaVersion(*postgres));
    if (existing > 0 && !request.force) {
      return Fail(
          Refused("The configured PostgreSQL database already holds a Certus schema; nothing was "
                  "restored. Restore into an empty database, or pass --force to replace it"));
    }
  }

  std::error_code ec;
  const fs::path parent = data_dir.parent_path();
  fs::create_directories(parent, ec);
  if (ec) return Fail(Unavailable("cannot create " + parent.string(), ec.value()));
  auto staging =
      CERTUS_TRY(TempDirectory::Create(parent, "." + data_dir.filename().string() + ".restore"));

  std::map<std::string, const ManifestMember*> by_path;
  for (const auto& member : manifest.members) by_path.emplace(member.path, &member);
  const fs::path dump = staging.path() / ".certus.pgdump";
  {
    auto reader = CERTUS_TRY(TarReader::Open(request.from));
    while (auto entry = CERTUS_TRY(reader->Next())) {
      if (entry->name == kManifestMember) continue;
      const auto found = by_path.find(entry->name);
      if (found == by_path.end() || !IsArchiveMemberPath(entry->name)) {
        return Fail(Invalid("archive member " + Printable(entry->name) +
                            " appeared after verification; nothing was restored"));
      }
      fs::path path;
      mode_t mode = 0600;
      if (entry->name == kSqliteMember) {
        path = staging.path() / kSqliteFileName;
      } else if (entry->name == kPostgresMember) {
        path = dump;
      } else {
        path = staging.path() / entry->name;  // blobs/ab/cdef…, a fixed safe shape
        mode = 0640;
        ++result.blob_count;
      }
      CERTUS_CHECK(ExtractMember(*reader, *found->second, path, mode));
    }
  }

  if (target == Engine::kSqlite) {
    const auto version = CheckSqliteFile(staging.path() / kSqliteFileName);
    if (!version) {
      return Fail(Invalid("the restored database failed its check: " + version.error().message()));
    }
    if (*version != manifest.schema_version) {
      return Fail(
          Invalid(fmt::format("the restored database is at schema version {}; the manifest says {}",
                              *version, manifest.schema_version)));
    }
  }
  CERTUS_CHECK(SyncTree(staging.path()));

  if (target == Engine::kPostgres) {
    const auto connection = CERTUS_TRY(SplitPgUrl(request.database_url));
    std::vector<std::string> argv{PgProgram("pg_restore"),
                                  "--single-transaction",
                                  "--exit-on-error",
                                  "--no-owner",
                                  "--no-acl",
                                  "--no-password"};
    if (request.force) {
      argv.emplace_back("--clean");
      argv.emplace_back("--if-exists");
    }
    argv.push_back("--dbname=" + connection.conninfo);
    argv.push_back(dump.string());
    CERTUS_CHECK(RunPgProgram(argv, connection.password));
    fs::remove(dump, ec);
    const int version = CERTUS_TRY(ReadSchemaVersion(*postgres));
    if (version != manifest.schema_version) {
      return Fail(
          Invalid(fmt::format("the restored database is at schema version {}; the manifest says {}",
                              version, manifest.schema_version)));
    }
  }

  // The swap: the old directory steps aside, the new one takes its name, the old one goes.
  std::optional<fs::path> old_dir;
  if (fs::exists(fs::symlink_status(data_dir, ec))) {
    if (data_empty) {
      fs::remove(data_dir, ec);
      if (ec) return Fail(Unavailable("cannot replace " + data_dir.string(), ec.value()));
    } else {
      auto aside =
          CERTUS_TRY(TempDirectory::Create(parent, "." + data_dir.filename().string() + ".old"));
      old_dir = aside.path();
      aside.Keep();
      if (::rename(data_dir.c_str(), old_dir->c_str()) != 0) {
        const int error = errno;
        fs::remove(*old_dir, ec);
        return Fail(Unavailable("cannot move " + data_dir.string() + " aside", error));
      }
      result.replaced_existing = true;
    }
  }
  if (::rename(staging.path().c_str(), data_dir.c_str()) != 0) {
    const int error = errno;
    if (old_dir) ::rename(old_dir->c_str(), data_dir.c_str());  // put the old data back
    return Fail(Unavailable("cannot move the restored data to " + data_dir.string(), error));
  }
  staging.Keep();
  ::chmod(data_dir.c_str(), 0700);
  CERTUS_CHECK(SyncDirectory(parent));
  if (old_dir) fs::remove_all(*old_dir, ec);  // the restore stands; a leftover is harmless
  return result;
}

}  // namespace certus::storage::backup
