// The four podcast marts as typed rows (internal to src/reports).
//
// podcast_monthly_estimates, podcast_trends, creator_popularity and
// episode_first_30_days, with the columns fixed by shared/contracts/podcasts.md.
// Every figure is optional because the contract allows NULL there; renderers
// show a missing figure as kNoFigure (podcast_figures.h), never as 0. Each
// Read* returns the rows in the table's order, or fails with kInvalidArgument
// naming a missing column, or kDataError naming the row and column of a value
// that is not a number (see podcast_mart_reader.h). Pure, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "common/status.h"
#include "common/table.h"

namespace earshot::reports {

struct PodcastEstimateRow {
  std::optional<std::string> podcast_id;
  std::optional<std::string> podcast_title;  // NULL: the podcast is not in the catalog
  std::optional<std::string> month;          // YYYY-MM
  std::optional<double> observed_listens;
  std::optional<double> coverage;           // 0..1
  std::optional<double> estimated_listens;  // NULL when coverage is 0
  std::optional<double> estimate_low;       // NULL with fewer than 2 providers
  std::optional<double> estimate_high;
  std::optional<std::int64_t> providers_reporting;
  std::optional<bool> month_complete;
};

struct PodcastTrendRow {
  std::optional<std::string> podcast_id;
  std::optional<std::string> podcast_title;
  std::optional<std::string> month;
  std::optional<double> estimated_listens;
  std::optional<double> mom_growth;  // fractions: 0.25 is +25%
  std::optional<double> growth_3m;
  std::optional<std::int64_t> trend_rank;  // 1 = fastest riser; NULL below the floor
};

struct CreatorPopularityRow {
  std::optional<std::string> creator_id;
  std::optional<std::string> creator_name;
  std::optional<std::string> month;
  std::optional<std::int64_t> episodes;
  std::optional<double> attributed_listens;
  std::optional<double> avg_listens_per_episode;
  std::optional<std::int64_t> rank;
};

struct EpisodeFirst30DaysRow {
  std::optional<std::string> episode_id;
  std::optional<std::string> podcast_id;
  std::optional<std::string> episode_title;
  std::optional<std::string> published_at;
  std::optional<double> observed_listens_30d;
  std::optional<double> coverage_30d;
  std::optional<double> estimated_listens_30d;
  std::optional<bool> window_complete;
};

enum class PodcastMart { kMonthlyEstimates, kTrends, kCreatorPopularity, kEpisodeFirst30Days };

// The mart's table name in the published snapshot: "podcast_monthly_estimates", ...
std::string_view MartName(PodcastMart mart);

// The contract's columns of `mart`, in contract order: what the readers below
// need, and what `earshot report` selects.
std::vector<std::string_view> MartColumns(PodcastMart mart);

// Orders for sorting rows: NULL figures always go last. (std::optional's own
// `>` already puts NULL last when sorting descending.)
template <typename T>
bool AscendingNullsLast(const std::optional<T>& a, const std::optional<T>& b) {
  if (a.has_value() != b.has_value()) return a.has_value();
  return a < b;
}

// Podcast rows (estimates or trends) by estimate, biggest first and NULL
// last; equal estimates by title, then id, so the order never depends on
// how the warehouse happened to return the rows.
template <typename Row>
bool BiggerPodcastFirst(const Row& a, const Row& b) {
  if (a.estimated_listens != b.estimated_listens) return a.estimated_listens > b.estimated_listens;
  return std::tie(a.podcast_title, a.podcast_id) < std::tie(b.podcast_title, b.podcast_id);
}

Result<std::vector<PodcastEstimateRow>> ReadPodcastEstimates(const Table& table);
Result<std::vector<PodcastTrendRow>> ReadPodcastTrends(const Table& table);
Result<std::vector<CreatorPopularityRow>> ReadCreatorPopularity(const Table& table);
Result<std::vector<EpisodeFirst30DaysRow>> ReadEpisodeFirst30Days(const Table& table);

}  // namespace earshot::reports
