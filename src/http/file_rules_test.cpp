#include "http/file_rules.hpp"

#include <gtest/gtest.h>

namespace certus::http {
namespace {

TEST(FileRules, ContentDispositionIsAnAttachmentWithAnEncodedName) {
  EXPECT_EQ(ContentDisposition("report.pdf"),
            "attachment; filename=\"report.pdf\"; filename*=UTF-8''report.pdf");
  EXPECT_EQ(ContentDisposition("Prüfbericht \"final\".pdf"),
            "attachment; filename=\"Pr_fbericht _final_.pdf\"; "
            "filename*=UTF-8''Pr%C3%BCfbericht%20%22final%22.pdf");
  EXPECT_EQ(ContentDisposition("日本.txt"),
            "attachment; filename=\"__.txt\"; filename*=UTF-8''%E6%97%A5%E6%9C%AC.txt");
}

TEST(FileRules, DecodesPercentEncodingAndChecksUrls) {
  EXPECT_EQ(PercentDecode("Pr%C3%BCfbericht%20final.pdf"), "Prüfbericht final.pdf");
  EXPECT_EQ(PercentDecode("plain.txt"), "plain.txt");
  EXPECT_EQ(PercentDecode("bad%2"), std::nullopt);
  EXPECT_EQ(PercentDecode("bad%zz"), std::nullopt);
  EXPECT_TRUE(IsWebUrl("https://wiki.example.com/isms/backup-test"));
  EXPECT_TRUE(IsWebUrl("HTTP://example.com"));
  EXPECT_FALSE(IsWebUrl("javascript:alert(1)"));
  EXPECT_FALSE(IsWebUrl("file:///etc/passwd"));
  EXPECT_FALSE(IsWebUrl("ftp://example.com/x"));
  EXPECT_FALSE(IsWebUrl("/relative/path"));
  EXPECT_FALSE(IsWebUrl("https://"));
  EXPECT_FALSE(IsWebUrl("not a url"));
}

}  // namespace
}  // namespace certus::http
