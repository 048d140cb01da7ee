#include "blobstore/uploads.hpp"

#include <gtest/gtest.h>

namespace certus::blobstore {
namespace {

TEST(Uploads, SniffsTheContentNotTheClaim) {
  EXPECT_EQ(SniffContentType("%PDF-1.7\n...", "text/html", "a.html"), "application/pdf");
  EXPECT_EQ(SniffContentType("\x89PNG\r\n\x1a\nrest", "", "x"), "image/png");
  EXPECT_EQ(SniffContentType("\xff\xd8\xff\xe0rest", "", "x"), "image/jpeg");
  EXPECT_EQ(SniffContentType("GIF89a...", "", "x"), "image/gif");
  const std::string zip("PK\x03\x04rest", 8);
  EXPECT_EQ(SniffContentType(zip, "", "Policy.DOCX"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  EXPECT_EQ(SniffContentType(zip, "", "register.xlsx"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_EQ(SniffContentType(zip, "", "bundle.zip"), "application/zip");
  EXPECT_EQ(SniffContentType("a,b\n1,2\n", "text/csv", "x"), "text/csv; charset=utf-8");
  EXPECT_EQ(SniffContentType("a,b\n1,2\n", "", "users.csv"), "text/csv; charset=utf-8");
  EXPECT_EQ(SniffContentType("Reviewed by J. Smith\n", "", "review.txt"),
            "text/plain; charset=utf-8");
  EXPECT_EQ(SniffContentType(std::string("\x00\x01\x02", 3), "", "x.bin"),
            "application/octet-stream");
  EXPECT_EQ(SniffContentType("", "application/pdf", "x.pdf"), "application/octet-stream");
  // Markup is text to us: never served as something a browser would render or run.
  EXPECT_EQ(SniffContentType("<html><script>alert(1)</script></html>", "text/html", "x.html"),
            "text/plain; charset=utf-8");
  EXPECT_EQ(SniffContentType("<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
                             "image/svg+xml", "x.svg"),
            "text/plain; charset=utf-8");
}

TEST(Uploads, CleansFileNames) {
  EXPECT_EQ(CleanFilename("report.pdf"), "report.pdf");
  EXPECT_EQ(CleanFilename("C:\\Users\\me\\report.pdf"), "report.pdf");
  EXPECT_EQ(CleanFilename("../../etc/passwd"), "passwd");
  EXPECT_EQ(CleanFilename("  Prüfbericht 2026.pdf "), "Prüfbericht 2026.pdf");
  EXPECT_EQ(CleanFilename("evil\r\nX-Header: 1.txt"), "evilX-Header: 1.txt");
  EXPECT_EQ(CleanFilename(".."), std::nullopt);
  EXPECT_EQ(CleanFilename("dir/"), std::nullopt);
  EXPECT_EQ(CleanFilename(""), std::nullopt);
  EXPECT_EQ(CleanFilename("\xff\xfe.txt"), std::nullopt);
  EXPECT_EQ(CleanFilename(std::string(256, 'a')), std::nullopt);
}

}  // namespace
}  // namespace certus::blobstore
