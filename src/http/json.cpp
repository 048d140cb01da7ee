#include "http/json.hpp"

#include <algorithm>
#include <cmath>

#include <boost/json/parse.hpp>

#include "core/encoding.hpp"

namespace certus::http {

namespace {

std::size_t CodePoints(std::string_view text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\n' ||
                           text.front() == '\r')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\n' ||
                           text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

/// Whether every number in `value` is finite: a literal too large for a double (1e999)
/// parses as infinity, which no JSON answer could carry back.
bool AllFinite(const boost::json::value& value) {
  if (value.is_double()) return std::isfinite(value.get_double());
  if (value.is_array()) {
    return std::all_of(value.get_array().begin(), value.get_array().end(), AllFinite);
  }
  if (value.is_object()) {
    return std::all_of(value.get_object().begin(), value.get_object().end(),
                       [](const auto& member) { return AllFinite(member.value()); });
  }
  return true;
}

}  // namespace

Expected<boost::json::object> ParseJsonObject(std::string_view body) {
  boost::system::error_code error;
  boost::json::parse_options options;
  options.max_depth = 64;
  boost::json::value value = boost::json::parse(body, error, {}, options);
  if (error) {
    return Fail(ErrorCode::kMalformed,
                "The request body is not valid JSON: " + error.message() + ".");
  }
  if (!value.is_object()) {
    return Fail(ErrorCode::kValidation, "The request body must be a JSON object.");
  }
  if (!AllFinite(value)) {
    return Fail(ErrorCode::kMalformed,
                "The request body holds a number too large to represent (at most about 1.8e308).");
  }
  return std::move(value.as_object());
}

const boost::json::value* FieldReader::Field(std::string_view name) {
  read_.emplace(name);
  return object_.if_contains(name);
}

std::optional<std::string> FieldReader::Text(std::string_view name, std::size_t min_length,
                                             std::size_t max_length) {
  const auto* value = Field(name);
  if (value == nullptr) return std::nullopt;
  if (!value->is_string()) {
    AddError(std::string(name), "must be a string");
    return std::nullopt;
  }
  if (value->as_string().find('\0') != boost::json::string::npos) {
    AddError(std::string(name), "must not contain NUL characters");
    return std::nullopt;
  }
  std::string text(Trim(value->as_string()));
  if (CodePoints(text) < min_length) {
    AddError(std::string(name),
             min_length == 1 ? "must not be empty"
                             : "must be at least " + std::to_string(min_length) + " characters");
    return std::nullopt;
  }
  if (CodePoints(text) > max_length) {
    AddError(std::string(name), "must be at most " + std::to_string(max_length) + " characters");
    return std::nullopt;
  }
  return text;
}

std::optional<std::optional<std::string>> FieldReader::NullableText(std::string_view name,
                                                                    std::size_t max_length) {
  const auto* value = object_.if_contains(name);
  if (value != nullptr && value->is_null()) {
    read_.emplace(name);
    return std::optional<std::string>();
  }
  auto text = Text(name, 0, max_length);
  if (!text) return std::nullopt;
  return std::optional<std::string>(std::move(*text));
}

std::optional<std::string> FieldReader::OneOf(std::string_view name,
                                              const std::vector<std::string>& allowed) {
  const auto* value = Field(name);
  if (value == nullptr) return std::nullopt;
  if (value->is_string()) {
    std::string_view text = value->as_string();
    if (std::find(allowed.begin(), allowed.end(), text) != allowed.end()) return std::string(text);
  }
  std::string list;
  for (const auto& option : allowed) list += (list.empty() ? "" : ", ") + option;
  AddError(std::string(name), "must be one of: " + list);
  return std::nullopt;
}

std::optional<std::optional<Date>> FieldReader::NullableDate(std::string_view name) {
  const auto* value = Field(name);
  if (value == nullptr) return std::nullopt;
  if (value->is_null()) return std::optional<Date>();
  if (value->is_string()) {
    if (auto date = ParseDate(value->as_string())) return std::optional<Date>(*date);
  }
  AddError(std::string(name), "must be a date (YYYY-MM-DD) or null");
  return std::nullopt;
}

std::optional<std::int64_t> FieldReader::Integer(std::string_view name, std::int64_t min,
                                                 std::int64_t max) {
  const auto* value = Field(name);
  if (value == nullptr) return std::nullopt;
  std::optional<std::int64_t> number;
  if (value->is_int64())
    number = value->as_int64();
  else if (value->is_uint64() && value->as_uint64() <= static_cast<std::uint64_t>(max)) {
    number = static_cast<std::int64_t>(value->as_uint64());
  }
  if (!number || *number < min || *number > max) {
    AddError(std::string(name),
             "must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
    return std::nullopt;
  }
  return number;
}

std::optional<bool> FieldReader::Boolean(std::string_view name) {
  const auto* value = Field(name);
  if (value == nullptr) return std::nullopt;
  if (!value->is_bool()) {
    AddError(std::string(name), "must be true or false");
    return std::nullopt;
  }
  return value->as_bool();
}

void FieldReader::Require(std::string_view name) {
  read_.emplace(name);
  const auto* value = object_.if_contains(name);
  if (value == nullptr || value->is_null()) {
    // Only one message per field: a type error already recorded says enough.
    bool reported = std::any_of(errors_.begin(), errors_.end(),
                                [&](const FieldError& e) { return e.field == name; });
    if (!reported) AddError(std::string(name), "is required");
  }
}

void FieldReader::AddError(std::string field, std::string message) {
  errors_.push_back({std::move(field), std::move(message)});
}

const std::set<std::string, std::less<>>& FieldReader::ServerFields() {
  static const std::set<std::string, std::less<>> kFields = {"id", "version", "created_at",
                                                             "updated_at", "ref"};
  return kFields;
}

Expected<void> FieldReader::Finish() {
  for (const auto& entry : object_) {
    std::string_view key = entry.key();
    if (!read_.contains(key) && !ServerFields().contains(key)) {
      AddError(std::string(key), "is not a known field");
    }
  }
  if (!errors_.empty()) return Fail(Error::Validation(errors_));
  return {};
}

}  // namespace certus::http
