#include "reports/podcast_report_page.h"

#include <algorithm>

#include "reports/html_escape.h"
#include "reports/number_format.h"
#include "reports/text_table.h"

namespace earshot::reports {
namespace {

bool IsNumeric(ValueKind kind) { return kind == ValueKind::kInteger || kind == ValueKind::kDecimal; }

std::size_t Shown(const ReportPage& page, std::size_t limit) { return std::min(limit, page.table.rows.size()); }

// "showing the first 20 of 42 rows", or "" when nothing was left out.
std::string LeftOutLine(const ReportPage& page, std::size_t limit) {
  const std::size_t shown = Shown(page, limit);
  if (shown == page.table.rows.size()) return "";
  return "showing the first " + FormatThousands(static_cast<std::int64_t>(shown)) + " of " +
         FormatThousands(static_cast<std::int64_t>(page.table.rows.size())) + " rows (--limit N shows more)";
}

constexpr std::string_view kPageStyle = R"css(
:root { --ink: #1f2933; --muted: #52606d; --rule: #d9e2ec; --accent: #c2410c; --soft: #fff4ec; }
* { box-sizing: border-box; }
body { margin: 0; background: #fff; color: var(--ink);
  font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", "Liberation Sans", sans-serif; }
main { max-width: 1000px; margin: 0 auto; padding: 24px; }
h1 { font-size: 1.5rem; margin: 0 0 4px; }
.meta { color: var(--muted); margin: 0 0 24px; font-size: 0.9rem; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
th, td { padding: 6px 10px; text-align: left; border-bottom: 1px solid var(--rule); }
thead th { border-bottom: 2px solid var(--ink); font-weight: 600; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.highlight td { background: var(--soft); }
tr.highlight td:first-child { box-shadow: inset 3px 0 0 var(--accent); }
.left-out, .empty { color: var(--muted); font-size: 0.9rem; }
.note { margin: 12px 0 0; padding: 8px 12px; background: #fffbea; border-left: 3px solid #d69e2e; font-size: 0.9rem; }
)css";

void AppendHtmlTable(std::string& html, const ReportPage& page, std::size_t limit) {
  const Table& table = page.table;
  html += "<table>\n<thead><tr>";
  for (const TableColumn& column : table.columns) {
    html += IsNumeric(column.kind) ? "<th class=\"num\">" : "<th>";
    html += EscapeHtml(column.name) + "</th>";
  }
  html += "</tr></thead>\n<tbody>\n";
  for (std::size_t r = 0; r < Shown(page, limit); ++r) {
    const bool highlight = r < page.highlighted.size() && page.highlighted[r];
    html += highlight ? "<tr class=\"highlight\">" : "<tr>";
    for (std::size_t c = 0; c < table.columns.size(); ++c) {
      const auto& cell = c < table.rows[r].size() ? table.rows[r][c] : std::nullopt;
      html += IsNumeric(table.columns[c].kind) ? "<td class=\"num\">" : "<td>";
      html += EscapeHtml(cell.value_or("")) + "</td>";
    }
    html += "</tr>\n";
  }
  html += "</tbody>\n</table>\n";
}

}  // namespace

std::string RenderPageText(const ReportPage& page, std::size_t limit) {
  std::string text = page.title + ": " + page.summary + "\n\n";
  if (page.table.rows.empty()) {
    text += page.empty_message + "\n";
  } else {
    Table shown{page.table.columns, {}};
    shown.rows.assign(page.table.rows.begin(),
                      page.table.rows.begin() + static_cast<std::ptrdiff_t>(Shown(page, limit)));
    text += RenderTextTable(shown);
    const std::string left_out = LeftOutLine(page, limit);
    if (!left_out.empty()) text += "(" + left_out + ")\n";
  }
  if (!page.notes.empty()) text += "\n";
  for (const std::string& note : page.notes) text += "Note: " + note + "\n";
  return text;
}

std::string RenderPageHtml(const ReportPage& page, std::size_t limit, const HtmlFigure& figure,
                           std::string_view generated_at) {
  const std::string title = EscapeHtml(page.title);
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
      title + "</title>\n<style>";
  html += kPageStyle;
  html += figure.css;
  html += "</style>\n</head>\n<body>\n<main>\n<h1>" + title + "</h1>\n<p class=\"meta\">" + EscapeHtml(page.summary) +
          " &middot; generated " + EscapeHtml(generated_at) + "</p>\n";
  html += figure.html;
  if (page.table.rows.empty()) {
    html += "<p class=\"empty\">" + EscapeHtml(page.empty_message) + "</p>\n";
  } else {
    AppendHtmlTable(html, page, limit);
    const std::string left_out = LeftOutLine(page, limit);
    if (!left_out.empty()) html += "<p class=\"left-out\">" + EscapeHtml(left_out) + "</p>\n";
  }
  for (const std::string& note : page.notes) html += "<p class=\"note\">" + EscapeHtml(note) + "</p>\n";
  html += "</main>\n";
  if (!figure.script.empty()) {
    html += "<script>";
    html += figure.script;
    html += "</script>\n";
  }
  html += "</body>\n</html>\n";
  return html;
}

}  // namespace earshot::reports
