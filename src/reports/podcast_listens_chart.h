// The line chart of the podcast HTML reports (internal to src/reports):
// estimated listens per calendar month for the biggest podcasts of one month,
// with that month's fastest risers drawn thicker and badged in the legend.
//
// The chart spans every month in the history it is given (the whole mart),
// with a gap where a podcast has no estimate; the chosen month is marked. It
// is inline SVG plus an HTML legend, and carries data attributes a browser
// test can read back: the <svg> has data-month; each podcast is a
// <g class="series" data-podcast=ID data-rising=true|false data-points=
// "YYYY-MM=listens;..."> holding a <path class="line"> and one
// <circle class="point" data-month data-listens> per month. Its script, run
// on load, writes what the browser actually laid out onto <body>:
// data-chart-month-y ("id=y;..." — each series' point at the chosen month, in
// CSS pixels from the top of the page; ids URI-encoded) and data-line-widths
// ("id=w;..." — each line's computed stroke width). Pure, thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "reports/podcast_figures.h"
#include "reports/podcast_marts.h"
#include "reports/podcast_months.h"
#include "reports/podcast_report_page.h"

namespace earshot::reports {

// How many of the chosen month's biggest podcasts get a line.
inline constexpr std::size_t kChartPodcasts = 8;
// trend_rank at or below this marks a rising podcast (and always gets a line).
inline constexpr std::int64_t kRisingTrendRank = 5;

// kLinear reads as amounts (the estimates page); kLog as growth, so a small
// podcast rising fast is as visible as a big one (the trends page). On a log
// scale a month with fewer than one listen is left out like a missing one.
enum class ChartScale { kLinear, kLog };

struct ListensPoint {
  std::string podcast_id;
  std::string name;   // what the legend shows (NameOrId)
  std::string month;  // YYYY-MM
  std::optional<double> estimated_listens;
};

// What to call each podcast of podcast_monthly_estimates or podcast_trends
// rows (DisplayNames over podcast_title and podcast_id).
template <typename Row>
std::map<std::string, std::string> PodcastNames(const std::vector<Row>& rows) {
  std::vector<NamedId> entries;
  entries.reserve(rows.size());
  for (const Row& row : rows) entries.push_back({row.podcast_title, row.podcast_id});
  return DisplayNames(entries);
}

// The chart's input from the same rows, named by `names` (PodcastNames).
template <typename Row>
std::vector<ListensPoint> ListensHistory(const std::vector<Row>& rows,
                                         const std::map<std::string, std::string>& names) {
  std::vector<ListensPoint> history;
  history.reserve(rows.size());
  for (const Row& row : rows) {
    const std::string id = row.podcast_id.value_or("");
    const auto name = names.find(id);
    history.push_back({id, name != names.end() ? name->second : NameOrId(row.podcast_title, row.podcast_id),
                       row.month.value_or(""), row.estimated_listens});
  }
  return history;
}

// podcast id -> trend_rank in `month` (podcasts without a rank are left out).
std::map<std::string, std::int64_t> TrendRanks(const std::vector<PodcastTrendRow>& rows, const std::string& month);

// True when `podcast_id` ranks at most kRisingTrendRank in `ranks`.
bool IsRising(const std::map<std::string, std::int64_t>& ranks, const std::optional<std::string>& podcast_id);

// Returns the chart for `month` over all of `history`: lines for the
// kChartPodcasts podcasts with the highest estimate in `month`, plus every
// podcast whose rank in `trend_ranks` (podcast id -> trend_rank in `month`)
// is at most kRisingTrendRank; those are highlighted. With no estimate in
// `month` the figure says so instead of drawing; with `month` "" (an empty
// mart) the figure is empty. Fails with kDataError when a
// month in `history` is not 'YYYY-MM'.
Result<HtmlFigure> RenderListensChart(const std::vector<ListensPoint>& history, const std::string& month,
                                      const std::map<std::string, std::int64_t>& trend_ranks,
                                      ChartScale scale = ChartScale::kLinear);

// Returns `page` as HTML under the chart of `data.all` for `data.month`, the
// risers of `ranks` highlighted in the chart and in the table, whose rows
// must be `data.rows` in order. Fails like RenderListensChart.
template <typename Row>
Result<std::string> RenderChartedPage(ReportPage page, const MonthOfMart<Row>& data,
                                      const std::map<std::string, std::string>& names,
                                      const std::map<std::string, std::int64_t>& ranks, ChartScale scale,
                                      std::size_t limit, std::string_view generated_at) {
  EARSHOT_ASSIGN_OR_RETURN(const HtmlFigure chart,
                           RenderListensChart(ListensHistory(data.all, names), data.month, ranks, scale));
  page.highlighted.clear();
  for (const Row& row : data.rows) page.highlighted.push_back(IsRising(ranks, row.podcast_id));
  return RenderPageHtml(page, limit, chart, generated_at);
}

}  // namespace earshot::reports
