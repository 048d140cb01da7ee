#include "http/json_writer.hpp"

#include <string>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

namespace certus::http {
namespace {

TEST(JsonWriter, WritesTheSameTextAsBoostJson) {
  std::string out;
  JsonWriter json(out);
  json.BeginObject()
      .Field("id", "01a2116d-70c1-7934-894b-c76404d6b6d1")
      .Field("n", std::int64_t{-42})
      .Field("ok", true)
      .Field("none", std::optional<std::string>())
      .Field("some", std::optional<std::int64_t>(7))
      .Key("list")
      .BeginArray()
      .String("a")
      .BeginObject()
      .EndObject()
      .BeginArray()
      .EndArray()
      .Int(0)
      .EndArray()
      .Key("raw")
      .Raw(R"({"x":[1,2]})")
      .Field("last", "z")
      .EndObject();
  const auto parsed = boost::json::parse(out);
  EXPECT_EQ(out, boost::json::serialize(parsed));
  EXPECT_EQ(parsed.at("list").as_array().size(), 4U);
  EXPECT_TRUE(parsed.at("none").is_null());
}

TEST(JsonWriter, EscapesLikeBoostJson) {
  const std::string text = "quote \" backslash \\ tab \t newline \n bell \x07 nul " +
                           std::string(1, '\0') + " del \x7f utf-8 \xc3\xa9 \xe2\x82\xac";
  std::string out;
  AppendJsonString(out, text);
  EXPECT_EQ(out, boost::json::serialize(boost::json::string_view(text)));
  EXPECT_EQ(boost::json::parse(out).as_string(), text);
}

}  // namespace
}  // namespace certus::http
