#include "reports/podcast_test_fixtures.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <sstream>
#include <string_view>

#include "reports/podcast_marts.h"

namespace earshot::reports::podcast_fixtures {
namespace {

constexpr std::array<const char*, 4> kMonths = {"2024-01", "2024-02", "2024-03", "2024-04"};

struct Podcast {
  const char* id;
  std::optional<std::string> title;
  std::array<double, 4> listens;  // per kMonths; < 0: no row that month, 0: a row with a NULL estimate
  std::optional<int> rank;        // trend_rank in 2024-04
  int providers;                  // in 2024-04
};

const std::vector<Podcast>& Podcasts() {
  static const std::vector<Podcast> podcasts = {
      {"pod_01", "The Daily Drive", {110000, 112000, 115000, 120000}, 6, 5},
      {"pod_02", "Morning Murmurs", {80000, 82000, 85000, 90000}, 5, 5},
      {"pod_03", "Deep Dive <Science> & \"Co\"", {30000, 45000, 60000, 80000}, 3, 5},
      {"pod_04", "Comedy Hour", {70000, 70000, 68000, 70000}, 8, 5},
      {"pod_orphan", std::nullopt, {20000, 30000, 40000, 60000}, 2, 4},
      {"pod_06", "Tech Talk", {55000, 54000, 53000, 50000}, 10, 5},
      {"pod_07", "History Lane", {40000, 40000, -1, 45000}, std::nullopt, 5},
      {"pod_08", "Garden Hour", {38000, 39000, 39500, 40000}, 7, 5},
      {"pod_09", "Small Riser", {1000, 2000, 4000, 8000}, 1, 3},
      {"pod_10", "Quiet Show", {30000, 30000, 30000, 30000}, 8, 5},
      {"pod_11", "No Coverage", {500, 600, 700, 0}, std::nullopt, 0},
      {"pod_12", "Solo Provider", {2000, 3000, 4000, 5000}, 4, 1},
  };
  return podcasts;
}

std::string Number(double value) {
  std::ostringstream out;
  out.precision(17);
  out << value;
  return out.str();
}

std::optional<std::string> Maybe(bool present, double value) {
  return present ? std::optional<std::string>(Number(value)) : std::nullopt;
}

Table MartTable(PodcastMart mart, std::vector<MartRow> rows) {
  Table table;
  // Readers find columns by name and ignore kinds; text is as good as any.
  for (const std::string_view name : MartColumns(mart)) table.columns.push_back({std::string(name), ValueKind::kText});
  table.rows = std::move(rows);
  return table;
}

}  // namespace

Table EstimatesTable(std::vector<MartRow> rows) { return MartTable(PodcastMart::kMonthlyEstimates, std::move(rows)); }
Table TrendsTable(std::vector<MartRow> rows) { return MartTable(PodcastMart::kTrends, std::move(rows)); }
Table CreatorsTable(std::vector<MartRow> rows) { return MartTable(PodcastMart::kCreatorPopularity, std::move(rows)); }
Table EpisodesTable(std::vector<MartRow> rows) { return MartTable(PodcastMart::kEpisodeFirst30Days, std::move(rows)); }

namespace {

// Calls `row(podcast, m, last)` for every month m a podcast has a row in,
// `last` being the chosen month.
template <typename RowOf>
std::vector<MartRow> EveryPodcastMonth(RowOf row) {
  std::vector<MartRow> rows;
  for (const Podcast& p : Podcasts()) {
    for (std::size_t m = 0; m < kMonths.size(); ++m) {
      if (p.listens[m] >= 0) rows.push_back(row(p, m, m + 1 == kMonths.size()));
    }
  }
  return rows;
}

}  // namespace

Table FixtureEstimates() {
  return EstimatesTable(EveryPodcastMonth([](const Podcast& p, std::size_t m, bool last) -> MartRow {
    const double listens = p.listens[m];
    const int providers = last ? p.providers : 5;
    const double coverage = 0.1 * providers;
    return {p.id,
            p.title,
            kMonths[m],
            Number(std::round(listens * coverage)),
            Number(coverage),
            Maybe(providers > 0, listens),
            Maybe(providers >= 2, listens * 0.9),
            Maybe(providers >= 2, listens * 1.1),
            std::to_string(providers),
            last ? "false" : "true"};
  }));
}

Table FixtureTrends() {
  return TrendsTable(EveryPodcastMonth([](const Podcast& p, std::size_t m, bool last) -> MartRow {
    const double listens = p.listens[m];
    const bool estimated = !(last && p.providers == 0);
    const bool has_previous = estimated && m > 0 && p.listens[m - 1] > 0;
    const bool has_3m = has_previous && m >= 2 && p.listens[m - 2] > 0;
    // exp(slope) - 1 of ln(listens) over three equally spaced months.
    const double growth_3m = has_3m ? std::sqrt(listens / p.listens[m - 2]) - 1 : 0;
    return {p.id,
            p.title,
            kMonths[m],
            Maybe(estimated, listens),
            Maybe(has_previous, has_previous ? listens / p.listens[m - 1] - 1 : 0),
            Maybe(has_3m, growth_3m),
            last && p.rank ? std::optional<std::string>(std::to_string(*p.rank)) : std::nullopt};
  }));
}

namespace {

// Splits `text` at every `separator`; a trailing separator ends the last
// piece rather than starting an empty one.
std::vector<std::string> Split(std::string_view text, char separator) {
  std::vector<std::string> pieces;
  while (!text.empty()) {
    const std::size_t end = std::min(text.find(separator), text.size());
    pieces.emplace_back(text.substr(0, end));
    text.remove_prefix(std::min(end + 1, text.size()));
  }
  return pieces;
}

}  // namespace

std::vector<std::string> Lines(const std::string& text) { return Split(text, '\n'); }

std::vector<std::string> CellsOf(const std::string& line) {
  std::vector<std::string> cells = Split(line, '|');
  for (std::string& cell : cells) {
    cell.erase(0, std::min(cell.find_first_not_of(' '), cell.size()));
    cell.erase(cell.find_last_not_of(' ') + 1);
  }
  return cells;
}

std::size_t Count(const std::string& haystack, const std::string& needle) {
  std::size_t count = 0;
  for (std::size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++count;
  return count;
}

}  // namespace earshot::reports::podcast_fixtures
