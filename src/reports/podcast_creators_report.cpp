#include "reports/podcast_creators_report.h"

#include <algorithm>
#include <vector>

#include "reports/number_format.h"
#include "reports/podcast_figures.h"
#include "reports/podcast_marts.h"
#include "reports/podcast_months.h"

namespace earshot::reports {
namespace {

constexpr PodcastMart kMart = PodcastMart::kCreatorPopularity;

Result<ReportPage> Page(const Table& creators, const PodcastReportOptions& options) {
  EARSHOT_ASSIGN_OR_RETURN(const MonthOfMart<CreatorPopularityRow> data,
                           SelectMonth(ReadCreatorPopularity(creators), options.month, MartName(kMart),
                                       [](const CreatorPopularityRow& a, const CreatorPopularityRow& b) {
                                         if (a.rank != b.rank) return AscendingNullsLast(a.rank, b.rank);
                                         if (a.attributed_listens != b.attributed_listens) {
                                           return a.attributed_listens > b.attributed_listens;
                                         }
                                         return NameOrId(a.creator_name, a.creator_id) <
                                                NameOrId(b.creator_name, b.creator_id);
                                       }));

  ReportPage page;
  page.title = data.month.empty() ? "Creator popularity" : "Creator popularity, " + data.month;
  page.empty_message = std::string(MartName(kMart)) +
                       " is empty: it needs episode-level provider data and the catalog's "
                       "episode credits; ingest them, then run `earshot build`.";
  const std::size_t count = data.rows.size();
  page.summary = FormatThousands(static_cast<std::int64_t>(count)) + (count == 1 ? " creator" : " creators") +
                 " credited on episodes with listens";
  page.table.columns = {{"rank", ValueKind::kInteger},
                        {"creator", ValueKind::kText},
                        {"episodes", ValueKind::kInteger},
                        {"attributed listens", ValueKind::kDecimal},
                        {"per episode", ValueKind::kDecimal}};
  std::vector<NamedId> creators_named;
  for (const CreatorPopularityRow& row : data.all) creators_named.push_back({row.creator_name, row.creator_id});
  const std::map<std::string, std::string> names = DisplayNames(creators_named);
  for (const CreatorPopularityRow& row : data.rows) {
    page.table.rows.push_back({FormatCount(row.rank), names.at(row.creator_id.value_or("")), FormatCount(row.episodes),
                               FormatListens(row.attributed_listens), FormatListens(row.avg_listens_per_episode)});
  }
  page.notes.push_back(
      "Every creator credited on an episode is attributed the episode's whole estimate, so attributed listens "
      "do not add up to the podcasts' listens.");
  return page;
}

}  // namespace

Result<std::string> RenderCreatorPopularityText(const Table& creators, const PodcastReportOptions& options) {
  EARSHOT_ASSIGN_OR_RETURN(const ReportPage page, Page(creators, options));
  return RenderPageText(page, ShownRows(options));
}

Result<std::string> RenderCreatorPopularityHtml(const Table& creators, const PodcastReportOptions& options,
                                                const std::string& generated_at) {
  EARSHOT_ASSIGN_OR_RETURN(const ReportPage page, Page(creators, options));
  return RenderPageHtml(page, ShownRows(options), HtmlFigure{}, generated_at);
}

}  // namespace earshot::reports
