#include "formats/calendar.h"

#include <gtest/gtest.h>

namespace earshot::formats {
namespace {

TEST(Calendar, DatesAreStrictAndReal) {
  EXPECT_EQ(ParseDate("1970-01-01"), 0);
  EXPECT_EQ(ParseDate(" 2025-03-01 "), ParseDate("2025-02-28").value() + 1);
  EXPECT_EQ(ParseDate("2024-03-01"), ParseDate("2024-02-29").value() + 1);
  EXPECT_FALSE(ParseDate("2025-02-29"));
  EXPECT_FALSE(ParseDate("2020-02-30"));
  EXPECT_FALSE(ParseDate("2025-13-01"));
  EXPECT_FALSE(ParseDate("2025-1-01"));
  EXPECT_FALSE(ParseDate("2025-01-01T00:00:00Z"));
  EXPECT_FALSE(ParseDate(""));
  char buf[11];
  FormatDate(*ParseDate("2024-02-29"), buf);
  EXPECT_STREQ(buf, "2024-02-29");
  FormatDate(-1, buf);
  EXPECT_STREQ(buf, "1969-12-31");
}

TEST(Calendar, MonthsAreTheirFirstDay) {
  EXPECT_EQ(ParseMonth("2025-02"), ParseDate("2025-02-01"));
  EXPECT_FALSE(ParseMonth("2025-00"));
  EXPECT_FALSE(ParseMonth("2025-2"));
  EXPECT_FALSE(ParseMonth("2025-02-01"));
}

TEST(Calendar, CountsAreWholeAndNotNegative) {
  CountError err;
  EXPECT_EQ(ParseCount("42", err), 42);
  EXPECT_EQ(err, CountError::kNone);
  EXPECT_EQ(ParseCount(" 7.0 ", err), 7);
  EXPECT_EQ(err, CountError::kNone);
  EXPECT_EQ(ParseCount("-0", err), 0);
  EXPECT_EQ(err, CountError::kNone);
  ParseCount("-3", err);
  EXPECT_EQ(err, CountError::kNegative);
  ParseCount("2.5", err);
  EXPECT_EQ(err, CountError::kNotANumber);
  ParseCount("abc", err);
  EXPECT_EQ(err, CountError::kNotANumber);
  ParseCount("", err);
  EXPECT_EQ(err, CountError::kNotANumber);
  ParseCount("99999999999999999999999", err);
  EXPECT_EQ(err, CountError::kOutOfRange);
  EXPECT_EQ(ParseCount("1000000000000000", err), 1'000'000'000'000'000);
  EXPECT_EQ(err, CountError::kNone);
}

}  // namespace
}  // namespace earshot::formats
