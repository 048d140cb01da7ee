#include "core/random.hpp"

#include <stdexcept>

#include <sodium.h>

namespace certus {

SystemRandom::SystemRandom() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialize");
}

std::string SystemRandom::Bytes(std::size_t count) {
  std::string out(count, '\0');
  randombytes_buf(out.data(), out.size());
  return out;
}

}  // namespace certus
