#include "core/uuid.hpp"

#include <cstdint>

#include "core/encoding.hpp"

namespace certus {

std::string NewUuid(const Clock& clock, Random& random) {
  auto millis = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(clock.Now().time_since_epoch())
          .count());
  std::string bytes = random.Bytes(16);
  for (int i = 0; i < 6; ++i) {
    bytes[static_cast<std::size_t>(i)] = static_cast<char>((millis >> (40 - 8 * i)) & 0xFF);
  }
  bytes[6] = static_cast<char>((bytes[6] & 0x0F) | 0x70);  // version 7
  bytes[8] = static_cast<char>((bytes[8] & 0x3F) | 0x80);  // RFC 9562 variant
  std::string hex = HexEncode(bytes);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

}  // namespace certus
