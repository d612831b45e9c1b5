#include "repair/journal.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>

namespace earshot::repair {
namespace {

TEST(DeliveryPeriod, TakesTheFirstDateThenTheMonthThenTheLandingDay) {
  const Day landed = *ParseDay("2026-12-06");
  struct Case {
    const char* name;
    const char* first;
    const char* last;
  } cases[] = {
      {"alderhost_2026-11-30.csv", "2026-11-30", "2026-11-30"},
      {"daily-2026-11-03-restated-2026-11-09.csv", "2026-11-03", "2026-11-03"},
      {"monthly_2026-02.json", "2026-02-01", "2026-02-28"},
      {"monthly_2024-02.json", "2024-02-01", "2024-02-29"},
      {"catalog.csv", "2026-12-06", "2026-12-06"},
      {"x_2026-13-01.csv", "2026-12-06", "2026-12-06"},     // no month 13, no valid month either
      {"v12026-11-30.csv", "2026-12-06", "2026-12-06"},     // digits run into the date: not a date
      {"seg-00001767225600000000.ndjson", "2026-12-06", "2026-12-06"},
  };
  for (const Case& c : cases) {
    Period p = DeliveryPeriod(c.name, landed);
    EXPECT_EQ(FormatDay(p.first), c.first) << c.name;
    EXPECT_EQ(FormatDay(p.last), c.last) << c.name;
  }
}

TEST(ParseDay, AcceptsOnlyRealDates) {
  EXPECT_TRUE(ParseDay("2024-02-29"));
  EXPECT_FALSE(ParseDay("2023-02-29"));
  EXPECT_FALSE(ParseDay("2023-2-01"));
  EXPECT_FALSE(ParseDay("yesterday"));
  EXPECT_EQ(FormatDay(*ParseDay("1970-01-02")), "1970-01-02");
  EXPECT_EQ(*ParseDay("1970-01-02"), 1);
}

class JournalFile : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/earshot-journal-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void Write(const std::string& text) { std::ofstream(dir_ / "landings.ndjson") << text; }
  std::filesystem::path dir_;
};

const std::string kSha(64, 'a');

TEST_F(JournalFile, ReadsEveryEntryInOrder) {
  Write("{\"ingest_id\":1,\"source\":\"podcasts\",\"file_name\":\"p.csv\",\"sha256\":\"" + kSha +
        "\",\"bytes\":10}\n"
        "{\"ingest_id\":2,\"source\":\"listens\",\"provider\":\"alpha\",\"file_name\":\"seg-0001.ndjson\","
        "\"original_path\":\"/x/seg-0001.ndjson\",\"sha256\":\"" + kSha + "\",\"bytes\":3}\n");
  auto entries = ReadJournal(dir_);
  ASSERT_TRUE(entries.ok()) << entries.status().message();
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[0].source, "podcasts");
  EXPECT_EQ((*entries)[0].original_path, "");
  EXPECT_FALSE(IsLogSegment((*entries)[0]));
  EXPECT_EQ((*entries)[1].provider, "alpha");
  EXPECT_EQ((*entries)[1].original_path, "/x/seg-0001.ndjson");
  EXPECT_EQ((*entries)[1].bytes, 3u);
  EXPECT_EQ((*entries)[1].line, 2);
  EXPECT_TRUE(IsLogSegment((*entries)[1]));
}

TEST_F(JournalFile, NoJournalIsNoEntries) {
  auto entries = ReadJournal(dir_);
  ASSERT_TRUE(entries.ok());
  EXPECT_TRUE(entries->empty());
}

TEST_F(JournalFile, ACutLastLineIsIgnoredButABadLineInTheMiddleFails) {
  const std::string good = "{\"source\":\"events\",\"file_name\":\"e.csv\",\"sha256\":\"" + kSha + "\"}\n";
  Write(good + "{\"source\":\"ev");
  auto cut = ReadJournal(dir_);
  ASSERT_TRUE(cut.ok()) << cut.status().message();
  EXPECT_EQ(cut->size(), 1u);

  Write(good + "not json\n" + good);
  auto bad = ReadJournal(dir_);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("landings.ndjson:2"), std::string::npos) << bad.status().message();

  Write("{\"source\":\"events\",\"file_name\":\"e.csv\",\"sha256\":\"short\"}\n" + good);
  auto short_hash = ReadJournal(dir_);
  ASSERT_FALSE(short_hash.ok());
  EXPECT_NE(short_hash.status().message().find(":1"), std::string::npos);
}

}  // namespace
}  // namespace earshot::repair
