// HTML escaping for the HTML reports (internal to src/reports).
//
// Every piece of data that reaches an HTML page goes through EscapeHtml, so a
// playlist or work title can never inject markup or script. Safe in element
// text and in double- or single-quoted attribute values. Pure, thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace earshot::reports {

// Returns `text` with & < > " ' replaced by character references, invalid
// UTF-8 and control characters other than tab, LF and CR replaced by U+FFFD
// (HTML forbids them).
std::string EscapeHtml(std::string_view text);

}  // namespace earshot::reports
