#include "blobstore/uploads.hpp"

#include "core/encoding.hpp"

namespace certus::blobstore {

namespace {

bool StartsWith(std::string_view bytes, std::string_view prefix) {
  return bytes.substr(0, prefix.size()) == prefix;
}

std::string Extension(std::string_view filename) {
  auto dot = filename.rfind('.');
  if (dot == std::string_view::npos) return {};
  return AsciiLower(filename.substr(dot + 1));
}

/// Text a person could read: UTF-8 without NUL or other control characters than tab, line
/// feed, carriage return and form feed.
bool IsText(std::string_view bytes) {
  if (!IsValidUtf8(bytes)) return false;
  for (unsigned char c : bytes) {
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') return false;
    if (c == 0x7f) return false;
  }
  return true;
}

}  // namespace

std::string SniffContentType(std::string_view bytes, std::string_view declared_type,
                             std::string_view filename) {
  if (StartsWith(bytes, "%PDF-")) return "application/pdf";
  if (StartsWith(bytes, "\x89PNG\r\n\x1a\n")) return "image/png";
  if (StartsWith(bytes, "\xff\xd8\xff")) return "image/jpeg";
  if (StartsWith(bytes, "GIF87a") || StartsWith(bytes, "GIF89a")) return "image/gif";
  if (StartsWith(bytes, std::string_view("PK\x03\x04", 4)) ||
      StartsWith(bytes, std::string_view("PK\x05\x06", 4))) {
    const auto ext = Extension(filename);
    if (ext == "docx")
      return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    if (ext == "xlsx") return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    if (ext == "pptx")
      return "application/vnd.openxmlformats-officedocument.presentationml.presentation";
    return "application/zip";
  }
  if (!bytes.empty() && IsText(bytes)) {
    const auto declared = AsciiLower(declared_type.substr(0, declared_type.find(';')));
    if (declared == "text/csv" || Extension(filename) == "csv") return "text/csv; charset=utf-8";
    return "text/plain; charset=utf-8";
  }
  return "application/octet-stream";
}

std::optional<std::string> CleanFilename(std::string_view name) {
  if (!IsValidUtf8(name)) return std::nullopt;
  if (auto slash = name.find_last_of("/\\"); slash != std::string_view::npos) {
    name.remove_prefix(slash + 1);
  }
  std::string clean;
  clean.reserve(name.size());
  for (char c : name) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) continue;
    clean += c;
  }
  while (!clean.empty() && clean.front() == ' ') clean.erase(0, 1);
  while (!clean.empty() && (clean.back() == ' ' || clean.back() == '.')) clean.pop_back();
  if (clean.empty() || clean == "." || clean == ".." || clean.size() > 255) return std::nullopt;
  return clean;
}

Expected<StoredFile> StoreUpload(BlobStore& blobs, const Upload& upload, std::int64_t max_bytes) {
  if (static_cast<std::int64_t>(upload.bytes.size()) > max_bytes) {
    return Fail(ErrorCode::kPayloadTooLarge,
                "The file is larger than the limit of " +
                    std::to_string(max_bytes / (std::int64_t{1024} * 1024)) + " MiB.");
  }
  std::vector<FieldError> problems;
  if (upload.bytes.empty()) problems.push_back({"file", "must not be empty"});
  auto filename = CleanFilename(upload.filename);
  if (!filename) {
    problems.push_back({"filename", "must name the file (at most 255 bytes of UTF-8)"});
  }
  if (!problems.empty()) return Fail(Error::Validation(std::move(problems)));
  auto ref = CERTUS_TRY(blobs.Put(upload.bytes));
  return StoredFile{ref.sha256, ref.size, *filename,
                    SniffContentType(upload.bytes, upload.declared_type, *filename)};
}

}  // namespace certus::blobstore
