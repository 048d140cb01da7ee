#pragma once

// The invariant checks of the fuzz targets: a broken invariant aborts with its message, and
// libFuzzer saves the input that broke it as a crash artifact (fuzz/README.md).

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace certus::fuzz {

[[noreturn]] inline void Violated(const char* file, int line, const char* condition,
                                  std::string_view detail) {
  std::fprintf(stderr, "%s:%d: invariant violated: %s\n  %.*s\n", file, line, condition,
               static_cast<int>(detail.size()), detail.data());
  std::abort();
}

/// The fuzzer's input as text (it may hold any bytes).
inline std::string_view Text(const unsigned char* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace certus::fuzz

/// Aborts (a crash for libFuzzer) when `condition` is false; `detail` is printed with it.
#define FUZZ_CHECK(condition, detail)                                                     \
  do {                                                                                    \
    if (!(condition)) ::certus::fuzz::Violated(__FILE__, __LINE__, #condition, (detail)); \
  } while (false)
