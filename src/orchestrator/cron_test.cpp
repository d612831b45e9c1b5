#include "orchestrator/cron.h"

#include <gtest/gtest.h>

namespace earshot::orchestrator {
namespace {

using namespace std::chrono;

system_clock::time_point At(int y, unsigned mo, unsigned d, int h, int mi) {
  return sys_days{year{y} / mo / d} + hours(h) + minutes(mi);
}

TEST(Cron, NextFiringTimes) {
  struct Case {
    const char* expr;
    system_clock::time_point after;
    system_clock::time_point next;
  };
  const std::vector<Case> cases = {
      {"0 6 * * *", At(2025, 1, 1, 5, 59), At(2025, 1, 1, 6, 0)},
      {"0 6 * * *", At(2025, 1, 1, 6, 0), At(2025, 1, 2, 6, 0)},   // strictly after
      {"*/15 * * * *", At(2025, 1, 1, 6, 7), At(2025, 1, 1, 6, 15)},
      {"5/20 * * * *", At(2025, 1, 1, 6, 26), At(2025, 1, 1, 6, 45)},
      {"30 2-4 * * *", At(2025, 1, 1, 4, 31), At(2025, 1, 2, 2, 30)},
      {"0 0 1,15 * *", At(2025, 1, 2, 0, 0), At(2025, 1, 15, 0, 0)},
      {"0 9 * * 1", At(2025, 1, 1, 0, 0), At(2025, 1, 6, 9, 0)},    // Jan 1 2025 is a Wednesday; Monday the 6th
      {"0 9 * * 7", At(2025, 1, 1, 0, 0), At(2025, 1, 5, 9, 0)},    // 7 is Sunday
      {"0 9 13 * 5", At(2025, 1, 1, 0, 0), At(2025, 1, 3, 9, 0)},   // both days restricted: either (Friday the 3rd)
      {"0 0 29 2 *", At(2025, 1, 1, 0, 0), At(2028, 2, 29, 0, 0)},
      {"59 23 31 12 *", At(2025, 12, 31, 23, 59), At(2026, 12, 31, 23, 59)},
  };
  for (const Case& c : cases) {
    auto s = CronSchedule::Parse(c.expr);
    ASSERT_TRUE(s.ok()) << c.expr << ": " << s.status().message();
    EXPECT_EQ(s->Next(c.after), c.next) << c.expr;
  }
  auto never = CronSchedule::Parse("0 0 31 2 *");
  ASSERT_TRUE(never.ok());
  EXPECT_EQ(never->Next(At(2025, 1, 1, 0, 0)), system_clock::time_point::max());
}

TEST(Cron, BadExpressionsNameTheField) {
  struct Case {
    const char* expr;
    const char* needle;
  };
  const std::vector<Case> cases = {
      {"0 6 * *", "five fields"},       {"60 * * * *", "minute"},        {"* 24 * * *", "hour"},
      {"* * 0 * *", "day of month"},    {"* * * 13 *", "month"},         {"* * * * 8", "day of week"},
      {"*/0 * * * *", "minute"},        {"5-1 * * * *", "minute"},       {"@daily", "five fields"},
      {"0 6 * * MON", "day of week"},   {"0,,5 * * * *", "minute"},
  };
  for (const Case& c : cases) {
    auto s = CronSchedule::Parse(c.expr);
    ASSERT_FALSE(s.ok()) << c.expr;
    EXPECT_EQ(s.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(s.status().message().find(c.needle), std::string::npos) << c.expr << ": " << s.status().message();
  }
}

}  // namespace
}  // namespace earshot::orchestrator
