// Keyset cursors (`?cursor=` of every listing): the decoder in http::ParsePageQuery
// (src/http/paging.cpp) with its `sort` and `limit` companions, http::EncodeCursor, and the
// Base64url of core/encoding.hpp under them.
//
// The input is `cursor\nsort\nlimit` for the decoder (missing parts are absent parameters);
// the same bytes, split at the first NUL, are the sort key and id of a cursor to encode.
//
// Invariants: a failure is 422 naming only sort, limit or cursor; a page query that passes
// has a known sort and a limit in range; a decoded cursor re-encodes to a cursor that decodes
// to the same position, to the very same text when the input was canonical; every cursor
// the server writes decodes to the position it was made from, for this sort only; Base64url
// decodes what it encodes.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/encoding.hpp"
#include "fuzz/check.hpp"
#include "http/paging.hpp"

namespace {

using certus::Cursor;
using certus::ErrorCode;
using certus::PageQuery;
using certus::http::EncodeCursor;
using certus::http::PagingRules;
using certus::http::ParsePageQuery;
using certus::http::Request;

const PagingRules& Rules() {
  static const PagingRules kRules{{"created_at", "ref", "title"}, "-created_at", 50, 500};
  return kRules;
}

certus::Expected<PageQuery> Parse(std::optional<std::string_view> cursor,
                                  std::optional<std::string_view> sort,
                                  std::optional<std::string_view> limit) {
  Request request;
  if (sort) request.query.emplace_back("sort", std::string(*sort));
  if (limit) request.query.emplace_back("limit", std::string(*limit));
  if (cursor) request.query.emplace_back("cursor", std::string(*cursor));
  return ParsePageQuery(request, Rules());
}

bool IsBase64Url(std::string_view text) {
  for (char c : text) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

void Decode(std::string_view input) {
  std::optional<std::string_view> parts[3];
  for (auto& part : parts) {
    if (input.data() == nullptr) break;
    const auto newline = input.find('\n');
    part = input.substr(0, newline);
    input = newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);
  }
  const auto& [cursor, sort, limit] = parts;
  auto query = Parse(cursor, sort, limit);
  if (!query) {
    FUZZ_CHECK(query.error().code() == ErrorCode::kValidation, query.error().message());
    for (const auto& field : query.error().fields()) {
      FUZZ_CHECK(field.field == "sort" || field.field == "limit" || field.field == "cursor",
                 field.field);
    }
    return;
  }
  const auto& sorts = Rules().sorts;
  FUZZ_CHECK(std::find(sorts.begin(), sorts.end(), query->sort) != sorts.end(), query->sort);
  FUZZ_CHECK(query->limit >= 1 && query->limit <= Rules().max_limit, std::to_string(query->limit));
  if (!query->after) {
    FUZZ_CHECK(!cursor || cursor->empty(), *cursor);
    return;
  }
  const std::string again = EncodeCursor(*query, *query->after);
  FUZZ_CHECK(IsBase64Url(again), again);
  auto reparsed = Parse(again, sort, limit);
  FUZZ_CHECK(reparsed && reparsed->after, again);
  FUZZ_CHECK(reparsed->after->sort_key == query->after->sort_key, again);
  FUZZ_CHECK(reparsed->after->id == query->after->id, again);
  FUZZ_CHECK(EncodeCursor(*reparsed, *reparsed->after) == again, again);
  // Canonical input (no JSON white space or escapes, no stray Base64 bits) comes back as is.
  const auto decoded = certus::Base64UrlDecode(*cursor);
  FUZZ_CHECK(decoded.has_value(), *cursor);
  if (certus::Base64UrlEncode(*decoded) == *cursor &&
      boost::json::serialize(boost::json::parse(*decoded)) == *decoded) {
    FUZZ_CHECK(again == *cursor, *cursor);
  }
}

void Encode(std::string_view input) {
  const auto nul = input.find('\0');
  if (nul == std::string_view::npos) return;
  const Cursor cursor{std::string(input.substr(0, nul)), std::string(input.substr(nul + 1))};
  // Sort keys and ids are database text: always UTF-8, since every request body is.
  if (!certus::IsValidUtf8(cursor.sort_key) || !certus::IsValidUtf8(cursor.id)) return;
  PageQuery made;
  made.sort = "title";
  made.descending = !cursor.id.empty() && (static_cast<unsigned char>(cursor.id[0]) & 1U) != 0;
  const std::string text = EncodeCursor(made, cursor);
  FUZZ_CHECK(IsBase64Url(text), text);
  const std::string sort = made.descending ? "-title" : "title";
  auto query = Parse(text, sort, std::nullopt);
  FUZZ_CHECK(query && query->after, text);
  FUZZ_CHECK(query->after->sort_key == cursor.sort_key && query->after->id == cursor.id, text);
  FUZZ_CHECK(EncodeCursor(*query, *query->after) == text, text);
  // A cursor continues only the sort it was made for.
  auto other = Parse(text, made.descending ? "title" : "-title", std::nullopt);
  FUZZ_CHECK(!other, text);
  auto other_field = Parse(text, "ref", std::nullopt);
  FUZZ_CHECK(!other_field, text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = certus::fuzz::Text(data, size);
  const auto decoded = certus::Base64UrlDecode(certus::Base64UrlEncode(input));
  FUZZ_CHECK(decoded && *decoded == input, input);
  Decode(input);
  Encode(input);
  return 0;
}
