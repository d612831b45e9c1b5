#include "formats/json_rows_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "formats/test_files.h"

namespace earshot::formats {
namespace {

using earshot::testing::TempFile;

struct Got {
  std::string text;
  uint64_t line;
  JsonFlaw flaw;
};

std::vector<Got> ReadAll(std::string_view contents, JsonShape* shape = nullptr, size_t block = 4096,
                         size_t max_row = 1 << 20) {
  TempFile f(contents, ".json");
  auto reader = JsonRowsReader::Open(f.path(), block, max_row);
  EXPECT_TRUE(reader.ok()) << reader.status().message();
  if (!reader.ok()) return {};
  if (shape) *shape = (*reader)->shape();
  std::vector<Got> out;
  JsonRow row;
  while (true) {
    auto more = (*reader)->Next(row);
    EXPECT_TRUE(more.ok());
    if (!more.ok() || !*more) break;
    out.push_back({std::string(row.text), row.line, row.flaw});
  }
  EXPECT_EQ((*reader)->bytes_consumed(), (*reader)->file_size());
  return out;
}

TEST(JsonRowsReader, ArrayOfRowsWithLines) {
  JsonShape shape;
  auto rows = ReadAll("\xEF\xBB\xBF[\n  {\"a\": \"x,]}\\\"\", \"b\": [1, 2]},\n  {\"a\": 2}\n]\n", &shape);
  EXPECT_EQ(shape, JsonShape::kArray);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].text, "{\"a\": \"x,]}\\\"\", \"b\": [1, 2]}");
  EXPECT_EQ(rows[0].line, 2u);
  EXPECT_EQ(rows[1].text, "{\"a\": 2}");
  EXPECT_EQ(rows[1].line, 3u);
  EXPECT_EQ(rows[1].flaw, JsonFlaw::kNone);
}

TEST(JsonRowsReader, RowsUnderAKeyOfAnObject) {
  JsonShape shape;
  auto rows = ReadAll(
      "{\"provider\": {\"rows\": [9]}, \"note\": \"rows\",\n \"rows\": [\n{\"p\": 1},\n{\"p\": 2}\n],\n"
      " \"count\": 2}\n",
      &shape);
  EXPECT_EQ(shape, JsonShape::kRowsObject);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].text, "{\"p\": 1}");
  EXPECT_EQ(rows[0].line, 3u);
  EXPECT_EQ(rows[1].line, 4u);
}

TEST(JsonRowsReader, NdjsonIsOneRowPerLine) {
  JsonShape shape;
  auto rows = ReadAll("{\"a\": 1}\n\n{\"a\": 2, \"rows\": 3}\r\n{broken\n", &shape);
  EXPECT_EQ(shape, JsonShape::kLines);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1].text, "{\"a\": 2, \"rows\": 3}");
  EXPECT_EQ(rows[2].line, 4u);
}

TEST(JsonRowsReader, EmptyAndBlankFilesHaveNoRows) {
  JsonShape shape;
  EXPECT_TRUE(ReadAll("", &shape).empty());
  EXPECT_EQ(shape, JsonShape::kEmpty);
  EXPECT_TRUE(ReadAll(" \n\t\n", &shape).empty());
  EXPECT_EQ(shape, JsonShape::kEmpty);
  EXPECT_TRUE(ReadAll("[]", &shape).empty());
  EXPECT_EQ(shape, JsonShape::kArray);
  EXPECT_TRUE(ReadAll("{\"rows\": []}", &shape).empty());
}

