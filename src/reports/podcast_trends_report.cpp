#include "reports/podcast_trends_report.h"

#include <algorithm>
#include <map>
#include <vector>

#include "reports/number_format.h"
#include "reports/podcast_figures.h"
#include "reports/podcast_listens_chart.h"
#include "reports/podcast_marts.h"
#include "reports/podcast_months.h"

namespace earshot::reports {
namespace {

constexpr PodcastMart kMart = PodcastMart::kTrends;

using TrendsOfMonth = MonthOfMart<PodcastTrendRow>;

// The chosen month's rows, ranked ones first; all months kept for the chart.
Result<TrendsOfMonth> ReadMonth(const Table& trends, const PodcastReportOptions& options) {
  return SelectMonth(ReadPodcastTrends(trends), options.month, MartName(kMart),
                     [](const PodcastTrendRow& a, const PodcastTrendRow& b) {
                       if (a.trend_rank != b.trend_rank) return AscendingNullsLast(a.trend_rank, b.trend_rank);
                       return BiggerPodcastFirst(a, b);
                     });
}

ReportPage Page(const TrendsOfMonth& data, const std::map<std::string, std::string>& names) {
  ReportPage page;
  page.title = data.month.empty() ? "Podcast trends" : "Podcast trends, " + data.month;
  page.empty_message =
      std::string(MartName(kMart)) + " is empty: ingest provider deliveries, then run `earshot build`.";
  const auto ranked = std::count_if(data.rows.begin(), data.rows.end(),
                                    [](const PodcastTrendRow& row) { return row.trend_rank.has_value(); });
  page.summary = FormatThousands(ranked) + " of " + FormatThousands(static_cast<std::int64_t>(data.rows.size())) +
                 " podcasts ranked";
  if (ranked > 0) {
    const PodcastTrendRow& first = data.rows.front();
    page.summary += "; fastest riser " + names.at(first.podcast_id.value_or("")) + " (" +
                    FormatGrowth(first.growth_3m) + " a month)";
  }
  page.table.columns = {{"rank", ValueKind::kInteger},
                        {"podcast", ValueKind::kText},
                        {"estimated listens", ValueKind::kDecimal},
                        {"vs previous month", ValueKind::kDecimal},
                        {"3-month trend", ValueKind::kDecimal}};
  for (const PodcastTrendRow& row : data.rows) {
    page.table.rows.push_back({FormatCount(row.trend_rank), names.at(row.podcast_id.value_or("")),
                               FormatListens(row.estimated_listens), FormatGrowth(row.mom_growth),
                               FormatGrowth(row.growth_3m)});
  }
  page.notes.push_back(
      "3-month trend: the monthly growth rate of the least-squares fit through this month's estimate and the two "
      "months before. Podcasts without a rank (" +
      std::string(kNoFigure) + ") are below the estimate floor or lack three months of estimates.");
  return page;
}

}  // namespace

Result<std::string> RenderPodcastTrendsText(const Table& trends, const PodcastReportOptions& options) {
  EARSHOT_ASSIGN_OR_RETURN(const TrendsOfMonth data, ReadMonth(trends, options));
  return RenderPageText(Page(data, PodcastNames(data.all)), ShownRows(options));
}

Result<std::string> RenderPodcastTrendsHtml(const Table& trends, const PodcastReportOptions& options,
                                            const std::string& generated_at) {
  EARSHOT_ASSIGN_OR_RETURN(const TrendsOfMonth data, ReadMonth(trends, options));
  const std::map<std::string, std::string> names = PodcastNames(data.all);
  const std::map<std::string, std::int64_t> ranks = TrendRanks(data.rows, data.month);
  return RenderChartedPage(Page(data, names), data, names, ranks, ChartScale::kLog, ShownRows(options), generated_at);
}

}  // namespace earshot::reports
