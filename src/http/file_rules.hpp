#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "http/request.hpp"

namespace certus::http {

// Uploaded files (evidence, document attachments) over HTTP: how their name comes in and how
// they go back out. What a file is and what it is called are blobstore/uploads.hpp. Tested
// in file_rules_test.cpp.

/// `attachment; filename="…"; filename*=UTF-8''…` (RFC 6266, RFC 5987): an ASCII fallback
/// for old clients and the exact name percent-encoded.
std::string ContentDisposition(std::string_view filename);

/// Percent-decodes `text` (as JavaScript's encodeURIComponent produces it); nullopt for a
/// malformed escape.
std::optional<std::string> PercentDecode(std::string_view text);

/// Whether `url` is an absolute http or https URL with a host.
bool IsWebUrl(std::string_view url);

/// The name of an uploaded file (the body is the file): `filename` in the query or,
/// percent-encoded, the `X-Filename` header. Appends to `errors` when neither is usable.
std::optional<std::string> UploadFilename(const Request& request, std::vector<FieldError>& errors);

/// An uploaded file going back out: always an attachment, never sniffed, never run in our
/// origin (sandbox CSP), never cached by shared caches; the ETag is its SHA-256.
Response FileResponse(std::string body, const std::string& content_type,
                      const std::string& filename, const std::string& sha256);

/// 500 "Integrity failure" (`urn:certus:problem:integrity`): the stored bytes are not the
/// ones recorded. Logged with the request id like every 5xx.
Response IntegrityProblem(const Request& request, const Error& error);

}  // namespace certus::http
