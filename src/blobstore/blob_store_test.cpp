#include "blobstore/blob_store.hpp"

#include <fstream>
#include <random>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "core/encoding.hpp"

namespace certus::blobstore {
namespace {

class DirectoryBlobStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device seed;
    root_ = std::filesystem::temp_directory_path() /
            ("certus-blobs-" + std::to_string(seed()) + "-" + std::to_string(seed()));
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  std::filesystem::path root_;
};

TEST_F(DirectoryBlobStoreTest, RoundTripsBytesUnderTheirSha256) {
  DirectoryBlobStore store(root_);
  const std::string bytes = std::string("%PDF-1.7\n") + '\0' + "binary\xff";
  auto ref = store.Put(bytes);
  ASSERT_TRUE(ref) << ref.error().log_detail();
  EXPECT_EQ(ref->sha256, Sha256Hex(bytes));
  EXPECT_EQ(ref->size, 17);
  EXPECT_TRUE(
      std::filesystem::is_regular_file(root_ / ref->sha256.substr(0, 2) / ref->sha256.substr(2)));
  auto read = store.Read(ref->sha256);
  ASSERT_TRUE(read);
  EXPECT_EQ(*read, bytes);
  EXPECT_EQ(store.Exists(ref->sha256).value(), true);
  EXPECT_EQ(store.Exists(Sha256Hex("something else")).value(), false);
  EXPECT_EQ(store.Read(Sha256Hex("something else")).error().code(), ErrorCode::kNotFound);
  // The empty file is a blob like any other.
  auto empty = store.Put("");
  ASSERT_TRUE(empty);
  EXPECT_EQ(store.Read(empty->sha256).value(), "");
}

TEST_F(DirectoryBlobStoreTest, PutIsIdempotentAndLeavesNoTemporaryFiles) {
  DirectoryBlobStore store(root_);
  auto first = store.Put("the same bytes");
  auto second = store.Put("the same bytes");
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->sha256, second->sha256);
  std::vector<std::thread> writers;
  writers.reserve(4);
  for (int i = 0; i < 4; ++i) {
    writers.emplace_back([&] { EXPECT_TRUE(store.Put("the same bytes")); });
  }
  for (auto& writer : writers) writer.join();
  int files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root_)) {
    if (entry.is_regular_file()) {
      ++files;
      EXPECT_NE(entry.path().filename().string().front(), '.') << entry.path();
    }
  }
  EXPECT_EQ(files, 1);
}

TEST_F(DirectoryBlobStoreTest, DetectsCorruptionAndPutRepairsIt) {
  DirectoryBlobStore store(root_);
  auto ref = store.Put("quarterly access review, signed");
  ASSERT_TRUE(ref);
  {
    std::ofstream out(store.PathOf(ref->sha256), std::ios::binary | std::ios::trunc);
    out << "quarterly access review, forged";
  }
  auto read = store.Read(ref->sha256);
  ASSERT_FALSE(read);
  EXPECT_TRUE(IsIntegrityFailure(read.error()));
  EXPECT_EQ(read.error().message(), kIntegrityFailure);
  EXPECT_FALSE(IsIntegrityFailure(Error::Internal("something else")));

  ASSERT_TRUE(store.Put("quarterly access review, signed"));
  EXPECT_EQ(store.Read(ref->sha256).value(), "quarterly access review, signed");
}

TEST_F(DirectoryBlobStoreTest, VerifyAllReHashesEveryBlobAndNamesTheDamagedOnes) {
  DirectoryBlobStore store(root_);
  EXPECT_TRUE(store.VerifyAll().value().ok());  // no root yet: an empty store
  auto signed_review = store.Put("access review, signed");
  auto policy = store.Put("information security policy v3");
  ASSERT_TRUE(signed_review && policy);
  {
    std::ofstream out(store.PathOf(signed_review->sha256), std::ios::binary | std::ios::trunc);
    out << "access review, forged";
    // A temporary file of an unfinished Put is no blob.
    std::ofstream(store.PathOf(policy->sha256).parent_path() / ".tmp-unfinished") << "partial";
  }
  auto report = store.VerifyAll();
  ASSERT_TRUE(report) << report.error().message();
  EXPECT_EQ(report->blobs, 2);
  EXPECT_EQ(report->bytes, static_cast<std::int64_t>(policy->size));
  EXPECT_EQ(report->damaged, std::vector<std::string>{signed_review->sha256});
  EXPECT_TRUE(report->unreadable.empty());
  EXPECT_FALSE(report->ok());
}

TEST_F(DirectoryBlobStoreTest, RefusesNamesThatAreNoSha256) {
  DirectoryBlobStore store(root_);
  ASSERT_TRUE(store.Put("x"));
  const std::string valid = Sha256Hex("x");
  for (const std::string& name :
       {std::string("../../../../etc/passwd"), std::string(""), std::string("ab/../cd"),
        valid.substr(0, 63), valid + "0", std::string(valid.size(), 'G'),
        std::string("/") + valid.substr(1), std::string(64, '.'),
        // Uppercase hex names the same bytes elsewhere: only the canonical form is a name.
        std::string(64, 'A')}) {
    auto read = store.Read(name);
    ASSERT_FALSE(read) << name;
    EXPECT_EQ(read.error().code(), ErrorCode::kMalformed) << name;
    EXPECT_FALSE(store.Exists(name)) << name;
  }
  EXPECT_TRUE(IsBlobName(valid));
  EXPECT_FALSE(IsBlobName(valid.substr(0, 10) + "/" + valid.substr(11)));
}

TEST_F(DirectoryBlobStoreTest, AnUnwritableRootIsUnavailable) {
  // A file where the root directory should be.
  std::filesystem::create_directories(root_);
  const auto file = root_ / "not-a-directory";
  std::ofstream(file) << "x";
  DirectoryBlobStore store(file);
  auto put = store.Put("bytes");
  ASSERT_FALSE(put);
  EXPECT_EQ(put.error().code(), ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace certus::blobstore
