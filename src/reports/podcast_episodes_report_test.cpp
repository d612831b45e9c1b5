#include "reports/podcast_episodes_report.h"

#include <gtest/gtest.h>

#include "reports/podcast_test_fixtures.h"

namespace earshot::reports {
namespace {

using podcast_fixtures::CellsOf;
using podcast_fixtures::Count;
using podcast_fixtures::EpisodesTable;
using podcast_fixtures::Lines;

Table Episodes() {
  return EpisodesTable({
      {"e1", "pod_01", "Pilot", "2024-03-01", "400", "0.4", "1000.0", "true"},
      {"e2", "pod_01", std::nullopt, "2024-05-20 14:30:00", "50", "0.1", "500.0", "false"},
      {"e3", "pod_02", "Big <one>", "2024-04-02T09:00:00", "3000", "0.5", "6000.4", "true"},
      {"e4", "pod_02", "Unheard", "2024-05-28", "0", "0.0", std::nullopt, "false"},
      {"e5", "pod_03", "Same", "2024-04-10", "200", "0.4", "500.0", "true"},
  });
}

TEST(EpisodeFirst30DaysTextTest, GoldenMostListenedFirst) {
  auto text = RenderEpisodeFirst30DaysText(Episodes(), {});
  ASSERT_TRUE(text.ok()) << text.status().message();
  EXPECT_EQ(*text,
            "Episodes' first 30 days: 5 episodes, 3 with a complete 30-day window\n"
            "\n"
            "episode   | podcast | published  | estimated listens | observed | coverage | window complete\n"
            "----------+---------+------------+-------------------+----------+----------+----------------\n"
            "Big <one> | pod_02  | 2024-04-02 |             6,000 |    3,000 |    50.0% | yes\n"
            "Pilot     | pod_01  | 2024-03-01 |             1,000 |      400 |    40.0% | yes\n"
            "Same      | pod_03  | 2024-04-10 |               500 |      200 |    40.0% | yes\n"
            "e2        | pod_01  | 2024-05-20 |               500 |       50 |    10.0% | no\n"
            "Unheard   | pod_02  | 2024-05-28 |                 – |        0 |     0.0% | no\n"
            "\n"
            "Note: Episodes with a complete window come first. An incomplete window (its 30 days are not over, or "
            "not every episode-level provider with daily or instant delivery has delivered them) is estimated from "
            "the days covered so far and can still change a lot.\n");
}

TEST(EpisodeFirst30DaysTextTest, AProjectedEstimateDoesNotJumpTheQueue) {
  const Table table = EpisodesTable({
      {"young", "pod_01", "Young", "2024-05-30", "10", "0.01", "1000000.0", "false"},
      {"old", "pod_01", "Old", "2024-01-01", "500", "0.5", "1000.0", "true"},
      {"unknown", "pod_01", "Unknown", "2024-02-01", "5", "0.5", "10.0", std::nullopt},
  });
  auto text = RenderEpisodeFirst30DaysText(table, {});
  ASSERT_TRUE(text.ok()) << text.status().message();
  const auto lines = Lines(*text);
  ASSERT_GE(lines.size(), 7u);
  EXPECT_EQ(CellsOf(lines[4])[0], "Old");
  EXPECT_EQ(CellsOf(lines[5])[0], "Young");
  EXPECT_EQ(CellsOf(lines[6])[0], "Unknown");
  EXPECT_EQ(CellsOf(lines[6])[6], "\xE2\x80\x93");
}

TEST(EpisodeFirst30DaysTextTest, LimitCompleteWindowsAndErrors) {
  auto top2 = RenderEpisodeFirst30DaysText(Episodes(), {.limit = 2});
  ASSERT_TRUE(top2.ok());
  const auto lines = Lines(*top2);
  ASSERT_GE(lines.size(), 7u);
  EXPECT_EQ(CellsOf(lines[5])[0], "Pilot");
  EXPECT_EQ(lines[6], "(showing the first 2 of 5 rows (--limit N shows more))");

  auto complete = RenderEpisodeFirst30DaysText(
      EpisodesTable({{"e1", "pod_01", "Pilot", "2024-03-01", "400", "0.4", "1000.0", "true"}}), {});
  ASSERT_TRUE(complete.ok());
  EXPECT_EQ(Count(*complete, "Note:"), 0u);
  EXPECT_EQ(complete->rfind("Episodes' first 30 days: 1 episode, 1 with a complete 30-day window\n", 0), 0u);

  Table bad = Episodes();
  bad.rows[0][7] = "perhaps";
  auto failed = RenderEpisodeFirst30DaysText(bad, {});
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().message(),
            "episode_first_30_days row 1, column window_complete: 'perhaps' is not true or false");
}

TEST(EpisodeFirst30DaysHtmlTest, TableOnlyEscaped) {
  auto html = RenderEpisodeFirst30DaysHtml(Episodes(), {}, "now");
  ASSERT_TRUE(html.ok()) << html.status().message();
  EXPECT_EQ(Count(*html, "<svg"), 0u);
  EXPECT_NE(html->find("<td>Big &lt;one&gt;</td>"), std::string::npos);
  auto empty = RenderEpisodeFirst30DaysHtml(EpisodesTable({}), {}, "now");
  ASSERT_TRUE(empty.ok());
  EXPECT_NE(empty->find("episode_first_30_days is empty"), std::string::npos);
}

}  // namespace
}  // namespace earshot::reports
