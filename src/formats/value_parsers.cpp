#include "formats/value_parsers.h"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace earshot::formats {

namespace {

constexpr int64_t kMicrosPerSecond = 1'000'000;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads exactly `n` digits at text[pos]; advances pos.
bool ReadDigits(std::string_view text, size_t& pos, size_t n, int& out) {
  if (pos + n > text.size()) return false;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = text[pos + i];
    if (!IsDigit(c)) return false;
    v = v * 10 + (c - '0');
  }
  pos += n;
  out = v;
  return true;
}

std::optional<TimestampMicros> ParseEpoch(std::string_view text) {
  size_t dot = text.find('.');
  std::string_view whole = text.substr(0, dot);
  if (whole.empty() || whole.size() > 13) return std::nullopt;
  for (char c : whole) {
    if (!IsDigit(c)) return std::nullopt;
  }
  int64_t value = 0;
  std::from_chars(whole.data(), whole.data() + whole.size(), value);
  int64_t frac_micros = 0;
  if (dot != std::string_view::npos) {
    std::string_view frac = text.substr(dot + 1);
    if (frac.empty() || frac.size() > 9) return std::nullopt;
    int64_t scale = 100000;
    for (char c : frac) {
      if (!IsDigit(c)) return std::nullopt;
      frac_micros += (c - '0') * scale;
      scale /= 10;
    }
  }
  if (whole.size() == 13) {
    if (dot != std::string_view::npos) return std::nullopt;
    return value * 1000;  // milliseconds
  }
  if (whole.size() > 10) return std::nullopt;
  return value * kMicrosPerSecond + frac_micros;
}

}  // namespace

std::optional<int32_t> DaysFromCivil(int y, int m, int d) {
  static constexpr int kDaysInMonth[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1) return std::nullopt;
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  int dim = kDaysInMonth[m - 1] + (m == 2 && leap ? 1 : 0);
  if (d > dim) return std::nullopt;
  // Howard Hinnant's days_from_civil.
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * static_cast<unsigned>(m + (m > 2 ? -3 : 9)) + 2) / 5 + static_cast<unsigned>(d) - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

std::optional<TimestampMicros> ParseTimestamp(std::string_view text) {
  text = TrimAscii(text);
  if (text.empty()) return std::nullopt;
  if (text.size() < 10 || text[4] != '-') return ParseEpoch(text);

  size_t pos = 0;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!ReadDigits(text, pos, 4, year) || text[pos++] != '-' || !ReadDigits(text, pos, 2, month) ||
      pos >= text.size() || text[pos++] != '-' || !ReadDigits(text, pos, 2, day)) {
    return std::nullopt;
  }
  std::optional<int32_t> days = DaysFromCivil(year, month, day);
  if (!days) return std::nullopt;
  int64_t micros = 0;
  if (pos < text.size()) {
    if (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' ') return std::nullopt;
    ++pos;
    if (!ReadDigits(text, pos, 2, hour) || pos >= text.size() || text[pos++] != ':' ||
        !ReadDigits(text, pos, 2, minute)) {
      return std::nullopt;
    }
    if (pos < text.size() && text[pos] == ':') {
      ++pos;
      if (!ReadDigits(text, pos, 2, second)) return std::nullopt;
      if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
        ++pos;
        size_t digits = 0;
        int64_t scale = 100000;
        while (pos < text.size() && IsDigit(text[pos])) {
          if (digits < 6) micros += (text[pos] - '0') * scale;
          scale /= 10;
          ++digits;
          ++pos;
        }
        if (digits == 0) return std::nullopt;
      }
    }
    if (hour > 23 || minute > 59 || second > 59) return std::nullopt;
    int offset_minutes = 0;
    if (pos < text.size()) {
      char z = text[pos];
      if (z == 'Z' || z == 'z') {
        ++pos;
      } else if (z == '+' || z == '-') {
        ++pos;
        int oh = 0, om = 0;
        if (!ReadDigits(text, pos, 2, oh)) return std::nullopt;
        if (pos < text.size()) {
          if (text[pos] == ':') ++pos;
          if (!ReadDigits(text, pos, 2, om)) return std::nullopt;
        }
        if (oh > 23 || om > 59) return std::nullopt;
        offset_minutes = (oh * 60 + om) * (z == '-' ? -1 : 1);
      } else {
        return std::nullopt;
      }
    }
    if (pos != text.size()) return std::nullopt;
    int64_t secs = int64_t{*days} * 86400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
    return secs * kMicrosPerSecond + micros;
  }
  return int64_t{*days} * 86400 * kMicrosPerSecond;
}

std::optional<double> ParseDecimal(std::string_view text) {
  text = TrimAscii(text);
  if (text.empty()) return std::nullopt;
  const char* first = text.data();
  const char* last = text.data() + text.size();
  if (*first == '+') {
    ++first;
    // from_chars takes a '-' of its own: "+-3" would pass as -3.
    if (first == last || *first == '-') return std::nullopt;
  }
  double value = 0;
  auto [ptr, ec] = std::from_chars(first, last, value, std::chars_format::general);
  if (ec != std::errc() || ptr != last || !std::isfinite(value)) return std::nullopt;
  return value;
}

bool IsValidUtf8(std::string_view text) { return simdjson::validate_utf8(text.data(), text.size()); }

namespace {

// Length of the valid UTF-8 sequence starting at text[i] (1-4), or 0 when the
// bytes there are not one (RFC 3629: no overlong forms, no surrogates,
// nothing above U+10FFFF).
size_t Utf8SequenceLength(std::string_view text, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) return 1;
  size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    n = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    n = 3;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    n = 4;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + n > text.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (size_t k = 2; k < n; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return n;
}

}  // namespace

std::string SafeText(std::string_view bytes, size_t max_bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(std::min(bytes.size(), max_bytes));
  size_t i = 0;
  while (i < bytes.size()) {
    const size_t n = Utf8SequenceLength(bytes, i);
    const size_t take = n == 0 ? 1 : n;
    if (i + take > max_bytes) break;
    if (n == 0 || bytes[i] == '\0') {
      const auto b = static_cast<unsigned char>(bytes[i]);
      out += "\\x";
      out.push_back(kHex[b >> 4]);
      out.push_back(kHex[b & 0xF]);
    } else {
      out.append(bytes.data() + i, n);
    }
    i += take;
  }
  return out;
}

std::string_view TrimAscii(std::string_view text) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  return text;
}

std::string NormalizeHeaderName(std::string_view name) {
  name = TrimAscii(name);
  std::string out;
  out.reserve(name.size());
  for (char c : name) {
    if (c == '_' || c == '-' || c == ' ') continue;
    out.push_back((c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return out;
}

std::optional<std::string> PersonalizedPlaylistName(std::string_view context) {
  context = TrimAscii(context);
  constexpr std::string_view kPrefix = "playlist_";
  if (context.size() <= kPrefix.size()) return std::nullopt;
  for (size_t i = 0; i < kPrefix.size(); ++i) {
    char c = context[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != kPrefix[i]) return std::nullopt;
  }
  for (size_t i = kPrefix.size(); i < context.size(); ++i) {
    if (!IsDigit(context[i])) return std::nullopt;
  }
  std::string name(kPrefix);
  name.append(context.substr(kPrefix.size()));
  return name;
}

}  // namespace earshot::formats
