#include "reports/csv_writer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace earshot::reports {
namespace {

// A strict RFC 4180 reader for checking round trips: returns records of
// fields, or fails the test on malformed quoting.
std::vector<std::vector<std::string>> ParseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '"') {
      ++i;
      for (;;) {
        if (i >= text.size()) {
          ADD_FAILURE() << "unterminated quoted field";
          return records;
        }
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field += text[i++];
      }
      if (i < text.size() && text[i] != ',' && text[i] != '\n') {
        ADD_FAILURE() << "text after closing quote at byte " << i;
        return records;
      }
    } else {
      while (i < text.size() && text[i] != ',' && text[i] != '\n') {
        if (text[i] == '"' || text[i] == '\r') ADD_FAILURE() << "unquoted special at byte " << i;
        field += text[i++];
      }
    }
    record.push_back(field);
    field.clear();
    if (i < text.size() && text[i] == ',') {
      ++i;
    } else {
      records.push_back(record);
      record.clear();
      ++i;  // the LF
    }
  }
  return records;
}

Table OneCell(std::optional<std::string> value) {
  return Table{{{"v", ValueKind::kText}}, {{std::move(value)}}};
}

struct FieldCase {
  const char* name;
  std::optional<std::string> value;
  std::string record;  // the data line, with its LF
};

TEST(CsvWriterTest, QuotesOnlyWhenNeeded) {
  const FieldCase cases[] = {
      {"plain", "playlist_01", "playlist_01\n"},
      {"non_ascii_unquoted", "Dvo\xC5\x99\xC3\xA1k", "Dvo\xC5\x99\xC3\xA1k\n"},
      {"spaces_unquoted", " a b ", " a b \n"},
      {"comma", "Symphony No. 9, From the New World", "\"Symphony No. 9, From the New World\"\n"},
      {"quote", "The \"New World\"", "\"The \"\"New World\"\"\"\n"},
      {"lone_quote", "\"", "\"\"\"\"\n"},
      {"lf", "line1\nline2", "\"line1\nline2\"\n"},
      {"cr", "a\rb", "\"a\rb\"\n"},
      {"crlf", "a\r\nb", "\"a\r\nb\"\n"},
      {"null_is_empty", std::nullopt, "\n"},
      {"empty_string_is_quoted", "", "\"\"\n"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(RenderCsv(OneCell(c.value)), "v\n" + c.record) << c.name;
  }
}

TEST(CsvWriterTest, WritesHeaderAndRowsWithLf) {
  const Table table{{{"playlist", ValueKind::kText},
                     {"seconds_streamed", ValueKind::kDecimal},
                     {"recommended", ValueKind::kBoolean},
                     {"work_title", ValueKind::kText}},
                    {{"playlist_01", "12345.5", "true", "Largo, from \"New World\""},
                     {"playlist_02", std::nullopt, "false", std::nullopt}}};
  EXPECT_EQ(RenderCsv(table),
            "playlist,seconds_streamed,recommended,work_title\n"
            "playlist_01,12345.5,true,\"Largo, from \"\"New World\"\"\"\n"
            "playlist_02,,false,\n");
}

TEST(CsvWriterTest, HeaderNamesAreQuotedToo) {
  const Table table{{{"a,b", ValueKind::kText}, {"c", ValueKind::kInteger}}, {{"1", "2"}}};
  EXPECT_EQ(RenderCsv(table), "\"a,b\",c\n1,2\n");
}

TEST(CsvWriterTest, EdgeShapes) {
  EXPECT_EQ(RenderCsv(Table{}), "");
  EXPECT_EQ(RenderCsv(Table{{{"a", ValueKind::kText}, {"b", ValueKind::kText}}, {}}), "a,b\n");
  // A short row is padded with NULLs rather than producing a ragged record.
  EXPECT_EQ(RenderCsv(Table{{{"a", ValueKind::kText}, {"b", ValueKind::kText}}, {{"x"}}}),
            "a,b\nx,\n");
}

}  // namespace
}  // namespace earshot::reports

namespace earshot::reports {
namespace {

TEST(CsvWriterTest, RoundTripsThroughAStrictReader) {
  const std::vector<std::string> values = {
      "plain", "a,b", "\"quoted\"", "multi\nline", "cr\rlf\r\n", ",,,", "\"\"", "x\"y,z\nw",
      "Dvo\xC5\x99\xC3\xA1k"};
  Table table{{{"value", ValueKind::kText}, {"n", ValueKind::kInteger}}, {}};
  for (std::size_t i = 0; i < values.size(); ++i) {
    table.rows.push_back({values[i], std::to_string(i)});
  }
  const auto records = ParseCsv(RenderCsv(table));
  ASSERT_EQ(records.size(), values.size() + 1);
  EXPECT_EQ(records[0], (std::vector<std::string>{"value", "n"}));
  for (std::size_t i = 0; i < values.size(); ++i) {
    EXPECT_EQ(records[i + 1], (std::vector<std::string>{values[i], std::to_string(i)})) << i;
  }
}

}  // namespace
}  // namespace earshot::reports
