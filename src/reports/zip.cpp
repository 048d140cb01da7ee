#include "reports/zip.hpp"

#include <algorithm>
#include <cstring>
#include <limits>
#include <set>

#include <unzip.h>
#include <zip.h>

namespace certus::reports {

namespace {

// Without ZIP64 no member and no offset may reach 4 GiB.
constexpr std::uint64_t kZip32Limit = std::numeric_limits<std::uint32_t>::max();
// "Version made by": Unix (3) in the high byte, so that readers apply the Unix mode below;
// APPNOTE 2.0 (deflate) in the low byte.
constexpr int kMadeByUnix = (3 << 8) | 20;
// A regular file, rw-r--r--, in the high half of the external attributes.
constexpr unsigned long kRegularFile0644 = 0100644UL << 16U;
constexpr std::size_t kReadChunk = std::size_t{64} * 1024;

/// An in-memory file for minizip's I/O callbacks: writes overwrite or extend at the
/// position (minizip seeks back to complete each local header), reads stop at the end.
struct MemoryFile {
  std::string bytes;
  std::size_t position = 0;
  bool failed = false;
};

voidpf OpenMemory(voidpf opaque, const void* /*filename*/, int /*mode*/) { return opaque; }

uLong ReadMemory(voidpf /*opaque*/, voidpf stream, void* buffer, uLong size) {
  auto* file = static_cast<MemoryFile*>(stream);
  if (file->position >= file->bytes.size()) return 0;
  const std::size_t count = std::min<std::size_t>(size, file->bytes.size() - file->position);
  std::memcpy(buffer, file->bytes.data() + file->position, count);
  file->position += count;
  return static_cast<uLong>(count);
}

uLong WriteMemory(voidpf /*opaque*/, voidpf stream, const void* buffer, uLong size) {
  auto* file = static_cast<MemoryFile*>(stream);
  const std::size_t end = file->position + size;
  if (end > file->bytes.size()) file->bytes.resize(end);
  std::memcpy(file->bytes.data() + file->position, buffer, size);
  file->position = end;
  return size;
}

ZPOS64_T TellMemory(voidpf /*opaque*/, voidpf stream) {
  return static_cast<MemoryFile*>(stream)->position;
}

long SeekMemory(voidpf /*opaque*/, voidpf stream, ZPOS64_T offset, int origin) {
  auto* file = static_cast<MemoryFile*>(stream);
  std::uint64_t base = 0;
  switch (origin) {
    case ZLIB_FILEFUNC_SEEK_SET: base = 0; break;
    case ZLIB_FILEFUNC_SEEK_CUR: base = file->position; break;
    case ZLIB_FILEFUNC_SEEK_END: base = file->bytes.size(); break;
    default: return -1;
  }
  const std::uint64_t target = base + offset;
  if (target > file->bytes.size()) return -1;
  file->position = static_cast<std::size_t>(target);
  return 0;
}

int CloseMemory(voidpf /*opaque*/, voidpf /*stream*/) { return 0; }

int ErrorMemory(voidpf /*opaque*/, voidpf stream) {
  return static_cast<MemoryFile*>(stream)->failed ? 1 : 0;
}

zlib_filefunc64_def MemoryFunctions(MemoryFile& file) {
  zlib_filefunc64_def functions{};
  functions.zopen64_file = OpenMemory;
  functions.zread_file = ReadMemory;
  functions.zwrite_file = WriteMemory;
  functions.ztell64_file = TellMemory;
  functions.zseek64_file = SeekMemory;
  functions.zclose_file = CloseMemory;
  functions.zerror_file = ErrorMemory;
  functions.opaque = &file;
  return functions;
}

/// Why `path` may not name a member, or empty: only plain relative paths, so that no
/// unzip writes outside the folder it extracts to.
std::string PathProblem(std::string_view path) {
  if (path.empty()) return "an empty path";
  if (path.front() == '/') return "an absolute path";
  if (path.find('\\') != std::string_view::npos) return "a backslash";
  if (path.find('\0') != std::string_view::npos) return "a NUL byte";
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t end = std::min(path.find('/', start), path.size());
    const std::string_view segment = path.substr(start, end - start);
    if (segment.empty() || segment == "." || segment == "..") return "an empty, . or .. segment";
    start = end + 1;
  }
  return {};
}

tm_zip TmzOf(std::chrono::year_month_day date) {
  // DOS dates hold 1980 to 2107; outside that the writer clamps to 1980-01-01.
  const int year = static_cast<int>(date.year());
  if (!date.ok() || year < 1980 || year > 2107) {
    date = std::chrono::year_month_day{std::chrono::year{1980}, std::chrono::January,
                                       std::chrono::day{1}};
  }
  tm_zip tmz{};
  tmz.tm_year = static_cast<uInt>(static_cast<int>(date.year()));
  tmz.tm_mon = static_cast<uInt>(unsigned{date.month()} - 1);
  tmz.tm_mday = static_cast<uInt>(unsigned{date.day()});
  return tmz;
}

std::chrono::year_month_day DateOfTmu(const tm_unz& tmu) {
  return std::chrono::year_month_day{std::chrono::year{static_cast<int>(tmu.tm_year)},
                                     std::chrono::month{tmu.tm_mon + 1},
                                     std::chrono::day{tmu.tm_mday}};
}

}  // namespace

