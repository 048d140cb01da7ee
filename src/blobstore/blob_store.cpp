#include "blobstore/blob_store.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <optional>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/encoding.hpp"

namespace certus::blobstore {

namespace {

// Temporary files of concurrent writers in one process differ by this counter; writers in
// different processes by their pid.
std::atomic<std::uint64_t> temp_counter{0};

Error Unavailable(const std::string& what, const std::filesystem::path& path, int error) {
  return {ErrorCode::kUnavailable, "The file store cannot be used.",
          what + " " + path.string() + ": " + std::strerror(error)};
}

Error BadName() {
  return {ErrorCode::kMalformed, "A blob name is a SHA-256 of 64 lowercase hex digits."};
}

/// Closes a file descriptor when it goes out of scope.
class Fd final {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  /// Closes now and reports whether close succeeded (it can report delayed write errors).
  bool Close() {
    int fd = fd_;
    fd_ = -1;
    return ::close(fd) == 0;
  }

 private:
  int fd_;
};

bool WriteAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    auto n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

/// The whole file, or nullopt with errno set (ENOENT when it does not exist).
std::optional<std::string> ReadAll(const std::filesystem::path& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (fd.get() < 0) return std::nullopt;
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) return std::nullopt;
  if (!S_ISREG(info.st_mode)) {
    errno = EINVAL;
    return std::nullopt;
  }
  std::string bytes;
  bytes.reserve(static_cast<std::size_t>(info.st_size));
  char buffer[65536];
  for (;;) {
    auto n = ::read(fd.get(), buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return std::nullopt;
    if (n == 0) break;
    bytes.append(buffer, static_cast<std::size_t>(n));
  }
  return bytes;
}

bool SyncDirectory(const std::filesystem::path& directory) {
  Fd fd(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  return fd.get() >= 0 && ::fsync(fd.get()) == 0;
}

}  // namespace

bool IsIntegrityFailure(const Error& error) {
  return error.code() == ErrorCode::kInternal && error.message() == kIntegrityFailure;
}

bool IsBlobName(std::string_view name) {
  if (name.size() != 64) return false;
  for (char c : name) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::filesystem::path DirectoryBlobStore::PathOf(std::string_view sha256) const {
  return root_ / std::string(sha256.substr(0, 2)) / std::string(sha256.substr(2));
}

Expected<BlobRef> DirectoryBlobStore::Put(std::string_view bytes) {
  BlobRef ref{Sha256Hex(bytes), static_cast<std::int64_t>(bytes.size())};
  const auto path = PathOf(ref.sha256);
  // Idempotent: an intact copy is kept as it is; a damaged one is replaced below.
  if (auto existing = ReadAll(path); existing && Sha256Hex(*existing) == ref.sha256) return ref;

  const auto directory = path.parent_path();
  std::error_code ec;
  std::filesystem::create_directories(directory, ec);
  if (ec) return Fail(Unavailable("cannot create", directory, ec.value()));
  // The temporary name starts with a dot and is no blob name, so a reader never takes a
  // partial file for a blob; rename makes the complete file appear at once.
  const auto temp =
      directory / (".tmp-" + ref.sha256.substr(2, 16) + "-" + std::to_string(::getpid()) + "-" +
                   std::to_string(temp_counter.fetch_add(1)));
  Fd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640));
  if (fd.get() < 0) return Fail(Unavailable("cannot create", temp, errno));
  if (!WriteAll(fd.get(), bytes) || ::fsync(fd.get()) != 0 || !fd.Close()) {
    int error = errno;
    ::unlink(temp.c_str());
    return Fail(Unavailable("cannot write", temp, error));
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    int error = errno;
    ::unlink(temp.c_str());
    return Fail(Unavailable("cannot rename to", path, error));
  }
  // The rename itself is durable only once the directory is.
  if (!SyncDirectory(directory)) return Fail(Unavailable("cannot sync", directory, errno));
  return ref;
}

Expected<std::string> DirectoryBlobStore::Read(std::string_view sha256) {
  if (!IsBlobName(sha256)) return Fail(BadName());
  const auto path = PathOf(sha256);
  auto bytes = ReadAll(path);
  if (!bytes) {
    if (errno == ENOENT) return Fail(Error::NotFound("Blob"));
    return Fail(Unavailable("cannot read", path, errno));
  }
  if (Sha256Hex(*bytes) != sha256) {
    return Fail(Error(ErrorCode::kInternal, std::string(kIntegrityFailure),
                      "blob " + path.string() + " does not hash to its name"));
  }
  return std::move(*bytes);
}

Expected<bool> DirectoryBlobStore::Exists(std::string_view sha256) {
  if (!IsBlobName(sha256)) return Fail(BadName());
  std::error_code ec;
  bool exists = std::filesystem::is_regular_file(PathOf(sha256), ec);
  if (ec && ec != std::errc::no_such_file_or_directory) {
    return Fail(Unavailable("cannot stat", PathOf(sha256), ec.value()));
  }
  return exists;
}

Expected<IntegrityReport> DirectoryBlobStore::VerifyAll() {
  std::vector<std::string> names;
  std::error_code ec;
  if (!std::filesystem::exists(root_, ec)) return IntegrityReport{};
  for (std::filesystem::recursive_directory_iterator it(root_, ec), end; !ec && it != end;
       it.increment(ec)) {
    if (it.depth() != 1 || !it->is_regular_file(ec)) continue;
    // Blob `abcd…` is `ab/cd…`: the directory's name and the file's make the blob's name.
    std::string name =
        it->path().parent_path().filename().string() + it->path().filename().string();
    if (IsBlobName(name)) names.push_back(std::move(name));
  }
  if (ec) return Fail(Unavailable("cannot list", root_, ec.value()));
  std::sort(names.begin(), names.end());

  IntegrityReport report;
  for (const auto& name : names) {
    ++report.blobs;
    auto bytes = Read(name);
    if (bytes) {
      report.bytes += static_cast<std::int64_t>(bytes->size());
    } else if (IsIntegrityFailure(bytes.error())) {
      report.damaged.push_back(name);
    } else {
      report.unreadable.push_back(name);
    }
  }
  return report;
}

}  // namespace certus::blobstore
