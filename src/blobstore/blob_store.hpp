#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace certus::blobstore {

/// What Put stored: the lowercase hex SHA-256 that names the bytes, and their size.
struct BlobRef {
  std::string sha256;
  std::int64_t size = 0;
};

/// The client-visible message of a blob whose bytes no longer match their name.
inline constexpr std::string_view kIntegrityFailure =
    "The stored file no longer matches its SHA-256: it was altered or damaged after it was "
    "stored, and is not served.";

/// Whether `error` is Read's integrity failure (kInternal with kIntegrityFailure), so that
/// callers can answer it apart from other internal errors.
bool IsIntegrityFailure(const Error& error);

/// Whether `name` is a blob name: 64 lowercase hexadecimal digits, nothing else (so no name
/// can reach outside the store).
bool IsBlobName(std::string_view name);

/// Content-addressed storage of immutable byte strings, each named by the lowercase hex
/// SHA-256 of its bytes. The seam between the modules and where evidence files live
/// (DESIGN §1). Implementations must be thread-safe. Blobs are never changed or deleted
/// through this interface: the same bytes always have the same name.
///
/// Errors: kMalformed for a name that is not a SHA-256 (IsBlobName), kNotFound for a blob
/// that is not stored, kUnavailable when the storage cannot be written or read, and kInternal
/// with kIntegrityFailure when stored bytes no longer hash to their name.
class BlobStore {
 public:
  virtual ~BlobStore() = default;
  /// Stores `bytes` durably and answers their name and size. Idempotent: storing bytes that
  /// are already stored writes nothing new (and repairs a damaged copy).
  virtual Expected<BlobRef> Put(std::string_view bytes) = 0;
  /// The bytes named `sha256`, re-hashed on every read: never bytes that do not match.
  virtual Expected<std::string> Read(std::string_view sha256) = 0;
  virtual Expected<bool> Exists(std::string_view sha256) = 0;
};

/// What re-hashing every blob of a store found (DirectoryBlobStore::VerifyAll).
struct IntegrityReport {
  std::int64_t blobs = 0;               ///< blobs read, sound or not
  std::int64_t bytes = 0;               ///< bytes of the sound ones
  std::vector<std::string> damaged;     ///< names whose bytes no longer hash to them
  std::vector<std::string> unreadable;  ///< names that could not be read (permissions, I/O)

  bool ok() const { return damaged.empty() && unreadable.empty(); }
};

/// A BlobStore in a directory of the file system: blob `abcdef…` is the file `ab/cdef…`
/// under `root` (two-level fan-out keeps directories small). Put writes a temporary file in
/// the blob's directory, fsyncs it, renames it to its final name and fsyncs the directory,
/// so that a crash never leaves a partial blob under a final name. Directories are created
/// on first use. Thread-safe and safe for several processes sharing one directory.
class DirectoryBlobStore final : public BlobStore {
 public:
  explicit DirectoryBlobStore(std::filesystem::path root) : root_(std::move(root)) {}

  Expected<BlobRef> Put(std::string_view bytes) override;
  Expected<std::string> Read(std::string_view sha256) override;
  Expected<bool> Exists(std::string_view sha256) override;

  const std::filesystem::path& root() const { return root_; }
  /// Where blob `sha256` lives (which must be a blob name); for tests and operators.
  std::filesystem::path PathOf(std::string_view sha256) const;

  /// Re-hashes every blob under the root, one at a time, in name order (the periodic
  /// integrity check, `certus blobs verify`). Files that are no blob (temporary files of an
  /// unfinished Put) are skipped. An empty or missing root is a sound, empty store.
  /// kUnavailable when the root cannot be listed.
  Expected<IntegrityReport> VerifyAll();

 private:
  std::filesystem::path root_;
};

}  // namespace certus::blobstore
