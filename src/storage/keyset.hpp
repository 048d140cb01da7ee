#pragma once

#include <charconv>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/page.hpp"
#include "storage/database.hpp"

namespace certus::storage {

/// A sort field of a listing: the SQL expression it orders by and the same value computed
/// from an object, so a cursor continues exactly where the page ended. Nullable columns are
/// coalesced in `sql` so that both engines order them alike; `numeric` keys compare as
/// numbers.
template <typename T>
struct SortKey {
  std::string_view sql;
  std::string (*of)(const T&);
  bool numeric = false;
};

/// The sort fields of one listing, by the name a client passes in `sort`.
template <typename T>
using SortKeys = std::map<std::string, SortKey<T>, std::less<>>;

/// The names of `keys`, for http::PagingRules.
template <typename T>
std::vector<std::string> SortFieldsOf(const SortKeys<T>& keys) {
  std::vector<std::string> names;
  names.reserve(keys.size());
  for (const auto& [name, key] : keys) names.push_back(name);
  return names;
}

/// `text` with `%`, `_` and `\` escaped for `LIKE … ESCAPE '\'`.
std::string EscapeLike(std::string_view text);

/// A SELECT that grows: `Bind` adds a value and answers its `$n` placeholder.
struct Query {
  std::string sql;
  std::vector<Value> params;

  std::string Bind(Value value) {
    params.push_back(std::move(value));
    return "$" + std::to_string(params.size());
  }
  /// Adds ` AND (LOWER(c1) LIKE … OR LOWER(c2) LIKE …)` for a case-insensitive search.
  void AddTextSearch(std::string_view text, std::initializer_list<std::string_view> columns);
};

/// Finishes `query` (which ends in a WHERE clause) with the keyset condition after the
/// page's cursor, the order and the limit; runs it and makes the page. `T` has an `id`.
template <typename T, typename FromRow>
Expected<Page<T>> RunKeysetPage(Transaction& tx, Query query, const SortKey<T>& key,
                                const PageQuery& page, FromRow from_row) {
  const char* op = page.descending ? "<" : ">";
  const char* direction = page.descending ? " DESC" : "";
  if (page.after) {
    Value after = page.after->sort_key;
    if (key.numeric) {
      std::int64_t number = 0;
      const auto& text = page.after->sort_key;
      std::from_chars(text.data(), text.data() + text.size(), number);
      after = number;
    }
    auto sort_value = query.Bind(std::move(after));
    auto id_value = query.Bind(page.after->id);
    query.sql += " AND (" + std::string(key.sql) + " " + op + " " + sort_value + " OR (" +
                 std::string(key.sql) + " = " + sort_value + " AND id " + op + " " + id_value +
                 "))";
  }
  query.sql += " ORDER BY " + std::string(key.sql) + direction + ", id" + direction;
  query.sql += " LIMIT " + query.Bind(static_cast<std::int64_t>(page.limit) + 1);
  auto result = CERTUS_TRY(tx.Execute(query.sql, query.params));
  Page<T> out;
  out.items.reserve(result.rows.size());
  for (const auto& row : result.rows) out.items.push_back(from_row(row));
  if (out.items.size() > static_cast<std::size_t>(page.limit)) {
    out.items.pop_back();
    out.next = Cursor{key.of(out.items.back()), out.items.back().id.str()};
  }
  return out;
}

/// As above, ordered by the key of `keys` that the page names: a field error on `sort` when
/// it names none (the routes check `sort` first; this keeps other callers from throwing).
template <typename T, typename FromRow>
Expected<Page<T>> RunKeysetPage(Transaction& tx, Query query, const SortKeys<T>& keys,
                                const PageQuery& page, FromRow from_row) {
  auto key = keys.find(page.sort);
  if (key == keys.end()) {
    std::string names;
    for (const auto& [name, unused] : keys) names += (names.empty() ? "" : ", ") + name;
    return Fail(Error::Field("sort", "must be one of " + names));
  }
  return RunKeysetPage(tx, std::move(query), key->second, page, std::move(from_row));
}

}  // namespace certus::storage
