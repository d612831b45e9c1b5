// The playlist popularity report: how much each personalized playlist is
// listened to, for a terminal and as a self-contained HTML page.
//
// Input is the `playlist_popularity` mart (playlist, seconds_streamed,
// streams, listeners, share_of_seconds; see shared/contracts/playlists.md),
// columns looked up by name. Both renderers show the same figures: seconds
// rounded to whole seconds with thousands separators, hours with one decimal,
// streams, listeners, share as a percentage with one decimal, and a total
// line (no listener total: listeners are distinct per playlist and do not
// add up). Bars are proportional, the longest belonging to the largest
// playlist. Pure functions, thread-safe.
#pragma once

#include <cstddef>
#include <string>

#include "common/status.h"
#include "common/table.h"

namespace earshot::reports {

// Widest text bar, in `█` characters.
inline constexpr std::size_t kMaxTextBarWidth = 30;

// Returns a terminal report: a title line, a blank line, then an aligned table
// with one line per playlist ending in a bar of `█` (kMaxTextBarWidth for the
// largest share, at least one for any nonzero share), and a total line.
// Fails with kInvalidArgument naming a missing column, or kDataError naming
// the row and column of a value that is not a number.
Result<std::string> RenderPopularityText(const Table& table);

// Returns a complete HTML5 page with no external resources: inline CSS, an
// inline SVG horizontal bar chart (one <rect class="bar" data-playlist=...
// data-seconds=...> per playlist, labelled with its name and hours), the same
// table as the text report, and a small script that on load records each
// bar's rendered width in <body data-bar-widths="playlist_01=123.4;...">
// (names URI-encoded) so a browser test can check the layout. All text,
// including `generated_at`, is HTML-escaped. Fails like RenderPopularityText.
Result<std::string> RenderPopularityHtml(const Table& table, const std::string& generated_at);

}  // namespace earshot::reports
