#include "reports/number_format.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <utility>

namespace earshot::reports {
namespace {

TEST(NumberFormatTest, Thousands) {
  const std::pair<std::int64_t, std::string> cases[] = {
      {0, "0"},
      {999, "999"},
      {1000, "1,000"},
      {1234567, "1,234,567"},
      {-1000, "-1,000"},
      {std::numeric_limits<std::int64_t>::min(), "-9,223,372,036,854,775,808"},
  };
  for (const auto& [value, expected] : cases) EXPECT_EQ(FormatThousands(value), expected);
}

struct FixedCase {
  double value;
  int decimals;
  std::string expected;
};

TEST(NumberFormatTest, Fixed) {
  const FixedCase cases[] = {
      {12345.67, 1, "12,345.7"},
      {0.25, 1, "0.3"},  // a tie rounds away from zero, not to even
      {-0.25, 1, "-0.3"},
      {1.0, 1, "1.0"},
      {999.96, 1, "1,000.0"},
      {1234567.0, 0, "1,234,567"},
      {-0.04, 1, "0.0"},  // never "-0.0"
      {std::numeric_limits<double>::quiet_NaN(), 1, "nan"},
      {std::numeric_limits<double>::infinity(), 1, "inf"},
      {-std::numeric_limits<double>::infinity(), 1, "-inf"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(FormatFixed(c.value, c.decimals), c.expected) << c.value;
  }
}

TEST(NumberFormatTest, Percent) {
  EXPECT_EQ(FormatPercent(0.4231), "42.3%");
  EXPECT_EQ(FormatPercent(1.0), "100.0%");
  EXPECT_EQ(FormatPercent(0.0), "0.0%");
  EXPECT_EQ(FormatPercent(0.14285714285714285), "14.3%");
}

}  // namespace
}  // namespace earshot::reports