Expected<std::string> WriteZip(const std::vector<ZipEntry>& entries) {
  std::set<std::string_view> seen;
  std::uint64_t total = 0;
  for (const auto& entry : entries) {
    if (auto problem = PathProblem(entry.path); !problem.empty()) {
      return Fail(Error::Internal("zip member path '" + entry.path + "' has " + problem));
    }
    if (!seen.insert(entry.path).second) {
      return Fail(Error::Internal("zip member '" + entry.path + "' given twice"));
    }
    total += entry.data.size() + entry.path.size();
  }
  if (total >= kZip32Limit) return Fail(Error::Internal("zip archive would reach 4 GiB"));

  MemoryFile file;
  auto functions = MemoryFunctions(file);
  zipFile zip = zipOpen2_64("memory.zip", APPEND_STATUS_CREATE, nullptr, &functions);
  if (zip == nullptr) return Fail(Error::Internal("zipOpen2_64 failed"));
  auto close_on_error = [&](const std::string& what) {
    zipClose(zip, nullptr);
    return Fail(Error::Internal("zip: " + what));
  };
  for (const auto& entry : entries) {
    zip_fileinfo info{};
    info.tmz_date = TmzOf(entry.modified);
    info.dosDate = 0;
    info.external_fa = kRegularFile0644;
    if (zipOpenNewFileInZip4_64(zip, entry.path.c_str(), &info, nullptr, 0, nullptr, 0, nullptr,
                                Z_DEFLATED, Z_DEFAULT_COMPRESSION, 0, -MAX_WBITS, DEF_MEM_LEVEL,
                                Z_DEFAULT_STRATEGY, nullptr, 0, kMadeByUnix, 0, 0) != ZIP_OK) {
      return close_on_error("cannot start member " + entry.path);
    }
    // minizip takes at most an unsigned int per call.
    std::size_t at = 0;
    while (at < entry.data.size()) {
      const std::size_t chunk =
          std::min<std::size_t>(entry.data.size() - at, std::numeric_limits<unsigned>::max());
      if (zipWriteInFileInZip(zip, entry.data.data() + at, static_cast<unsigned>(chunk)) !=
          ZIP_OK) {
        return close_on_error("cannot write member " + entry.path);
      }
      at += chunk;
    }
    if (zipCloseFileInZip(zip) != ZIP_OK) return close_on_error("cannot end member " + entry.path);
  }
  if (zipClose(zip, nullptr) != ZIP_OK) return Fail(Error::Internal("zipClose failed"));
  if (file.bytes.size() >= kZip32Limit) return Fail(Error::Internal("zip archive reached 4 GiB"));
  return std::move(file.bytes);
}

Expected<std::vector<ZipEntry>> ReadZip(std::string_view archive) {
  // An empty archive is its end-of-central-directory record alone (22 bytes), which
  // minizip's reader refuses; it holds nothing.
  constexpr std::string_view kEmptyArchive("PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 22);
  if (archive == kEmptyArchive) return std::vector<ZipEntry>{};
  MemoryFile file;
  file.bytes = std::string(archive);
  auto functions = MemoryFunctions(file);
  unzFile unzip = unzOpen2_64("memory.zip", &functions);
  if (unzip == nullptr) return Fail(Error::Field("archive", "is not a ZIP archive"));
  auto fail = [&](const std::string& what) {
    unzClose(unzip);
    return Fail(Error::Field("archive", what));
  };
  std::vector<ZipEntry> entries;
  for (int status = unzGoToFirstFile(unzip); status != UNZ_END_OF_LIST_OF_FILE;
       status = unzGoToNextFile(unzip)) {
    if (status != UNZ_OK) return fail("has an unreadable central directory");
    unz_file_info64 info{};
    if (unzGetCurrentFileInfo64(unzip, &info, nullptr, 0, nullptr, 0, nullptr, 0) != UNZ_OK) {
      return fail("has an unreadable member");
    }
    ZipEntry entry;
    entry.path.resize(info.size_filename);
    if (unzGetCurrentFileInfo64(unzip, &info, entry.path.data(),
                                static_cast<uLong>(entry.path.size()), nullptr, 0, nullptr,
                                0) != UNZ_OK) {
      return fail("has an unreadable member name");
    }
    entry.modified = DateOfTmu(info.tmu_date);
    if (unzOpenCurrentFile(unzip) != UNZ_OK) return fail("cannot open member " + entry.path);
    std::string buffer(kReadChunk, '\0');
    for (;;) {
      const int read =
          unzReadCurrentFile(unzip, buffer.data(), static_cast<unsigned>(buffer.size()));
      if (read < 0) {
        unzCloseCurrentFile(unzip);
        return fail("has a corrupt member " + entry.path);
      }
      if (read == 0) break;
      entry.data.append(buffer.data(), static_cast<std::size_t>(read));
    }
    // unzCloseCurrentFile answers UNZ_CRCERROR when the bytes do not match the CRC-32.
    if (unzCloseCurrentFile(unzip) != UNZ_OK) return fail("has a corrupt member " + entry.path);
    entries.push_back(std::move(entry));
  }
  unzClose(unzip);
  return entries;
}

}  // namespace certus::reports
