#include <charconv>
#include <cmath>
#include <stdexcept>
#include <string>
#include <system_error>

#include <fmt/format.h>

#include "storage/database.hpp"

namespace certus::storage {

namespace {

// Reading a column of the wrong type is a bug in the store that wrote the query, never a
// consequence of user input, so it throws (caught once per request) instead of guessing.
[[noreturn]] void ThrowNotAnInteger(std::size_t i) {
  throw std::logic_error(fmt::format("column {} holds text that is not an integer", i));
}

std::int64_t ParseInteger(const std::string& text, std::size_t i) {
  std::int64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec == std::errc() && ptr == end) return value;
  // PostgreSQL NUMERIC (SUM over BIGINT, for example) arrives as text such as "12" or "12.0".
  double number = 0;
  auto [dptr, dec] = std::from_chars(text.data(), end, number);
  if (dec == std::errc() && dptr == end && std::isfinite(number) && number == std::trunc(number) &&
      std::fabs(number) < 9.2e18) {
    return static_cast<std::int64_t>(number);
  }
  ThrowNotAnInteger(i);
}

}  // namespace

std::string Row::Text(std::size_t i) const {
  const Value& value = values_.at(i);
  if (const auto* text = std::get_if<std::string>(&value)) return *text;
  if (const auto* integer = std::get_if<std::int64_t>(&value)) return std::to_string(*integer);
  if (const auto* number = std::get_if<double>(&value)) return fmt::format("{}", *number);
  return {};
}

std::optional<std::string> Row::OptText(std::size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return Text(i);
}

std::int64_t Row::Int(std::size_t i) const {
  const Value& value = values_.at(i);
  if (const auto* integer = std::get_if<std::int64_t>(&value)) return *integer;
  if (const auto* text = std::get_if<std::string>(&value)) return ParseInteger(*text, i);
  if (const auto* number = std::get_if<double>(&value)) {
    if (!std::isfinite(*number) || std::fabs(*number) >= 9.2e18) ThrowNotAnInteger(i);
    return static_cast<std::int64_t>(*number);
  }
  return 0;
}

std::optional<std::int64_t> Row::OptInt(std::size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return Int(i);
}

}  // namespace certus::storage
