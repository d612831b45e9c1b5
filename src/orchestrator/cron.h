// CronSchedule: the `[run] schedules` of earshot.toml, classic five-field cron
// expressions read in UTC: "minute hour day-of-month month day-of-week", each
// field `*`, a number, a range `a-b`, a list `a,b,c` and steps `*/n` or
// `a-b/n`. Day of week 0-7 (0 and 7 are Sunday). As in cron, when both day
// fields are restricted a day matching either one fires. Names (MON, JAN)
// and @-shortcuts are not supported. Immutable; thread-safe.
#pragma once

#include <bitset>
#include <chrono>
#include <string>
#include <string_view>

#include "common/status.h"

namespace earshot::orchestrator {

class CronSchedule {
 public:
  // Fails with kInvalidArgument naming the field that is wrong.
  static Result<CronSchedule> Parse(std::string_view expression);

  // The first whole minute strictly after `t` that matches (UTC). Every
  // valid expression fires within a few years (Feb 29 needs up to eight).
  std::chrono::system_clock::time_point Next(std::chrono::system_clock::time_point t) const;

  const std::string& expression() const { return expression_; }

 private:
  std::string expression_;
  std::bitset<60> minutes_;
  std::bitset<24> hours_;
  std::bitset<32> days_;    // 1-31
  std::bitset<13> months_;  // 1-12
  std::bitset<7> weekdays_;  // 0 = Sunday
  bool any_day_ = true;      // day-of-month was `*`
  bool any_weekday_ = true;  // day-of-week was `*`
};

}  // namespace earshot::orchestrator
