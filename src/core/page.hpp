#pragma once

#include <optional>
#include <string>
#include <vector>

namespace certus {

/// Where a keyset page starts: after the row with this sort key and id.
struct Cursor {
  std::string sort_key;
  std::string id;
};

/// One page request of a collection, already validated by the routes.
struct PageQuery {
  std::string sort = "created_at";  ///< a field the store knows how to order by
  bool descending = false;
  int limit = 50;
  std::optional<Cursor> after;
};

template <typename T>
struct Page {
  std::vector<T> items;
  std::optional<Cursor> next;  ///< where the next page starts; nullopt on the last page
};

}  // namespace certus
