// UTC calendar arithmetic for the generators: days since 1970-01-01 to and
// from (year, month, day), and the text forms the podcast deliveries use
// (YYYY-MM-DD, YYYY-MM, 2025-01-05T14:00:00Z). Pure functions, no time zone
// database, no clock; thread-safe. Algorithms after Howard Hinnant's
// "chrono-compatible low-level date algorithms".
#pragma once

#include <cstdint>
#include <string>

namespace earshot::generate {

struct CivilDate {
  int64_t year = 1970;
  unsigned month = 1;  // 1..12
  unsigned day = 1;    // 1..31
};

// Days since 1970-01-01 of a (valid) civil date.
int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day);
CivilDate CivilFromDays(int64_t days);
unsigned DaysInMonth(int64_t year, unsigned month);
// 0 = Monday .. 6 = Sunday.
unsigned Weekday(int64_t days);

// A calendar month as a running number: year * 12 + (month - 1).
inline int64_t MonthNumber(int64_t year, unsigned month) { return year * 12 + static_cast<int64_t>(month) - 1; }
inline int64_t MonthNumberOfDay(int64_t days) {
  const CivilDate d = CivilFromDays(days);
  return MonthNumber(d.year, d.month);
}
// First day (days since epoch) of a month number.
int64_t FirstDayOfMonth(int64_t month_number);

std::string DateText(int64_t days);                // 2025-01-05
std::string MonthText(int64_t month_number);       // 2025-01
std::string TimestampText(int64_t epoch_seconds);  // 2025-01-05T14:00:00Z
// Appends TimestampText(epoch_seconds) without a temporary string.
void AppendTimestamp(std::string& out, int64_t epoch_seconds);

}  // namespace earshot::generate
