#include "reports/zip.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "core/encoding.hpp"

namespace certus::reports {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;
using std::chrono::year_month_day;

const year_month_day kAsOf{year{2026}, month{3}, day{31}};

std::vector<ZipEntry> Sample() {
  std::string large;
  for (int i = 0; i < 20000; ++i) large += "line " + std::to_string(i) + "\n";
  return {{"00-overview.pdf", "%PDF-1.5 not really", kAsOf},
          {"documents/POL-001-policy-v2.md", "# Policy\n\nÜbersicht, 日本語.\n", kAsOf},
          {"empty.txt", "", kAsOf},
          {"large/log.txt", large, kAsOf}};
}

/// Runs `command` in a shell and returns its exit status.
int RunShell(const std::string& command) {
  const int status = std::system(command.c_str());  // NOLINT(cert-env33-c): test tool only
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "certus-zip-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

TEST(Zip, RoundTripsEveryMemberWithItsDate) {
  auto zip = WriteZip(Sample());
  ASSERT_TRUE(zip) << zip.error().log_detail();
  EXPECT_EQ(zip->substr(0, 4), std::string("PK\x03\x04", 4));
  auto read = ReadZip(*zip);
  ASSERT_TRUE(read) << read.error().message();
  const auto sample = Sample();
  ASSERT_EQ(read->size(), sample.size());
  for (std::size_t i = 0; i < sample.size(); ++i) {
    EXPECT_EQ((*read)[i].path, sample[i].path);
    EXPECT_EQ((*read)[i].data, sample[i].data) << sample[i].path;
    EXPECT_EQ((*read)[i].modified, kAsOf);
  }
}

TEST(Zip, TheSameEntriesGiveTheSameBytes) {
  auto first = WriteZip(Sample());
  auto second = WriteZip(Sample());
  ASSERT_TRUE(first && second);
  EXPECT_EQ(Sha256Hex(*first), Sha256Hex(*second));
  auto later = Sample();
  for (auto& entry : later) entry.modified = year_month_day{year{2026}, month{4}, day{1}};
  auto other = WriteZip(later);
  ASSERT_TRUE(other);
  EXPECT_NE(*other, *first) << "the date is part of the archive";
}

TEST(Zip, UnzipTestsTheArchiveAndExtractsIt) {
  auto zip = WriteZip(Sample());
  ASSERT_TRUE(zip);
  TempDir dir;
  const auto archive = dir.path() / "pack.zip";
  {
    std::ofstream out(archive, std::ios::binary);
    out << *zip;
  }
  EXPECT_EQ(RunShell("unzip -tq '" + archive.string() + "' >/dev/null"), 0);
  const auto into = dir.path() / "out";
  ASSERT_EQ(RunShell("unzip -q '" + archive.string() + "' -d '" + into.string() + "'"), 0);
  std::ifstream in(into / "documents/POL-001-policy-v2.md", std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, Sample()[1].data);
  const auto perms = std::filesystem::status(into / "empty.txt").permissions();
  EXPECT_EQ(perms & std::filesystem::perms::others_write, std::filesystem::perms::none);
  EXPECT_NE(perms & std::filesystem::perms::owner_read, std::filesystem::perms::none);
}

TEST(Zip, AnEmptyArchiveIsValid) {
  auto zip = WriteZip({});
  ASSERT_TRUE(zip);
  auto read = ReadZip(*zip);
  ASSERT_TRUE(read);
  EXPECT_TRUE(read->empty());
}

TEST(Zip, RefusesPathsThatEscapeOrRepeat) {
  for (const char* bad : {"", "/etc/passwd", "../up.txt", "a/../b", "a//b", "a\\b", "./a", "a/"}) {
    auto zip = WriteZip({{bad, "x"}});
    EXPECT_FALSE(zip) << bad;
    if (!zip) EXPECT_EQ(zip.error().code(), ErrorCode::kInternal);
  }
  EXPECT_FALSE(WriteZip({{"a.txt", "1"}, {"a.txt", "2"}}));
}

TEST(Zip, ReadRefusesWhatIsNotAnArchiveOrIsCorrupt) {
  EXPECT_FALSE(ReadZip("not a zip at all"));
  auto zip = WriteZip(Sample());
  ASSERT_TRUE(zip);
  // Flip a byte inside the first member's compressed data: the CRC no longer matches.
  std::string corrupt = *zip;
  corrupt[30 + std::string("00-overview.pdf").size() + 2] ^= 0x55;
  auto read = ReadZip(corrupt);
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code(), ErrorCode::kValidation);
}

}  // namespace
}  // namespace certus::reports
