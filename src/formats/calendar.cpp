#include "formats/calendar.h"

#include <cstdio>
#include <cstring>

#include "formats/value_parsers.h"

namespace earshot::formats {

namespace {

bool Digits(std::string_view s, size_t pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

}  // namespace

std::optional<int32_t> ParseDate(std::string_view text) {
  std::string_view s = TrimAscii(text);
  int y = 0;
  int m = 0;
  int d = 0;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-' || !Digits(s, 0, 4, y) || !Digits(s, 5, 2, m) ||
      !Digits(s, 8, 2, d)) {
    return std::nullopt;
  }
  return DaysFromCivil(y, m, d);
}

std::optional<int32_t> ParseMonth(std::string_view text) {
  std::string_view s = TrimAscii(text);
  int y = 0;
  int m = 0;
  if (s.size() != 7 || s[4] != '-' || !Digits(s, 0, 4, y) || !Digits(s, 5, 2, m)) return std::nullopt;
  return DaysFromCivil(y, m, 1);
}

int64_t ParseCount(std::string_view text, CountError& error) {
  constexpr int64_t kMax = 1'000'000'000'000'000;
  std::string_view s = TrimAscii(text);
  error = CountError::kNone;
  bool negative = false;
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  if (auto dot = s.find('.'); dot != std::string_view::npos) {
    std::string_view frac = s.substr(dot + 1);
    for (char c : frac) {
      if (c != '0') {
        error = CountError::kNotANumber;
        return 0;
      }
    }
    s = s.substr(0, dot);
  }
  if (s.empty()) {
    error = CountError::kNotANumber;
    return 0;
  }
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') {
      error = CountError::kNotANumber;
      return 0;
    }
    if (v > kMax) continue;  // keep checking the digits; the value is out of range anyway
    v = v * 10 + (c - '0');
  }
  if (negative && v != 0) {
    error = CountError::kNegative;
    return 0;
  }
  if (v > kMax) {
    error = CountError::kOutOfRange;
    return 0;
  }
  return v;
}

void FormatDate(int32_t days, char out[11]) {
  // Inverse of DaysFromCivil (Howard Hinnant's civil_from_days).
  int64_t z = static_cast<int64_t>(days) + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", static_cast<int>(y % 10000), static_cast<int>(m),
                static_cast<int>(d));
  std::memcpy(out, buf, 11);
  out[10] = '\0';
}

}  // namespace earshot::formats
