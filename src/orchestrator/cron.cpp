#include "orchestrator/cron.h"

#include <charconv>
#include <vector>

namespace earshot::orchestrator {

namespace {

std::vector<std::string_view> Split(std::string_view s, char sep, bool skip_empty) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find(sep, start);
    if (end == std::string_view::npos) end = s.size();
    std::string_view part = s.substr(start, end - start);
    if (!part.empty() || !skip_empty) out.push_back(part);
    start = end + 1;
  }
  return out;
}

bool Number(std::string_view s, int& out) {
  if (s.empty()) return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

// Sets the values of one field in [lo, hi]. Returns false when malformed.
template <size_t N>
bool ParseField(std::string_view field, int lo, int hi, std::bitset<N>& bits, bool& star) {
  star = field == "*";
  for (std::string_view item : Split(field, ',', false)) {
    int step = 1;
    if (auto slash = item.find('/'); slash != std::string_view::npos) {
      if (!Number(item.substr(slash + 1), step) || step < 1) return false;
      item = item.substr(0, slash);
      star = false;
    }
    int from = lo;
    int to = hi;
    if (item != "*") {
      auto dash = item.find('-');
      if (dash == std::string_view::npos) {
        if (!Number(item, from)) return false;
        to = step > 1 ? hi : from;  // "5/15": from 5 every 15
      } else if (!Number(item.substr(0, dash), from) || !Number(item.substr(dash + 1), to)) {
        return false;
      }
    }
    if (from < lo || to > hi || from > to) return false;
    for (int v = from; v <= to; v += step) bits.set(static_cast<size_t>(v));
  }
  return true;
}

}  // namespace

Result<CronSchedule> CronSchedule::Parse(std::string_view expression) {
  const auto fields = Split(expression, ' ', true);
  const std::string quoted = "schedule \"" + std::string(expression) + "\"";
  if (fields.size() != 5) {
    return Status::Invalid(quoted + ": a cron expression has five fields, minute hour day-of-month month "
                                    "day-of-week (UTC), e.g. \"0 6 * * *\"");
  }
  CronSchedule s;
  s.expression_ = std::string(expression);
  bool star = false;
  std::bitset<8> weekdays;
  if (!ParseField(fields[0], 0, 59, s.minutes_, star)) return Status::Invalid(quoted + ": minute must be 0-59");
  if (!ParseField(fields[1], 0, 23, s.hours_, star)) return Status::Invalid(quoted + ": hour must be 0-23");
  if (!ParseField(fields[2], 1, 31, s.days_, s.any_day_)) return Status::Invalid(quoted + ": day of month must be 1-31");
  if (!ParseField(fields[3], 1, 12, s.months_, star)) return Status::Invalid(quoted + ": month must be 1-12");
  if (!ParseField(fields[4], 0, 7, weekdays, s.any_weekday_)) {
    return Status::Invalid(quoted + ": day of week must be 0-7 (0 and 7 are Sunday)");
  }
  for (size_t d = 0; d < 7; ++d) s.weekdays_[d] = weekdays[d];
  if (weekdays[7]) s.weekdays_.set(0);
  return s;
}

std::chrono::system_clock::time_point CronSchedule::Next(std::chrono::system_clock::time_point t) const {
  using namespace std::chrono;
  const auto start = floor<minutes>(t) + minutes(1);
  sys_days day = floor<days>(start);
  auto first_minute = duration_cast<minutes>(start - day).count();
  for (int i = 0; i < 366 * 8 + 1; ++i, day += days(1), first_minute = 0) {
    const year_month_day ymd{day};
    if (!months_[static_cast<unsigned>(ymd.month())]) continue;
    const bool dom = days_[static_cast<unsigned>(ymd.day())];
    const bool dow = weekdays_[weekday{day}.c_encoding()];
    const bool day_ok = any_day_ && any_weekday_ ? true
                        : any_day_               ? dow
                        : any_weekday_           ? dom
                                                 : (dom || dow);
    if (!day_ok) continue;
    for (auto m = first_minute; m < 24 * 60; ++m) {
      if (hours_[static_cast<size_t>(m / 60)] && minutes_[static_cast<size_t>(m % 60)]) return day + minutes(m);
    }
  }
  return system_clock::time_point::max();  // e.g. "0 0 31 2 *": never
}

}  // namespace earshot::orchestrator
