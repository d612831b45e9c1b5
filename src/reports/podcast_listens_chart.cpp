#include "reports/podcast_listens_chart.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <string_view>

#include "reports/html_escape.h"
#include "reports/number_format.h"
#include "reports/podcast_figures.h"
#include "reports/podcast_months.h"

namespace earshot::reports {
namespace {

// Chart geometry in SVG user units; the SVG scales to the page width.
constexpr double kWidth = 940;
constexpr double kHeight = 380;
constexpr double kLeft = 84;   // y-axis labels
constexpr double kRight = 44;  // room for the last month label
constexpr double kTop = 16;
constexpr double kBottom = 36;  // x-axis labels
constexpr double kPlotWidth = kWidth - kLeft - kRight;
constexpr double kPlotHeight = kHeight - kTop - kBottom;
constexpr std::size_t kMaxMonthLabels = 12;

// Distinct on white and for the common colour-vision deficiencies (Okabe-Ito,
// then Tol's muted set), enough for kChartPodcasts lines and kRisingTrendRank
// risers; a series keeps its colour in line and legend.
constexpr std::array<std::string_view, 14> kPalette = {"#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9",
                                                       "#d55e00", "#7f7f7f", "#332288", "#882255", "#117733",
                                                       "#44aa99", "#999933", "#aa4499", "#000000"};

struct Series {
  std::string podcast_id;
  std::string name;
  std::map<std::string, double> listens;  // month -> estimate (months without one are gaps)
  double at_month = 0;                    // estimate in the chosen month (for ordering)
  std::optional<std::int64_t> rising_rank;
};

// A plain number for SVG and data attributes: no grouping, '.' as the point.
std::string SvgNumber(double value, int decimals = 1) {
  std::array<char, 64> buffer{};
  const auto result =
      std::to_chars(buffer.data(), buffer.data() + buffer.size(), value, std::chars_format::fixed, decimals);
  return result.ec == std::errc() ? std::string(buffer.data(), result.ptr) : "0";
}

// The exact value for data attributes, shortest without an exponent:
// 100000 stays "100000", not "1e+05".
std::string DataNumber(double value) {
  std::array<char, 400> buffer{};  // enough for DBL_MAX in fixed notation
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value, std::chars_format::fixed);
  return result.ec == std::errc() ? std::string(buffer.data(), result.ptr) : "0";
}

// The smallest of 1, 2, 5 times a power of ten that is >= value (> 0).
double NiceStep(double value) {
  const double power = std::pow(10.0, std::floor(std::log10(value)));
  for (const double multiple : {1.0, 2.0, 5.0}) {
    if (multiple * power >= value) return multiple * power;
  }
  return 10 * power;
}

// Where a listen count sits vertically (0 at the bottom of the plot, 1 at the
// top) and where the gridlines go.
class ListensAxis {
 public:
  ListensAxis(ChartScale scale, double min_positive, double max) : log_(scale == ChartScale::kLog) {
    max = std::max(max, 1.0);
    if (!log_) {
      const double step = NiceStep(max / 5);
      high_ = step * std::ceil(max / step);
      for (double tick = 0; tick <= high_ + step / 2; tick += step) ticks_.push_back(tick);
      return;
    }
    // Whole decades around the data, never below 1 listen.
    low_ = std::pow(10.0, std::floor(std::log10(std::clamp(min_positive, 1.0, max))));
    high_ = std::max(std::pow(10.0, std::ceil(std::log10(max))), 10 * low_);
    const bool few_decades = high_ / low_ <= 100;
    for (double decade = low_; decade <= high_ * 1.001; decade *= 10) {
      ticks_.push_back(decade);
      if (!few_decades || decade * 2 > high_) continue;
      ticks_.push_back(2 * decade);
      ticks_.push_back(5 * decade);
    }
  }

