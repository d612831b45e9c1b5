#include "ingest/playlists_mapper.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "formats/test_files.h"
#include "formats/value_parsers.h"
#include "ingest/raw_schema.h"

namespace earshot::ingest {
namespace {

struct Outcome {
  uint64_t line;
  std::string code;  // empty: accepted
  std::string raw;
};

std::vector<Outcome> MapAll(const std::string& text) {
  earshot::testing::TempFile file(text, ".ndjson");
  auto mapper = PlaylistsMapper::Open(file.path(), 1);
  EXPECT_TRUE(mapper.ok()) << mapper.status().message();
  std::vector<Outcome> out;
  if (!mapper.ok()) return out;
  warehouse::RowBatch batch(RecommendationsColumns(), 16);
  Reject reject;
  while (true) {
    size_t before = batch.size();
    auto outcome = (*mapper)->Next(batch, reject);
    EXPECT_TRUE(outcome.ok());
    if (!outcome.ok() || *outcome == RecordOutcome::kEnd) break;
    if (*outcome == RecordOutcome::kAccepted) {
      out.push_back({static_cast<uint64_t>(batch.Int64(1, before)), "", ""});
    } else {
      out.push_back({reject.line, reject.code, reject.raw});
    }
  }
  return out;
}

// Found by tests/bad_inputs: an empty playlists file loaded as 0 rows while
// an empty events file is refused; both now say empty_file.
TEST(PlaylistsMapper, FileWithoutANonBlankLineIsEmpty) {
  for (const std::string text : {std::string(), std::string("\n\r\n   \n"), std::string("\xEF\xBB\xBF")}) {
    earshot::testing::TempFile file(text, ".ndjson");
    auto mapper = PlaylistsMapper::Open(file.path(), 1);
    ASSERT_FALSE(mapper.ok()) << "[" << text << "]";
    EXPECT_EQ(mapper.status().code(), StatusCode::kDataError);
    EXPECT_NE(mapper.status().message().find("(code empty_file)"), std::string::npos);
    EXPECT_NE(mapper.status().message().find(file.path().string()), std::string::npos);
  }
}

TEST(PlaylistsMapper, TheFirstLineAfterBlankLinesIsMappedWithItsNumber) {
  const std::vector<Outcome> got = MapAll("\n\n{\"userId\": \"u1\", \"playlist_01\": [\"w1\"]}\n\n{\"userId\": 2}\n");
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].line, 3u);
  EXPECT_EQ(got[0].code, "");
  EXPECT_EQ(got[1].line, 5u);
  EXPECT_EQ(got[1].code, "");
}

// Found by tests/bad_inputs: invalid UTF-8 in a line made the warehouse
// refuse the whole ingest (the reject's raw text is a VARCHAR).
TEST(PlaylistsMapper, InvalidUtf8LineIsRejectedWithSafeRawText) {
  const std::vector<Outcome> got =
      MapAll("{\"userId\": \"u1\"}\n{\"userId\": \"u2\", \"playlist_01\": [{\"workId\": \"w1\", \"title\": \"Dvo\xf8\"}]}\n");
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[1].code, "invalid_utf8");
  EXPECT_EQ(got[1].raw, "{\"userId\": \"u2\", \"playlist_01\": [{\"workId\": \"w1\", \"title\": \"Dvo\\xf8\"}]}");
  EXPECT_TRUE(formats::IsValidUtf8(got[1].raw));
}

}  // namespace
}  // namespace earshot::ingest
