#include "reports/podcast_episodes_report.h"

#include <algorithm>
#include <vector>

#include "reports/number_format.h"
#include "reports/podcast_figures.h"
#include "reports/podcast_marts.h"

namespace earshot::reports {
namespace {

constexpr PodcastMart kMart = PodcastMart::kEpisodeFirst30Days;

// The window starts on the publication date (a UTC day), so the date is what
// a reader needs: "2024-03-05 14:00:00" -> "2024-03-05".
std::string PublicationDay(const std::optional<std::string>& published_at) {
  if (!published_at) return std::string(kNoFigure);
  const std::string& text = *published_at;
  if (text.size() > 10 && text[4] == '-' && text[7] == '-' && (text[10] == ' ' || text[10] == 'T')) {
    return text.substr(0, 10);
  }
  return text;
}

Result<ReportPage> Page(const Table& episodes) {
  EARSHOT_ASSIGN_OR_RETURN(std::vector<EpisodeFirst30DaysRow> rows, ReadEpisodeFirst30Days(episodes));
  // A young episode's estimate is projected from a day or two of data; it
  // would top the list on noise, so complete windows come first.
  std::stable_sort(rows.begin(), rows.end(), [](const EpisodeFirst30DaysRow& a, const EpisodeFirst30DaysRow& b) {
    const bool a_complete = a.window_complete == true;
    const bool b_complete = b.window_complete == true;
    if (a_complete != b_complete) return a_complete;
    if (a.estimated_listens_30d != b.estimated_listens_30d) return a.estimated_listens_30d > b.estimated_listens_30d;
    if (a.published_at != b.published_at) return a.published_at > b.published_at;
    return a.episode_id < b.episode_id;
  });

  ReportPage page;
  page.title = "Episodes' first 30 days";
  page.empty_message = std::string(MartName(kMart)) +
                       " is empty: it needs catalog episodes with a publication date; "
                       "ingest them, then run `earshot build`.";
  const auto complete = std::count_if(rows.begin(), rows.end(),
                                      [](const EpisodeFirst30DaysRow& row) { return row.window_complete == true; });
  const std::size_t count = rows.size();
  page.summary = FormatThousands(static_cast<std::int64_t>(count)) + (count == 1 ? " episode, " : " episodes, ") +
                 FormatThousands(complete) + " with a complete 30-day window";
  page.table.columns = {{"episode", ValueKind::kText},        {"podcast", ValueKind::kText},
                        {"published", ValueKind::kText},      {"estimated listens", ValueKind::kDecimal},
                        {"observed", ValueKind::kDecimal},    {"coverage", ValueKind::kDecimal},
                        {"window complete", ValueKind::kText}};
  for (const EpisodeFirst30DaysRow& row : rows) {
    page.table.rows.push_back({NameOrId(row.episode_title, row.episode_id),
                               row.podcast_id.value_or(std::string(kNoFigure)), PublicationDay(row.published_at),
                               FormatListens(row.estimated_listens_30d), FormatListens(row.observed_listens_30d),
                               FormatShare(row.coverage_30d), FormatYesNo(row.window_complete)});
  }
  if (complete < static_cast<std::ptrdiff_t>(count)) {
    page.notes.push_back(
        "Episodes with a complete window come first. An incomplete window (its 30 days are not over, or not "
        "every episode-level provider with daily or instant delivery has delivered them) is estimated from the "
        "days covered so far and can still change a lot.");
  }
  return page;
}

}  // namespace

Result<std::string> RenderEpisodeFirst30DaysText(const Table& episodes, const PodcastReportOptions& options) {
  EARSHOT_ASSIGN_OR_RETURN(const ReportPage page, Page(episodes));
  return RenderPageText(page, ShownRows(options));
}

Result<std::string> RenderEpisodeFirst30DaysHtml(const Table& episodes, const PodcastReportOptions& options,
                                                 const std::string& generated_at) {
  EARSHOT_ASSIGN_OR_RETURN(const ReportPage page, Page(episodes));
  return RenderPageHtml(page, ShownRows(options), HtmlFigure{}, generated_at);
}

}  // namespace earshot::reports
