// UTC calendar arithmetic (see civil_calendar.h).
#include "generate/civil_calendar.h"

namespace earshot::generate {
namespace {

void AppendPadded(std::string& out, int64_t value, int width) {
  char digits[24];
  int n = 0;
  uint64_t v = value < 0 ? 0 : static_cast<uint64_t>(value);
  do {
    digits[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v > 0);
  for (int i = n; i < width; ++i) out += '0';
  while (n > 0) out += digits[--n];
}

}  // namespace

int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day) {
  year -= month <= 2 ? 1 : 0;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const auto yoe = static_cast<unsigned>(year - era * 400);
  const unsigned doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

CivilDate CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  CivilDate d;
  d.day = doy - (153 * mp + 2) / 5 + 1;
  d.month = mp < 10 ? mp + 3 : mp - 9;
  d.year = static_cast<int64_t>(yoe) + era * 400 + (d.month <= 2 ? 1 : 0);
  return d;
}

unsigned DaysInMonth(int64_t year, unsigned month) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2) {
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return leap ? 29 : 28;
  }
  return kDays[month - 1];
}

unsigned Weekday(int64_t days) {
  // 1970-01-01 was a Thursday (3 when Monday is 0).
  const int64_t w = (days + 3) % 7;
  return static_cast<unsigned>(w < 0 ? w + 7 : w);
}

int64_t FirstDayOfMonth(int64_t month_number) {
  const int64_t year = month_number >= 0 ? month_number / 12 : (month_number - 11) / 12;
  const auto month = static_cast<unsigned>(month_number - year * 12) + 1;
  return DaysFromCivil(year, month, 1);
}

std::string DateText(int64_t days) {
  const CivilDate d = CivilFromDays(days);
  std::string out;
  out.reserve(10);
  AppendPadded(out, d.year, 4);
  out += '-';
  AppendPadded(out, d.month, 2);
  out += '-';
  AppendPadded(out, d.day, 2);
  return out;
}

std::string MonthText(int64_t month_number) {
  const CivilDate d = CivilFromDays(FirstDayOfMonth(month_number));
  std::string out;
  out.reserve(7);
  AppendPadded(out, d.year, 4);
  out += '-';
  AppendPadded(out, d.month, 2);
  return out;
}

void AppendTimestamp(std::string& out, int64_t epoch_seconds) {
  int64_t days = epoch_seconds / 86400;
  int64_t secs = epoch_seconds % 86400;
  if (secs < 0) {
    secs += 86400;
    --days;
  }
  out += DateText(days);
  out += 'T';
  AppendPadded(out, secs / 3600, 2);
  out += ':';
  AppendPadded(out, secs / 60 % 60, 2);
  out += ':';
  AppendPadded(out, secs % 60, 2);
  out += 'Z';
}

std::string TimestampText(int64_t epoch_seconds) {
  std::string out;
  AppendTimestamp(out, epoch_seconds);
  return out;
}

}  // namespace earshot::generate
