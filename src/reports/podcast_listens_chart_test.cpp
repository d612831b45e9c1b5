#include "reports/podcast_listens_chart.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "reports/podcast_marts.h"
#include "reports/podcast_test_fixtures.h"

namespace earshot::reports {
namespace {

using podcast_fixtures::Count;

// The opening tags in `html` that start with `prefix`.
std::vector<std::string> Tags(const std::string& html, const std::string& prefix) {
  std::vector<std::string> tags;
  for (std::size_t at = html.find(prefix); at != std::string::npos; at = html.find(prefix, at + 1)) {
    tags.push_back(html.substr(at, html.find('>', at) - at + 1));
  }
  return tags;
}

std::string Attribute(const std::string& tag, const std::string& name) {
  const std::string key = " " + name + "=\"";
  const std::size_t start = tag.find(key);
  if (start == std::string::npos) return "<none>";
  const std::size_t value = start + key.size();
  return tag.substr(value, tag.find('"', value) - value);
}

std::vector<PodcastTrendRow> FixtureTrendRows() {
  auto rows = ReadPodcastTrends(podcast_fixtures::FixtureTrends());
  EXPECT_TRUE(rows.ok()) << rows.status().message();
  return rows.ok() ? rows.value() : std::vector<PodcastTrendRow>{};
}

std::string FixtureChart(const std::string& month = podcast_fixtures::kFixtureMonth) {
  const auto rows = FixtureTrendRows();
  auto figure = RenderListensChart(ListensHistory(rows, PodcastNames(rows)), month, TrendRanks(rows, month));
  EXPECT_TRUE(figure.ok()) << figure.status().message();
  return figure.ok() ? figure->html : "";
}

TEST(PodcastListensChartTest, TrendRanksOfTheMonthAndRisers) {
  const auto ranks = TrendRanks(FixtureTrendRows(), "2024-04");
  EXPECT_EQ(ranks.size(), 10u);
  EXPECT_EQ(ranks.at("pod_09"), 1);
  EXPECT_EQ(ranks.count("pod_07"), 0u);
  EXPECT_TRUE(IsRising(ranks, "pod_02"));   // #5
  EXPECT_FALSE(IsRising(ranks, "pod_01"));  // #6
  EXPECT_FALSE(IsRising(ranks, "pod_07"));  // unranked
  EXPECT_FALSE(IsRising(ranks, std::nullopt));
  EXPECT_TRUE(TrendRanks(FixtureTrendRows(), "2024-03").empty());
}

TEST(PodcastListensChartTest, TopPodcastsPlusEveryRiserHighlighted) {
  const std::string html = FixtureChart();
  std::map<std::string, std::string> rising;
  for (const std::string& tag : Tags(html, "<g class=\"series"))
    rising[Attribute(tag, "data-podcast")] = Attribute(tag, "data-rising");
  // The top 8 of 2024-04 by estimate, then the two small risers.
  const std::map<std::string, std::string> expected = {
      {"pod_01", "false"}, {"pod_02", "true"},  {"pod_03", "true"},  {"pod_04", "false"}, {"pod_orphan", "true"},
      {"pod_06", "false"}, {"pod_07", "false"}, {"pod_08", "false"}, {"pod_09", "true"},  {"pod_12", "true"}};
  EXPECT_EQ(rising, expected);
  EXPECT_EQ(Count(html, "<g class=\"series rising\""), 5u);
  // The legend, biggest first, badges the risers with their rank.
  const auto legend = Tags(html, "<li data-podcast=");
  ASSERT_EQ(legend.size(), 10u);
  EXPECT_EQ(Attribute(legend[0], "data-podcast"), "pod_01");
  EXPECT_EQ(Attribute(legend[9], "data-podcast"), "pod_12");
  EXPECT_EQ(Count(html, "<span class=\"badge\">"), 5u);
  EXPECT_NE(html.find("Small Riser <span class=\"badge\">rising #1</span>"), std::string::npos);
  EXPECT_NE(html.find("pod_orphan <span class=\"badge\">rising #2</span>"), std::string::npos);
  // Titles are escaped wherever they appear.
  EXPECT_EQ(Count(html, "<Science>"), 0u);
  EXPECT_NE(html.find("Deep Dive &lt;Science&gt; &amp; &quot;Co&quot;"), std::string::npos);
}

TEST(PodcastListensChartTest, PointsFollowTheEstimatesAndGapsBreakTheLine) {
  const std::string html = FixtureChart();
  const auto svg = Tags(html, "<svg");
  ASSERT_EQ(svg.size(), 1u);
  EXPECT_EQ(Attribute(svg[0], "data-month"), "2024-04");
  std::string history_lane;
  for (const std::string& tag : Tags(html, "<g class=\"series")) {
    if (Attribute(tag, "data-podcast") == "pod_07") history_lane = tag;
  }
  EXPECT_EQ(Attribute(history_lane, "data-points"), "2024-01=40000;2024-02=40000;2024-04=45000");
  const std::size_t start = html.find(history_lane);
  const std::string path = Attribute(Tags(html.substr(start), "<path")[0], "d");
  EXPECT_EQ(Count(path, "M"), 2u) << path;  // no line through the missing month
  EXPECT_EQ(Count(path, "L"), 1u) << path;

  // In the chosen month, a bigger estimate sits higher (smaller y).
  std::vector<std::pair<double, double>> listens_and_y;
  for (const std::string& tag : Tags(html, "<circle class=\"point\" data-month=\"2024-04\"")) {
    listens_and_y.emplace_back(std::stod(Attribute(tag, "data-listens")), std::stod(Attribute(tag, "cy")));
  }
  ASSERT_EQ(listens_and_y.size(), 10u);
  std::sort(listens_and_y.begin(), listens_and_y.end());
  for (std::size_t i = 1; i < listens_and_y.size(); ++i) {
    EXPECT_LT(listens_and_y[i].second, listens_and_y[i - 1].second) << listens_and_y[i].first;
  }
  // Four months on the axis, the chosen one marked.
  for (const char* month : {">2024-01<", ">2024-02<", ">2024-03<", ">2024-04<"}) EXPECT_EQ(Count(html, month), 1u);
  EXPECT_EQ(Count(html, "<line class=\"chosen\""), 1u);
}

TEST(PodcastListensChartTest, AnEarlierMonthStillSpansTheWholeHistory) {
  const std::string html = FixtureChart("2024-02");
  // The top 8 of 2024-02 and no risers (no ranks in 2024-02), drawn to 2024-04.
  EXPECT_EQ(Count(html, "<g class=\"series"), 8u);
  EXPECT_EQ(Count(html, "<g class=\"series rising\""), 0u);
  EXPECT_EQ(Count(html, "<circle class=\"point\" data-month=\"2024-04\""), 8u);
}

TEST(PodcastListensChartTest, MissingCalendarMonthsGetAPlaceOnTheAxis) {
  const std::vector<ListensPoint> history = {{"a", "A", "2023-11", 10.0}, {"a", "A", "2024-02", 40.0}};
  auto figure = RenderListensChart(history, "2024-02", {});
  ASSERT_TRUE(figure.ok()) << figure.status().message();
  for (const char* month : {">2023-11<", ">2023-12<", ">2024-01<", ">2024-02<"}) {
    EXPECT_EQ(Count(figure->html, month), 1u) << month;
  }
  // Adjacent rows in the data, but months apart on the calendar: no line joins them.
  EXPECT_EQ(Count(figure->html, " L"), 0u);
  EXPECT_EQ(Count(figure->html, "<circle class=\"point\""), 2u);
}

TEST(PodcastListensChartTest, LogScaleSpacesDecadesEquallyAndSkipsZeros) {
  const std::vector<ListensPoint> history = {{"big", "Big", "2024-01", 100000.0}, {"big", "Big", "2024-02", 100000.0},
                                             {"mid", "Mid", "2024-01", 1000.0},   {"mid", "Mid", "2024-02", 1000.0},
                                             {"small", "Small", "2024-01", 0.0},  {"small", "Small", "2024-02", 10.0}};
  auto figure = RenderListensChart(history, "2024-02", {}, ChartScale::kLog);
  ASSERT_TRUE(figure.ok()) << figure.status().message();
  const std::string& html = figure->html;
  EXPECT_NE(html.find("log scale"), std::string::npos);
  std::map<std::string, double> y;
  for (const std::string& tag : Tags(html, "<circle class=\"point\" data-month=\"2024-02\"")) {
    y[Attribute(tag, "data-listens")] = std::stod(Attribute(tag, "cy"));
  }
  ASSERT_EQ(y.size(), 3u) << html;
  // 10 -> 1,000 and 1,000 -> 100,000 are both two decades: the same height.
  EXPECT_NEAR(y["10"] - y["1000"], y["1000"] - y["100000"], 0.2);
  EXPECT_GT(y["1000"] - y["100000"], 50.0);
  // A 0 has no place on a log scale: left out, like a missing month.
  EXPECT_EQ(Count(html, "data-month=\"2024-01\" data-listens=\"0\""), 0u);
  for (const char* tick : {">10<", ">100<", ">1,000<", ">10,000<", ">100,000<"})
    EXPECT_EQ(Count(html, tick), 1u) << tick;
}

TEST(PodcastListensChartTest, NothingToDrawAndBadMonths) {
  EXPECT_TRUE(RenderListensChart({}, "", {})->html.empty());
  const std::vector<ListensPoint> no_estimate = {{"a", "A", "2024-02", std::nullopt}};
  auto empty = RenderListensChart(no_estimate, "2024-02", {});
  ASSERT_TRUE(empty.ok());
  EXPECT_NE(empty->html.find("No podcast has an estimate for 2024-02."), std::string::npos);
  EXPECT_EQ(Count(empty->html, "<svg"), 0u);

  const std::vector<ListensPoint> bad = {{"a", "A", "2024-02", 5.0}, {"a", "A", "Feb 2024", 6.0}};
  auto failed = RenderListensChart(bad, "2024-02", {});
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().code(), StatusCode::kDataError);
}

TEST(PodcastListensChartTest, IdsAreEscapedInDataAttributes) {
  const std::vector<ListensPoint> history = {{"x\" onload=\"alert(1)", "<i>X</i>", "2024-02", 5.0}};
  auto figure = RenderListensChart(history, "2024-02", {{"x\" onload=\"alert(1)", 1}});
  ASSERT_TRUE(figure.ok());
  EXPECT_EQ(Count(figure->html, "onload=\""), 0u);
  EXPECT_EQ(Count(figure->html, "<i>"), 0u);
  EXPECT_EQ(Count(figure->html, "data-podcast=\"x&quot; onload=&quot;alert(1)\""), 2u);  // line and legend
}

}  // namespace
}  // namespace earshot::reports
