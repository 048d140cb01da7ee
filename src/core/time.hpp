#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"

namespace certus {

using Date = std::chrono::year_month_day;

/// RFC 3339 UTC with microseconds: `2026-11-24T03:42:56.123456Z`. Fixed width, so stored
/// timestamps sort as text in both databases.
std::string FormatTimestamp(Timestamp at);
/// Accepts RFC 3339 with `Z` or a numeric offset, with or without fractional seconds.
std::optional<Timestamp> ParseTimestamp(std::string_view text);

/// `YYYY-MM-DD`.
std::string FormatDate(Date date);
/// Strict `YYYY-MM-DD` that names a real calendar day.
std::optional<Date> ParseDate(std::string_view text);
/// The UTC calendar day of `at`.
Date DateOf(Timestamp at);

}  // namespace certus
