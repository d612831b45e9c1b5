#include "reports/text_table.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "reports/utf8.h"

namespace earshot::reports {
namespace {

struct RenderCase {
  const char* name;
  Table table;
  std::string expected;
};

TEST(TextTableTest, RendersAlignedGrid) {
  const RenderCase cases[] = {
      {"non_ascii_text_aligns_by_code_point",
       {{{"composer", ValueKind::kText}, {"plays", ValueKind::kInteger}},
        {{"Dvo\xC5\x99\xC3\xA1k", "7"}, {"Bach", "12345"}, {"Sm\xC3\xA9tana", "17"}}},
       "composer | plays\n"
       "---------+------\n"
       "Dvo\xC5\x99\xC3\xA1k   |     7\n"
       "Bach     | 12345\n"
       "Sm\xC3\xA9tana  |    17\n"},
      {"decimals_as_given_and_null",
       {{{"share", ValueKind::kDecimal}, {"note", ValueKind::kText}},
        {{"0.4231", std::nullopt}, {std::nullopt, "x"}, {"12345.5", "y"}}},
       "  share | note\n"
       "--------+-----\n"
       " 0.4231 | NULL\n"
       "   NULL | x\n"
       "12345.5 | y\n"},
      {"booleans_and_timestamps_left_aligned",
       {{{"recommended", ValueKind::kBoolean}, {"at", ValueKind::kTimestamp}},
        {{"true", "2020-03-14 09:26:53"}, {"false", std::nullopt}}},
       "recommended | at\n"
       "------------+--------------------\n"
       "true        | 2020-03-14 09:26:53\n"
       "false       | NULL\n"},
      {"controls_cannot_break_lines",
       {{{"title", ValueKind::kText}}, {{"a\nb\tc\x1b[31m"}}},
       "title\n"
       "---------------\n"
       "a\\nb\\tc\\x1b[31m\n"},
      {"header_only", {{{"a", ValueKind::kText}, {"bb", ValueKind::kInteger}}, {}},
       "a | bb\n"
       "--+---\n"},
      {"short_row_padded_with_null",
       {{{"a", ValueKind::kText}, {"b", ValueKind::kText}}, {{"x"}}},
       "a | b\n"
       "--+-----\n"
       "x | NULL\n"},
      {"no_columns", {}, ""},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(RenderTextTable(c.table), c.expected) << c.name;
  }
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The separator ("-+-") must sit at the same code-point column on every line;
// measuring bytes instead would shift the rows holding ř, á, é or emoji.
TEST(TextTableTest, ColumnSeparatorAtSameCodePointOnEveryLine) {
  const Table table{{{"name", ValueKind::kText}, {"n", ValueKind::kInteger}},
                    {{"Dvorak", "1"},
                     {"Dvo\xC5\x99\xC3\xA1k", "2"},
                     {"\xF0\x9F\x8E\xB5 Antonín", "3"},
                     {"\xE5\x8D\x83", "4"}}};
  const auto lines = Lines(RenderTextTable(table));
  ASSERT_EQ(lines.size(), 6u);
  const auto bar = [](const std::string& line) {
    const std::size_t byte = line.find_first_of("|+");
    return CodePointCount(line.substr(0, byte));
  };
  for (const auto& line : lines) {
    EXPECT_EQ(bar(line), bar(lines[0])) << line;
    EXPECT_EQ(CodePointCount(line), CodePointCount(lines[0])) << line;
  }
}

TEST(TextTableTest, TruncatesLongCellsWithEllipsis) {
  const std::string sixty(60, 'x');
  const std::string long_value = std::string(80, 'y');
  const std::string long_accented = [] {
    std::string s;
    for (int i = 0; i < 70; ++i) s += "\xC3\xA9";  // é
    return s;
  }();
  const Table table{{{"v", ValueKind::kText}}, {{sixty}, {long_value}, {long_accented}}};
  const auto lines = Lines(RenderTextTable(table));
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(lines[2], sixty);  // exactly the limit: kept whole
  EXPECT_EQ(lines[3], std::string(59, 'y') + "\xE2\x80\xA6");
  EXPECT_EQ(CodePointCount(lines[4]), kMaxCellCodePoints);
  EXPECT_EQ(lines[4].substr(lines[4].size() - 3), "\xE2\x80\xA6");
  EXPECT_EQ(SanitizeUtf8(lines[4]), lines[4]);  // never cut inside a sequence
}

TEST(TextTableTest, InvalidUtf8IsReplacedNotMisaligned) {
  const Table table{{{"v", ValueKind::kText}, {"n", ValueKind::kInteger}},
                    {{"ok", "1"}, {"bad\xFF", "2"}}};
  const std::string out = RenderTextTable(table);
  EXPECT_EQ(SanitizeUtf8(out), out);
  EXPECT_NE(out.find("bad\xEF\xBF\xBD | 2"), std::string::npos) << out;
}

TEST(TextTableTest, FooterRowsGetTheirOwnSeparator) {
  const Table table{{{"k", ValueKind::kText}, {"n", ValueKind::kInteger}},
                    {{"a", "1"}, {"b", "22"}, {"total", "23"}}};
  EXPECT_EQ(RenderTextTable(table, {.footer_rows = 1}),
            "k     |  n\n"
            "------+---\n"
            "a     |  1\n"
            "b     | 22\n"
            "------+---\n"
            "total | 23\n");
}

}  // namespace
}  // namespace earshot::reports
