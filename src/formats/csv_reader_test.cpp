#include "formats/csv_reader.h"

#include <gtest/gtest.h>

#include <tuple>

#include "formats/test_files.h"

namespace earshot::formats {
namespace {

struct Parsed {
  std::vector<std::vector<std::string>> records;
  std::vector<uint64_t> lines;
  std::vector<uint64_t> offsets;
  std::vector<CsvFlaw> flaws;
};

Parsed ReadAll(std::string_view text, size_t block = 7) {
  earshot::testing::TempFile file(text, ".csv");
  auto reader = CsvReader::Open(file.path(), block, 1 << 20);
  EXPECT_TRUE(reader.ok());
  Parsed out;
  CsvRecord rec;
  while (true) {
    auto more = (*reader)->Next(rec);
    EXPECT_TRUE(more.ok());
    if (!more.ok() || !*more) break;
    out.records.emplace_back(rec.fields.begin(), rec.fields.end());
    out.lines.push_back(rec.line);
    out.offsets.push_back(rec.byte_offset);
    out.flaws.push_back(rec.flaw);
  }
  return out;
}

using Rows = std::vector<std::vector<std::string>>;

struct Case {
  const char* name;
  std::string input;
  Rows expected;
  std::vector<uint64_t> lines;
};

class CsvReaderCases : public ::testing::TestWithParam<Case> {};

TEST_P(CsvReaderCases, ReadsRecordsAndLineNumbers) {
  const Case& c = GetParam();
  // Tiny and large blocks must give the same answer: records span refills.
  for (size_t block : {size_t{3}, size_t{7}, size_t{64}, size_t{1} << 16}) {
    Parsed p = ReadAll(c.input, block);
    EXPECT_EQ(p.records, c.expected) << c.name << " block=" << block;
    EXPECT_EQ(p.lines, c.lines) << c.name << " block=" << block;
  }
}

INSTANTIATE_TEST_SUITE_P(
    All, CsvReaderCases,
    ::testing::Values(
        Case{"plain", "a,b\n1,2\n", {{"a", "b"}, {"1", "2"}}, {1, 2}},
        Case{"no trailing newline", "a,b\n1,2", {{"a", "b"}, {"1", "2"}}, {1, 2}},
        Case{"crlf", "a,b\r\n1,2\r\n", {{"a", "b"}, {"1", "2"}}, {1, 2}},
        Case{"bom", "\xEF\xBB\xBFx,y\n1,2\n", {{"x", "y"}, {"1", "2"}}, {1, 2}},
        Case{"quoted comma", "t\n\"a, b\"\n", {{"t"}, {"a, b"}}, {1, 2}},
        Case{"doubled quotes", "t\n\"say \"\"hi\"\"\"\n", {{"t"}, {"say \"hi\""}}, {1, 2}},
        Case{"quoted newline keeps line count", "t,u\n\"a\nb\",1\nc,2\n", {{"t", "u"}, {"a\nb", "1"}, {"c", "2"}}, {1, 2, 4}},
        Case{"quoted crlf", "t\r\n\"a\r\nb\"\r\nz\r\n", {{"t"}, {"a\r\nb"}, {"z"}}, {1, 2, 4}},
        Case{"empty fields", ",,\n", {{"", "", ""}}, {1}},
        Case{"blank lines skipped", "a\n\n\r\nb\n", {{"a"}, {"b"}}, {1, 4}},
        Case{"non-ascii", "t\n\"Dvořák, Antonín\"\n", {{"t"}, {"Dvořák, Antonín"}}, {1, 2}},
        Case{"stray quote in unquoted field kept", "a\"b,c\n", {{"a\"b", "c"}}, {1}},
        Case{"text after closing quote kept", "\"a\"b,c\n", {{"ab", "c"}}, {1}},
        Case{"empty file", "", {}, {}},
        Case{"quoted empty", "\"\",x\n", {{"", "x"}}, {1}}),
    [](const ::testing::TestParamInfo<Case>& param_info) {
      std::string n = param_info.param.name;
      for (char& ch : n) if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
      return n;
    });

TEST(CsvReader, UnterminatedQuoteIsFlaggedNotLost) {
  Parsed p = ReadAll("a,b\n1,\"open\n2,3\n");
  ASSERT_EQ(p.records.size(), 2u);
  EXPECT_EQ(p.flaws[1], CsvFlaw::kUnterminatedQuote);
  EXPECT_EQ(p.lines[1], 2u);
}

TEST(CsvReader, ByteOffsetsPointAtRecordStart) {
  Parsed p = ReadAll("\xEF\xBB\xBF" "ab,c\nde,f\n");
  ASSERT_EQ(p.offsets.size(), 2u);
  EXPECT_EQ(p.offsets[0], 3u);
  EXPECT_EQ(p.offsets[1], 8u);
}

TEST(CsvReader, OversizedRecordIsReportedAndReaderResynchronises) {
  std::string big(5000, 'x');
  earshot::testing::TempFile file("a\n" + big + "\nb\n", ".csv");
  auto reader = CsvReader::Open(file.path(), 64, 1024);
  ASSERT_TRUE(reader.ok());
  CsvRecord rec;
  std::vector<std::pair<uint64_t, CsvFlaw>> seen;
  std::vector<std::string> first_fields;
  while (true) {
    auto more = (*reader)->Next(rec);
    ASSERT_TRUE(more.ok());
    if (!*more) break;
    seen.emplace_back(rec.line, rec.flaw);
    first_fields.emplace_back(rec.fields.empty() ? "" : std::string(rec.fields[0]));
  }
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[1].second, CsvFlaw::kRecordTooLarge);
  EXPECT_EQ(seen[1].first, 2u);
  EXPECT_EQ(first_fields[2], "b");
  EXPECT_EQ(seen[2].first, 3u);
}

// Found by fuzz/csv_reader_fuzzer: with a record limit under 200 bytes the
// reject's raw prefix was copied as 200 bytes from a smaller buffer.
TEST(CsvReader, OversizedRecordUnderATinyLimitKeepsOnlyItsOwnBytes) {
  const std::string text = "a,b\n" + std::string(40, 'x') + "\nc,d\n";
  earshot::testing::TempFile file(text, ".csv");
  auto reader = CsvReader::Open(file.path(), 4, 16);
  ASSERT_TRUE(reader.ok());
  CsvRecord rec;
  std::vector<std::tuple<uint64_t, uint64_t, CsvFlaw, std::string>> seen;
  while (true) {
    auto more = (*reader)->Next(rec);
    ASSERT_TRUE(more.ok());
    if (!*more) break;
    seen.emplace_back(rec.line, rec.byte_offset, rec.flaw, std::string(rec.raw));
  }
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0], std::make_tuple(uint64_t{1}, uint64_t{0}, CsvFlaw::kNone, std::string("a,b")));
  EXPECT_EQ(std::get<0>(seen[1]), 2u);
  EXPECT_EQ(std::get<1>(seen[1]), 4u);
  EXPECT_EQ(std::get<2>(seen[1]), CsvFlaw::kRecordTooLarge);
  EXPECT_EQ(std::get<3>(seen[1]), std::string(16, 'x'));  // the 16 bytes the buffer held
  EXPECT_EQ(seen[2], std::make_tuple(uint64_t{3}, uint64_t{45}, CsvFlaw::kNone, std::string("c,d")));
}

TEST(CsvReader, MissingFileIsAnIoError) {
  auto reader = CsvReader::Open("/nonexistent/earshot/events.csv");
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), StatusCode::kIoError);
  EXPECT_NE(reader.status().message().find("/nonexistent/earshot/events.csv"), std::string::npos);
}

}  // namespace
}  // namespace earshot::formats
