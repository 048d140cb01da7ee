#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "core/error.hpp"
#include "core/time.hpp"

namespace certus::http {

/// What every module's ToJson writes for an optional field: `null` when absent.
template <typename T>
boost::json::value Nullable(const std::optional<T>& value) {
  if (!value) return nullptr;
  return boost::json::value(*value);
}

/// A JSON array of strings (ids, refs, names).
inline boost::json::array StringArray(const std::vector<std::string>& values) {
  boost::json::array array;
  array.reserve(values.size());
  for (const auto& value : values) array.emplace_back(value);
  return array;
}

/// Parses a request body that must be one JSON object. Invalid JSON or invalid UTF-8 is
/// kMalformed (400); any other JSON value is kValidation (422).
Expected<boost::json::object> ParseJsonObject(std::string_view body);

/// Reads typed fields out of a JSON object and collects every problem, so that a client
/// learns all invalid fields at once. Absent fields read as nullopt: the caller decides
/// whether absence is allowed (POST) or means "unchanged" (PATCH).
class FieldReader final {
 public:
  explicit FieldReader(const boost::json::object& object) : object_(object) {}

  bool Has(std::string_view name) const { return object_.contains(name); }

  /// A string of at most `max_length` code points; `min_length` 1 refuses empty ones
  /// (after trimming white space). Null is refused.
  std::optional<std::string> Text(std::string_view name, std::size_t min_length,
                                  std::size_t max_length);
  /// Like Text, but null is allowed: outer nullopt = absent, inner nullopt = null.
  std::optional<std::optional<std::string>> NullableText(std::string_view name,
                                                         std::size_t max_length);
  /// One of `allowed`; anything else names the allowed values in the message.
  std::optional<std::string> OneOf(std::string_view name, const std::vector<std::string>& allowed);
  /// A `YYYY-MM-DD` date or null.
  std::optional<std::optional<Date>> NullableDate(std::string_view name);
  std::optional<std::int64_t> Integer(std::string_view name, std::int64_t min, std::int64_t max);
  std::optional<bool> Boolean(std::string_view name);

  /// Records that `name` is required when it is absent.
  void Require(std::string_view name);
  void AddError(std::string field, std::string message);

  /// Fields the server manages (id, version, …) that a client may echo back unchanged.
  static const std::set<std::string, std::less<>>& ServerFields();

  /// Fails with every collected problem, including fields nobody read (unknown fields).
  Expected<void> Finish();

 private:
  const boost::json::value* Field(std::string_view name);

  const boost::json::object& object_;
  std::set<std::string, std::less<>> read_;
  std::vector<FieldError> errors_;
};

}  // namespace certus::http
