#pragma once

#include <string>
#include <utility>

namespace certus {

/// A value that must never be printed or logged: passwords, tokens, seeds. It has no stream
/// operator and no formatter; reading it takes an explicit `Expose()`.
template <typename T>
class Secret final {
 public:
  Secret() = default;
  explicit Secret(T value) : value_(std::move(value)) {}

  const T& Expose() const { return value_; }

 private:
  T value_;
};

using SecretString = Secret<std::string>;

}  // namespace certus
