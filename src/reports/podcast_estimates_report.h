// The podcast estimates report (`earshot report podcast-estimates`): every
// podcast's estimated listens in one month, biggest first, for a terminal and
// as a self-contained HTML page with a line chart of the months before.
//
// Input is the podcast_monthly_estimates mart (and, for the chart's rising
// podcasts, podcast_trends), columns as in shared/contracts/podcasts.md. Each
// line shows the podcast (its title, or its id when the catalog has none),
// the estimate rounded with thousands separators, its low–high range,
// observed listens, coverage as a percentage and the providers reporting; a
// NULL figure shows as "–". A note says when the month is not complete yet.
// Pure functions, thread-safe.
#pragma once

#include <string>

#include "common/status.h"
#include "common/table.h"
#include "reports/podcast_report_page.h"

namespace earshot::reports {

// Returns the terminal report for options.month (default: the newest month in
// `estimates`), at most ShownRows(options) lines. Fails with kInvalidArgument
// on a missing column or a month the mart does not have, kDataError on a
// value that is not a number.
Result<std::string> RenderPodcastEstimatesText(const Table& estimates, const PodcastReportOptions& options);

// Returns the HTML page: the chart (RenderListensChart over every month of
// `estimates`, risers taken from `trends` for the chosen month), the same
// table with the risers highlighted, and the notes. `estimates` should hold
// all months, `trends` at least the chosen one. Fails like the text report.
Result<std::string> RenderPodcastEstimatesHtml(const Table& estimates, const Table& trends,
                                               const PodcastReportOptions& options, const std::string& generated_at);

}  // namespace earshot::reports
