// The shape every podcast report shares (internal to src/reports): a title,
// a one-line summary, one table of already formatted figures, and notes; set
// as terminal text or as a self-contained HTML page.
//
// A report (podcast_estimates_report.h, ...) reads its mart, decides the rows
// and how each figure looks, and fills a ReportPage; this file alone decides
// how pages look, so the four reports stay alike and the text and HTML forms
// of one report cannot disagree. The HTML page has no external resources
// (inline CSS, inline SVG, inline script) and every piece of data on it goes
// through EscapeHtml. Pure functions, thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/table.h"

namespace earshot::reports {

// Rows shown in a table or HTML report when --limit is not given.
inline constexpr std::size_t kDefaultShownRows = 20;

// What a podcast report is asked for.
struct PodcastReportOptions {
  std::string month;                 // 'YYYY-MM'; empty: the newest month in the mart
  std::optional<std::size_t> limit;  // rows shown; nullopt: kDefaultShownRows
};

inline std::size_t ShownRows(const PodcastReportOptions& options) { return options.limit.value_or(kDefaultShownRows); }

struct ReportPage {
  std::string title;    // "Podcast estimates, 2024-06"
  std::string summary;  // "42 podcasts, 1,234,567 estimated listens"
  // Every row of the report, best first, cells already formatted (a missing
  // figure is kNoFigure). kInteger / kDecimal columns are right-aligned.
  Table table;
  // Rows (by position in `table`) to set off: the rising podcasts.
  std::vector<bool> highlighted;
  std::vector<std::string> notes;  // shown after the table
  std::string empty_message;       // shown instead of the table when it has no rows
};

// A chart (or anything else) placed between the summary and the table.
struct HtmlFigure {
  std::string_view css;     // appended to the page's <style>
  std::string html;         // markup, already escaped
  std::string_view script;  // run by the page, after the markup
};

// Returns "title: summary", a blank line, the first `limit` rows as an
// aligned table (a line saying how many were left out, if any), then the
// notes, each line ending in '\n'.
std::string RenderPageText(const ReportPage& page, std::size_t limit);

// Returns a complete HTML5 page: the same title, summary, rows and notes,
// `figure` above the table, and "generated <generated_at>" in the header.
std::string RenderPageHtml(const ReportPage& page, std::size_t limit, const HtmlFigure& figure,
                           std::string_view generated_at);

}  // namespace earshot::reports
