#include "reports/podcast_estimates_report.h"

#include <gtest/gtest.h>

#include "reports/podcast_test_fixtures.h"

namespace earshot::reports {
namespace {

using podcast_fixtures::CellsOf;
using podcast_fixtures::Count;
using podcast_fixtures::EstimatesTable;
using podcast_fixtures::Lines;

const std::string kDash = "\xE2\x80\x93";

std::string TextOrFail(const Table& table, const PodcastReportOptions& options = {}) {
  auto text = RenderPodcastEstimatesText(table, options);
  EXPECT_TRUE(text.ok()) << text.status().message();
  return text.ok() ? text.value() : "";
}

// Two months; in 2024-06 one podcast has no catalog title, one has a single
// provider (no range) and one no coverage (no estimate); 2024-06 is open.
Table SmallMart() {
  return EstimatesTable({
      {"p1", "Alpha", "2024-05", "500", "0.5", "1000.0", "900.0", "1100.0", "5", "true"},
      {"p3", std::nullopt, "2024-06", "0", "0.0", std::nullopt, std::nullopt, std::nullopt, "0", "false"},
      {"p2", std::nullopt, "2024-06", "617", "0.1", "6170.0", std::nullopt, std::nullopt, "1", "false"},
      {"p1", "Alpha", "2024-06", "617284", "0.5", "1234567.6", "1100000.4", "1369135.2", "5", "false"},
  });
}

TEST(PodcastEstimatesTextTest, GoldenNewestMonth) {
  EXPECT_EQ(TextOrFail(SmallMart()),
            "Podcast estimates, 2024-06: 3 podcasts, 1,240,738 estimated listens\n"
            "\n"
            "# | podcast | estimated listens |         range (95%) | observed | coverage | providers\n"
            "--+---------+-------------------+---------------------+----------+----------+----------\n"
            "1 | Alpha   |         1,234,568 | 1,100,000–1,369,135 |  617,284 |    50.0% |         5\n"
            "2 | p2      |             6,170 |                   – |      617 |    10.0% |         1\n"
            "3 | p3      |                 – |                   – |        0 |     0.0% |         0\n"
            "\n"
            "Note: 2024-06 is not complete: not every provider has delivered the whole month yet, so these "
            "estimates can still change.\n"
            "Note: No estimate (–) where no provider covered the podcast this month.\n"
            "Note: No range (–) where fewer than two providers reported the month.\n");
}

TEST(PodcastEstimatesTextTest, AnEarlierCompleteMonthHasNoNotes) {
  const std::string text = TextOrFail(SmallMart(), {.month = "2024-05"});
  EXPECT_EQ(text.rfind("Podcast estimates, 2024-05: 1 podcast, 1,000 estimated listens\n", 0), 0u) << text;
  EXPECT_EQ(Count(text, "Note:"), 0u) << text;
  EXPECT_NE(text.find("1 | Alpha   |             1,000 |   900–1,100 |"), std::string::npos) << text;
}

TEST(PodcastEstimatesTextTest, MonthsTheMartDoesNotHaveAreRefused) {
  for (const char* month : {"2024-07", "2024-6", "june"}) {
    auto text = RenderPodcastEstimatesText(SmallMart(), {.month = month});
    ASSERT_FALSE(text.ok()) << month;
    EXPECT_EQ(text.status().code(), StatusCode::kInvalidArgument) << month;
  }
  auto missing = RenderPodcastEstimatesText(SmallMart(), {.month = "2024-07"});
  EXPECT_NE(missing.status().message().find("podcast_monthly_estimates has no rows for 2024-07"), std::string::npos);
}

TEST(PodcastEstimatesTextTest, FixtureBiggestFirstNullsLastLimitApplied) {
  const auto all = Lines(TextOrFail(podcast_fixtures::FixtureEstimates()));
  ASSERT_GE(all.size(), 16u);
  EXPECT_EQ(all[0], "Podcast estimates, 2024-04: 12 podcasts, 598,000 estimated listens");
  const std::vector<std::string> order = {"The Daily Drive", "Morning Murmurs", "Deep Dive <Science> & \"Co\"",
                                          "Comedy Hour",     "pod_orphan",      "Tech Talk",
                                          "History Lane",    "Garden Hour",     "Quiet Show",
                                          "Small Riser",     "Solo Provider",   "No Coverage"};
  for (std::size_t i = 0; i < order.size(); ++i) {
    const auto cells = CellsOf(all[4 + i]);
    ASSERT_EQ(cells.size(), 7u) << all[4 + i];
    EXPECT_EQ(cells[0], std::to_string(i + 1));
    EXPECT_EQ(cells[1], order[i]);
  }
  EXPECT_EQ(CellsOf(all[4 + 10])[3], kDash) << "Solo Provider: one provider, no range";
  EXPECT_EQ(CellsOf(all[4 + 11])[2], kDash) << "No Coverage: no estimate";

  const auto top3 = Lines(TextOrFail(podcast_fixtures::FixtureEstimates(), {.limit = 3}));
  ASSERT_GE(top3.size(), 8u);
  EXPECT_EQ(CellsOf(top3[6])[1], "Deep Dive <Science> & \"Co\"");
  EXPECT_EQ(top3[7], "(showing the first 3 of 12 rows (--limit N shows more))");
}

TEST(PodcastEstimatesTextTest, EmptyMartAndBadInput) {
  EXPECT_EQ(TextOrFail(EstimatesTable({})),
            "Podcast estimates: 0 podcasts, 0 estimated listens\n\npodcast_monthly_estimates is empty: ingest "
            "provider deliveries, then run `earshot build`.\n");

  Table missing = SmallMart();
  missing.columns[9].name = "complete";
  auto no_column = RenderPodcastEstimatesText(missing, {});
  ASSERT_FALSE(no_column.ok());
  EXPECT_NE(no_column.status().message().find("missing column 'month_complete'"), std::string::npos);

  Table bad = SmallMart();
  bad.rows[2][8] = "several";
  auto bad_value = RenderPodcastEstimatesText(bad, {});
  ASSERT_FALSE(bad_value.ok());
  EXPECT_EQ(bad_value.status().message(),
            "podcast_monthly_estimates row 3, column providers_reporting: 'several' is not a whole number");
}

TEST(PodcastEstimatesTextTest, NamesakesAreToldApartByTheirIds) {
  const Table table = EstimatesTable({
      {"p1", "Daily News", "2024-06", "50", "0.5", "100.0", std::nullopt, std::nullopt, "1", "true"},
      {"p2", "Daily News", "2024-06", "40", "0.5", "80.0", std::nullopt, std::nullopt, "1", "true"},
      {"p3", "Other", "2024-06", "40", "0.5", "60.0", std::nullopt, std::nullopt, "1", "true"},
  });
  const auto lines = Lines(TextOrFail(table));
  ASSERT_GE(lines.size(), 7u);
  EXPECT_EQ(CellsOf(lines[4])[1], "Daily News (p1)");
  EXPECT_EQ(CellsOf(lines[5])[1], "Daily News (p2)");
  EXPECT_EQ(CellsOf(lines[6])[1], "Other");
}

std::string HtmlOrFail(const Table& estimates, const Table& trends, const PodcastReportOptions& options = {}) {
  auto html = RenderPodcastEstimatesHtml(estimates, trends, options, "2024-05-01 12:00:00 UTC");
  EXPECT_TRUE(html.ok()) << html.status().message();
  return html.ok() ? html.value() : "";
}

TEST(PodcastEstimatesHtmlTest, ChartOverAllMonthsRisersHighlightedTableOfTheMonth) {
  const std::string html = HtmlOrFail(podcast_fixtures::FixtureEstimates(), podcast_fixtures::FixtureTrends());
  EXPECT_EQ(Count(html, "<h1>Podcast estimates, 2024-04</h1>"), 1u);
  EXPECT_EQ(Count(html, "<g class=\"series"), 10u);
  EXPECT_EQ(Count(html, "<g class=\"series rising\""), 5u);
  EXPECT_EQ(Count(html, "<circle class=\"point\" data-month=\"2024-01\""), 10u);
  // Table: the 12 podcasts of 2024-04; the five risers highlighted.
  EXPECT_EQ(Count(html, "<tr class=\"highlight\">"), 5u);
  EXPECT_EQ(Count(html, "<tr><td class=\"num\">"), 7u);
  EXPECT_NE(html.find("<tr class=\"highlight\"><td class=\"num\">2</td><td>Morning Murmurs</td>"), std::string::npos);
  EXPECT_NE(html.find("<td>Deep Dive &lt;Science&gt; &amp; &quot;Co&quot;</td>"), std::string::npos);
  EXPECT_EQ(Count(html, "<Science>"), 0u);
  EXPECT_NE(html.find("2024-04 is not complete"), std::string::npos);
  EXPECT_NE(html.find("generated 2024-05-01 12:00:00 UTC"), std::string::npos);
  for (const char* external : {" src=", " href=", "@import", "url(", "https:"}) {
    EXPECT_EQ(Count(html, external), 0u) << external;
  }
}

TEST(PodcastEstimatesHtmlTest, WithoutTrendsThereAreNoRisers) {
  const std::string html = HtmlOrFail(podcast_fixtures::FixtureEstimates(), podcast_fixtures::TrendsTable({}));
  EXPECT_EQ(Count(html, "<g class=\"series"), 8u);
  EXPECT_EQ(Count(html, "data-rising=\"true\""), 0u);
  EXPECT_EQ(Count(html, "<span class=\"badge\">"), 0u);
  EXPECT_EQ(Count(html, "<tr class=\"highlight\">"), 0u);
}

TEST(PodcastEstimatesHtmlTest, EmptyMartAndBrokenTrends) {
  const std::string html = HtmlOrFail(EstimatesTable({}), podcast_fixtures::TrendsTable({}));
  EXPECT_EQ(Count(html, "<svg"), 0u);
  EXPECT_NE(html.find("podcast_monthly_estimates is empty"), std::string::npos);

  Table trends = podcast_fixtures::FixtureTrends();
  trends.columns.pop_back();
  auto failed = RenderPodcastEstimatesHtml(podcast_fixtures::FixtureEstimates(), trends, {}, "now");
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.status().message().find("podcast_trends report: missing column 'trend_rank'"), std::string::npos);
}

}  // namespace
}  // namespace earshot::reports
