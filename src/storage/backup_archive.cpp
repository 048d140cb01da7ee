#include "storage/backup_archive.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <fcntl.h>
#include <fmt/format.h>
#include <openssl/evp.h>
#include <unistd.h>

#include "core/encoding.hpp"

namespace certus::storage::backup {

namespace {

constexpr std::size_t kBlock = 512;
constexpr std::size_t kChunk = 1 << 16;
// The largest size the 11 octal digits of a ustar size field hold.
constexpr std::int64_t kMaxOctalSize = 077777777777;

Error Unavailable(const std::string& what, int error) {
  return {ErrorCode::kUnavailable, what + ": " + std::strerror(error)};
}

Error Damaged(const std::string& what) { return {ErrorCode::kValidation, what}; }

/// Writes `value` as zero-padded octal into `field` of `width` bytes, NUL-terminated.
void PutOctal(char* field, std::size_t width, std::int64_t value) {
  const std::string text = fmt::format("{:0{}o}", value, width - 1);
  std::memcpy(field, text.data(), width - 1);
  field[width - 1] = '\0';
}

std::uint64_t ChecksumOf(const std::array<char, kBlock>& header) {
  std::uint64_t sum = 0;
  for (std::size_t i = 0; i < kBlock; ++i) {
    // The checksum field itself counts as eight spaces.
    sum += (i >= 148 && i < 156) ? static_cast<std::uint64_t>(' ')
                                 : static_cast<unsigned char>(header[i]);
  }
  return sum;
}

/// Historic tars summed signed chars; readers accept either sum.
std::int64_t SignedChecksumOf(const std::array<char, kBlock>& header) {
  std::int64_t sum = 0;
  for (std::size_t i = 0; i < kBlock; ++i) {
    sum += (i >= 148 && i < 156) ? static_cast<std::int64_t>(' ')
                                 : static_cast<std::int64_t>(static_cast<signed char>(header[i]));
  }
  return sum;
}

/// The text of a NUL-terminated (or full) header field.
std::string FieldText(const char* field, std::size_t width) {
  return {field, strnlen(field, width)};
}

/// An octal number field (leading spaces or zeros, then digits, then NUL or space), or a
/// base-256 one (first byte 0x80) as GNU tar writes for large sizes.
std::optional<std::int64_t> ParseNumber(const char* field, std::size_t width) {
  const auto first = static_cast<unsigned char>(field[0]);
  if (first == 0x80) {
    std::uint64_t value = 0;
    for (std::size_t i = 1; i < width; ++i) {
      if (value >> 55 != 0) return std::nullopt;  // would overflow
      value = (value << 8) | static_cast<unsigned char>(field[i]);
    }
    if (value > static_cast<std::uint64_t>(INT64_MAX)) return std::nullopt;
    return static_cast<std::int64_t>(value);
  }
  std::size_t i = 0;
  while (i < width && field[i] == ' ') ++i;
  std::int64_t value = 0;
  bool digits = false;
  for (; i < width && field[i] >= '0' && field[i] <= '7'; ++i) {
    if (value > (INT64_MAX >> 3)) return std::nullopt;
    value = value * 8 + (field[i] - '0');
    digits = true;
  }
  for (; i < width; ++i) {
    if (field[i] != '\0' && field[i] != ' ') return std::nullopt;
  }
  if (!digits) return std::nullopt;
  return value;
}

std::int64_t PaddingOf(std::int64_t size) {
  const auto rest = size % static_cast<std::int64_t>(kBlock);
  return rest == 0 ? 0 : static_cast<std::int64_t>(kBlock) - rest;
}

/// Closes a descriptor when it goes out of scope.
class Fd final {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

}  // namespace

Sha256Stream::Sha256Stream() : context_(EVP_MD_CTX_new()) {
  if (context_ == nullptr || EVP_DigestInit_ex(context_, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("OpenSSL: cannot start a SHA-256 digest");
  }
}

Sha256Stream::~Sha256Stream() { EVP_MD_CTX_free(context_); }

void Sha256Stream::Update(std::string_view bytes) {
  if (EVP_DigestUpdate(context_, bytes.data(), bytes.size()) != 1) {
    throw std::runtime_error("OpenSSL: SHA-256 update failed");
  }
}

std::string Sha256Stream::FinishHex() {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(context_, digest.data(), &length) != 1 ||
      EVP_DigestInit_ex(context_, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("OpenSSL: SHA-256 final failed");
  }
  return HexEncode(std::string_view(reinterpret_cast<const char*>(digest.data()), length));
}

// ---- TarWriter ----

Expected<void> TarWriter::Write(std::string_view bytes) {
  archive_hash_.Update(bytes);
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Fail(Unavailable("cannot write the archive", errno));
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
    written_ += n;
  }
  return {};
}

Expected<void> TarWriter::Pad(std::int64_t size) {
  static const std::array<char, kBlock> zeros{};
  const auto padding = PaddingOf(size);
  if (padding == 0) return {};
  return Write(std::string_view(zeros.data(), static_cast<std::size_t>(padding)));
}

Expected<void> TarWriter::WriteHeader(std::string_view name, std::int64_t size) {
  std::array<char, kBlock> header{};
  std::string_view prefix;
  std::string_view base = name;
  if (name.size() > 100) {
    // Split at a `/` so that the prefix holds at most 155 bytes and the name at most 100.
    const auto limit = std::min<std::size_t>(name.size() - 1, 155);
    const auto slash = name.rfind('/', limit);
    if (slash == std::string_view::npos || name.size() - slash - 1 > 100 || slash == 0) {
      return Fail(ErrorCode::kMalformed, fmt::format("member name too long for ustar: {}", name));
    }
    prefix = name.substr(0, slash);
    base = name.substr(slash + 1);
  }
  if (name.empty() || name.find('\0') != std::string_view::npos) {
    return Fail(ErrorCode::kMalformed, "member name empty or with NUL");
  }
  std::memcpy(header.data(), base.data(), base.size());
  PutOctal(&header[100], 8, 0600);
  PutOctal(&header[108], 8, 0);
  PutOctal(&header[116], 8, 0);
  if (size <= kMaxOctalSize) {
    PutOctal(&header[124], 12, size);
  } else {
    header[124] = static_cast<char>(0x80);
    auto value = static_cast<std::uint64_t>(size);
    for (std::size_t i = 11; i >= 1; --i) {
      header[124 + i] = static_cast<char>(value & 0xffU);
      value >>= 8;
    }
  }
  PutOctal(&header[136], 12, mtime_);
  header[156] = '0';
  std::memcpy(&header[257], "ustar", 6);  // with its NUL
  std::memcpy(&header[263], "00", 2);
  if (!prefix.empty()) std::memcpy(&header[345], prefix.data(), prefix.size());
  const auto sum = ChecksumOf(header);
  const std::string text = fmt::format("{:06o}", sum);
  std::memcpy(&header[148], text.data(), 6);
  header[154] = '\0';
  header[155] = ' ';
  return Write(std::string_view(header.data(), header.size()));
}

Expected<MemberDigest> TarWriter::AddBytes(std::string_view name, std::string_view bytes) {
  const auto size = static_cast<std::int64_t>(bytes.size());
  CERTUS_CHECK(WriteHeader(name, size));
  CERTUS_CHECK(Write(bytes));
  CERTUS_CHECK(Pad(size));
  return MemberDigest{size, Sha256Hex(bytes)};
}

Expected<MemberDigest> TarWriter::AddFile(std::string_view name, const std::filesystem::path& path,
                                          std::int64_t expected_size) {
  Fd file(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (file.get() < 0) return Fail(Unavailable("cannot open " + path.string(), errno));
  CERTUS_CHECK(WriteHeader(name, expected_size));
  Sha256Stream member_hash;
  std::string buffer(kChunk, '\0');
  std::int64_t copied = 0;
  while (copied < expected_size) {
    const auto want =
        static_cast<std::size_t>(std::min<std::int64_t>(expected_size - copied, kChunk));
    const ssize_t n = ::read(file.get(), buffer.data(), want);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Fail(Unavailable("cannot read " + path.string(), errno));
    }
    if (n == 0) break;
    const std::string_view chunk(buffer.data(), static_cast<std::size_t>(n));
    member_hash.Update(chunk);
    CERTUS_CHECK(Write(chunk));
    copied += n;
  }
  char extra = 0;
  if (copied != expected_size || ::read(file.get(), &extra, 1) != 0) {
    return Fail(ErrorCode::kUnavailable,
                fmt::format("{} changed size while it was being archived", path.string()));
  }
  CERTUS_CHECK(Pad(expected_size));
  return MemberDigest{expected_size, member_hash.FinishHex()};
}

Expected<MemberDigest> TarWriter::Finish() {
  static const std::array<char, 2 * kBlock> zeros{};
  CERTUS_CHECK(Write(std::string_view(zeros.data(), zeros.size())));
  return MemberDigest{written_, archive_hash_.FinishHex()};
}

// ---- TarReader ----

Expected<std::unique_ptr<TarReader>> TarReader::Open(const std::filesystem::path& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    const int error = errno;
    if (error == ENOENT) {
      return Fail(ErrorCode::kNotFound, "No backup archive at " + path.string());
    }
    return Fail(Unavailable("cannot open " + path.string(), error));
  }
  return std::make_unique<TarReader>(fd.release());
}

TarReader::~TarReader() { ::close(fd_); }

Expected<std::size_t> TarReader::ReadRaw(char* buffer, std::size_t count) {
  std::size_t done = 0;
  while (done < count) {
    const ssize_t n = ::read(fd_, buffer + done, count - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Fail(Unavailable("cannot read the archive", errno));
    }
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  file_hash_.Update(std::string_view(buffer, done));
  offset_ += static_cast<std::int64_t>(done);
  return done;
}

Expected<void> TarReader::Skip(std::int64_t count) {
  std::string buffer(kChunk, '\0');
  while (count > 0) {
    const auto want = static_cast<std::size_t>(std::min<std::int64_t>(count, kChunk));
    const auto got = CERTUS_TRY(ReadRaw(buffer.data(), want));
    if (got < want) {
      return Fail(Damaged(fmt::format("the archive is truncated at byte {}", offset_)));
    }
    count -= static_cast<std::int64_t>(got);
  }
  return {};
}

Expected<std::optional<TarEntry>> TarReader::Next() {
  if (ended_) return std::nullopt;
  CERTUS_CHECK(Skip(remaining_ + padding_));
  remaining_ = 0;
  padding_ = 0;
  std::array<char, kBlock> header{};
  const auto header_offset = offset_;
  const auto got = CERTUS_TRY(ReadRaw(header.data(), header.size()));
  if (got == 0) {
    return Fail(Damaged("the archive ends without its end-of-archive block (truncated?)"));
  }
  if (got < kBlock) {
    return Fail(Damaged(fmt::format("the archive is truncated at byte {}", offset_)));
  }
  if (std::all_of(header.begin(), header.end(), [](char c) { return c == '\0'; })) {
    ended_ = true;
    return std::nullopt;
  }
  const auto stored = ParseNumber(&header[148], 8);
  if (!stored || (static_cast<std::uint64_t>(*stored) != ChecksumOf(header) &&
                  *stored != SignedChecksumOf(header))) {
    return Fail(Damaged(
        fmt::format("the member header at byte {} fails its checksum (damaged)", header_offset)));
  }
  if (std::memcmp(&header[257], "ustar", 5) != 0) {
    return Fail(Damaged(fmt::format("the member header at byte {} is not ustar", header_offset)));
  }
  TarEntry entry;
  const auto prefix = FieldText(&header[345], 155);
  const auto name = FieldText(&header[0], 100);
  entry.name = prefix.empty() ? name : prefix + "/" + name;
  entry.type = header[156] == '\0' ? '0' : header[156];
  const auto size = ParseNumber(&header[124], 12);
  if (!size || *size < 0) {
    return Fail(Damaged(fmt::format("member \"{}\" has an unreadable size", entry.name)));
  }
  entry.size = *size;
  // Only regular files carry data in the archives Certus reads; any other member's size is
  // still skipped as written.
  remaining_ = entry.size;
  padding_ = PaddingOf(entry.size);
  return entry;
}

Expected<std::size_t> TarReader::Read(char* buffer, std::size_t capacity) {
  if (remaining_ == 0 || capacity == 0) return 0;
  const auto want = static_cast<std::size_t>(
      std::min<std::int64_t>(remaining_, static_cast<std::int64_t>(capacity)));
  const auto got = CERTUS_TRY(ReadRaw(buffer, want));
  if (got < want) {
    return Fail(Damaged(fmt::format("the archive is truncated at byte {}", offset_)));
  }
  remaining_ -= static_cast<std::int64_t>(got);
  return got;
}

Expected<MemberDigest> TarReader::FinishFile() {
  // Whatever follows the first zero block (the second one, a blocking factor's zeros) is
  // part of the file and so of its SHA-256, but no member.
  std::string buffer(kChunk, '\0');
  while (true) {
    const auto got = CERTUS_TRY(ReadRaw(buffer.data(), buffer.size()));
    if (got == 0) break;
    if (std::any_of(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(got),
                    [](char c) { return c != '\0'; })) {
      return Fail(Damaged("the archive holds data after its end-of-archive block"));
    }
  }
  return MemberDigest{offset_, file_hash_.FinishHex()};
}

}  // namespace certus::storage::backup
