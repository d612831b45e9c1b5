#include "reports/podcast_figures.h"

#include <gtest/gtest.h>

namespace earshot::reports {
namespace {

const std::string kDash(kNoFigure);

TEST(PodcastFiguresTest, Listens) {
  EXPECT_EQ(FormatListens(1234567.4), "1,234,567");
  EXPECT_EQ(FormatListens(1234567.5), "1,234,568");
  EXPECT_EQ(FormatListens(0.0), "0");
  EXPECT_EQ(FormatListens(999.5), "1,000");
  EXPECT_EQ(FormatListens(std::nullopt), kDash);
  EXPECT_EQ(FormatListensRange(1100.2, 1399.7), "1,100" + kDash + "1,400");
  EXPECT_EQ(FormatListensRange(std::nullopt, 1400.0), kDash);
  EXPECT_EQ(FormatListensRange(1100.0, std::nullopt), kDash);
}

TEST(PodcastFiguresTest, SharesAndGrowth) {
  EXPECT_EQ(FormatShare(0.5), "50.0%");
  EXPECT_EQ(FormatShare(0.0), "0.0%");
  EXPECT_EQ(FormatShare(std::nullopt), kDash);
  EXPECT_EQ(FormatGrowth(0.25), "+25.0%");
  EXPECT_EQ(FormatGrowth(-0.1), "-10.0%");
  EXPECT_EQ(FormatGrowth(0.0), "0.0%");
  EXPECT_EQ(FormatGrowth(0.0001), "0.0%");
  EXPECT_EQ(FormatGrowth(-0.0001), "0.0%");
  EXPECT_EQ(FormatGrowth(12.5), "+1,250.0%");
  EXPECT_EQ(FormatGrowth(std::nullopt), kDash);
}

TEST(PodcastFiguresTest, CountsFlagsAndNames) {
  EXPECT_EQ(FormatCount(12345), "12,345");
  EXPECT_EQ(FormatCount(std::nullopt), kDash);
  EXPECT_EQ(FormatYesNo(true), "yes");
  EXPECT_EQ(FormatYesNo(false), "no");
  EXPECT_EQ(FormatYesNo(std::nullopt), kDash);
  EXPECT_EQ(NameOrId("Deep Dive", "pod_03"), "Deep Dive");
  EXPECT_EQ(NameOrId(std::nullopt, "pod_03"), "pod_03");
  EXPECT_EQ(NameOrId("", "pod_03"), "pod_03");
  EXPECT_EQ(NameOrId(std::nullopt, std::nullopt), kDash);
}

TEST(PodcastFiguresTest, DisplayNamesKeepNamesakesApart) {
  const auto names = DisplayNames({{"Daily News", "p1"},
                                   {"Daily News", "p2"},
                                   {"Daily News", "p1"},  // the same podcast in another month
                                   {"Unique", "p3"},
                                   {std::nullopt, "p4"},
                                   {"", "p5"}});
  const std::map<std::string, std::string> expected = {
      {"p1", "Daily News (p1)"}, {"p2", "Daily News (p2)"}, {"p3", "Unique"}, {"p4", "p4"}, {"p5", "p5"}};
  EXPECT_EQ(names, expected);
  EXPECT_TRUE(DisplayNames({}).empty());
}

}  // namespace
}  // namespace earshot::reports
