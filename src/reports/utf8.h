// UTF-8 helpers shared by the report renderers (internal to src/reports).
//
// Terminal alignment needs widths in code points, not bytes, and every
// renderer must emit valid UTF-8 even when a value is not. These functions are
// pure and thread-safe. Width is one column per code point: combining marks
// and East Asian wide characters are not special-cased.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace earshot::reports {

// Returns `text` with every byte sequence that is not well-formed UTF-8
// (stray continuation bytes, truncated or overlong sequences, surrogates)
// replaced by U+FFFD. Valid input is returned unchanged.
std::string SanitizeUtf8(std::string_view text);

// Returns the number of code points in `text`, which must be valid UTF-8
// (pass it through SanitizeUtf8 first).
std::size_t CodePointCount(std::string_view text);

// Returns `text` unchanged when it has at most `max_code_points` code points,
// otherwise its first `max_code_points - 1` code points followed by `…`, so
// the result is exactly `max_code_points` long. `text` must be valid UTF-8;
// `max_code_points` must be at least 1.
std::string TruncateCodePoints(std::string_view text, std::size_t max_code_points);

}  // namespace earshot::reports
