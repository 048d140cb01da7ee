#pragma once

#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "core/error.hpp"
#include "core/page.hpp"
#include "http/request.hpp"

namespace certus::http {

struct PagingRules {
  std::vector<std::string> sorts;  ///< fields a client may sort by
  std::string default_sort;        ///< with a leading '-' for descending
  int default_limit = 50;
  int max_limit = 500;
};

/// Reads `limit`, `cursor` and `sort` (`-field` for descending) from the query string.
/// A cursor only continues the sort it was made for; a foreign or corrupt one is 422.
Expected<PageQuery> ParsePageQuery(const Request& request, const PagingRules& rules);

/// `{"items": […], "next_cursor": "…" | null}`.
template <typename T, typename ToJson>
boost::json::object PageJson(const Page<T>& page, const PageQuery& query, ToJson&& to_json);

/// The opaque cursor text for continuing `query` after `cursor`.
std::string EncodeCursor(const PageQuery& query, const Cursor& cursor);

template <typename T, typename ToJson>
boost::json::object PageJson(const Page<T>& page, const PageQuery& query, ToJson&& to_json) {
  boost::json::array items;
  items.reserve(page.items.size());
  for (const auto& item : page.items) items.push_back(to_json(item));
  boost::json::object body;
  body["items"] = std::move(items);
  if (page.next)
    body["next_cursor"] = EncodeCursor(query, *page.next);
  else
    body["next_cursor"] = nullptr;
  return body;
}

}  // namespace certus::http
