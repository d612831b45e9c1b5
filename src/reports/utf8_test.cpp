#include "reports/utf8.h"

#include <gtest/gtest.h>

#include <string>

namespace earshot::reports {
namespace {

struct SanitizeCase {
  const char* name;
  std::string input;
  std::string expected;
};

TEST(Utf8Test, SanitizeKeepsValidAndReplacesInvalid) {
  const SanitizeCase cases[] = {
      {"ascii", "playlist_01", "playlist_01"},
      {"two_byte", "Dvo\xC5\x99\xC3\xA1k", "Dvo\xC5\x99\xC3\xA1k"},
      {"four_byte", "\xF0\x9F\x8E\xB5", "\xF0\x9F\x8E\xB5"},
      // must-fail inputs: each bad byte becomes U+FFFD
      {"stray_continuation", "a\x80z", "a\xEF\xBF\xBDz"},
      {"truncated_sequence", "ab\xC5", "ab\xEF\xBF\xBD"},
      {"overlong_slash", "\xC0\xAF", "\xEF\xBF\xBD\xEF\xBF\xBD"},
      {"surrogate", "\xED\xA0\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},
      {"latin1_byte", "Dvo\xF8r", "Dvo\xEF\xBF\xBDr"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(SanitizeUtf8(c.input), c.expected) << c.name;
  }
}

struct CountCase {
  std::string input;
  std::size_t code_points;
};

TEST(Utf8Test, CountsCodePointsNotBytes) {
  const CountCase cases[] = {
      {"", 0}, {"abc", 3}, {"Dvo\xC5\x99\xC3\xA1k", 6}, {"\xE2\x96\x88\xE2\x96\x88", 2},
      {"\xF0\x9F\x8E\xB5!", 2},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(CodePointCount(c.input), c.code_points) << c.input;
  }
}

struct TruncateCase {
  std::string input;
  std::size_t max;
  std::string expected;
};

TEST(Utf8Test, TruncatesAtCodePointBoundaryWithEllipsis) {
  const TruncateCase cases[] = {
      {"abcdef", 6, "abcdef"},                      // fits exactly
      {"abcdefg", 6, "abcde\xE2\x80\xA6"},          // one too long
      {"\xC5\x99\xC5\x99\xC5\x99", 2, "\xC5\x99\xE2\x80\xA6"},  // never splits a sequence
      {"abc", 1, "\xE2\x80\xA6"},
  };
  for (const auto& c : cases) {
    const std::string out = TruncateCodePoints(c.input, c.max);
    EXPECT_EQ(out, c.expected) << c.input;
    EXPECT_LE(CodePointCount(out), c.max) << c.input;
  }
}

}  // namespace
}  // namespace earshot::reports
