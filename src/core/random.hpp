#pragma once

#include <cstddef>
#include <string>

namespace certus {

/// Where randomness comes from. Implementations must be thread-safe and cryptographically
/// strong outside tests; they cannot fail.
class Random {
 public:
  virtual ~Random() = default;
  /// `count` random bytes.
  virtual std::string Bytes(std::size_t count) = 0;
};

/// libsodium's randombytes (the operating system's CSPRNG).
class SystemRandom final : public Random {
 public:
  SystemRandom();
  std::string Bytes(std::size_t count) override;
};

}  // namespace certus
