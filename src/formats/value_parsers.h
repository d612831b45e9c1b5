// Value parsers shared by every mapper: text from a reader -> typed values.
// All are pure functions, thread-safe, allocation-free, and never throw; a
// value they cannot use is reported as std::nullopt (or a ParseError) so the
// validator can reject the row with a stable error code.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace earshot::formats {

// Microseconds since 1970-01-01T00:00:00Z.
using TimestampMicros = int64_t;

// Accepts ISO-8601 (`2020-03-14T09:26:53Z`, a space instead of `T`, optional
// fractional seconds, `Z`, `+hh:mm`, `+hhmm` or `+hh`; no zone means UTC) and
// Unix epoch seconds (up to 10 digits, optional fraction) or milliseconds
// (13 digits). Rejects impossible dates such as 2020-02-30.
std::optional<TimestampMicros> ParseTimestamp(std::string_view text);

// Days since 1970-01-01 for a proleptic Gregorian date, or nullopt when the
// date does not exist.
std::optional<int32_t> DaysFromCivil(int year, int month, int day);

// A finite decimal number (integer or fraction, optional sign and exponent),
// surrounded by optional spaces. nan/inf and anything else: nullopt.
std::optional<double> ParseDecimal(std::string_view text);

// True when the bytes are valid UTF-8.
bool IsValidUtf8(std::string_view text);

// Any bytes as text that is safe to store and show (the raw text and the
// message of a reject): valid UTF-8 is kept, each byte that is not part of a
// valid UTF-8 sequence and each NUL byte becomes the four characters `\xNN`.
// At most the first `max_bytes` bytes of `bytes` are used, cut before a
// character that would not fit, never inside it.
std::string SafeText(std::string_view bytes, size_t max_bytes);

// Removes leading and trailing ASCII whitespace.
std::string_view TrimAscii(std::string_view text);

// Header matching key: lower-cased, with `_`, `-` and spaces removed, so
// `listening_context` == `listeningContext` == `Listening Context`.
std::string NormalizeHeaderName(std::string_view name);

// The canonical name of a personalized playlist context (`playlist_<digits>`
// after trimming and lower-casing), or nullopt when `context` is anything else.
std::optional<std::string> PersonalizedPlaylistName(std::string_view context);

}  // namespace earshot::formats
