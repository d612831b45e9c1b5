#include "ingest/events_mapper.h"

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
  std::string message;
};

std::vector<Outcome> MapAll(const std::string& text) {
  earshot::testing::TempFile file(text, ".csv");
  auto mapper = EventsMapper::Open(file.path(), 1);
  EXPECT_TRUE(mapper.ok()) << mapper.status().message();
  std::vector<Outcome> out;
  if (!mapper.ok()) return out;
  warehouse::RowBatch batch(EventsColumns(), 16);
  Reject reject;
  while (true) {
    size_t before = batch.size();
    auto outcome = (*mapper)->Next(batch, reject);
    EXPECT_TRUE(outcome.ok());
    if (!outcome.ok() || *outcome == RecordOutcome::kEnd) break;
    if (*outcome == RecordOutcome::kAccepted) {
      out.push_back({static_cast<uint64_t>(batch.Int64(1, before)), "", "", ""});
    } else {
      out.push_back({reject.line, reject.code, reject.raw, reject.message});
    }
  }
  return out;
}

constexpr const char* kHeader = "eventId,timestamp,userId,trackId,workId,listeningContext,secondsStreamed\n";

// Found by tests/bad_inputs: a row with invalid UTF-8 was rejected, but its
// raw text made the warehouse refuse the whole ingest; reject text is now
// safe text. Values that summed to infinity in the marts are rejected, and
// "+-3" is not a negative number.
TEST(EventsMapper, RejectTextIsSafeAndOutOfRangeSecondsAreRejected) {
  using namespace std::string_literals;  // "\0" inside a literal must survive
  const std::string text = std::string(kHeader) +
                           "e1,2021-08-01T10:00:00Z,u1,t1,w1,playlist_01,30\n"
                           "e2,2021-08-01T10:00:00Z,u\x80" "2,t1,Dvo\xf8\xe1k,playlist_01,30\n"
                           "e3,2021-08-01T10:00:00Z,u\0" "3,t1,w1,playlist_01,30\n"s +
                           "e4,2021-08-01T10:00:00Z,u4,t1,w1,playlist_01,1.7e308\n"
                           "e5,2021-08-01T10:00:00Z,u5,t1,w1,playlist_01,+-3\n"
                           "e6,2021-08-01T10:00:00Z,u6,t1,w1,playlist_01,31622400\n"
                           "e7,2021-08-01T10:00:00Z,u7,t1,w1,playlist_01,31622400.5\n"
                           "e8,2021-08-01T10:00:00Z,u8,t1,w1,playlist_01," + std::string(63, '7') + "\xc3\xa9\n";
  const std::vector<Outcome> got = MapAll(text);
  ASSERT_EQ(got.size(), 8u);
  EXPECT_EQ(got[0].code, "");
  EXPECT_EQ(got[1].code, "invalid_utf8");
  EXPECT_EQ(got[1].raw, "e2,2021-08-01T10:00:00Z,u\\x802,t1,Dvo\\xf8\\xe1k,playlist_01,30");
  EXPECT_EQ(got[2].code, "nul_byte");
  EXPECT_EQ(got[2].raw, "e3,2021-08-01T10:00:00Z,u\\x003,t1,w1,playlist_01,30");
  EXPECT_EQ(got[3].code, "seconds_out_of_range");
  EXPECT_EQ(got[3].line, 5u);
  EXPECT_EQ(got[4].code, "invalid_number");
  EXPECT_EQ(got[5].code, "") << "366 days exactly is still a stream";
  EXPECT_EQ(got[6].code, "seconds_out_of_range");
  EXPECT_EQ(got[7].code, "invalid_number");
  EXPECT_EQ(got[7].line, 9u);
  for (const Outcome& o : got) {
    EXPECT_TRUE(formats::IsValidUtf8(o.raw)) << o.line;
    EXPECT_TRUE(formats::IsValidUtf8(o.message)) << o.line << ": a value cut inside a character";
  }
}

TEST(EventsMapper, HeaderErrorsNeverCarryNulBytes) {
  // A header of NUL bytes: the message quotes it; a NUL there used to keep the
  // failed ingest's manifest row from being updated (it stayed `landed`).
  earshot::testing::TempFile file(std::string(16, '\0') + "\n", ".csv");
  auto mapper = EventsMapper::Open(file.path(), 1);
  ASSERT_FALSE(mapper.ok());
  EXPECT_NE(mapper.status().message().find("(code missing_column)"), std::string::npos);
  EXPECT_EQ(mapper.status().message().find('\0'), std::string::npos);
}

}  // namespace
}  // namespace earshot::ingest
