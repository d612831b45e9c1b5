#include "formats/line_reader.h"

#include <gtest/gtest.h>

#include <tuple>

#include "formats/test_files.h"

namespace earshot::formats {
namespace {

std::vector<std::pair<uint64_t, std::string>> ReadAll(std::string_view text, size_t block, size_t max) {
  earshot::testing::TempFile file(text, ".ndjson");
  auto reader = LineReader::Open(file.path(), block, max);
  EXPECT_TRUE(reader.ok());
  std::vector<std::pair<uint64_t, std::string>> out;
  Line line;
  while (true) {
    auto more = (*reader)->Next(line);
    EXPECT_TRUE(more.ok());
    if (!more.ok() || !*more) break;
    out.emplace_back(line.number, line.too_large ? "<too large>" : std::string(line.text));
  }
  return out;
}

TEST(LineReader, SplitsLfCrlfAndLastLineWithoutTerminator) {
  for (size_t block : {size_t{2}, size_t{5}, size_t{4096}}) {
    auto lines = ReadAll("\xEF\xBB\xBF{\"a\":1}\r\n\n{\"b\":2}\n{\"c\"", block, 1 << 20);
    ASSERT_EQ(lines.size(), 4u) << block;
    EXPECT_EQ(lines[0], (std::pair<uint64_t, std::string>{1, "{\"a\":1}"}));
    EXPECT_EQ(lines[1], (std::pair<uint64_t, std::string>{2, ""}));
    EXPECT_EQ(lines[2], (std::pair<uint64_t, std::string>{3, "{\"b\":2}"}));
    EXPECT_EQ(lines[3], (std::pair<uint64_t, std::string>{4, "{\"c\""}));
  }
}

TEST(LineReader, OversizedLineIsFlaggedAndSkipped) {
  std::string text = "x\n" + std::string(10000, 'y') + "\nz\n";
  auto lines = ReadAll(text, 64, 1024);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[1], (std::pair<uint64_t, std::string>{2, "<too large>"}));
  EXPECT_EQ(lines[2], (std::pair<uint64_t, std::string>{3, "z"}));
}

// Found by fuzz/line_reader_fuzzer: with a line limit under 200 bytes the
// too-large line's prefix was copied as 200 bytes from a smaller buffer.
TEST(LineReader, OversizedLineUnderATinyLimitKeepsOnlyItsOwnBytes) {
  earshot::testing::TempFile file("{}\n" + std::string(40, 'y') + "\n{\"a\":1}\n", ".ndjson");
  auto reader = LineReader::Open(file.path(), 4, 16);
  ASSERT_TRUE(reader.ok());
  Line line;
  std::vector<std::tuple<uint64_t, uint64_t, bool, std::string>> seen;
  while (true) {
    auto more = (*reader)->Next(line);
    ASSERT_TRUE(more.ok());
    if (!*more) break;
    seen.emplace_back(line.number, line.byte_offset, line.too_large, std::string(line.text));
  }
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0], std::make_tuple(uint64_t{1}, uint64_t{0}, false, std::string("{}")));
  EXPECT_EQ(seen[1], std::make_tuple(uint64_t{2}, uint64_t{3}, true, std::string(16, 'y')));
  EXPECT_EQ(seen[2], std::make_tuple(uint64_t{3}, uint64_t{44}, false, std::string("{\"a\":1}")));
}

TEST(LineReader, EmptyFileHasNoLines) { EXPECT_TRUE(ReadAll("", 16, 1024).empty()); }

}  // namespace
}  // namespace earshot::formats
