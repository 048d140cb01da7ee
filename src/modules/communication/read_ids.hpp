#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "core/error.hpp"

namespace certus::communication {

/// Whether `text` is a UUID in its canonical text form (8-4-4-4-12 hexadecimal digits).
inline bool IsUuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

/// Takes the array of ids `name` out of `body` (so a FieldReader does not see it): absent is
/// nullopt, null an empty list. Every entry must be a UUID; at most `max` of them.
inline std::optional<std::vector<std::string>> ReadIds(boost::json::object& body,
                                                       std::string_view name, std::size_t max,
                                                       std::vector<FieldError>& errors) {
  auto it = body.find(name);
  if (it == body.end()) return std::nullopt;
  boost::json::value value = it->value();
  body.erase(it);
  std::vector<std::string> ids;
  if (value.is_null()) return ids;
  if (!value.is_array()) {
    errors.push_back({std::string(name), "must be an array of ids"});
    return std::nullopt;
  }
  const auto& items = value.as_array();
  if (items.size() > max) {
    errors.push_back({std::string(name), "must have at most " + std::to_string(max) + " entries"});
    return std::nullopt;
  }
  bool ok = true;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (!items[i].is_string() || !IsUuid(items[i].as_string())) {
      errors.push_back({std::string(name) + "[" + std::to_string(i) + "]", "must be an id"});
      ok = false;
      continue;
    }
    ids.emplace_back(std::string(items[i].as_string()));
  }
  if (!ok) return std::nullopt;
  return ids;
}

}  // namespace certus::communication
