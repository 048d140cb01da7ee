#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace certus {

/// The stable names of a persisted enum, in declaration order: how a module's store writes
/// an enum to its column and its routes read one from JSON. A constexpr table per enum:
///
///   constexpr EnumNames<Severity, 2> kSeverities{{{{Severity::kMajor, "major"},
///                                                  {Severity::kMinor, "minor"}}}};
template <typename E, std::size_t N>
struct EnumNames {
  std::array<std::pair<E, std::string_view>, N> entries;

  /// The name of `value` (the first entry's for a value not in the table).
  constexpr std::string_view Of(E value) const {
    for (const auto& [e, name] : entries) {
      if (e == value) return name;
    }
    return entries[0].second;
  }
  constexpr std::optional<E> Parse(std::string_view name) const {
    for (const auto& [e, n] : entries) {
      if (n == name) return e;
    }
    return std::nullopt;
  }
  /// The first `count` names (all by default): the choices a field accepts.
  std::vector<std::string> All(std::size_t count = N) const {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < count && i < N; ++i) out.emplace_back(entries[i].second);
    return out;
  }
};

}  // namespace certus
