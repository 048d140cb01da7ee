#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"

namespace certus::identity {

/// TOTP (RFC 6238) as authenticator apps use it: HMAC-SHA-1, 30-second steps from the Unix
/// epoch. Codes are computed by liboath (oath-toolkit). Pure functions, thread-safe.
inline constexpr int kTotpStepSeconds = 30;
inline constexpr int kTotpDigits = 6;
/// Steps either side of the current one that are still accepted (clock drift, typing time).
inline constexpr int kTotpWindow = 1;
/// Bytes of a shared key: 160 bits, the HMAC-SHA-1 output size (RFC 4226 §4).
inline constexpr std::size_t kTotpKeyBytes = 20;

/// The time step that `now` falls in.
std::int64_t TotpStep(Timestamp now);

/// The code of `key` (raw bytes) for time step `step`, `digits` (6 to 8) long.
std::string TotpCode(std::string_view key, std::int64_t step, int digits = kTotpDigits);

/// The step, within kTotpWindow of `now_step` and later than `last_used_step`, whose code is
/// `code`; nullopt when there is none. Every candidate is compared in constant time.
std::optional<std::int64_t> MatchTotp(std::string_view key, std::string_view code,
                                      std::int64_t now_step, std::int64_t last_used_step);

/// RFC 4648 base32, uppercase, without padding (what authenticator apps expect).
std::string Base32Encode(std::string_view bytes);
/// Inverse of Base32Encode; case and spaces are ignored; nullopt on other characters.
std::optional<std::string> Base32Decode(std::string_view text);

/// The `otpauth://totp/…` URI of a key for one account (Key Uri Format of Google
/// Authenticator), which authenticator apps read from a QR code.
std::string OtpauthUri(std::string_view issuer, std::string_view account,
                       std::string_view secret_base32);

/// What people type, cleaned up: spaces and dashes removed, letters lowercased.
std::string NormalizeCode(std::string_view code);
/// Whether a normalized code looks like a TOTP code (six digits).
bool IsTotpCode(std::string_view normalized);

}  // namespace certus::identity
