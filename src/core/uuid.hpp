#pragma once

#include <string>

#include "core/clock.hpp"
#include "core/random.hpp"

namespace certus {

/// A UUIDv7 (RFC 9562) string: time-ordered, so new rows append to the primary-key index.
std::string NewUuid(const Clock& clock, Random& random);

}  // namespace certus