  // A log scale has no place for 0 (or anything below its first decade).
  bool Plottable(double listens) const { return !log_ || listens >= low_; }
  double Fraction(double listens) const {
    if (!log_) return listens / high_;
    return std::log10(listens / low_) / std::log10(high_ / low_);
  }
  const std::vector<double>& ticks() const { return ticks_; }

 private:
  bool log_;
  double low_ = 0;
  double high_ = 1;
  std::vector<double> ticks_;
};

// Picks the podcasts to draw, biggest in `month` first.
std::vector<Series> ChooseSeries(const std::vector<ListensPoint>& history, const std::string& month,
                                 const std::map<std::string, std::int64_t>& trend_ranks) {
  std::map<std::string, Series> by_id;
  for (const ListensPoint& point : history) {
    Series& series = by_id[point.podcast_id];
    series.podcast_id = point.podcast_id;
    series.name = point.name;
    if (point.estimated_listens) series.listens[point.month] = *point.estimated_listens;
  }
  std::vector<Series> candidates;
  for (auto& [id, series] : by_id) {
    const auto found = series.listens.find(month);
    if (found == series.listens.end()) continue;
    series.at_month = found->second;
    if (IsRising(trend_ranks, id)) series.rising_rank = trend_ranks.at(id);
    candidates.push_back(std::move(series));
  }
  std::sort(candidates.begin(), candidates.end(), [](const Series& a, const Series& b) {
    if (a.at_month != b.at_month) return a.at_month > b.at_month;
    return a.name != b.name ? a.name < b.name : a.podcast_id < b.podcast_id;
  });
  std::vector<Series> chosen;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (i < kChartPodcasts || candidates[i].rising_rank) chosen.push_back(std::move(candidates[i]));
  }
  return chosen;
}

class Plot {
 public:
  Plot(std::vector<std::string> months, ListensAxis axis) : months_(std::move(months)), axis_(std::move(axis)) {}

  double X(std::size_t month_index) const {
    if (months_.size() == 1) return kLeft + kPlotWidth / 2;
    return kLeft + kPlotWidth * static_cast<double>(month_index) / static_cast<double>(months_.size() - 1);
  }
  double Y(double listens) const { return kTop + kPlotHeight * (1 - axis_.Fraction(listens)); }

  void AppendAxes(std::string& svg, const std::string& chosen) const {
    for (const double tick : axis_.ticks()) {
      const std::string y = SvgNumber(Y(tick));
      svg += "<line class=\"grid\" x1=\"" + SvgNumber(kLeft) + "\" x2=\"" + SvgNumber(kWidth - kRight) + "\" y1=\"" +
             y + "\" y2=\"" + y + "\"/>\n<text class=\"tick\" x=\"" + SvgNumber(kLeft - 8) + "\" y=\"" + y +
             "\" text-anchor=\"end\" dominant-baseline=\"central\">" + FormatThousands(std::llround(tick)) +
             "</text>\n";
    }
    const std::size_t every = (months_.size() + kMaxMonthLabels - 1) / kMaxMonthLabels;
    for (std::size_t i = 0; i < months_.size(); ++i) {
      const std::string x = SvgNumber(X(i));
      if (months_[i] == chosen) {
        svg += "<line class=\"chosen\" x1=\"" + x + "\" x2=\"" + x + "\" y1=\"" + SvgNumber(kTop) + "\" y2=\"" +
               SvgNumber(kTop + kPlotHeight) + "\"/>\n";
      }
      if (i % every == 0 || i + 1 == months_.size() || months_[i] == chosen) {
        svg += "<text class=\"tick" + std::string(months_[i] == chosen ? " chosen-label" : "") + "\" x=\"" + x +
               "\" y=\"" + SvgNumber(kHeight - kBottom + 20) + "\" text-anchor=\"middle\">" + EscapeHtml(months_[i]) +
               "</text>\n";
      }
    }
  }

