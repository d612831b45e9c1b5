// The first-30-days report (`earshot report episode-first-30-days`): how
// episodes did in the 30 UTC days from their publication, most listened
// first, for a terminal and as a self-contained HTML page.
//
// Input is the episode_first_30_days mart (shared/contracts/podcasts.md).
// Episodes whose window is complete come first; within each group lines are
// ordered by estimated listens in the window (episodes without an estimate
// last), then newest first: episode (title, or id), podcast id,
// publication date, estimated and observed listens, coverage, and whether the
// window is complete (an incomplete one can still grow); a NULL figure shows
// as "–". The month in the options is not used: the mart has no month.
// Pure functions, thread-safe.
#pragma once

#include <string>

#include "common/status.h"
#include "common/table.h"
#include "reports/podcast_report_page.h"

namespace earshot::reports {

// Returns the terminal report, at most ShownRows(options) lines. Fails with
// kInvalidArgument on a missing column, kDataError on a value that is not a
// number.
Result<std::string> RenderEpisodeFirst30DaysText(const Table& episodes, const PodcastReportOptions& options);

// Returns the same report as an HTML page (table only). Fails like the text.
Result<std::string> RenderEpisodeFirst30DaysHtml(const Table& episodes, const PodcastReportOptions& options,
                                                 const std::string& generated_at);

}  // namespace earshot::reports