TEST(JsonRowsReader, TruncatedArrayReportsWhereItEnded) {
  auto rows = ReadAll("[\n{\"a\": 1},\n{\"a\": \"unterminated\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].flaw, JsonFlaw::kNone);
  EXPECT_EQ(rows[1].flaw, JsonFlaw::kTruncated);
  EXPECT_EQ(rows[1].line, 3u);
  auto unclosed = ReadAll("[{\"a\": 1},\n{\"a\": 2}\n");
  ASSERT_EQ(unclosed.size(), 3u);
  EXPECT_EQ(unclosed[2].flaw, JsonFlaw::kTruncated);
}

TEST(JsonRowsReader, TextAfterTheArrayIsAFlaw) {
  auto rows = ReadAll("[{\"a\": 1}]\n[{\"a\": 2}]\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].flaw, JsonFlaw::kTrailingText);
  EXPECT_EQ(rows[1].line, 2u);
}

// Found by fuzz/json_rows_reader_fuzzer: the text shown for trailing text
// stopped where the reader's block ended, so it depended on the block size.
TEST(JsonRowsReader, TrailingTextIsShownWhateverTheBlockSize) {
  const std::string file = "[{\"a\": 1}]\n  trailing text after the rows\n";
  for (size_t block : {4096, 16, 7, 3}) {
    auto rows = ReadAll(file, nullptr, block);
    ASSERT_EQ(rows.size(), 2u) << block;
    EXPECT_EQ(rows[1].flaw, JsonFlaw::kTrailingText);
    EXPECT_EQ(rows[1].text, "trailing text after the rows\n") << block;
    EXPECT_EQ(rows[1].line, 2u);
  }
}

// Found by fuzz/json_rows_reader_fuzzer: a `}` where a row starts made an
// empty row that consumed nothing, returned again and again without end.
TEST(JsonRowsReader, StrayClosingBraceIsARowOfItsOwn) {
  auto rows = ReadAll("[{\"a\": 1}, }\n {\"b\": 2}]\n");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].text, "{\"a\": 1}");
  EXPECT_EQ(rows[1].text, "}");
  EXPECT_EQ(rows[1].line, 1u);
  EXPECT_EQ(rows[2].text, "{\"b\": 2}");
  EXPECT_EQ(rows[2].line, 2u);
}

// Found by fuzz/json_rows_reader_fuzzer: an oversized row being skipped
// that ended at the first byte of a new block lost that byte (a newline),
// so every later row got the line before its own.
TEST(JsonRowsReader, RowAfterASkippedOneKeepsItsLine) {
  // With 16-, 8-, 4- and 2-byte blocks the 62-byte row ends at the newline
  // in byte 64, the first byte of a block.
  const std::string file = "[\n\"" + std::string(60, 'x') + "\"\n,1\n]\n";
  for (size_t block : {16, 8, 4, 2}) {
    auto rows = ReadAll(file, nullptr, block, 20);
    ASSERT_EQ(rows.size(), 2u) << block;
    EXPECT_EQ(rows[0].flaw, JsonFlaw::kTooLarge);
    EXPECT_EQ(rows[0].line, 2u);
    EXPECT_EQ(rows[1].text, "1");
    EXPECT_EQ(rows[1].line, 3u) << block;
  }
}

TEST(JsonRowsReader, ScalarRowsAreSplitToo) {
  auto rows = ReadAll("[1, \"two\", null ,{\"x\":[]}]");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].text, "1");
  EXPECT_EQ(rows[1].text, "\"two\"");
  EXPECT_EQ(rows[2].text, "null");
  EXPECT_EQ(rows[3].text, "{\"x\":[]}");
}

TEST(JsonRowsReader, OversizedRowIsSkippedAndReadingGoesOn) {
  std::string big = "[\n{\"a\": \"" + std::string(100000, 'x') + "\"},\n{\"a\": 2}\n]";
  auto rows = ReadAll(big, nullptr, 4096, 16384);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].flaw, JsonFlaw::kTooLarge);
  EXPECT_EQ(rows[0].line, 2u);
  EXPECT_EQ(rows[0].text.substr(0, 8), "{\"a\": \"x");
  EXPECT_EQ(rows[1].text, "{\"a\": 2}");
  EXPECT_EQ(rows[1].line, 3u);
}

TEST(JsonRowsReader, RowsSpanningManyBlocksKeepTheirLines) {
  std::string doc = "{\"rows\": [\n";
  for (int i = 0; i < 2000; ++i) doc += std::string(i ? ",\n" : "") + "{\"i\": " + std::to_string(i) + ", \"s\": \"a\\\"b\"}";
  doc += "\n]}";
  auto rows = ReadAll(doc, nullptr, 1024, 1 << 20);
  ASSERT_EQ(rows.size(), 2000u);
  EXPECT_EQ(rows[1999].line, 2001u);
  EXPECT_EQ(rows[1999].text, "{\"i\": 1999, \"s\": \"a\\\"b\"}");
}

}  // namespace
}  // namespace earshot::formats
