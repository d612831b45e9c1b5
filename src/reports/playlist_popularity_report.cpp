#include "reports/playlist_popularity_report.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <utility>
#include <vector>

#include "reports/html_escape.h"
#include "reports/number_format.h"
#include "reports/playlist_popularity.h"
#include "reports/text_table.h"
#include "reports/utf8.h"

namespace earshot::reports {
namespace {

// The figures of one line, formatted once so text and HTML cannot disagree.
struct Figures {
  std::string seconds;
  std::string hours;
  std::string streams;
  std::string listeners;  // empty on the total line
  std::string share;
};

Figures FiguresOf(const PopularityRow& row) {
  return {FormatThousands(std::llround(row.seconds_streamed)),
          FormatFixed(SecondsToHours(row.seconds_streamed), 1), FormatThousands(row.streams),
          FormatThousands(row.listeners), FormatPercent(row.share_of_seconds)};
}

Figures TotalFigures(const Popularity& popularity) {
  return {FormatThousands(std::llround(popularity.total_seconds)),
          FormatFixed(SecondsToHours(popularity.total_seconds), 1),
          FormatThousands(popularity.total_streams), "", FormatPercent(popularity.total_share)};
}

// "3 personalized playlists, 1.8 hours streamed"
std::string Summary(const Popularity& popularity) {
  const std::size_t count = popularity.rows.size();
  return std::to_string(count) +
         (count == 1 ? " personalized playlist, " : " personalized playlists, ") +
         FormatFixed(SecondsToHours(popularity.total_seconds), 1) + " hours streamed";
}

std::size_t TextBarWidth(double share, double max_share) {
  if (share <= 0 || max_share <= 0) return 0;
  const long width = std::lround(static_cast<double>(kMaxTextBarWidth) * share / max_share);
  return static_cast<std::size_t>(std::clamp<long>(width, 1, kMaxTextBarWidth));
}

std::string TextBar(std::size_t width) {
  std::string bar;
  for (std::size_t i = 0; i < width; ++i) bar += "\xE2\x96\x88";  // U+2588 FULL BLOCK
  return bar;
}

// A plain number for SVG/data attributes: no grouping, '.' decimal point.
std::string AttributeNumber(double value) {
  std::array<char, 64> buffer{};
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  return std::string(buffer.data(), result.ptr);
}

std::string AttributeNumber(double value, int decimals) {
  std::array<char, 400> buffer{};
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value,
                                    std::chars_format::fixed, decimals);
  return std::string(buffer.data(), result.ptr);
}

// Chart geometry in SVG user units; the SVG scales to the page width.
constexpr double kChartWidth = 900;
constexpr double kLabelWidth = 170;  // playlist names, right-aligned
constexpr double kValueWidth = 80;   // "123.4 h" after each bar
constexpr double kBarArea = kChartWidth - kLabelWidth - kValueWidth;
constexpr double kRowHeight = 30;
constexpr double kBarHeight = 20;
constexpr double kChartPadding = 8;
constexpr std::size_t kMaxLabelCodePoints = 24;

constexpr std::string_view kStyle = R"css(
:root { --ink: #1f2933; --muted: #52606d; --rule: #d9e2ec; --bar: #3f6fb5; }
* { box-sizing: border-box; }
body { margin: 0; background: #fff; color: var(--ink);
  font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", "Liberation Sans", sans-serif; }
main { max-width: 960px; margin: 0 auto; padding: 24px; }
h1 { font-size: 1.5rem; margin: 0 0 4px; }
.meta { color: var(--muted); margin: 0 0 24px; font-size: 0.9rem; }
h2 { font-size: 1.05rem; margin: 0 0 8px; }
figure { margin: 0 0 28px; }
svg { display: block; width: 100%; height: auto; }
.bar { fill: var(--bar); }
.label { font-size: 13px; fill: var(--ink); }
.value { font-size: 12px; fill: var(--muted); }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
th, td { padding: 6px 10px; text-align: left; border-bottom: 1px solid var(--rule); }
thead th { border-bottom: 2px solid var(--ink); font-weight: 600; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tfoot td { font-weight: 600; border-top: 2px solid var(--ink); border-bottom: none; }
.empty { color: var(--muted); }
)css";

// Records each bar's rendered width for the browser test (see header).
constexpr std::string_view kScript = R"js(
window.addEventListener('load', function () {
  var widths = [];
  document.querySelectorAll('rect.bar').forEach(function (bar) {
    widths.push(encodeURIComponent(bar.dataset.playlist) + '=' +
                bar.getBoundingClientRect().width.toFixed(1));
  });
  document.body.dataset.barWidths = widths.join(';');
});
)js";

void AppendChart(std::string& html, const Popularity& popularity) {
  html += "<figure>\n<h2 id=\"chart-title\">Hours streamed per playlist</h2>\n";
  if (popularity.rows.empty()) {
    html += "<p class=\"empty\">No streams from personalized playlists.</p>\n</figure>\n";
    return;
  }
  const double height =
      2 * kChartPadding + kRowHeight * static_cast<double>(popularity.rows.size());
  html += "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"chart-title\""
          " viewBox=\"0 0 " + AttributeNumber(kChartWidth) + " " + AttributeNumber(height) +
          "\" width=\"" + AttributeNumber(kChartWidth) + "\" height=\"" +
          AttributeNumber(height) + "\">\n";
  for (std::size_t i = 0; i < popularity.rows.size(); ++i) {
    const PopularityRow& row = popularity.rows[i];
    const std::string name = EscapeHtml(row.playlist);
    const std::string label =
        EscapeHtml(TruncateCodePoints(SanitizeUtf8(row.playlist), kMaxLabelCodePoints));
    const std::string hours = FormatFixed(SecondsToHours(row.seconds_streamed), 1) + " h";
    double width = popularity.max_seconds > 0
                       ? kBarArea * row.seconds_streamed / popularity.max_seconds
                       : 0.0;
    if (row.seconds_streamed > 0) width = std::max(width, 1.0);  // keep tiny bars visible
    const double y = kChartPadding + kRowHeight * static_cast<double>(i);
    const std::string middle = AttributeNumber(y + kBarHeight / 2, 1);
    html += "<text class=\"label\" x=\"" + AttributeNumber(kLabelWidth - 10) + "\" y=\"" +
            middle + "\" text-anchor=\"end\" dominant-baseline=\"central\">" + label +
            "</text>\n";
    html += "<rect class=\"bar\" data-playlist=\"" + name + "\" data-seconds=\"" +
            AttributeNumber(row.seconds_streamed) + "\" x=\"" + AttributeNumber(kLabelWidth) +
            "\" y=\"" + AttributeNumber(y, 1) + "\" width=\"" + AttributeNumber(width, 1) +
            "\" height=\"" + AttributeNumber(kBarHeight) + "\"><title>" + name + ": " + hours +
            " (" + FormatPercent(row.share_of_seconds) + ")</title></rect>\n";
    html += "<text class=\"value\" x=\"" + AttributeNumber(kLabelWidth + width + 6, 1) +
            "\" y=\"" + middle + "\" dominant-baseline=\"central\">" + hours + "</text>\n";
  }
  html += "</svg>\n</figure>\n";
}

void AppendTableRow(std::string& html, const std::string& first, const Figures& figures) {
  html += "<tr><td>" + first + "</td><td class=\"num\">" + figures.seconds +
          "</td><td class=\"num\">" + figures.hours + "</td><td class=\"num\">" +
          figures.streams + "</td><td class=\"num\">" + figures.listeners +
          "</td><td class=\"num\">" + figures.share + "</td></tr>\n";
}

void AppendTable(std::string& html, const Popularity& popularity) {
  html +=
      "<table>\n<thead><tr><th>Playlist</th><th class=\"num\">Seconds streamed</th>"
      "<th class=\"num\">Hours</th><th class=\"num\">Streams</th>"
      "<th class=\"num\">Listeners</th><th class=\"num\">Share</th></tr></thead>\n<tbody>\n";
  for (const PopularityRow& row : popularity.rows) {
    AppendTableRow(html, EscapeHtml(row.playlist), FiguresOf(row));
  }
  html += "</tbody>\n<tfoot>\n";
  AppendTableRow(html, "Total", TotalFigures(popularity));
  html += "</tfoot>\n</table>\n";
}

}  // namespace

Result<std::string> RenderPopularityText(const Table& table) {
  EARSHOT_ASSIGN_OR_RETURN(const Popularity popularity, ReadPopularity(table));

  Table display;
  display.columns = {{"playlist", ValueKind::kText},      {"seconds", ValueKind::kInteger},
                     {"hours", ValueKind::kDecimal},      {"streams", ValueKind::kInteger},
                     {"listeners", ValueKind::kInteger},  {"share", ValueKind::kDecimal},
                     {"", ValueKind::kText}};
  for (const PopularityRow& row : popularity.rows) {
    const Figures f = FiguresOf(row);
    display.rows.push_back({row.playlist, f.seconds, f.hours, f.streams, f.listeners, f.share,
                            TextBar(TextBarWidth(row.share_of_seconds, popularity.max_share))});
  }
  const Figures total = TotalFigures(popularity);
  display.rows.push_back(
      {"total", total.seconds, total.hours, total.streams, total.listeners, total.share, ""});

  return "Playlist popularity: " + Summary(popularity) + "\n\n" +
         RenderTextTable(display, {.footer_rows = 1});
}

Result<std::string> RenderPopularityHtml(const Table& table, const std::string& generated_at) {
  EARSHOT_ASSIGN_OR_RETURN(const Popularity popularity, ReadPopularity(table));

  std::string html =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>Playlist popularity</title>\n<style>";
  html += kStyle;
  html += "</style>\n</head>\n<body>\n<main>\n<h1>Playlist popularity</h1>\n<p class=\"meta\">";
  html += EscapeHtml(Summary(popularity));
  html += " &middot; generated " + EscapeHtml(generated_at) + "</p>\n";
  AppendChart(html, popularity);
  AppendTable(html, popularity);
  html += "</main>\n<script>";
  html += kScript;
  html += "</script>\n</body>\n</html>\n";
  return html;
}

}  // namespace earshot::reports
