#pragma once

#include <cstddef>
#include <string>

namespace certus::storage {

/// `$from, $from+1, …` (`count` of them): the parameter list of an INSERT written out in
/// SQL, in the `$n` placeholders both engines take (database.hpp).
inline std::string Placeholders(std::size_t from, std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) {
    if (i) out += ", ";
    out += "$" + std::to_string(from + i);
  }
  return out;
}

}  // namespace certus::storage
