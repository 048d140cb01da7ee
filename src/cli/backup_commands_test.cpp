// `certus backup` and `certus restore` (issue 9, item 7) on both engines: data written through
// the services is backed up from the live database, restored into a fresh place and compared
// row by row; tampered, truncated and unsafe archives are refused with nothing written.
#include "cli/backup_commands.hpp"

#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <thread>

#include <fcntl.h>
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auditlog/audit_log.hpp"
#include "blobstore/blob_store.hpp"
#include "core/encoding.hpp"
#include "identity/service.hpp"
#include "modules/context/service.hpp"
#include "storage/backup.hpp"
#include "storage/backup_archive.hpp"
#include "tests/support/fakes.hpp"
#include "tests/support/test_database.hpp"

namespace certus::testing {
namespace {

namespace fs = std::filesystem;
namespace backup = storage::backup;
using ::testing::HasSubstr;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void WriteFile(const fs::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

/// Every row of every table, as text, sorted: two databases hold the same data when their
/// snapshots are equal.
using Snapshot = std::map<std::string, std::vector<std::string>>;

Snapshot TakeSnapshot(storage::Database& db) {
  Snapshot snapshot;
  auto read = storage::InReadTransaction(db, [&](storage::Transaction& tx) -> Expected<void> {
    const char* tables_sql =
        tx.dialect() == storage::Dialect::kSqlite
            ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
              "ORDER BY name"
            : "SELECT table_name FROM information_schema.tables WHERE table_schema = "
              "current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name";
    auto tables = CERTUS_TRY(tx.Execute(tables_sql));
    for (const auto& table : tables.rows) {
      const auto name = table.Text(0);
      // The name comes from the catalog, not from input.
      auto rows = CERTUS_TRY(tx.Execute("SELECT * FROM \"" + name + "\""));
      auto& lines = snapshot[name];
      for (const auto& row : rows.rows) {
        std::string line;
        for (std::size_t i = 0; i < row.size(); ++i) {
          line += row.IsNull(i) ? "NULL" : row.Text(i);
          line += '\x1f';
        }
        lines.push_back(line);
      }
      std::sort(lines.begin(), lines.end());
    }
    return {};
  });
  EXPECT_TRUE(read) << read.error().log_detail();
  return snapshot;
}

/// Every audit chain verifies (what `certus audit-log verify` checks); answers the events.
std::int64_t VerifyAuditChains(storage::Database& db) {
  FakeClock clock;
  auditlog::AuditLog audit_log(clock);
  std::int64_t events = 0;
  auto chains = storage::InReadTransaction(
      db, [&](storage::Transaction& tx) { return audit_log.Chains(tx); });
  EXPECT_TRUE(chains);
  if (!chains) return -1;
  for (const auto& chain : *chains) {
    auto verdict = storage::InReadTransaction(
        db, [&](storage::Transaction& tx) { return audit_log.Verify(tx, chain); });
    EXPECT_TRUE(verdict && verdict->ok) << "chain " << chain;
    if (verdict) events += verdict->events;
  }
  return events;
}

struct Command {
  int status = 0;
  std::string out;
  std::string err;
};

/// Options as the command line would give them.
cli::BackupCommandOptions Options(std::string data_dir, std::string file, std::string database = {},
                                  bool force = false, bool unexpected_arguments = false) {
  cli::BackupCommandOptions options;
  options.data_dir = std::move(data_dir);
  options.file = std::move(file);
  options.database = std::move(database);
  options.force = force;
  options.unexpected_arguments = unexpected_arguments;
  return options;
}

Command RunBackup(const cli::BackupCommandOptions& options) {
  std::ostringstream out, err;
  const int status = cli::BackupCommand(options, out, err);
  return {status, out.str(), err.str()};
}

Command RunRestore(const cli::BackupCommandOptions& options) {
  std::ostringstream out, err;
  const int status = cli::RestoreCommand(options, out, err);
  return {status, out.str(), err.str()};
}

std::string RandomHex(int bytes) {
  std::random_device device;
  std::string hex;
  for (int i = 0; i < bytes; ++i) hex += fmt::format("{:02x}", device() & 0xffU);
  return hex;
}

/// The entries of a directory, to show that a refused restore left nothing behind.
std::vector<std::string> Listing(const fs::path& directory) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(directory)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

/// The members of an archive in order, for tests that rebuild it altered.
std::vector<std::pair<std::string, std::string>> Members(const fs::path& archive) {
  std::vector<std::pair<std::string, std::string>> members;
  auto reader = backup::TarReader::Open(archive);
  EXPECT_TRUE(reader);
  while (true) {
    auto entry = (*reader)->Next();
    EXPECT_TRUE(entry);
    if (!entry || !*entry) break;
    std::string bytes((*entry)->size, '\0');
    std::size_t done = 0;
    while (done < bytes.size()) {
      auto got = (*reader)->Read(bytes.data() + done, bytes.size() - done);
      EXPECT_TRUE(got && *got > 0);
      if (!got || *got == 0) break;
      done += *got;
    }
    members.emplace_back((*entry)->name, std::move(bytes));
  }
  return members;
}

void WriteArchive(const fs::path& archive,
                  const std::vector<std::pair<std::string, std::string>>& members) {
  const int fd = ::open(archive.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  ASSERT_GE(fd, 0);
  backup::TarWriter writer(fd, 1767225600);
  for (const auto& [name, bytes] : members) ASSERT_TRUE(writer.AddBytes(name, bytes));
  ASSERT_TRUE(writer.Finish());
  ::close(fd);
}

/// A live installation with data written through the services and two evidence blobs.
class BackupTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    work_ = fs::temp_directory_path() / ("certus-backup-test-" + RandomHex(8));
    fs::create_directories(work_);
    source_ = TestDatabase::Create(GetParam());
    if (GetParam() == Engine::kSqlite) {
      // TestDatabase's SQLite file is DIR/certus.db: DIR is a data directory.
      data_dir_ = fs::path(source_->url().substr(7)).parent_path();
    } else {
      data_dir_ = work_ / "source-data";
      fs::create_directories(data_dir_);
    }
    WriteData(source_->db(), "alice@example.com");
    blobstore::DirectoryBlobStore blobs(data_dir_ / "blobs");
    small_blob_ = blobs.Put("Signed access review, Q1.\n")->sha256;
    std::string large(std::size_t{300} * 1024, '\0');
    std::mt19937 engine(9);
    for (auto& c : large) c = static_cast<char>(engine() & 0xffU);
    large_blob_ = blobs.Put(large)->sha256;
    large_bytes_ = large;
  }

  void TearDown() override {
    source_.reset();
    std::error_code ignored;
    fs::remove_all(work_, ignored);
  }

  void WriteData(storage::Database& db, const std::string& email) {
    auditlog::AuditLog audit_log(clock_);
    identity::IdentityService identity(db, clock_, random_, audit_log,
                                       {.hash_cost = identity::HashCost::kMinimum});
    context::ContextService context(db, clock_, random_, audit_log);
    auto admin =
        identity.CreateUser(Actor::System(), {email, "Alice", SecretString("correct horse"), true});
    ASSERT_TRUE(admin);
    auto org = identity.CreateOrg(Actor::System(), "Acme Ltd", admin->id);
    ASSERT_TRUE(org);
    Actor actor{admin->id, admin->email, Role::kAdmin, false, {}};
    std::vector<context::NewContextIssue> issues;
    issues.reserve(40);
    for (int i = 0; i < 40; ++i) {
      issues.push_back({i % 2 == 0 ? context::IssueKind::kExternal : context::IssueKind::kInternal,
                        fmt::format("Issue {:02} — ünïcode", i), "Described.", "Affects us.",
                        std::nullopt});
    }
    ASSERT_TRUE(context.CreateMany(actor, org->id, issues));
  }

  cli::BackupCommandOptions BackupOptions(const fs::path& to) const {
    return Options(data_dir_.string(), to.string(), source_->url());
  }

  /// Makes a good archive and answers its path.
  fs::path MakeArchive() {
    auto archive = work_ / "certus.backup.tar";
    auto made = RunBackup(BackupOptions(archive));
    EXPECT_EQ(made.status, 0) << made.err;
    return archive;
  }

  fs::path work_;
  fs::path data_dir_;
  FakeClock clock_;
  SeededRandom random_;
  std::unique_ptr<TestDatabase> source_;
  std::string small_blob_, large_blob_, large_bytes_;
};

TEST_P(BackupTest, BacksUpTheLiveDatabaseAndRestoresTheSameRows) {
  const auto archive = work_ / "certus.backup.tar";
  auto made = RunBackup(BackupOptions(archive));
  ASSERT_EQ(made.status, 0) << made.err;
  EXPECT_EQ(made.err, "");
  // Written whole, owner-only, nothing temporary left beside it.
  struct stat info {};
  ASSERT_EQ(::stat(archive.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  const std::vector<std::string> expected_listing =
      GetParam() == Engine::kSqlite ? std::vector<std::string>{"certus.backup.tar"}
                                    : std::vector<std::string>{"certus.backup.tar", "source-data"};
  EXPECT_EQ(Listing(work_), expected_listing);
  EXPECT_THAT(made.out, HasSubstr("Archive SHA-256: " + Sha256Hex(ReadFile(archive))));
  EXPECT_THAT(made.out, HasSubstr("2 evidence files"));

  auto verified = backup::VerifyArchive(archive);
  ASSERT_TRUE(verified) << verified.error().message();
  const auto& manifest = verified->manifest;
  EXPECT_EQ(manifest.engine,
            GetParam() == Engine::kSqlite ? backup::Engine::kSqlite : backup::Engine::kPostgres);
  EXPECT_EQ(manifest.schema_version, *source_->db().SchemaVersion());
  EXPECT_FALSE(manifest.certus_version.empty());
  ASSERT_EQ(manifest.members.size(), 3u);
  EXPECT_EQ(manifest.members[1].path, "blobs/" + std::min(small_blob_, large_blob_).substr(0, 2) +
                                          "/" + std::min(small_blob_, large_blob_).substr(2));

  // The installation goes on; a second backup holds what was written in between.
  WriteData(source_->db(), "bob@example.com");
  auto again = RunBackup(BackupOptions(archive));
  ASSERT_EQ(again.status, 0) << again.err;
  const auto expected_rows = TakeSnapshot(source_->db());
  const auto source_events = VerifyAuditChains(source_->db());
  ASSERT_GT(source_events, 0);
  ASSERT_GT(expected_rows.at("context_issues").size(), 40u);

  const auto restored_dir = work_ / "restored" / "data";
  std::string restored_url;
  if (GetParam() == Engine::kSqlite) {
    auto restored = RunRestore(Options(restored_dir.string(), archive.string()));
    ASSERT_EQ(restored.status, 0) << restored.err;
    EXPECT_THAT(restored.out, HasSubstr("Restored into " + restored_dir.string()));
    restored_url = "sqlite:" + (restored_dir / "certus.db").string();
  } else {
    // pg_dump named the test's schema; it goes back into the same database once the source
    // schema is gone (as into a fresh installation).
    restored_url = source_->url();
    const auto schema = *storage::InReadTransaction(
        source_->db(), [](storage::Transaction& tx) -> Expected<std::string> {
          return CERTUS_TRY(tx.Execute("SELECT current_schema()")).rows.at(0).Text(0);
        });
    source_.reset();  // drops the schema
    auto restored = RunRestore(Options(restored_dir.string(), archive.string(), restored_url));
    ASSERT_EQ(restored.status, 0) << restored.err;
    struct DropSchema {
      std::string schema;
      ~DropSchema() {
        auto admin = storage::OpenDatabase(std::getenv("CERTUS_TEST_PG"), {.pool_size = 1});
        if (admin) {
          (void)storage::InWriteTransaction(**admin, [&](storage::Transaction& tx) {
            return tx.Execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
          });
        }
      }
    } drop{schema};
    {
      auto db = storage::OpenDatabase(restored_url);
      ASSERT_TRUE(db);
      EXPECT_EQ(TakeSnapshot(**db), expected_rows);
      EXPECT_EQ(VerifyAuditChains(**db), source_events);
    }
    // A populated database is refused without --force and replaced with it.
    auto refused = RunRestore(Options((work_ / "other").string(), archive.string(), restored_url));
    EXPECT_EQ(refused.status, 2) << refused.err;
    EXPECT_THAT(refused.err, HasSubstr("already holds a Certus schema"));
    EXPECT_FALSE(fs::exists(work_ / "other"));
    auto forced =
        RunRestore(Options((work_ / "other").string(), archive.string(), restored_url, true));
    ASSERT_EQ(forced.status, 0) << forced.err;
    auto db = storage::OpenDatabase(restored_url);
    ASSERT_TRUE(db);
    EXPECT_EQ(TakeSnapshot(**db), expected_rows);
    EXPECT_EQ(VerifyAuditChains(**db), source_events);
  }

  if (GetParam() == Engine::kSqlite) {
    auto db = storage::OpenDatabase(restored_url);
    ASSERT_TRUE(db);
    EXPECT_EQ(TakeSnapshot(**db), expected_rows);
    EXPECT_EQ(VerifyAuditChains(**db), source_events);
    // The restored installation migrates and runs as any other.
    EXPECT_TRUE((*db)->Migrate());
  }
  blobstore::DirectoryBlobStore blobs(restored_dir / "blobs");
  EXPECT_EQ(*blobs.Read(large_blob_), large_bytes_);
  EXPECT_EQ(*blobs.Read(small_blob_), "Signed access review, Q1.\n");
}

TEST_P(BackupTest, BackupsTakenDuringWritesAreConsistent) {
  // Writers carry on while backups are taken; each backup is one consistent snapshot: its
  // audit chains (whose heads are stored apart from the events) verify.
  std::atomic<bool> stop = false;
  std::atomic<int> written = 0;
  std::thread writer([&] {
    auditlog::AuditLog audit_log(clock_);
    context::ContextService context(source_->db(), clock_, random_, audit_log);
    identity::IdentityService identity(source_->db(), clock_, random_, audit_log,
                                       {.hash_cost = identity::HashCost::kMinimum});
    auto users = identity.ListUsers();
    auto orgs = identity.ListAllOrgs();
    if (!users || !orgs || users->empty() || orgs->empty()) {
      stop = true;
      return;
    }
    Actor actor{users->front().id, users->front().email, Role::kAdmin, false, {}};
    while (!stop) {
      if (context.Create(
              actor, orgs->front().id,
              {context::IssueKind::kInternal, "Written during a backup", "", "", std::nullopt})) {
        ++written;
      }
    }
  });
  std::vector<std::size_t> issues;
  for (int i = 0; i < 3; ++i) {
    const int before = written;
    while (written < before + 5 && !stop) std::this_thread::yield();
    ASSERT_FALSE(stop) << "the writer could not start";
    const auto archive = work_ / fmt::format("during-{}.tar", i);
    auto made = RunBackup(BackupOptions(archive));
    ASSERT_EQ(made.status, 0) << made.err;
    auto verified = backup::VerifyArchive(archive);
    ASSERT_TRUE(verified) << verified.error().message();
    if (GetParam() != Engine::kSqlite) continue;  // PostgreSQL restores: the test above
    const auto dir = work_ / fmt::format("restored-{}", i);
    auto restored = RunRestore(Options(dir.string(), archive.string()));
    ASSERT_EQ(restored.status, 0) << restored.err;
    auto db = storage::OpenDatabase("sqlite:" + (dir / "certus.db").string());
    ASSERT_TRUE(db);
    EXPECT_GT(VerifyAuditChains(**db), 0);
    issues.push_back(TakeSnapshot(**db).at("context_issues").size());
  }
  stop = true;
  writer.join();
  EXPECT_TRUE(std::is_sorted(issues.begin(), issues.end()));
  if (!issues.empty()) {
    EXPECT_LT(issues.front(), issues.back());
  }
}

TEST_P(BackupTest, ThePostgresPasswordReachesPgDumpOnlyThroughItsEnvironment) {
  if (GetParam() != Engine::kPostgres) GTEST_SKIP() << "PostgreSQL only";
  // The test server trusts local connections, so any password is accepted; a wrapper in
  // place of pg_dump records what it was given.
  const auto bin = work_ / "bin";
  fs::create_directories(bin);
  WriteFile(bin / "pg_dump", fmt::format("#!/bin/sh\n"
                                         "printf '%s\\n' \"$@\" > {0}/args\n"
                                         "printf '%s' \"$PGPASSWORD\" > {0}/password\n"
                                         "exec /usr/lib/postgresql/15/bin/pg_dump \"$@\"\n",
                                         bin.string()));
  fs::permissions(bin / "pg_dump", fs::perms::owner_all);
  auto url = source_->url();
  url.replace(url.find("postgres@"), 9, "postgres:s3cr%21t@");
  ::setenv("CERTUS_PG_BINDIR", bin.c_str(), 1);
  auto made = RunBackup(Options(data_dir_.string(), (work_ / "pw.tar").string(), url));
  ::unsetenv("CERTUS_PG_BINDIR");
  ASSERT_EQ(made.status, 0) << made.err;
  EXPECT_EQ(ReadFile(bin / "password"), "s3cr!t");
  const auto args = ReadFile(bin / "args");
  EXPECT_THAT(args, HasSubstr("--format=custom"));
  EXPECT_THAT(args, HasSubstr("--schema="));
  EXPECT_THAT(args, ::testing::Not(HasSubstr("s3cr")));
  EXPECT_THAT(made.out + made.err, ::testing::Not(HasSubstr("s3cr")));
}

INSTANTIATE_TEST_SUITE_P(Engines, BackupTest, ::testing::ValuesIn(TestEngines()), EngineName);

/// Refusals need no second engine: verification happens before the database is touched.
class BackupRefusalTest : public BackupTest {};

TEST_P(BackupRefusalTest, TamperedTruncatedAndUnsafeArchivesAreRefusedWithNothingWritten) {
  const auto good = MakeArchive();
  const auto members = Members(good);
  ASSERT_EQ(members.size(), 4u);  // database, two blobs, manifest
  ASSERT_EQ(members.back().first, "manifest.json");
  const auto target = work_ / "target" / "data";
  fs::create_directories(target.parent_path());
  const auto before = Listing(target.parent_path());

  const auto refuse = [&](const fs::path& archive, const std::string& why) {
    auto result = RunRestore(Options(target.string(), archive.string()));
    EXPECT_EQ(result.status, 1) << why << ": " << result.err;
    EXPECT_EQ(result.out, "") << why;
    EXPECT_FALSE(fs::exists(target)) << why;
    EXPECT_EQ(Listing(target.parent_path()), before) << why;
    return result.err;
  };

  // One byte changed in the database member's data.
  auto bytes = ReadFile(good);
  auto flipped = bytes;
  flipped[512 + 2000] = static_cast<char>(flipped[512 + 2000] ^ 0x01);
  WriteFile(work_ / "flipped.tar", flipped);
  EXPECT_THAT(refuse(work_ / "flipped.tar", "flipped data byte"),
              HasSubstr("member database/certus.db: its SHA-256 does not match the manifest"));

  // One byte changed in a header.
  auto header = bytes;
  header[10] = 'X';
  WriteFile(work_ / "header.tar", header);
  EXPECT_THAT(refuse(work_ / "header.tar", "header"), HasSubstr("fails its checksum"));

  // Truncated: the manifest, last, is gone; or cut inside a member.
  WriteFile(work_ / "short.tar", bytes.substr(0, bytes.size() - std::size_t{3} * 512));
  EXPECT_THAT(refuse(work_ / "short.tar", "short"), HasSubstr("truncated"));
  WriteFile(work_ / "cut.tar", bytes.substr(0, 512 + 1000));
  EXPECT_THAT(refuse(work_ / "cut.tar", "cut"), HasSubstr("truncated"));

  // A member missing.
  auto missing = members;
  missing.erase(missing.begin() + 1);
  WriteArchive(work_ / "missing.tar", missing);
  EXPECT_THAT(refuse(work_ / "missing.tar", "missing"),
              HasSubstr("listed in the manifest but missing from the archive"));

  // A path that escapes, as a member and as a manifest entry.
  auto escaping = members;
  escaping.insert(escaping.begin(), {"../evil", "owned"});
  WriteArchive(work_ / "escape.tar", escaping);
  EXPECT_THAT(refuse(work_ / "escape.tar", "../ member"),
              HasSubstr("unsafe or unknown member path \"../evil\""));
  EXPECT_FALSE(fs::exists(work_ / "target" / "evil"));
  EXPECT_FALSE(fs::exists(work_ / "evil"));

  auto listed = members;
  auto manifest = *backup::ParseManifest(listed.back().second);
  auto escaping_manifest = backup::ManifestToJson(manifest);
  escaping_manifest.replace(escaping_manifest.find("\"blobs/"), 7, "\"../../");
  listed.back().second = escaping_manifest;
  WriteArchive(work_ / "listed.tar", listed);
  EXPECT_THAT(refuse(work_ / "listed.tar", "../ in manifest"),
              HasSubstr("manifest.json lists an unsafe or unknown path \"../../"));

  // A member the manifest does not list, and a blob altered with the manifest left as it was.
  auto extra = members;
  extra.insert(extra.begin() + 1, {"blobs/00/" + std::string(62, '0'), "stowaway"});
  WriteArchive(work_ / "extra.tar", extra);
  EXPECT_THAT(refuse(work_ / "extra.tar", "extra"), HasSubstr("is not listed in the manifest"));

  // A newer schema or format than this binary knows.
  auto newer = members;
  manifest.schema_version = 9999;
  newer.back().second = backup::ManifestToJson(manifest);
  WriteArchive(work_ / "newer.tar", newer);
  EXPECT_THAT(refuse(work_ / "newer.tar", "newer schema"), HasSubstr("newer than this certus"));
  auto format = members;
  auto future = members.back().second;
  future.replace(future.find("\"format_version\":1"), 18, "\"format_version\":2");
  format.back().second = future;
  WriteArchive(work_ / "format.tar", format);
  EXPECT_THAT(refuse(work_ / "format.tar", "format"), HasSubstr("backup format version 2"));

  // Not an archive at all, or no file.
  WriteFile(work_ / "junk.tar", std::string(4096, 'j'));
  EXPECT_THAT(refuse(work_ / "junk.tar", "junk"), HasSubstr("checksum"));
  EXPECT_THAT(refuse(work_ / "absent.tar", "absent"), HasSubstr("No backup archive"));

  // The good archive still restores, into the same place.
  auto restored = RunRestore(Options(target.string(), good.string()));
  EXPECT_EQ(restored.status, 0) << restored.err;
}

TEST_P(BackupRefusalTest, ANonEmptyDataDirectoryIsReplacedOnlyWithForce) {
  const auto archive = MakeArchive();
  const auto target = work_ / "existing";
  fs::create_directories(target);
  WriteFile(target / "certus.db", "old data");
  WriteFile(target / "notes.txt", "kept unless forced");

  auto refused = RunRestore(Options(target.string(), archive.string()));
  EXPECT_EQ(refused.status, 2);
  EXPECT_THAT(refused.err, HasSubstr("is not empty; nothing was restored"));
  EXPECT_EQ(ReadFile(target / "certus.db"), "old data");

  // An archive that fails verification leaves the old data as it was, even with --force.
  auto bytes = ReadFile(archive);
  bytes[512 + 100] = static_cast<char>(bytes[512 + 100] ^ 0x40);
  WriteFile(work_ / "bad.tar", bytes);
  auto bad = RunRestore(Options(target.string(), (work_ / "bad.tar").string(), {}, true));
  EXPECT_EQ(bad.status, 1);
  EXPECT_EQ(ReadFile(target / "certus.db"), "old data");
  EXPECT_EQ(ReadFile(target / "notes.txt"), "kept unless forced");

  auto forced = RunRestore(Options(target.string(), archive.string(), {}, true));
  ASSERT_EQ(forced.status, 0) << forced.err;
  EXPECT_THAT(forced.out, HasSubstr("its previous contents were replaced"));
  EXPECT_FALSE(fs::exists(target / "notes.txt"));
  EXPECT_EQ(Listing(work_), (std::vector<std::string>{"bad.tar", "certus.backup.tar", "existing"}));
  auto db = storage::OpenDatabase("sqlite:" + (target / "certus.db").string());
  ASSERT_TRUE(db);
  EXPECT_EQ(TakeSnapshot(**db), TakeSnapshot(source_->db()));
}

TEST_P(BackupRefusalTest, UsageErrorsExitWithTwo) {
  auto no_file = RunBackup(Options(data_dir_.string(), ""));
  EXPECT_EQ(no_file.status, 2);
  EXPECT_THAT(no_file.err, HasSubstr("--to FILE is required"));
  auto extra = RunRestore(Options("x", "y", {}, false, true));
  EXPECT_EQ(extra.status, 2);
  auto memory =
      RunBackup(Options(data_dir_.string(), (work_ / "m.tar").string(), "sqlite::memory:"));
  EXPECT_EQ(memory.status, 2);
  const auto archive = MakeArchive();
  auto elsewhere = RunRestore(Options((work_ / "d").string(), archive.string(),
                                      "sqlite:" + (work_ / "elsewhere.db").string()));
  EXPECT_EQ(elsewhere.status, 2);
  EXPECT_THAT(elsewhere.err, HasSubstr("DATA_DIR/certus.db"));
  auto other_engine = RunRestore(
      Options((work_ / "d").string(), archive.string(), "postgresql://nobody@127.0.0.1:1/none"));
  EXPECT_EQ(other_engine.status, 2);
  EXPECT_THAT(other_engine.err, HasSubstr("is a sqlite backup"));
  EXPECT_FALSE(fs::exists(work_ / "d"));
}

INSTANTIATE_TEST_SUITE_P(Sqlite, BackupRefusalTest, ::testing::Values(Engine::kSqlite), EngineName);

TEST(BackupArchive, MemberPathsAreAWhitelist) {
  EXPECT_TRUE(backup::IsArchiveMemberPath("manifest.json"));
  EXPECT_TRUE(backup::IsArchiveMemberPath("database/certus.db"));
  EXPECT_TRUE(backup::IsArchiveMemberPath("blobs/ab/" + std::string(62, 'c')));
  for (const std::string& bad : std::vector<std::string>{
           "../certus.db", "/etc/passwd", "blobs/ab/../../../../etc/passwd", "blobs/ab",
           "blobs/AB/" + std::string(62, 'c'), "blobs/ab/" + std::string(61, 'c') + "/",
           "database/../certus.db", "./manifest.json", "blobs//ab" + std::string(61, 'c'), ""}) {
    EXPECT_FALSE(backup::IsArchiveMemberPath(bad)) << bad;
  }
}

}  // namespace
}  // namespace certus::testing
