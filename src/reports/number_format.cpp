#include "reports/number_format.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

namespace earshot::reports {
namespace {

// Inserts ',' every three digits into an unsigned run of digits.
std::string GroupDigits(const std::string& digits) {
  std::string out;
  out.reserve(digits.size() + digits.size() / 3);
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace

std::string FormatThousands(std::int64_t value) {
  // Go through uint64 so INT64_MIN has a magnitude.
  const bool negative = value < 0;
  const std::uint64_t magnitude =
      negative ? ~static_cast<std::uint64_t>(value) + 1 : static_cast<std::uint64_t>(value);
  const std::string grouped = GroupDigits(std::to_string(magnitude));
  return negative ? "-" + grouped : grouped;
}

std::string FormatFixed(double value, int decimals) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  decimals = std::clamp(decimals, 0, 6);
  // Halves round away from zero, as people and spreadsheets do (900 s is
  // 0.25 h -> "0.3"); to_chars alone would round an exact tie to even.
  const double scale = std::pow(10.0, decimals);
  const double scaled = value * scale;
  if (std::isfinite(scaled)) value = std::round(scaled) / scale;
  std::array<char, 400> buffer{};  // enough for DBL_MAX in fixed notation
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value,
                                    std::chars_format::fixed, decimals);
  std::string text(buffer.data(), result.ptr);
  bool negative = false;
  if (!text.empty() && text.front() == '-') {
    negative = true;
    text.erase(0, 1);
  }
  if (text.find_first_not_of("0.") == std::string::npos) negative = false;
  const std::size_t point = text.find('.');
  std::string out = GroupDigits(text.substr(0, point));
  if (point != std::string::npos) out += text.substr(point);
  return negative ? "-" + out : out;
}

std::string FormatPercent(double fraction) { return FormatFixed(fraction * 100.0, 1) + "%"; }

}  // namespace earshot::reports
