#include "reports/podcast_marts.h"

#include <array>

#include "reports/podcast_mart_reader.h"

namespace earshot::reports {
namespace {

using Estimate = PodcastEstimateRow;
constexpr std::array<MartField<Estimate>, 10> kEstimateFields = {{
    {"podcast_id", &Estimate::podcast_id},
    {"podcast_title", &Estimate::podcast_title},
    {"month", &Estimate::month},
    {"observed_listens", &Estimate::observed_listens},
    {"coverage", &Estimate::coverage},
    {"estimated_listens", &Estimate::estimated_listens},
    {"estimate_low", &Estimate::estimate_low},
    {"estimate_high", &Estimate::estimate_high},
    {"providers_reporting", &Estimate::providers_reporting},
    {"month_complete", &Estimate::month_complete},
}};

using Trend = PodcastTrendRow;
constexpr std::array<MartField<Trend>, 7> kTrendFields = {{
    {"podcast_id", &Trend::podcast_id},
    {"podcast_title", &Trend::podcast_title},
    {"month", &Trend::month},
    {"estimated_listens", &Trend::estimated_listens},
    {"mom_growth", &Trend::mom_growth},
    {"growth_3m", &Trend::growth_3m},
    {"trend_rank", &Trend::trend_rank},
}};

using Creator = CreatorPopularityRow;
constexpr std::array<MartField<Creator>, 7> kCreatorFields = {{
    {"creator_id", &Creator::creator_id},
    {"creator_name", &Creator::creator_name},
    {"month", &Creator::month},
    {"episodes", &Creator::episodes},
    {"attributed_listens", &Creator::attributed_listens},
    {"avg_listens_per_episode", &Creator::avg_listens_per_episode},
    {"rank", &Creator::rank},
}};

using Episode = EpisodeFirst30DaysRow;
constexpr std::array<MartField<Episode>, 8> kEpisodeFields = {{
    {"episode_id", &Episode::episode_id},
    {"podcast_id", &Episode::podcast_id},
    {"episode_title", &Episode::episode_title},
    {"published_at", &Episode::published_at},
    {"observed_listens_30d", &Episode::observed_listens_30d},
    {"coverage_30d", &Episode::coverage_30d},
    {"estimated_listens_30d", &Episode::estimated_listens_30d},
    {"window_complete", &Episode::window_complete},
}};

template <typename Row, std::size_t N>
std::vector<std::string_view> NamesOf(const std::array<MartField<Row>, N>& fields) {
  std::vector<std::string_view> names;
  for (const MartField<Row>& field : fields) names.push_back(field.column);
  return names;
}

}  // namespace

std::string_view MartName(PodcastMart mart) {
  switch (mart) {
    case PodcastMart::kMonthlyEstimates:
      return "podcast_monthly_estimates";
    case PodcastMart::kTrends:
      return "podcast_trends";
    case PodcastMart::kCreatorPopularity:
      return "creator_popularity";
    case PodcastMart::kEpisodeFirst30Days:
      return "episode_first_30_days";
  }
  return "";
}

std::vector<std::string_view> MartColumns(PodcastMart mart) {
  switch (mart) {
    case PodcastMart::kMonthlyEstimates:
      return NamesOf(kEstimateFields);
    case PodcastMart::kTrends:
      return NamesOf(kTrendFields);
    case PodcastMart::kCreatorPopularity:
      return NamesOf(kCreatorFields);
    case PodcastMart::kEpisodeFirst30Days:
      return NamesOf(kEpisodeFields);
  }
  return {};
}

Result<std::vector<PodcastEstimateRow>> ReadPodcastEstimates(const Table& table) {
  return ReadMart<Estimate>(table, MartName(PodcastMart::kMonthlyEstimates), kEstimateFields);
}

Result<std::vector<PodcastTrendRow>> ReadPodcastTrends(const Table& table) {
  return ReadMart<Trend>(table, MartName(PodcastMart::kTrends), kTrendFields);
}

Result<std::vector<CreatorPopularityRow>> ReadCreatorPopularity(const Table& table) {
  return ReadMart<Creator>(table, MartName(PodcastMart::kCreatorPopularity), kCreatorFields);
}

Result<std::vector<EpisodeFirst30DaysRow>> ReadEpisodeFirst30Days(const Table& table) {
  return ReadMart<Episode>(table, MartName(PodcastMart::kEpisodeFirst30Days), kEpisodeFields);
}

}  // namespace earshot::reports
