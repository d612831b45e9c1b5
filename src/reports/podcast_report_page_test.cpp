#include "reports/podcast_report_page.h"

#include <gtest/gtest.h>

#include "reports/podcast_test_fixtures.h"

namespace earshot::reports {
namespace {

using podcast_fixtures::Count;

ReportPage SamplePage() {
  ReportPage page;
  page.title = "Things, 2024-04";
  page.summary = "3 things";
  page.table.columns = {{"#", ValueKind::kInteger}, {"name", ValueKind::kText}, {"listens", ValueKind::kDecimal}};
  page.table.rows = {{"1", "Alpha", "1,000"}, {"2", "<b>Beta</b> & 'co'", "900"}, {"3", "Gamma", "\xE2\x80\x93"}};
  page.highlighted = {false, true};
  page.notes = {"first note", "second <note>"};
  page.empty_message = "nothing here";
  return page;
}

TEST(PodcastReportPageTest, TextGolden) {
  EXPECT_EQ(RenderPageText(SamplePage(), 20),
            "Things, 2024-04: 3 things\n"
            "\n"
            "# | name               | listens\n"
            "--+--------------------+--------\n"
            "1 | Alpha              |   1,000\n"
            "2 | <b>Beta</b> & 'co' |     900\n"
            "3 | Gamma              |       \xE2\x80\x93\n"
            "\n"
            "Note: first note\n"
            "Note: second <note>\n");
}

TEST(PodcastReportPageTest, LimitCutsRowsAndSaysSo) {
  const auto lines = podcast_fixtures::Lines(RenderPageText(SamplePage(), 2));
  ASSERT_GE(lines.size(), 8u);
  EXPECT_EQ(lines[5].rfind("2 |", 0), 0u);
  EXPECT_EQ(lines[6], "(showing the first 2 of 3 rows (--limit N shows more))");
  // A limit beyond the rows shows them all, with no such line.
  EXPECT_EQ(Count(RenderPageText(SamplePage(), 3), "showing"), 0u);
  EXPECT_EQ(Count(RenderPageText(SamplePage(), 1000), "showing"), 0u);
}

TEST(PodcastReportPageTest, EmptyTableShowsTheMessage) {
  ReportPage page = SamplePage();
  page.table.rows.clear();
  page.notes.clear();
  EXPECT_EQ(RenderPageText(page, 20), "Things, 2024-04: 3 things\n\nnothing here\n");
  const std::string html = RenderPageHtml(page, 20, HtmlFigure{}, "now");
  EXPECT_NE(html.find("<p class=\"empty\">nothing here</p>"), std::string::npos);
  EXPECT_EQ(Count(html, "<table>"), 0u);
}

TEST(PodcastReportPageTest, HtmlEscapesEverythingAndMarksNumbersAndHighlights) {
  ReportPage page = SamplePage();
  page.title = "Things <script>alert(1)</script>";
  const std::string html = RenderPageHtml(page, 20, HtmlFigure{}, "2024-05-01 <now>");
  EXPECT_EQ(Count(html, "<script>alert"), 0u);
  EXPECT_EQ(Count(html, "<title>Things &lt;script&gt;alert(1)&lt;/script&gt;</title>"), 1u);
  EXPECT_NE(html.find("<td>&lt;b&gt;Beta&lt;/b&gt; &amp; &#39;co&#39;</td>"), std::string::npos);
  EXPECT_NE(html.find("generated 2024-05-01 &lt;now&gt;"), std::string::npos);
  EXPECT_NE(html.find("<p class=\"note\">second &lt;note&gt;</p>"), std::string::npos);
  EXPECT_EQ(Count(html, "<th class=\"num\">"), 2u);
  EXPECT_EQ(Count(html, "<td class=\"num\">"), 6u);
  EXPECT_EQ(Count(html, "<tr class=\"highlight\">"), 1u);
  EXPECT_NE(html.find("<tr class=\"highlight\"><td class=\"num\">2</td>"), std::string::npos);
  EXPECT_EQ(Count(html, "<script>"), 0u) << "no figure, no script";
}

TEST(PodcastReportPageTest, HtmlPlacesTheFigureAndIsSelfContained) {
  const std::string html = RenderPageHtml(SamplePage(), 2, HtmlFigure{".x{}", "<figure>F</figure>\n", "go();"}, "now");
  ASSERT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_LT(html.find(".x{}"), html.find("</style>"));
  EXPECT_LT(html.find("<figure>F</figure>"), html.find("<table>"));
  EXPECT_NE(html.find("<script>go();</script>"), std::string::npos);
  EXPECT_EQ(Count(html, "<tr>") + Count(html, "<tr class="), 3u) << "header and 2 rows";
  EXPECT_NE(html.find("showing the first 2 of 3 rows"), std::string::npos);
  for (const char* external : {"src=", "href=", "@import", "url(", "http:", "https:"}) {
    EXPECT_EQ(Count(html, external), 0u) << external;
  }
}

}  // namespace
}  // namespace earshot::reports
