#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace certus::reports::detail {

/// Length of the well-formed UTF-8 sequence starting at text[at], or 0 when it is not one
/// (overlongs, surrogates and code points above U+10FFFF are rejected, RFC 3629).
inline std::size_t Utf8SequenceLength(std::string_view text, std::size_t at) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[at + i]); };
  const auto continuation = [&](std::size_t i) { return (byte(i) & 0xC0U) == 0x80U; };
  const unsigned char lead = byte(0);
  const std::size_t left = text.size() - at;
  if (lead < 0x80U) return 1;
  if (lead >= 0xC2U && lead <= 0xDFU) return left >= 2 && continuation(1) ? 2 : 0;
  if (lead >= 0xE0U && lead <= 0xEFU) {
    if (left < 3 || !continuation(1) || !continuation(2)) return 0;
    if (lead == 0xE0U && byte(1) < 0xA0U) return 0;
    if (lead == 0xEDU && byte(1) >= 0xA0U) return 0;
    return 3;
  }
  if (lead >= 0xF0U && lead <= 0xF4U) {
    if (left < 4 || !continuation(1) || !continuation(2) || !continuation(3)) return 0;
    if (lead == 0xF0U && byte(1) < 0x90U) return 0;
    if (lead == 0xF4U && byte(1) >= 0x90U) return 0;
    return 4;
  }
  return 0;
}

/// `text` with every byte that is not part of well-formed UTF-8 replaced by U+FFFD and
/// NUL dropped, so that the C libraries below (which take NUL-terminated UTF-8) see all
/// of it. Cells come from the database and should be valid already; this is a guard.
inline std::string CleanText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t length = Utf8SequenceLength(text, at);
    if (length == 0) {
      out.append("\xEF\xBF\xBD");
      ++at;
      continue;
    }
    if (text[at] != '\0') out.append(text.substr(at, length));
    at += length;
  }
  return out;
}

/// The first `max_code_points` code points of valid UTF-8 `text`.
inline std::string_view PrefixCodePoints(std::string_view text, std::size_t max_code_points) {
  std::size_t at = 0;
  for (std::size_t count = 0; count < max_code_points && at < text.size(); ++count) {
    const std::size_t length = Utf8SequenceLength(text, at);
    at += length == 0 ? 1 : length;
  }
  return text.substr(0, at);
}

}  // namespace certus::reports::detail