  void AppendSeries(std::string& svg, const Series& series, std::string_view colour) const {
    const std::string id = EscapeHtml(series.podcast_id);
    const std::string name = EscapeHtml(series.name);
    std::string path;
    std::string points;
    std::string circles;
    const bool rising = series.rising_rank.has_value();
    const std::string radius = rising ? "6" : "3.5";
    bool pen_down = false;
    for (std::size_t i = 0; i < months_.size(); ++i) {
      const auto found = series.listens.find(months_[i]);
      if (found == series.listens.end() || !axis_.Plottable(found->second)) {
        pen_down = false;  // a month without an estimate is a gap, not a zero
        continue;
      }
      const std::string x = SvgNumber(X(i));
      const std::string y = SvgNumber(Y(found->second));
      path += (pen_down ? " L" : (path.empty() ? "M" : " M")) + x + " " + y;
      pen_down = true;
      points += (points.empty() ? "" : ";") + months_[i] + "=" + DataNumber(found->second);
      circles += "<circle class=\"point\" data-month=\"" + EscapeHtml(months_[i]) + "\" data-listens=\"" +
                 DataNumber(found->second) + "\" cx=\"" + x + "\" cy=\"" + y + "\" r=\"" + radius + "\"><title>" +
                 name + ", " + EscapeHtml(months_[i]) + ": " + FormatListens(found->second) +
                 " estimated listens</title></circle>\n";
    }
    svg += "<g class=\"series" + std::string(rising ? " rising" : "") + "\" data-podcast=\"" + id +
           "\" data-rising=\"" + (rising ? "true" : "false") + "\" data-points=\"" + points +
           "\" style=\"--c: " + std::string(colour) + "\">\n<path class=\"line\" d=\"" + path + "\"/>\n" + circles +
           "</g>\n";
  }

 private:
  std::vector<std::string> months_;
  ListensAxis axis_;
};

void AppendLegend(std::string& html, const std::vector<Series>& series) {
  html += "<ul class=\"legend\">\n";
  for (std::size_t i = 0; i < series.size(); ++i) {
    const Series& s = series[i];
    html += "<li data-podcast=\"" + EscapeHtml(s.podcast_id) + "\"" + (s.rising_rank ? " class=\"rising\"" : "") +
            " style=\"--c: " + std::string(kPalette[i % kPalette.size()]) + "\"><span class=\"swatch\"></span>" +
            EscapeHtml(s.name);
    if (s.rising_rank) html += " <span class=\"badge\">rising #" + std::to_string(*s.rising_rank) + "</span>";
    html += "</li>\n";
  }
  html += "</ul>\n";
}

constexpr std::string_view kChartStyle = R"css(
figure.chart { margin: 0 0 28px; }
figure.chart h2 { font-size: 1.05rem; margin: 0 0 8px; }
figure.chart svg { display: block; width: 100%; height: auto; }
.grid { stroke: var(--rule); stroke-width: 1; }
.chosen { stroke: var(--muted); stroke-width: 1; stroke-dasharray: 4 4; }
.tick { font-size: 12px; fill: var(--muted); }
.chosen-label { fill: var(--ink); font-weight: 600; }
.series .line { fill: none; stroke: var(--c); stroke-width: 2; stroke-linejoin: round; stroke-linecap: round; }
.series .point { fill: var(--c); }
.series.rising .line { stroke-width: 5; }
.series.rising .point { stroke: #fff; stroke-width: 1.5; }
.legend { list-style: none; display: flex; flex-wrap: wrap; gap: 6px 18px; margin: 10px 0 0; padding: 0;
  font-size: 0.85rem; }
.legend li { display: flex; align-items: center; gap: 6px; }
.legend .swatch { display: inline-block; width: 18px; height: 3px; background: var(--c); }
.legend .rising .swatch { height: 6px; }
.badge { background: var(--accent); color: #fff; border-radius: 9px; padding: 1px 7px; font-size: 0.75rem;
  font-weight: 600; }
)css";

