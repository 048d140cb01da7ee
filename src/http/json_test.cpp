#include "http/json.hpp"

#include <gtest/gtest.h>

namespace certus::http {
namespace {

TEST(ParseJsonObject, RefusesANumberTooLargeForADouble) {
  for (const char* body : {R"({"value": 1e999})", R"({"a": [1, {"b": -1e400}]})"}) {
    auto parsed = ParseJsonObject(body);
    ASSERT_FALSE(parsed) << body;
    EXPECT_EQ(parsed.error().code(), ErrorCode::kMalformed) << body;
  }
  EXPECT_TRUE(ParseJsonObject(R"({"value": 1.7e308, "small": 1e-400})"));
}

TEST(FieldReader, RefusesNulCharactersInTextNamingTheField) {
  auto body = ParseJsonObject(R"({"title": "a\u0000b", "note": null})");
  ASSERT_TRUE(body);
  FieldReader fields(*body);
  EXPECT_FALSE(fields.Text("title", 1, 100));
  EXPECT_TRUE(fields.NullableText("note", 100));
  auto done = fields.Finish();
  ASSERT_FALSE(done);
  ASSERT_EQ(done.error().fields().size(), 1u);
  EXPECT_EQ(done.error().fields()[0].field, "title");
}

}  // namespace
}  // namespace certus::http
