// Calendar values of the podcast deliveries: strict dates (`YYYY-MM-DD`),
// months (`YYYY-MM`) and listen counts (whole numbers >= 0). Pure functions,
// thread-safe, never throw; what they cannot use comes back as nullopt or a
// reason, so the validator rejects the row with a stable error code.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace earshot::formats {

// Days since 1970-01-01 for `YYYY-MM-DD` (surrounding spaces allowed), or
// nullopt for anything else, including dates that do not exist (2025-02-30).
std::optional<int32_t> ParseDate(std::string_view text);

// Days since 1970-01-01 of the first day of `YYYY-MM`, or nullopt.
std::optional<int32_t> ParseMonth(std::string_view text);

enum class CountError { kNone, kNotANumber, kNegative, kOutOfRange };

// A listen count: decimal digits (a `.0` fraction allowed, a leading `+`
// too), at most 1e15. Sets `error` and returns 0 otherwise.
int64_t ParseCount(std::string_view text, CountError& error);

// `YYYY-MM-DD` for days since 1970-01-01.
void FormatDate(int32_t days, char out[11]);

}  // namespace earshot::formats
