#include "identity/totp.hpp"

#include <array>
#include <ctime>
#include <mutex>
#include <stdexcept>

#include <liboath/oath.h>

#include "core/encoding.hpp"

namespace certus::identity {

namespace {

constexpr std::string_view kBase32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

void InitOath() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (oath_init() != OATH_OK) throw std::runtime_error("liboath failed to initialize");
  });
}

/// Percent-encoding for a URI path segment or query value (RFC 3986 unreserved kept).
std::string PercentEncode(std::string_view text) {
  static constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~' || c == '@') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

}  // namespace

std::int64_t TotpStep(Timestamp now) {
  auto seconds = std::chrono::floor<std::chrono::seconds>(now).time_since_epoch().count();
  return seconds >= 0 ? seconds / kTotpStepSeconds : -((-seconds - 1) / kTotpStepSeconds) - 1;
}

std::string TotpCode(std::string_view key, std::int64_t step, int digits) {
  InitOath();
  std::array<char, 16> output{};
  const auto at = static_cast<std::time_t>(step * kTotpStepSeconds);
  // Flags 0: HMAC-SHA-1, as every authenticator app computes it.
  int rc = oath_totp_generate2(key.data(), key.size(), at, kTotpStepSeconds, 0,
                               static_cast<unsigned>(digits), 0, output.data());
  if (rc != OATH_OK) throw std::runtime_error(oath_strerror(rc));
  return std::string(output.data());
}

std::optional<std::int64_t> MatchTotp(std::string_view key, std::string_view code,
                                      std::int64_t now_step, std::int64_t last_used_step) {
  std::optional<std::int64_t> matched;
  for (std::int64_t step = now_step - kTotpWindow; step <= now_step + kTotpWindow; ++step) {
    // Compare every candidate, used or not, so the time taken says nothing.
    bool equal = ConstantTimeEquals(TotpCode(key, step), code);
    if (equal && step > last_used_step && !matched) matched = step;
  }
  return matched;
}

std::string Base32Encode(std::string_view bytes) {
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 5) {
      out.push_back(kBase32Alphabet[(buffer >> (bits - 5)) & 0x1F]);
      bits -= 5;
    }
  }
  if (bits > 0) out.push_back(kBase32Alphabet[(buffer << (5 - bits)) & 0x1F]);
  return out;
}

std::optional<std::string> Base32Decode(std::string_view text) {
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    if (c == ' ' || c == '=') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    auto value = kBase32Alphabet.find(c);
    if (value == std::string_view::npos) return std::nullopt;
    buffer = (buffer << 5) | static_cast<std::uint32_t>(value);
    bits += 5;
    if (bits >= 8) {
      out.push_back(static_cast<char>((buffer >> (bits - 8)) & 0xFF));
      bits -= 8;
    }
  }
  return out;
}

std::string OtpauthUri(std::string_view issuer, std::string_view account,
                       std::string_view secret_base32) {
  return "otpauth://totp/" + PercentEncode(issuer) + ":" + PercentEncode(account) +
         "?secret=" + std::string(secret_base32) + "&issuer=" + PercentEncode(issuer) +
         "&algorithm=SHA1&digits=" + std::to_string(kTotpDigits) +
         "&period=" + std::to_string(kTotpStepSeconds);
}

std::string NormalizeCode(std::string_view code) {
  std::string out;
  for (char c : code) {
    if (c == ' ' || c == '-' || c == '\t') continue;
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return out;
}

bool IsTotpCode(std::string_view normalized) {
  if (normalized.size() != static_cast<std::size_t>(kTotpDigits)) return false;
  for (char c : normalized) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace certus::identity
