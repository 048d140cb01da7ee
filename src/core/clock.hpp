#pragma once

#include <chrono>

namespace certus {

using Timestamp = std::chrono::sys_time<std::chrono::microseconds>;

/// Where the time comes from. Implementations must be thread-safe; they cannot fail.
/// Tests use FakeClock (tests/support) so that expiry and due dates are deterministic.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp Now() const = 0;
};

/// The wall clock, in microseconds.
class SystemClock final : public Clock {
 public:
  Timestamp Now() const override {
    return std::chrono::time_point_cast<std::chrono::microseconds>(
        std::chrono::system_clock::now());
  }
};

}  // namespace certus
