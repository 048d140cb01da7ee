#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"

struct evp_md_ctx_st;  // OpenSSL's EVP_MD_CTX

namespace certus::storage::backup {

/// An incremental SHA-256 (OpenSSL EVP), for files too large to hold in memory.
class Sha256Stream final {
 public:
  Sha256Stream();
  ~Sha256Stream();
  Sha256Stream(const Sha256Stream&) = delete;
  Sha256Stream& operator=(const Sha256Stream&) = delete;

  void Update(std::string_view bytes);
  /// The lowercase hex digest of everything given so far; the stream starts over afterwards.
  std::string FinishHex();

 private:
  evp_md_ctx_st* context_;
};

/// What one member of an archive held: its size and the SHA-256 of its bytes.
struct MemberDigest {
  std::int64_t size = 0;
  std::string sha256;
};

/// Writes a POSIX.1-1988 ustar archive (docs/adr/0008-backup-format.md) of regular files to
/// a file descriptor it borrows, hashing the whole stream as it goes. Member names are
/// written as given (up to 255 bytes, split into prefix and name at a `/`); sizes of 8 GiB
/// and more use the base-256 size field that GNU tar and bsdtar read. Every member gets
/// mode 0600, owner 0:0 and the one modification time given at construction.
///
/// Not thread-safe. Errors: kUnavailable when the descriptor cannot be written or a source
/// file read; kMalformed for a name that does not fit ustar. After an error the archive is
/// unusable: its file should be removed.
class TarWriter final {
 public:
  TarWriter(int fd, std::int64_t mtime_seconds) : fd_(fd), mtime_(mtime_seconds) {}

  /// Adds a member holding `bytes`.
  Expected<MemberDigest> AddBytes(std::string_view name, std::string_view bytes);
  /// Adds a member holding the file at `path` (opened without following symbolic links);
  /// fails when the file is not exactly `expected_size` bytes long by its end.
  Expected<MemberDigest> AddFile(std::string_view name, const std::filesystem::path& path,
                                 std::int64_t expected_size);
  /// Writes the two zero blocks that end an archive; returns the archive's size and SHA-256.
  Expected<MemberDigest> Finish();

 private:
  Expected<void> WriteHeader(std::string_view name, std::int64_t size);
  Expected<void> Write(std::string_view bytes);
  Expected<void> Pad(std::int64_t size);

  int fd_;
  std::int64_t mtime_;
  std::int64_t written_ = 0;
  Sha256Stream archive_hash_;
};

/// One member header read from an archive.
struct TarEntry {
  std::string name;  ///< prefix and name joined with `/`
  char type = '0';   ///< ustar typeflag: '0' (or NUL) is a regular file
  std::int64_t size = 0;
};

/// Reads a ustar archive from a file, member by member, hashing the whole file as it goes.
/// Accepts what TarWriter writes (and ustar written by GNU tar or bsdtar); checks every
/// header's checksum and magic. Never interprets names: callers decide which are acceptable.
///
/// Not thread-safe. Errors: kUnavailable when the file cannot be read; kValidation for a
/// damaged or truncated archive, with a message naming what and where.
class TarReader final {
 public:
  static Expected<std::unique_ptr<TarReader>> Open(const std::filesystem::path& path);
  ~TarReader();
  TarReader(const TarReader&) = delete;
  TarReader& operator=(const TarReader&) = delete;

  /// Skips what is left of the current member and reads the next header; nullopt at the end
  /// of the archive (a zero block).
  Expected<std::optional<TarEntry>> Next();
  /// Reads up to `capacity` bytes of the current member's data into `buffer`; 0 at its end.
  Expected<std::size_t> Read(char* buffer, std::size_t capacity);
  /// Reads the rest of the file (after the end of the archive) and answers the size and
  /// SHA-256 of the whole file.
  Expected<MemberDigest> FinishFile();

  /// Use Open.
  explicit TarReader(int fd) : fd_(fd) {}

 private:
  Expected<std::size_t> ReadRaw(char* buffer, std::size_t count);
  Expected<void> Skip(std::int64_t count);

  int fd_;
  std::int64_t offset_ = 0;     // bytes consumed from the file
  std::int64_t remaining_ = 0;  // data bytes of the current member not read yet
  std::int64_t padding_ = 0;    // padding after the current member's data
  bool ended_ = false;
  Sha256Stream file_hash_;
};

}  // namespace certus::storage::backup
