#include "reports/podcast_creators_report.h"

#include <gtest/gtest.h>

#include "reports/podcast_test_fixtures.h"

namespace earshot::reports {
namespace {

using podcast_fixtures::Count;
using podcast_fixtures::CreatorsTable;

Table Creators() {
  return CreatorsTable({
      {"c2", "Bo <Host>", "2024-06", "2", "3000.0", "1500.0", "2"},
      {"c1", "Ann", "2024-06", "3", "4500.6", "1500.2", "1"},
      {"c3", std::nullopt, "2024-06", "1", "3000.0", "3000.0", "2"},
      {"c4", "Dee", "2024-06", "1", std::nullopt, std::nullopt, std::nullopt},
      {"c1", "Ann", "2024-05", "1", "100.0", "100.0", "1"},
  });
}

TEST(CreatorPopularityTextTest, Golden) {
  auto text = RenderCreatorPopularityText(Creators(), {});
  ASSERT_TRUE(text.ok()) << text.status().message();
  EXPECT_EQ(*text,
            "Creator popularity, 2024-06: 4 creators credited on episodes with listens\n"
            "\n"
            "rank | creator   | episodes | attributed listens | per episode\n"
            "-----+-----------+----------+--------------------+------------\n"
            "   1 | Ann       |        3 |              4,501 |       1,500\n"
            "   2 | Bo <Host> |        2 |              3,000 |       1,500\n"
            "   2 | c3        |        1 |              3,000 |       3,000\n"
            "   – | Dee       |        1 |                  – |           –\n"
            "\n"
            "Note: Every creator credited on an episode is attributed the episode's whole estimate, so attributed "
            "listens do not add up to the podcasts' listens.\n");
}

TEST(CreatorPopularityTextTest, MonthLimitAndErrors) {
  auto may = RenderCreatorPopularityText(Creators(), {.month = "2024-05"});
  ASSERT_TRUE(may.ok());
  EXPECT_EQ(may->rfind("Creator popularity, 2024-05: 1 creator credited", 0), 0u) << *may;
  auto top1 = RenderCreatorPopularityText(Creators(), {.limit = 1});
  ASSERT_TRUE(top1.ok());
  EXPECT_EQ(Count(*top1, "Bo <Host>"), 0u);
  EXPECT_NE(top1->find("showing the first 1 of 4 rows"), std::string::npos);
  EXPECT_FALSE(RenderCreatorPopularityText(Creators(), {.month = "2024-04"}).ok());
  Table broken = Creators();
  broken.columns[6].name = "ranking";
  EXPECT_FALSE(RenderCreatorPopularityText(broken, {}).ok());
  auto empty = RenderCreatorPopularityText(CreatorsTable({}), {});
  ASSERT_TRUE(empty.ok());
  EXPECT_NE(empty->find("creator_popularity is empty"), std::string::npos);
}

TEST(CreatorPopularityHtmlTest, TableOnlyEscaped) {
  auto html = RenderCreatorPopularityHtml(Creators(), {}, "now");
  ASSERT_TRUE(html.ok()) << html.status().message();
  EXPECT_EQ(Count(*html, "<svg"), 0u);
  EXPECT_EQ(Count(*html, "<script"), 0u);
  EXPECT_NE(html->find("<td>Bo &lt;Host&gt;</td>"), std::string::npos);
  EXPECT_EQ(Count(*html, "<tr>"), 5u);  // header and 4 creators
}

}  // namespace
}  // namespace earshot::reports
