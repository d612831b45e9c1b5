// Number formatting for human-facing reports (internal to src/reports).
//
// Locale-independent on purpose: reports must read the same on every machine,
// so digits are grouped with ',' and the decimal point is always '.'. Pure
// functions, thread-safe.
#pragma once

#include <cstdint>
#include <string>

namespace earshot::reports {

// Returns `value` with thousands separators: 1234567 -> "1,234,567".
std::string FormatThousands(std::int64_t value);

// Returns `value` rounded to `decimals` places (0..6, halves away from zero)
// with thousands separators: (12345.67, 1) -> "12,345.7". Never prints "-0.0". Non-finite
// values print as "nan", "inf" or "-inf".
std::string FormatFixed(double value, int decimals);

// Returns a 0..1 fraction as a percentage with one decimal: 0.4231 -> "42.3%".
std::string FormatPercent(double fraction);

}  // namespace earshot::reports
