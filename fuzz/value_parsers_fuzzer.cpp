// Fuzz target: formats value parsers (src/formats/value_parsers.h).
//
// The input is one value. Whatever it is, the parsers must not crash or
// overflow (UBSan), and what they accept must hold up: a timestamp written
// back as ISO-8601 UTC parses to the same instant, a calendar date they accept
// exists, a decimal is finite, a personalized playlist name is
// `playlist_<digits>`, a normalised header name has no `_`, `-`, space or
// upper-case letter, SafeText is always valid UTF-8 without NULs.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "formats/value_parsers.h"
#include "fuzz_support.h"

namespace {

using earshot::formats::TimestampMicros;

// Hinnant's civil_from_days.
void CivilFromDays(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

std::string FormatIso(TimestampMicros micros) {
  const int64_t kDay = int64_t{86400} * 1000000;
  int64_t days = micros / kDay;
  int64_t rem = micros % kDay;
  if (rem < 0) {
    rem += kDay;
    --days;
  }
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, y, m, d);
  const int64_t secs = rem / 1000000;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%06lldZ", static_cast<long long>(y), m, d,
                static_cast<long long>(secs / 3600), static_cast<long long>(secs / 60 % 60),
                static_cast<long long>(secs % 60), static_cast<long long>(rem % 1000000));
  return buf;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = earshot::fuzz::AsText(data, size);

  if (auto ts = earshot::formats::ParseTimestamp(text)) {
    std::string iso = FormatIso(*ts);
    // Years before 0000 or after 9999 cannot be written in 4 digits.
    if (iso.size() == 27 && iso[0] != '-') {
      auto again = earshot::formats::ParseTimestamp(iso);
      FUZZ_CHECK(again.has_value());
      FUZZ_CHECK(*again == *ts);
    }
  }
  if (size >= 6) {
    const int year = (data[0] | (data[1] << 8)) - 20000;
    const int month = static_cast<int8_t>(data[2]);
    const int day = static_cast<int8_t>(data[3]);
    if (auto days = earshot::formats::DaysFromCivil(year, month, day)) {
      int64_t y;
      unsigned m, d;
      CivilFromDays(*days, y, m, d);
      FUZZ_CHECK(y == year && static_cast<int>(m) == month && static_cast<int>(d) == day);
    }
  }
  if (auto number = earshot::formats::ParseDecimal(text)) FUZZ_CHECK(std::isfinite(*number));
  // SafeText: always storable; the identity on valid UTF-8 without NULs that
  // fits; never more input than asked for.
  for (size_t max : {size, size / 2, size_t{3}}) {
    const std::string safe = earshot::formats::SafeText(text, max);
    FUZZ_CHECK(earshot::formats::IsValidUtf8(safe) && safe.find('\0') == std::string::npos);
    FUZZ_CHECK(safe.size() <= 4 * std::min(max, size));
  }
  if (earshot::formats::IsValidUtf8(text) && text.find('\0') == std::string_view::npos) {
    FUZZ_CHECK(earshot::formats::SafeText(text, size) == text);
  }
  const std::string_view trimmed = earshot::formats::TrimAscii(text);
  FUZZ_CHECK(trimmed.size() <= text.size());
  for (char c : earshot::formats::NormalizeHeaderName(text)) {
    FUZZ_CHECK(c != '_' && c != '-' && c != ' ' && !(c >= 'A' && c <= 'Z'));
  }
  if (auto name = earshot::formats::PersonalizedPlaylistName(text)) {
    FUZZ_CHECK(name->rfind("playlist_", 0) == 0 && name->size() > 9);
    for (size_t i = 9; i < name->size(); ++i) FUZZ_CHECK((*name)[i] >= '0' && (*name)[i] <= '9');
  }
  return 0;
}