// Reports the laid-out chart on <body> for the browser test (see header).
constexpr std::string_view kChartScript = R"js(
window.addEventListener('load', function () {
  var svg = document.querySelector('figure.chart svg');
  if (!svg) return;
  var month = svg.dataset.month, ys = [], widths = [];
  svg.querySelectorAll('g.series').forEach(function (series) {
    var id = encodeURIComponent(series.dataset.podcast);
    var point = series.querySelector('circle.point[data-month="' + month + '"]');
    if (point) {
      var box = point.getBoundingClientRect();
      ys.push(id + '=' + (box.top + window.scrollY + box.height / 2).toFixed(1));
    }
    var line = series.querySelector('path.line');
    widths.push(id + '=' + parseFloat(getComputedStyle(line).strokeWidth).toFixed(1));
  });
  document.body.dataset.chartMonthY = ys.join(';');
  document.body.dataset.lineWidths = widths.join(';');
});
)js";

}  // namespace

std::map<std::string, std::int64_t> TrendRanks(const std::vector<PodcastTrendRow>& rows, const std::string& month) {
  std::map<std::string, std::int64_t> ranks;
  for (const PodcastTrendRow& row : rows) {
    if (row.month == month && row.podcast_id && row.trend_rank) ranks[*row.podcast_id] = *row.trend_rank;
  }
  return ranks;
}

bool IsRising(const std::map<std::string, std::int64_t>& ranks, const std::optional<std::string>& podcast_id) {
  if (!podcast_id) return false;
  const auto found = ranks.find(*podcast_id);
  return found != ranks.end() && found->second <= kRisingTrendRank;
}

Result<HtmlFigure> RenderListensChart(const std::vector<ListensPoint>& history, const std::string& month,
                                      const std::map<std::string, std::int64_t>& trend_ranks, ChartScale scale) {
  if (month.empty()) return HtmlFigure{};
  HtmlFigure figure{kChartStyle, "", kChartScript};
  const std::vector<Series> series = ChooseSeries(history, month, trend_ranks);
  const std::string heading = "Estimated listens per month: the biggest podcasts of " + month + " and its risers" +
                              (scale == ChartScale::kLog ? " (log scale: equal slopes, equal growth)" : "");
  figure.html = "<figure class=\"chart\">\n<h2 id=\"chart-title\">" + EscapeHtml(heading) + "</h2>\n";
  if (series.empty()) {
    figure.html += "<p class=\"empty\">No podcast has an estimate for " + EscapeHtml(month) + ".</p>\n</figure>\n";
    return figure;
  }

  std::string first = month;
  std::string last = month;
  for (const ListensPoint& point : history) {
    first = std::min(first, point.month);
    last = std::max(last, point.month);
  }
  EARSHOT_ASSIGN_OR_RETURN(std::vector<std::string> months, CalendarMonths(first, last));
  double max_listens = 0;
  double min_positive = std::numeric_limits<double>::infinity();
  for (const Series& s : series) {
    for (const auto& [m, listens] : s.listens) {
      max_listens = std::max(max_listens, listens);
      if (listens > 0) min_positive = std::min(min_positive, listens);
    }
  }
  const Plot plot(std::move(months), ListensAxis(scale, min_positive, max_listens));

  std::string& html = figure.html;
  html += "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"chart-title\" viewBox=\"0 0 " +
          SvgNumber(kWidth, 0) + " " + SvgNumber(kHeight, 0) + "\" width=\"" + SvgNumber(kWidth, 0) + "\" height=\"" +
          SvgNumber(kHeight, 0) + "\" data-month=\"" + EscapeHtml(month) + "\">\n";
  plot.AppendAxes(html, month);
  // Risers last, so their thick lines are drawn on top.
  for (const bool rising : {false, true}) {
    for (std::size_t i = 0; i < series.size(); ++i) {
      if (series[i].rising_rank.has_value() == rising) {
        plot.AppendSeries(html, series[i], kPalette[i % kPalette.size()]);
      }
    }
  }
  html += "</svg>\n";
  AppendLegend(html, series);
  html += "</figure>\n";
  return figure;
}

}  // namespace earshot::reports
