#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace certus {

/// Lowercase hexadecimal of `bytes`.
std::string HexEncode(std::string_view bytes);
/// Base64url without padding (RFC 4648 §5), for tokens and cursors.
std::string Base64UrlEncode(std::string_view bytes);
/// Inverse of Base64UrlEncode; nullopt on any character outside the alphabet.
std::optional<std::string> Base64UrlDecode(std::string_view text);
/// Raw 32-byte SHA-256 digest.
std::string Sha256(std::string_view data);
/// Hex SHA-256 digest.
std::string Sha256Hex(std::string_view data);
/// True when `text` is well-formed UTF-8 (no overlongs, no surrogates).
bool IsValidUtf8(std::string_view text);
/// Lowercases ASCII letters; other bytes unchanged.
std::string AsciiLower(std::string_view text);
/// Constant-time equality for secrets.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace certus
