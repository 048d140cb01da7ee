// JSON request bodies (every POST, PUT and PATCH): http::ParseJsonObject and http::FieldReader
// (src/http/json.hpp).
//
// Invariants: a failure is 400 (kMalformed) or 422 (kValidation) with a message; an object
// holds only valid UTF-8; it serializes and parses back to an equal object; each field read
// through the reader its name picks gives a value within the asked bounds, or an error
// exactly when the value does not fit; Finish fails exactly when some field failed or was
// never read (and is no server-managed field), naming only fields of the object.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/serialize.hpp>

#include "core/encoding.hpp"
#include "core/time.hpp"
#include "fuzz/check.hpp"
#include "http/json.hpp"

namespace {

using certus::ErrorCode;
using certus::http::FieldReader;

void CheckUtf8(const boost::json::value& value) {
  if (const auto* text = value.if_string()) {
    FUZZ_CHECK(certus::IsValidUtf8(*text), std::string_view(*text));
  } else if (const auto* array = value.if_array()) {
    for (const auto& item : *array) CheckUtf8(item);
  } else if (const auto* object = value.if_object()) {
    for (const auto& entry : *object) {
      FUZZ_CHECK(certus::IsValidUtf8(entry.key()), entry.key());
      CheckUtf8(entry.value());
    }
  }
}

std::size_t CodePoints(std::string_view text) {
  std::size_t count = 0;
  for (char c : text) count += (static_cast<unsigned char>(c) & 0xC0U) != 0x80U ? 1 : 0;
  return count;
}

bool HasNonFinite(const boost::json::value& value) {
  if (value.is_double()) return !std::isfinite(value.get_double());
  if (const auto* array = value.if_array()) {
    return std::any_of(array->begin(), array->end(), [](const auto& v) { return HasNonFinite(v); });
  }
  if (const auto* object = value.if_object()) {
    return std::any_of(object->begin(), object->end(),
                       [](const auto& entry) { return HasNonFinite(entry.value()); });
  }
  return false;
}

/// Equality after a serialize/parse round trip. Boost.JSON parses numbers outside the 64-bit
/// integers quickly rather than correctly rounded, so a double may come back one unit in the
/// last place off: a relative difference of 1e-15 is no change to any number a client sends.
bool SameAfterRoundTrip(const boost::json::value& a, const boost::json::value& b) {
  if (a.is_double() && b.is_double()) {
    const double x = a.get_double();
    const double y = b.get_double();
    // Boost.JSON writes a subnormal with fewer digits than it holds (found by this target:
    // 4.7095516744072E-310 came back a few units of the last place away), so those compare
    // looser; the values are far below anything Certus stores.
    const bool subnormal = std::fpclassify(x) == FP_SUBNORMAL || std::fpclassify(y) == FP_SUBNORMAL;
    const double tolerance = subnormal ? 1e-12 : 1e-15;
    return x == y || std::fabs(x - y) <= tolerance * std::max(std::fabs(x), std::fabs(y));
  }
  if (a.kind() != b.kind()) return false;
  if (const auto* array = a.if_array()) {
    const auto& other = b.get_array();
    if (array->size() != other.size()) return false;
    for (std::size_t i = 0; i < array->size(); ++i)
      if (!SameAfterRoundTrip((*array)[i], other[i])) return false;
    return true;
  }
  if (const auto* object = a.if_object()) {
    const auto& other = b.get_object();
    if (object->size() != other.size()) return false;
    for (const auto& entry : *object) {
      const auto* match = other.if_contains(entry.key());
      if (match == nullptr || !SameAfterRoundTrip(entry.value(), *match)) return false;
    }
    return true;
  }
  return a == b;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/// Whether Text(min, max) must accept `value`, computed apart from the reader.
bool TextFits(const boost::json::value& value, std::size_t min, std::size_t max) {
  if (!value.is_string()) return false;
  std::string_view text = value.get_string();
  if (text.find('\0') != std::string_view::npos) return false;  // refused: storage takes none
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  const std::size_t length = CodePoints(text);
  return length >= min && length <= max;
}

void CheckText(const std::optional<std::string>& text, std::size_t min, std::size_t max) {
  if (!text) return;
  FUZZ_CHECK(certus::IsValidUtf8(*text), *text);
  FUZZ_CHECK(text->find('\0') == std::string::npos, *text);
  FUZZ_CHECK(CodePoints(*text) >= min && CodePoints(*text) <= max, *text);
  FUZZ_CHECK(text->empty() || (!IsSpace(text->front()) && !IsSpace(text->back())), *text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body = certus::fuzz::Text(data, size);
  auto parsed = certus::http::ParseJsonObject(body);
  if (!parsed) {
    const auto code = parsed.error().code();
    FUZZ_CHECK(code == ErrorCode::kMalformed || code == ErrorCode::kValidation,
               parsed.error().message());
    FUZZ_CHECK(!parsed.error().message().empty(), body);
    return 0;
  }
  const boost::json::object& object = *parsed;
  CheckUtf8(object);

  // A number beyond the doubles (1e400) would parse as infinity, which serializes as
  // `Infinity`, not JSON: the parser refuses such bodies, so everything it accepts comes back.
  const std::string text = boost::json::serialize(object);
  FUZZ_CHECK(!HasNonFinite(object), text);
  auto again = certus::http::ParseJsonObject(text);
  FUZZ_CHECK(again.has_value(), text);
  FUZZ_CHECK(SameAfterRoundTrip(*again, object), text);

  FieldReader reader(object);
  bool expect_failure = false;
  std::set<std::string, std::less<>> keys;
  for (const auto& entry : object) {
    const std::string_view key = entry.key();
    const boost::json::value& value = entry.value();
    keys.emplace(key);
    // The reader, and its bounds, are picked by the name so that the mutator can steer them.
    const std::size_t pick = key.empty() ? 0 : static_cast<unsigned char>(key.front());
    const std::size_t min = key.size() % 3;
    const std::size_t max = min + (pick % 16);
    switch (pick % 8) {
      case 0: {
        auto read = reader.Text(key, min, max);
        CheckText(read, min, max);
        FUZZ_CHECK(read.has_value() == TextFits(value, min, max), key);
        expect_failure |= !read;
        break;
      }
      case 1: {
        auto read = reader.NullableText(key, max);
        if (value.is_null()) {
          FUZZ_CHECK(read && !*read, key);
        } else {
          FUZZ_CHECK(read.has_value() == TextFits(value, 0, max), key);
          if (read) CheckText(*read, 0, max);
        }
        expect_failure |= !read;
        break;
      }
      case 2: {
        const std::vector<std::string> allowed{"open", "closed", std::string(key)};
        auto read = reader.OneOf(key, allowed);
        const bool fits =
            value.is_string() && (value.get_string() == "open" || value.get_string() == "closed" ||
                                  value.get_string() == key);
        FUZZ_CHECK(read.has_value() == fits, key);
        expect_failure |= !read;
        break;
      }
      case 3: {
        auto read = reader.NullableDate(key);
        FUZZ_CHECK(!read || !*read || value.is_string(), key);
        if (read && *read) {
          FUZZ_CHECK(read->value().ok(), key);
          const std::string formatted = certus::FormatDate(**read);
          FUZZ_CHECK(formatted == std::string_view(value.get_string()), formatted);
          FUZZ_CHECK(certus::ParseDate(formatted) == **read, formatted);
        }
        FUZZ_CHECK(read.has_value() || !value.is_null(), key);
        expect_failure |= !read;
        break;
      }
      case 4: {
        constexpr std::int64_t kMin = -100;
        constexpr std::int64_t kMax = 1000;
        auto read = reader.Integer(key, kMin, kMax);
        const bool fits =
            (value.is_int64() && value.get_int64() >= kMin && value.get_int64() <= kMax) ||
            (value.is_uint64() && value.get_uint64() <= static_cast<std::uint64_t>(kMax));
        FUZZ_CHECK(read.has_value() == fits, key);
        if (read) FUZZ_CHECK(*read >= kMin && *read <= kMax, key);
        expect_failure |= !read;
        break;
      }
      case 5: {
        auto read = reader.Boolean(key);
        FUZZ_CHECK(read.has_value() == value.is_bool(), key);
        if (read) FUZZ_CHECK(*read == value.get_bool(), key);
        expect_failure |= !read;
        break;
      }
      case 6:
        reader.Require(key);
        expect_failure |= value.is_null();
        break;
      default:
        // Never read: an unknown field unless the server manages it.
        expect_failure |= !FieldReader::ServerFields().contains(key);
        break;
    }
  }
  auto finished = reader.Finish();
  FUZZ_CHECK(finished.has_value() != expect_failure, text);
  if (!finished) {
    FUZZ_CHECK(finished.error().code() == ErrorCode::kValidation, finished.error().message());
    FUZZ_CHECK(!finished.error().fields().empty(), text);
    for (const auto& field : finished.error().fields()) {
      FUZZ_CHECK(keys.contains(field.field), field.field);
      FUZZ_CHECK(!field.message.empty(), field.field);
    }
  }
  return 0;
}
