#include "reports/json_writer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace earshot::reports {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

json ParseOrFail(const std::string& text) {
  json parsed = json::parse(text, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(parsed.is_discarded()) << "not valid JSON:\n" << text;
  return parsed;
}

// Renders a one-row, one-column table and parses the value back.
json ValueOf(ValueKind kind, std::optional<std::string> value) {
  const Table table{{{"v", kind}}, {{std::move(value)}}};
  const json parsed = ParseOrFail(RenderJson(table));
  if (!parsed.is_array() || parsed.size() != 1 || !parsed[0].contains("v")) return "<bad shape>";
  return parsed[0]["v"];
}

// The JSON type a reader sees (nlohmann splits integers into signed and
// unsigned, which JSON does not).
std::string TypeOf(const json& value) {
  if (value.is_null()) return "null";
  if (value.is_boolean()) return "boolean";
  if (value.is_number_integer()) return "integer";
  if (value.is_number_float()) return "float";
  if (value.is_string()) return "string";
  return "other";
}

struct ValueCase {
  const char* name;
  ValueKind kind;
  std::optional<std::string> input;
  json expected;
};

TEST(JsonWriterTest, ValuesKeepTheirTypes) {
  const ValueCase cases[] = {
      {"integer", ValueKind::kInteger, "17", 17},
      {"negative_integer", ValueKind::kInteger, "-3", -3},
      {"decimal", ValueKind::kDecimal, "12345.5", 12345.5},
      {"small_decimal", ValueKind::kDecimal, "0.4231", 0.4231},
      {"exponent", ValueKind::kDecimal, "1e+20", 1e20},
      {"negative_exponent", ValueKind::kDecimal, "1.5e-07", 1.5e-07},
      {"plus_sign_normalised", ValueKind::kDecimal, "+5", 5},
      {"leading_point_normalised", ValueKind::kDecimal, ".5", 0.5},
      {"boolean_true", ValueKind::kBoolean, "true", true},
      {"boolean_false", ValueKind::kBoolean, "false", false},
      {"text_digits_stay_text", ValueKind::kText, "007", "007"},
      {"timestamp_is_text", ValueKind::kTimestamp, "2020-03-14 09:26:53", "2020-03-14 09:26:53"},
      {"null_text", ValueKind::kText, std::nullopt, nullptr},
      {"null_integer", ValueKind::kInteger, std::nullopt, nullptr},
      {"null_boolean", ValueKind::kBoolean, std::nullopt, nullptr},
      // must-fail inputs: not representable as a JSON number or boolean
      {"nan", ValueKind::kDecimal, "nan", nullptr},
      {"inf", ValueKind::kDecimal, "inf", nullptr},
      {"minus_inf", ValueKind::kDecimal, "-inf", nullptr},
      {"capital_nan", ValueKind::kDecimal, "NaN", nullptr},
      {"infinity", ValueKind::kDecimal, "Infinity", nullptr},
      {"garbage_number", ValueKind::kInteger, "12abc", nullptr},
      {"empty_number", ValueKind::kInteger, "", nullptr},
      {"leading_zeros_normalised", ValueKind::kInteger, "007", 7},
      {"garbage_boolean", ValueKind::kBoolean, "maybe", nullptr},
  };
  for (const auto& c : cases) {
    const json got = ValueOf(c.kind, c.input);
    EXPECT_EQ(TypeOf(got), TypeOf(c.expected)) << c.name << ": " << got.dump();
    EXPECT_EQ(got, c.expected) << c.name;
  }
}

TEST(JsonWriterTest, HugeNumbersAreWrittenVerbatim) {
  const std::string huge = "123456789012345678901234567890";
  const std::string decimal = "0.10000000000000000000000000001";
  const Table table{{{"h", ValueKind::kInteger}, {"d", ValueKind::kDecimal}}, {{huge, decimal}}};
  const std::string out = RenderJson(table);
  ParseOrFail(out);
  EXPECT_NE(out.find("\"h\": " + huge), std::string::npos) << out;
  EXPECT_NE(out.find("\"d\": " + decimal), std::string::npos) << out;
}

struct TextCase {
  const char* name;
  std::string input;
  std::string expected;  // after parsing back
};

TEST(JsonWriterTest, TextIsEscaped) {
  const TextCase cases[] = {
      {"quote", "say \"hi\"", "say \"hi\""},
      {"backslash", "C:\\music\\", "C:\\music\\"},
      {"newline_tab", "a\nb\tc\r", "a\nb\tc\r"},
      {"control_chars", std::string("\x01\x1f\x00z", 4), std::string("\x01\x1f\x00z", 4)},
      {"non_ascii", "Dvo\xC5\x99\xC3\xA1k \xF0\x9F\x8E\xB5",
       "Dvo\xC5\x99\xC3\xA1k \xF0\x9F\x8E\xB5"},
      {"script_tag", "</script><b>", "</script><b>"},
      // must-fail input: invalid UTF-8 cannot appear in JSON text
      {"invalid_utf8", "bad\xFF", "bad\xEF\xBF\xBD"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(ValueOf(ValueKind::kText, c.input), json(c.expected)) << c.name;
  }
  const std::string raw = RenderJson(Table{{{"v", ValueKind::kText}}, {{"\x01\n"}}});
  EXPECT_NE(raw.find("\\u0001\\u000a"), std::string::npos) << raw;
}

TEST(JsonWriterTest, ObjectsFollowColumnOrder) {
  const Table table{{{"playlist", ValueKind::kText},
                     {"seconds_streamed", ValueKind::kDecimal},
                     {"streams", ValueKind::kInteger},
                     {"listeners", ValueKind::kInteger},
                     {"share_of_seconds", ValueKind::kDecimal},
                     {"a \"quoted\" name", ValueKind::kBoolean}},
                    {{"playlist_01", "3600.0", "2", "1", "0.5714", "true"},
                     {"playlist_02", "1800", "1", "1", "0.2857", std::nullopt}}};
  const std::string out = RenderJson(table);
  const ordered_json parsed = ordered_json::parse(out);
  ASSERT_TRUE(parsed.is_array());
  ASSERT_EQ(parsed.size(), 2u);
  for (const auto& object : parsed) {
    std::vector<std::string> keys;
    for (const auto& item : object.items()) keys.push_back(item.key());
    EXPECT_EQ(keys, (std::vector<std::string>{"playlist", "seconds_streamed", "streams",
                                              "listeners", "share_of_seconds",
                                              "a \"quoted\" name"}));
  }
  EXPECT_EQ(parsed[0]["seconds_streamed"], 3600.0);
  EXPECT_TRUE(parsed[0]["streams"].is_number_integer());
  EXPECT_EQ(parsed[1]["playlist"], "playlist_02");
  EXPECT_TRUE(parsed[1]["a \"quoted\" name"].is_null());
  // One object per line, between the brackets.
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 4);
}

TEST(JsonWriterTest, EdgeShapes) {
  EXPECT_EQ(ParseOrFail(RenderJson(Table{})), json::array());
  EXPECT_EQ(ParseOrFail(RenderJson(Table{{{"a", ValueKind::kText}}, {}})), json::array());
  // A short row is padded with nulls.
  const json padded = ParseOrFail(
      RenderJson(Table{{{"a", ValueKind::kText}, {"b", ValueKind::kInteger}}, {{"x"}}}));
  EXPECT_EQ(padded, json::parse(R"([{"a": "x", "b": null}])"));
  // A row with no columns is an empty object.
  EXPECT_EQ(ParseOrFail(RenderJson(Table{{}, {{}}})), json::parse("[{}]"));
}

}  // namespace
}  // namespace earshot::reports
