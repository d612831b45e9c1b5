// The podcast trends report (`earshot report podcast-trends`): which podcasts
// rise fastest in one month, for a terminal and as a self-contained HTML page
// with the same line chart as the estimates report.
//
// Input is the podcast_trends mart (shared/contracts/podcasts.md). Lines are
// ordered by trend_rank (1 = fastest riser); podcasts without a rank (below
// the estimate floor, or without three months of estimates) follow, biggest
// first. Each shows the rank, the podcast, its estimate, the growth over the
// previous month and the 3-month trend (the monthly growth rate of the
// least-squares fit over this month and the two before) as signed
// percentages; a NULL figure shows as "–". Pure functions, thread-safe.
#pragma once

#include <string>

#include "common/status.h"
#include "common/table.h"
#include "reports/podcast_report_page.h"

namespace earshot::reports {

// Returns the terminal report for options.month (default: the newest month in
// `trends`), at most ShownRows(options) lines. Fails with kInvalidArgument on
// a missing column or a month the mart does not have, kDataError on a value
// that is not a number.
Result<std::string> RenderPodcastTrendsText(const Table& trends, const PodcastReportOptions& options);

// Returns the HTML page: the chart of estimated listens over every month of
// `trends` with the month's risers highlighted, then the table. Fails like
// the text report.
Result<std::string> RenderPodcastTrendsHtml(const Table& trends, const PodcastReportOptions& options,
                                            const std::string& generated_at);

}  // namespace earshot::reports
