#pragma once

#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "core/error.hpp"
#include "core/page.hpp"
#include "http/json_writer.hpp"
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

/// The same page as JSON text, each item written by `write_item(JsonWriter&, const T&)`:
/// for the lists that are read most (ADR 0023).
template <typename T, typename WriteItem>
std::string PageJsonText(const Page<T>& page, const PageQuery& query, WriteItem&& write_item);

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

template <typename T, typename WriteItem>
std::string PageJsonText(const Page<T>& page, const PageQuery& query, WriteItem&& write_item) {
  std::string out;
  out.reserve(256 + page.items.size() * 1024);
  JsonWriter json(out);
  json.BeginObject().Key("items").BeginArray();
  for (const auto& item : page.items) write_item(json, item);
  json.EndArray().Key("next_cursor");
  if (page.next)
    json.String(EncodeCursor(query, *page.next));
  else
    json.Null();
  json.EndObject();
  return out;
}

}  // namespace certus::http
