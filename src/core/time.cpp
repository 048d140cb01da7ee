#include "core/time.hpp"

#include <charconv>

#include <fmt/format.h>

namespace certus {

namespace {

bool ParseInt(std::string_view text, int& out) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  auto result = std::from_chars(text.data(), text.data() + text.size(), out);
  return result.ec == std::errc{};
}

}  // namespace

std::string FormatTimestamp(Timestamp at) {
  auto day = std::chrono::floor<std::chrono::days>(at);
  std::chrono::year_month_day ymd{day};
  std::chrono::hh_mm_ss<std::chrono::microseconds> tod{at - day};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z", int(ymd.year()),
                     unsigned(ymd.month()), unsigned(ymd.day()), tod.hours().count(),
                     tod.minutes().count(), tod.seconds().count(), tod.subseconds().count());
}

std::optional<Timestamp> ParseTimestamp(std::string_view text) {
  if (text.size() < 20 || text[10] != 'T' || text[13] != ':' || text[16] != ':') {
    return std::nullopt;
  }
  auto date = ParseDate(text.substr(0, 10));
  int hour = 0, minute = 0, second = 0;
  if (!date || !ParseInt(text.substr(11, 2), hour) || !ParseInt(text.substr(14, 2), minute) ||
      !ParseInt(text.substr(17, 2), second) || hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  std::size_t pos = 19;
  long long micros = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 6) {
        micros = micros * 10 + (text[pos] - '0');
        ++digits;
      }
      ++pos;
    }
    if (digits == 0) return std::nullopt;
    for (; digits < 6; ++digits) micros *= 10;
  }
  std::chrono::minutes offset{0};
  std::string_view zone = text.substr(pos);
  if (zone == "Z" || zone == "z") {
  } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
    int oh = 0, om = 0;
    if (!ParseInt(zone.substr(1, 2), oh) || !ParseInt(zone.substr(4, 2), om)) return std::nullopt;
    offset = std::chrono::hours(oh) + std::chrono::minutes(om);
    if (zone[0] == '-') offset = -offset;
  } else {
    return std::nullopt;
  }
  auto at = std::chrono::sys_days{*date} + std::chrono::hours(hour) + std::chrono::minutes(minute) +
            std::chrono::seconds(second) + std::chrono::microseconds(micros) - offset;
  return std::chrono::time_point_cast<std::chrono::microseconds>(at);
}

std::string FormatDate(Date date) {
  return fmt::format("{:04}-{:02}-{:02}", int(date.year()), unsigned(date.month()),
                     unsigned(date.day()));
}

std::optional<Date> ParseDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int y = 0, m = 0, d = 0;
  if (!ParseInt(text.substr(0, 4), y) || !ParseInt(text.substr(5, 2), m) ||
      !ParseInt(text.substr(8, 2), d)) {
    return std::nullopt;
  }
  Date date{std::chrono::year(y), std::chrono::month(static_cast<unsigned>(m)),
            std::chrono::day(static_cast<unsigned>(d))};
  if (!date.ok()) return std::nullopt;
  return date;
}

Date DateOf(Timestamp at) { return Date{std::chrono::floor<std::chrono::days>(at)}; }

}  // namespace certus
