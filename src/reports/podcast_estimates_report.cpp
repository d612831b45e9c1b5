#include "reports/podcast_estimates_report.h"

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

constexpr PodcastMart kMart = PodcastMart::kMonthlyEstimates;

using EstimatesOfMonth = MonthOfMart<PodcastEstimateRow>;

// The chosen month's rows biggest first; all months kept for the chart.
Result<EstimatesOfMonth> ReadMonth(const Table& estimates, const PodcastReportOptions& options) {
  return SelectMonth(ReadPodcastEstimates(estimates), options.month, MartName(kMart),
                     BiggerPodcastFirst<PodcastEstimateRow>);
}

std::vector<std::string> Notes(const EstimatesOfMonth& data) {
  const auto any = [&](auto&& predicate) { return std::any_of(data.rows.begin(), data.rows.end(), predicate); };
  std::vector<std::string> notes;
  if (any([](const PodcastEstimateRow& r) { return r.month_complete == false; })) {
    notes.push_back(data.month +
                    " is not complete: not every provider has delivered the whole month yet, so these "
                    "estimates can still change.");
  }
  if (any([](const PodcastEstimateRow& r) { return !r.estimated_listens; })) {
    notes.push_back("No estimate (" + std::string(kNoFigure) + ") where no provider covered the podcast this month.");
  }
  if (any([](const PodcastEstimateRow& r) { return r.estimated_listens && (!r.estimate_low || !r.estimate_high); })) {
    notes.push_back("No range (" + std::string(kNoFigure) + ") where fewer than two providers reported the month.");
  }
  return notes;
}

ReportPage Page(const EstimatesOfMonth& data, const std::map<std::string, std::string>& names) {
  ReportPage page;
  page.title = data.month.empty() ? "Podcast estimates" : "Podcast estimates, " + data.month;
  page.empty_message =
      std::string(MartName(kMart)) + " is empty: ingest provider deliveries, then run `earshot build`.";
  double total = 0;
  for (const PodcastEstimateRow& row : data.rows) total += row.estimated_listens.value_or(0);
  const std::size_t count = data.rows.size();
  page.summary = FormatThousands(static_cast<std::int64_t>(count)) + (count == 1 ? " podcast, " : " podcasts, ") +
                 FormatListens(total) + " estimated listens";
  page.table.columns = {{"#", ValueKind::kInteger},
                        {"podcast", ValueKind::kText},
                        {"estimated listens", ValueKind::kDecimal},
                        {"range (95%)", ValueKind::kDecimal},
                        {"observed", ValueKind::kDecimal},
                        {"coverage", ValueKind::kDecimal},
                        {"providers", ValueKind::kInteger}};
  for (std::size_t i = 0; i < data.rows.size(); ++i) {
    const PodcastEstimateRow& row = data.rows[i];
    page.table.rows.push_back(
        {std::to_string(i + 1), names.at(row.podcast_id.value_or("")), FormatListens(row.estimated_listens),
         FormatListensRange(row.estimate_low, row.estimate_high), FormatListens(row.observed_listens),
         FormatShare(row.coverage), FormatCount(row.providers_reporting)});
  }
  page.notes = Notes(data);
  return page;
}

}  // namespace

Result<std::string> RenderPodcastEstimatesText(const Table& estimates, const PodcastReportOptions& options) {
  EARSHOT_ASSIGN_OR_RETURN(const EstimatesOfMonth data, ReadMonth(estimates, options));
  return RenderPageText(Page(data, PodcastNames(data.all)), ShownRows(options));
}

Result<std::string> RenderPodcastEstimatesHtml(const Table& estimates, const Table& trends,
                                               const PodcastReportOptions& options, const std::string& generated_at) {
  EARSHOT_ASSIGN_OR_RETURN(const EstimatesOfMonth data, ReadMonth(estimates, options));
  EARSHOT_ASSIGN_OR_RETURN(const std::vector<PodcastTrendRow> trend_rows, ReadPodcastTrends(trends));
  const std::map<std::string, std::string> names = PodcastNames(data.all);
  const std::map<std::string, std::int64_t> ranks = TrendRanks(trend_rows, data.month);
  return RenderChartedPage(Page(data, names), data, names, ranks, ChartScale::kLinear, ShownRows(options),
                           generated_at);
}

}  // namespace earshot::reports
