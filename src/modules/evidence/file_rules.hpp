#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace certus::evidence {

// The rules for evidence files that a server must not take from its clients: what a file
// is, what it is called, and how it goes back out. Pure functions, tested in
// file_rules_test.cpp.

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

/// `attachment; filename="…"; filename*=UTF-8''…` (RFC 6266, RFC 5987): an ASCII fallback
/// for old clients and the exact name percent-encoded.
std::string ContentDisposition(std::string_view filename);

/// Percent-decodes `text` (as JavaScript's encodeURIComponent produces it); nullopt for a
/// malformed escape.
std::optional<std::string> PercentDecode(std::string_view text);

/// Whether `url` is an absolute http or https URL with a host.
bool IsWebUrl(std::string_view url);

}  // namespace certus::evidence
