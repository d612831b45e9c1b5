#include "reports/podcast_trends_report.h"

#include <gtest/gtest.h>

#include "reports/podcast_test_fixtures.h"

namespace earshot::reports {
namespace {

using podcast_fixtures::CellsOf;
using podcast_fixtures::Count;
using podcast_fixtures::Lines;
using podcast_fixtures::TrendsTable;

std::string TextOrFail(const Table& table, const PodcastReportOptions& options = {}) {
  auto text = RenderPodcastTrendsText(table, options);
  EXPECT_TRUE(text.ok()) << text.status().message();
  return text.ok() ? text.value() : "";
}

TEST(PodcastTrendsTextTest, GoldenRisersFirstUnrankedLast) {
  const Table table = TrendsTable({
      {"p1", "Alpha", "2024-06", "1000.0", "0.05", "0.0412", "2"},
      {"p2", "Beta", "2024-06", "2500.0", std::nullopt, std::nullopt, std::nullopt},
      {"p3", std::nullopt, "2024-06", "1500.0", "-0.25", "-0.1", "3"},
      {"p4", "Delta", "2024-06", "900.0", "1.5", "0.8", "1"},
      {"p5", "Epsilon", "2024-06", std::nullopt, std::nullopt, std::nullopt, std::nullopt},
      {"p1", "Alpha", "2024-05", "952.4", "0.1", std::nullopt, std::nullopt},
  });
  EXPECT_EQ(TextOrFail(table),
            "Podcast trends, 2024-06: 3 of 5 podcasts ranked; fastest riser Delta (+80.0% a month)\n"
            "\n"
            "rank | podcast | estimated listens | vs previous month | 3-month trend\n"
            "-----+---------+-------------------+-------------------+--------------\n"
            "   1 | Delta   |               900 |           +150.0% |        +80.0%\n"
            "   2 | Alpha   |             1,000 |             +5.0% |         +4.1%\n"
            "   3 | p3      |             1,500 |            -25.0% |        -10.0%\n"
            "   – | Beta    |             2,500 |                 – |             –\n"
            "   – | Epsilon |                 – |                 – |             –\n"
            "\n"
            "Note: 3-month trend: the monthly growth rate of the least-squares fit through this month's estimate "
            "and the two months before. Podcasts without a rank (–) are below the estimate floor or lack three "
            "months of estimates.\n");
}

TEST(PodcastTrendsTextTest, FixtureTiesKeepTheirRankAndAnEarlierMonthHasNone) {
  const auto lines = Lines(TextOrFail(podcast_fixtures::FixtureTrends()));
  ASSERT_GE(lines.size(), 16u);
  EXPECT_EQ(lines[0], "Podcast trends, 2024-04: 10 of 12 podcasts ranked; fastest riser Small Riser (+100.0% a month)");
  EXPECT_EQ(CellsOf(lines[11])[0], "8");
  EXPECT_EQ(CellsOf(lines[12])[0], "8");
  EXPECT_EQ(CellsOf(lines[13])[0], "10");

  const std::string march = TextOrFail(podcast_fixtures::FixtureTrends(), {.month = "2024-03", .limit = 2});
  EXPECT_EQ(march.rfind("Podcast trends, 2024-03: 0 of 11 podcasts ranked\n", 0), 0u) << march;
  EXPECT_EQ(CellsOf(Lines(march)[4])[1], "The Daily Drive") << "unranked: biggest first";
  EXPECT_NE(march.find("showing the first 2 of 11 rows"), std::string::npos);
}

TEST(PodcastTrendsTextTest, BadInput) {
  EXPECT_FALSE(RenderPodcastTrendsText(podcast_fixtures::FixtureTrends(), {.month = "2023-12"}).ok());
  Table bad = TrendsTable({{"p1", "A", "2024-06", "1000.0", "5%", std::nullopt, std::nullopt}});
  auto failed = RenderPodcastTrendsText(bad, {});
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().message(), "podcast_trends row 1, column mom_growth: '5%' is not a number");
  EXPECT_NE(TextOrFail(TrendsTable({})).find("podcast_trends is empty"), std::string::npos);
}

TEST(PodcastTrendsHtmlTest, ChartAndRisersFromTheTrendsAlone) {
  auto html = RenderPodcastTrendsHtml(podcast_fixtures::FixtureTrends(), {}, "now");
  ASSERT_TRUE(html.ok()) << html.status().message();
  EXPECT_EQ(Count(*html, "<h1>Podcast trends, 2024-04</h1>"), 1u);
  EXPECT_NE(html->find("(log scale: equal slopes, equal growth)"), std::string::npos);
  EXPECT_EQ(Count(*html, "<g class=\"series"), 10u);
  EXPECT_EQ(Count(*html, "<g class=\"series rising\""), 5u);
  EXPECT_EQ(Count(*html, "<tr class=\"highlight\">"), 5u);
  // The risers are the first five lines of the table.
  EXPECT_NE(html->find("<tr class=\"highlight\"><td class=\"num\">5</td><td>Morning Murmurs</td>"), std::string::npos);
  EXPECT_NE(html->find("<tr><td class=\"num\">6</td><td>The Daily Drive</td>"), std::string::npos);
  EXPECT_NE(html->find("<td class=\"num\">+100.0%</td>"), std::string::npos);
}

}  // namespace
}  // namespace earshot::reports
