#pragma once

#include <atomic>
#include <mutex>
#include <random>

#include "core/clock.hpp"
#include "core/random.hpp"
#include "core/time.hpp"

namespace certus::testing {

/// A clock that moves only when told to. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(Timestamp start = *ParseTimestamp("2026-03-02T09:00:00Z")) : now_(start) {}
  Timestamp Now() const override { return now_.load(); }
  void Advance(std::chrono::microseconds by) { now_.store(now_.load() + by); }

 private:
  std::atomic<Timestamp> now_;
};

/// Deterministic bytes from a seeded generator. Thread-safe. Tests only: not secure.
class SeededRandom final : public Random {
 public:
  explicit SeededRandom(std::uint64_t seed = 27001) : engine_(seed) {}
  std::string Bytes(std::size_t count) override {
    std::lock_guard lock(mutex_);
    std::string out(count, '\0');
    for (auto& c : out) c = static_cast<char>(engine_() & 0xFF);
    return out;
  }

 private:
  std::mutex mutex_;
  std::mt19937_64 engine_;
};

}  // namespace certus::testing
