#include "formats/value_parsers.h"

#include <gtest/gtest.h>

namespace earshot::formats {
namespace {

constexpr int64_t kS = 1'000'000;

TEST(ParseTimestamp, AcceptsIsoAndEpochForms) {
  const int64_t base = int64_t{1584177413} * kS;  // 2020-03-14T09:16:53Z
  struct Case { const char* text; int64_t micros; };
  for (const Case& c : {Case{"2020-03-14T09:16:53Z", base},
                        Case{"2020-03-14 09:16:53", base},
                        Case{"2020-03-14T10:16:53+01:00", base},
                        Case{"2020-03-14T04:16:53-0500", base},
                        Case{"2020-03-14T11:16:53+02", base},
                        Case{"2020-03-14T09:16:53.250Z", base + 250000},
                        Case{"2020-03-14T09:16:53.1234567Z", base + 123456},
                        Case{" 2020-03-14T09:16:53Z ", base},
                        Case{"1584177413", base},
                        Case{"1584177413.5", base + 500000},
                        Case{"1584177413250", base + 250000},
                        Case{"2020-03-14", int64_t{1584144000} * kS},
                        Case{"2020-02-29T00:00:00Z", int64_t{1582934400} * kS}}) {
    auto got = ParseTimestamp(c.text);
    ASSERT_TRUE(got.has_value()) << c.text;
    EXPECT_EQ(*got, c.micros) << c.text;
  }
}

TEST(ParseTimestamp, RejectsWhatIsNotATime) {
  for (const char* text : {"", "not-a-date", "2020-02-30T00:00:00Z", "2019-02-29", "2020-13-01",
                           "2020-03-14T24:00:00Z", "2020-03-14T09:61:00Z", "2020-03-14T09:16:53Q",
                           "2020-03-14T09:16:53Zjunk", "15841774132", "-1584177413",
                           "12345678901234", "2020/03/14", "1584177413250.5"}) {
    EXPECT_FALSE(ParseTimestamp(text).has_value()) << text;
  }
  EXPECT_TRUE(ParseTimestamp("158417741").has_value()) << "9 digits are seconds too";
}

TEST(ParseDecimal, NumbersOnly) {
  EXPECT_EQ(ParseDecimal("12"), 12.0);
  EXPECT_EQ(ParseDecimal(" 12.5 "), 12.5);
  EXPECT_EQ(ParseDecimal("+3"), 3.0);
  EXPECT_EQ(ParseDecimal("-4"), -4.0);
  EXPECT_EQ(ParseDecimal("1e3"), 1000.0);
  // "+-3" used to pass as -3 (from_chars takes its own '-'): found by the bad-input corpus.
  for (const char* bad : {"", "abc", "12abc", "nan", "inf", "1,5", "--1", "+-3", "++3", "+", "1e400", "-1e400"}) {
    EXPECT_FALSE(ParseDecimal(bad).has_value()) << bad;
  }
}

TEST(Utf8, ValidAndInvalid) {
  EXPECT_TRUE(IsValidUtf8("Dvořák"));
  EXPECT_FALSE(IsValidUtf8("\xC3\x28"));
  EXPECT_FALSE(IsValidUtf8("\xFF"));
}

// Reject text goes into VARCHAR columns and SQL strings: invalid UTF-8 in a
// rejected row used to fail the whole ingest (found by the bad-input corpus).
TEST(SafeText, KeepsValidUtf8AndEscapesEverythingElse) {
  struct Case {
    std::string_view in;
    size_t max;
    std::string_view out;
  };
  using namespace std::string_view_literals;
  for (const Case& c : {
           Case{"Dvořák", 100, "Dvořák"},
           Case{"Dvo\xf8\xe1k"sv, 100, "Dvo\\xf8\\xe1k"},            // Latin-1
           Case{"u\x80" "2"sv, 100, "u\\x802"},                        // lone continuation byte
           Case{"w\xc0\xaf"sv, 100, "w\\xc0\\xaf"},                   // overlong '/'
           Case{"\xed\xa0\x80"sv, 100, "\\xed\\xa0\\x80"},            // UTF-16 surrogate
           Case{"\xf4\x90\x80\x80"sv, 100, "\\xf4\\x90\\x80\\x80"},  // above U+10FFFF
           Case{"a\0b"sv, 100, "a\\x00b"},                               // NUL
           Case{"x\xe2\x82"sv, 100, "x\\xe2\\x82"},                   // truncated sequence
           Case{"ab€"sv, 4, "ab"},                                      // € (3 bytes) does not fit in 4
           Case{"ab€"sv, 5, "ab€"},
           Case{"𝄞x"sv, 3, ""},
           Case{"abc"sv, 0, ""},
       }) {
    EXPECT_EQ(SafeText(c.in, c.max), c.out) << c.in;
    EXPECT_TRUE(IsValidUtf8(SafeText(c.in, c.max))) << c.in;
  }
}

TEST(NormalizeHeaderName, IgnoresCaseUnderscoresDashesSpaces) {
  EXPECT_EQ(NormalizeHeaderName("listening_context"), "listeningcontext");
  EXPECT_EQ(NormalizeHeaderName("listeningContext"), "listeningcontext");
  EXPECT_EQ(NormalizeHeaderName(" Listening-Context "), "listeningcontext");
}

TEST(PersonalizedPlaylistName, FollowsTheContractRule) {
  EXPECT_EQ(PersonalizedPlaylistName("playlist_01"), "playlist_01");
  EXPECT_EQ(PersonalizedPlaylistName(" Playlist_03 "), "playlist_03");
  EXPECT_EQ(PersonalizedPlaylistName("playlist_7"), "playlist_7");
  EXPECT_EQ(PersonalizedPlaylistName("playlist_1"), "playlist_1");
  for (const char* no : {"playlist", "playlist_", "playlist_01a", "curated_playlist_17", "user_playlist_01",
                         "album", "playlist_-1", "playlist 01", ""}) {
    EXPECT_FALSE(PersonalizedPlaylistName(no).has_value()) << no;
  }
}

TEST(DaysFromCivil, KnownDates) {
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DaysFromCivil(2000, 3, 1), 11017);
  EXPECT_FALSE(DaysFromCivil(2021, 2, 29).has_value());
}

}  // namespace
}  // namespace earshot::formats
