#include "http/paging.hpp"

#include <algorithm>
#include <charconv>

#include <boost/json.hpp>

#include "core/encoding.hpp"

namespace certus::http {

namespace {

std::string SortName(const PageQuery& query) { return (query.descending ? "-" : "") + query.sort; }

}  // namespace

std::string EncodeCursor(const PageQuery& query, const Cursor& cursor) {
  boost::json::array parts{SortName(query), cursor.sort_key, cursor.id};
  return Base64UrlEncode(boost::json::serialize(parts));
}

Expected<PageQuery> ParsePageQuery(const Request& request, const PagingRules& rules) {
  PageQuery query;
  std::vector<FieldError> errors;

  std::string sort = request.Query("sort").value_or(rules.default_sort);
  query.descending = sort.starts_with('-');
  query.sort = query.descending ? sort.substr(1) : sort;
  if (std::find(rules.sorts.begin(), rules.sorts.end(), query.sort) == rules.sorts.end()) {
    std::string list;
    for (const auto& option : rules.sorts) list += (list.empty() ? "" : ", ") + option;
    errors.push_back({"sort", "must be one of: " + list + " (prefix - for descending)"});
  }

  query.limit = rules.default_limit;
  if (auto limit = request.Query("limit")) {
    int value = 0;
    auto [end, ec] = std::from_chars(limit->data(), limit->data() + limit->size(), value);
    if (ec != std::errc{} || end != limit->data() + limit->size() || value < 1 ||
        value > rules.max_limit) {
      errors.push_back(
          {"limit", "must be an integer from 1 to " + std::to_string(rules.max_limit)});
    } else {
      query.limit = value;
    }
  }

  if (auto cursor = request.Query("cursor"); cursor && !cursor->empty()) {
    bool valid = false;
    if (auto decoded = Base64UrlDecode(*cursor)) {
      boost::system::error_code ec;
      auto value = boost::json::parse(*decoded, ec);
      if (!ec && value.is_array() && value.as_array().size() == 3) {
        const auto& parts = value.as_array();
        if (parts[0].is_string() && parts[1].is_string() && parts[2].is_string() &&
            parts[0].as_string() == SortName(query)) {
          query.after =
              Cursor{std::string(parts[1].as_string()), std::string(parts[2].as_string())};
          valid = true;
        }
      }
    }
    if (!valid) errors.push_back({"cursor", "is not a cursor of this listing and sort order"});
  }

  if (!errors.empty()) return Fail(Error::Validation(std::move(errors)));
  return query;
}

}  // namespace certus::http
