// Uploaded files (evidence, document attachments; the body is the file, its name comes in
// X-Filename or ?filename=): http::UploadFilename and http::PercentDecode, blobstore::
// CleanFilename, blobstore::SniffContentType and, on the way back out,
// http::ContentDisposition. The server has no multipart parser: this is its upload parsing.
//
// The input is `X-Filename\ndeclared content type\nfile bytes`.
//
// Invariants: a name that comes through is UTF-8, one path component, without control
// characters, 1 to 255 bytes, never "." or "..", and cleaning it again changes nothing; the
// sniffed type is one of the fixed list and never one a browser would run (HTML, SVG, XML,
// script), text only for UTF-8 bytes; Content-Disposition is one header line, an attachment,
// whose quoted fallback is printable ASCII without quotes and whose filename* decodes back
// to the exact name.

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "blobstore/uploads.hpp"
#include "core/encoding.hpp"
#include "fuzz/check.hpp"
#include "http/file_rules.hpp"

namespace {

using certus::blobstore::CleanFilename;
using certus::blobstore::SniffContentType;

void CheckName(std::string_view name) {
  FUZZ_CHECK(certus::IsValidUtf8(name), name);
  FUZZ_CHECK(!name.empty() && name.size() <= 255, name);
  FUZZ_CHECK(name != "." && name != "..", name);
  FUZZ_CHECK(name.find_first_of("/\\") == std::string_view::npos, name);
  for (char c : name) {
    const auto byte = static_cast<unsigned char>(c);
    FUZZ_CHECK(byte >= 0x20 && byte != 0x7F, name);
  }
  FUZZ_CHECK(name.front() != ' ' && name.back() != ' ' && name.back() != '.', name);
  const auto again = CleanFilename(name);
  FUZZ_CHECK(again && *again == name, name);
}

void CheckDisposition(std::string_view name) {
  const std::string header = certus::http::ContentDisposition(name);
  constexpr std::string_view kStart = "attachment; filename=\"";
  constexpr std::string_view kEncoded = "\"; filename*=UTF-8''";
  FUZZ_CHECK(header.starts_with(kStart), header);
  const auto end = header.find(kEncoded, kStart.size());
  FUZZ_CHECK(end != std::string::npos, header);
  const std::string_view fallback =
      std::string_view(header).substr(kStart.size(), end - kStart.size());
  FUZZ_CHECK(!fallback.empty(), header);
  for (char c : fallback) {
    const auto byte = static_cast<unsigned char>(c);
    FUZZ_CHECK(byte >= 0x20 && byte < 0x7F && c != '"' && c != '\\', header);
  }
  const std::string_view encoded = std::string_view(header).substr(end + kEncoded.size());
  for (char c : encoded) {
    const auto byte = static_cast<unsigned char>(c);
    // RFC 5987 attr-char or a percent escape: nothing that could end the header or a token.
    FUZZ_CHECK(byte > 0x20 && byte < 0x7F &&
                   std::string_view("\"\\;, '()<>@[]{}=?/:").find(c) == std::string_view::npos,
               header);
  }
  const auto decoded = certus::http::PercentDecode(encoded);
  FUZZ_CHECK(decoded && *decoded == name, header);
}

void CheckType(std::string_view bytes, std::string_view declared, std::string_view name) {
  static const std::set<std::string, std::less<>> kTypes = {
      "application/pdf",
      "image/png",
      "image/jpeg",
      "image/gif",
      "application/zip",
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "application/vnd.openxmlformats-officedocument.presentationml.presentation",
      "text/csv; charset=utf-8",
      "text/plain; charset=utf-8",
      "application/octet-stream"};
  const std::string type = SniffContentType(bytes, declared, name);
  FUZZ_CHECK(kTypes.contains(type), type);
  if (type.starts_with("text/")) {
    FUZZ_CHECK(certus::IsValidUtf8(bytes), type);
    FUZZ_CHECK(!bytes.empty(), type);
  }
  // The sniffer decides, never the client: the declared type changes at most csv vs plain.
  const std::string plain = SniffContentType(bytes, "", name);
  FUZZ_CHECK(plain == type || (plain.starts_with("text/") && type.starts_with("text/")), type);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input = certus::fuzz::Text(data, size);
  const auto first = input.find('\n');
  const std::string_view header = input.substr(0, first);
  input = first == std::string_view::npos ? std::string_view() : input.substr(first + 1);
  const auto second = input.find('\n');
  const std::string_view declared = input.substr(0, second);
  const std::string_view bytes =
      second == std::string_view::npos ? std::string_view() : input.substr(second + 1);

  // The name as the route reads it: from X-Filename (percent-encoded), then ?filename=.
  certus::http::Request request;
  request.headers.emplace_back("x-filename", std::string(header));
  std::vector<certus::FieldError> errors;
  auto sent = certus::http::UploadFilename(request, errors);
  FUZZ_CHECK(sent.has_value() == errors.empty(), header);
  for (const auto& error : errors) FUZZ_CHECK(error.field == "filename", error.field);
  for (const std::string_view raw : {sent ? std::string_view(*sent) : header, header}) {
    auto name = CleanFilename(raw);
    if (!name) continue;
    CheckName(*name);
    CheckDisposition(*name);
    CheckType(bytes, declared, *name);
  }
  CheckType(bytes, declared, "");
  CheckType(input, header, declared);
  return 0;
}
