#include "reports/podcast_mart_reader.h"

#include <gtest/gtest.h>

#include <array>

#include "reports/podcast_marts.h"
#include "reports/podcast_test_fixtures.h"

namespace earshot::reports {
namespace {

struct NumberCase {
  std::optional<std::string> cell;
  bool ok;
  std::optional<double> value;
};

TEST(PodcastMartReaderTest, NumberCells) {
  const NumberCase cases[] = {
      {"1234.5", true, 1234.5}, {"0", true, 0.0},   {"-3", true, -3.0},   {"1e+06", true, 1e6},
      {std::nullopt, true, {}}, {"nan", true, {}},  {"inf", true, {}},    {"-inf", true, {}},
      {"", false, {}},          {"12 ", false, {}}, {"1,234", false, {}}, {"abc", false, {}},
  };
  for (const auto& c : cases) {
    const auto parsed = ParseNumberCell(c.cell, "m row 1, column x");
    ASSERT_EQ(parsed.ok(), c.ok) << c.cell.value_or("NULL");
    if (c.ok) {
      EXPECT_EQ(parsed.value(), c.value) << c.cell.value_or("NULL");
    } else {
      EXPECT_EQ(parsed.status().code(), StatusCode::kDataError);
      EXPECT_NE(parsed.status().message().find("m row 1, column x: '" + *c.cell + "' is not a number"),
                std::string::npos)
          << parsed.status().message();
    }
  }
}

TEST(PodcastMartReaderTest, CountAndFlagCells) {
  EXPECT_EQ(ParseCountCell("17", "w").value(), std::optional<std::int64_t>(17));
  EXPECT_EQ(ParseCountCell("17.0", "w").value(), std::optional<std::int64_t>(17));
  EXPECT_EQ(ParseCountCell(std::nullopt, "w").value(), std::nullopt);
  EXPECT_FALSE(ParseCountCell("1.5", "w").ok());
  EXPECT_FALSE(ParseCountCell("1e300", "w").ok());
  EXPECT_FALSE(ParseCountCell("two", "w").ok());
  EXPECT_FALSE(ParseCountCell("nan", "w").ok());
  EXPECT_FALSE(ParseCountCell("inf", "w").ok());
  EXPECT_EQ(ParseCountCell("x", "w").status().message(), "w: 'x' is not a whole number");

  EXPECT_EQ(ParseFlagCell("true", "w").value(), std::optional<bool>(true));
  EXPECT_EQ(ParseFlagCell("false", "w").value(), std::optional<bool>(false));
  EXPECT_EQ(ParseFlagCell(std::nullopt, "w").value(), std::nullopt);
  const auto bad = ParseFlagCell("maybe", "w");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "w: 'maybe' is not true or false");
}

TEST(PodcastMartReaderTest, ColumnsByNameInAnyOrderExtrasIgnored) {
  // The contract's columns reversed, after one the reader does not know.
  Table table{{{"extra", ValueKind::kText}}, {{"x"}}};
  const podcast_fixtures::MartRow cells = {"pod_01", std::nullopt, "2024-04", "1000.0", std::nullopt, "0.5", "2"};
  const std::vector<std::string_view> names = MartColumns(PodcastMart::kTrends);
  for (std::size_t c = names.size(); c-- > 0;) {
    table.columns.push_back({std::string(names[c]), ValueKind::kText});
    table.rows[0].push_back(cells[c]);
  }
  const auto rows = ReadPodcastTrends(table);
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  ASSERT_EQ(rows->size(), 1u);
  const PodcastTrendRow& row = rows->front();
  EXPECT_EQ(row.podcast_id, "pod_01");
  EXPECT_EQ(row.podcast_title, std::nullopt);
  EXPECT_EQ(row.month, "2024-04");
  EXPECT_EQ(row.estimated_listens, 1000.0);
  EXPECT_EQ(row.mom_growth, std::nullopt);
  EXPECT_EQ(row.growth_3m, 0.5);
  EXPECT_EQ(row.trend_rank, 2);
}

TEST(PodcastMartReaderTest, ShortRowsReadAsNull) {
  const auto rows = ReadPodcastTrends(podcast_fixtures::TrendsTable({{"pod_01", "A", "2024-04"}}));
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  EXPECT_EQ(rows->front().estimated_listens, std::nullopt);
  EXPECT_EQ(rows->front().trend_rank, std::nullopt);
}

TEST(PodcastMartReaderTest, MissingColumnNamesItAndTheContract) {
  Table table = podcast_fixtures::CreatorsTable({});
  table.columns[4].name = "attributedListens";
  const auto rows = ReadCreatorPopularity(table);
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.status().code(), StatusCode::kInvalidArgument);
  const std::string& message = rows.status().message();
  EXPECT_NE(message.find("creator_popularity report: missing column 'attributed_listens'"), std::string::npos)
      << message;
  EXPECT_NE(message.find("attributedListens"), std::string::npos) << message;
  EXPECT_NE(message.find("contracts/podcasts.md"), std::string::npos) << message;
  EXPECT_FALSE(ReadPodcastEstimates(Table{}).ok());
}

TEST(PodcastMartReaderTest, BadValueNamesMartRowAndColumn) {
  const Table table = podcast_fixtures::EpisodesTable({
      {"ep_1", "pod_01", "One", "2024-03-01", "10", "0.5", "20.0", "true"},
      {"ep_2", "pod_01", "Two", "2024-03-02", "10", "0.5", "twenty", "true"},
  });
  const auto rows = ReadEpisodeFirst30Days(table);
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.status().code(), StatusCode::kDataError);
  EXPECT_EQ(rows.status().message(),
            "episode_first_30_days row 2, column estimated_listens_30d: 'twenty' is not a number");
}

TEST(PodcastMartReaderTest, EveryMartReadsItsFixture) {
  const auto estimates = ReadPodcastEstimates(podcast_fixtures::FixtureEstimates());
  ASSERT_TRUE(estimates.ok()) << estimates.status().message();
  EXPECT_EQ(estimates->size(), 47u);  // 12 podcasts x 4 months, one row missing
  const auto trends = ReadPodcastTrends(podcast_fixtures::FixtureTrends());
  ASSERT_TRUE(trends.ok()) << trends.status().message();
  EXPECT_EQ(trends->size(), estimates->size());
}

}  // namespace
}  // namespace earshot::reports
