#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "blobstore/blob_store.hpp"
#include "core/error.hpp"

namespace certus::blobstore {

// Files as clients upload them (evidence, document attachments): what a file is and what
// it is called are decided here, never taken from the client. Tested in uploads_test.cpp.

/// A file as uploaded: its bytes (borrowed), the name the client gave and the type it
/// claimed (used only to tell CSV from other text).
struct Upload {
  std::string_view bytes;
  std::string filename;
  std::string declared_type;
};

/// An uploaded file once stored: its blob and what the server made of its name and type.
struct StoredFile {
  std::string sha256;
  std::int64_t size = 0;
  std::string filename;
  std::string content_type;
};

/// The media type of `bytes` from their first bytes: PDF, PNG, JPEG, GIF, ZIP (and the
/// Office Open XML types, told apart by the file name's extension), UTF-8 text (CSV when
/// the client or the name says so), otherwise application/octet-stream. Never text/html,
/// image/svg+xml or any other type a browser would run: markup is served as plain text.
std::string SniffContentType(std::string_view bytes, std::string_view declared_type,
                             std::string_view filename);

/// A file name as a client sent it, reduced to its last path component, without control
/// characters and surrounding white space. nullopt when nothing usable is left, when it
/// is not UTF-8, or when it is longer than 255 bytes.
std::optional<std::string> CleanFilename(std::string_view name);

/// Checks an upload (not empty, at most `max_bytes`: kPayloadTooLarge; a usable name) and
/// puts its bytes in `blobs`. The bytes go to the store before any row names them: a failed
/// transaction afterwards leaves at most an unreferenced blob.
Expected<StoredFile> StoreUpload(BlobStore& blobs, const Upload& upload, std::int64_t max_bytes);

}  // namespace certus::blobstore
