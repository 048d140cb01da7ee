#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace certus::http {

/// Writes JSON text straight into a string, for the hot list endpoints: a page of 50 risks
/// built as a boost::json tree and then serialized cost more allocations than the query
/// (ADR 0023). Commas are placed by the writer; keys and values must alternate inside
/// objects. The caller keeps the nesting balanced; the output is then the same text that
/// boost::json::serialize gives for the same values (strings are valid UTF-8 already: every
/// text reaching the database was validated on the way in).
class JsonWriter final {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view key);

  JsonWriter& String(std::string_view value);
  JsonWriter& Int(std::int64_t value);
  JsonWriter& Bool(bool value);
  JsonWriter& Null();
  /// Text that is already one JSON value.
  JsonWriter& Raw(std::string_view json);

  /// `"key": value` for the common value types; an empty optional writes null.
  JsonWriter& Field(std::string_view key, std::string_view value) { return Key(key).String(value); }
  JsonWriter& Field(std::string_view key, const std::string& value) {
    return Key(key).String(value);
  }
  JsonWriter& Field(std::string_view key, const char* value) { return Key(key).String(value); }
  JsonWriter& Field(std::string_view key, std::int64_t value) { return Key(key).Int(value); }
  JsonWriter& Field(std::string_view key, bool value) { return Key(key).Bool(value); }
  template <typename T>
  JsonWriter& Field(std::string_view key, const std::optional<T>& value) {
    Key(key);
    return value ? Field(*value) : Null();
  }

 private:
  JsonWriter& Field(const std::string& value) { return String(value); }
  JsonWriter& Field(std::int64_t value) { return Int(value); }

  void Separate();

  std::string& out_;
  bool first_ = true;  // no value yet at this level: no comma before the next one
  bool after_key_ = false;
};

/// `text` as a JSON string literal, appended to `out`.
void AppendJsonString(std::string& out, std::string_view text);

}  // namespace certus::http
