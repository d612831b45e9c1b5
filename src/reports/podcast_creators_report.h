// The creator popularity report (`earshot report creator-popularity`): hosts,
// guests and other credited creators by the listens of their episodes in one
// month, for a terminal and as a self-contained HTML page.
//
// Input is the creator_popularity mart (shared/contracts/podcasts.md), lines
// ordered by rank: rank, creator (name, or id when the catalog has none),
// episodes with listens, attributed listens and the average per episode, with
// thousands separators; a NULL figure shows as "–". Pure functions,
// thread-safe.
#pragma once

#include <string>

#include "common/status.h"
#include "common/table.h"
#include "reports/podcast_report_page.h"

namespace earshot::reports {

// Returns the terminal report for options.month (default: the newest month in
// `creators`), at most ShownRows(options) lines. Fails with kInvalidArgument
// on a missing column or a month the mart does not have, kDataError on a
// value that is not a number.
Result<std::string> RenderCreatorPopularityText(const Table& creators, const PodcastReportOptions& options);

// Returns the same report as an HTML page (table only). Fails like the text.
Result<std::string> RenderCreatorPopularityHtml(const Table& creators, const PodcastReportOptions& options,
                                                const std::string& generated_at);

}  // namespace earshot::reports
