#include "reports/podcast_months.h"

#include <gtest/gtest.h>

namespace earshot::reports {
namespace {

TEST(PodcastMonthsTest, IsMonth) {
  for (const char* good : {"2024-01", "2024-12", "1999-06", "0000-01"}) EXPECT_TRUE(IsMonth(good)) << good;
  for (const char* bad : {"2024-00", "2024-13", "2024-1", "2024-010", "24-01", "2024/01", "2024-01-01", "", "abcd-ef",
                          " 2024-01", "2024-0a", "'; DROP"}) {
    EXPECT_FALSE(IsMonth(bad)) << bad;
  }
}

TEST(PodcastMonthsTest, ChooseMonthDefaultsToTheNewest) {
  const std::set<std::string> months = {"2023-11", "2024-02", "2023-12"};
  EXPECT_EQ(ChooseMonth(months, "", "mart").value(), "2024-02");
  EXPECT_EQ(ChooseMonth(months, "2023-12", "mart").value(), "2023-12");
  EXPECT_EQ(ChooseMonth({}, "", "mart").value(), "");
}

TEST(PodcastMonthsTest, ChooseMonthRefusesWhatTheMartDoesNotHave) {
  const std::set<std::string> months = {"2024-01", "2024-03"};
  const auto missing = ChooseMonth(months, "2024-02", "podcast_trends");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(missing.status().message().find("podcast_trends has no rows for 2024-02 (it has 2024-01 to 2024-03)"),
            std::string::npos)
      << missing.status().message();

  const auto malformed = ChooseMonth(months, "March", "podcast_trends");
  ASSERT_FALSE(malformed.ok());
  EXPECT_EQ(malformed.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(malformed.status().message().find("YYYY-MM"), std::string::npos);

  const auto empty = ChooseMonth({}, "2024-01", "creator_popularity");
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.status().message().find("it is empty"), std::string::npos);
}

TEST(PodcastMonthsTest, CalendarMonthsFillsGapsAcrossYears) {
  EXPECT_EQ(CalendarMonths("2023-11", "2024-02").value(),
            (std::vector<std::string>{"2023-11", "2023-12", "2024-01", "2024-02"}));
  EXPECT_EQ(CalendarMonths("2024-05", "2024-05").value(), (std::vector<std::string>{"2024-05"}));
  EXPECT_TRUE(CalendarMonths("2024-05", "2024-04").value().empty());
  EXPECT_EQ(CalendarMonths("2022-01", "2024-12").value().size(), 36u);
  const auto bad = CalendarMonths("2024-01", "soon");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kDataError);
}

struct Row {
  std::optional<std::string> month;
  int id;
};

bool IdDescending(const Row& a, const Row& b) { return a.id > b.id; }

TEST(PodcastMonthsTest, SelectMonthKeepsEveryRowAndSortsTheMonthsRows) {
  const std::vector<Row> rows = {{"2024-01", 1}, {"2024-02", 2}, {std::nullopt, 3}, {"2024-02", 4}};
  auto newest = SelectMonth(Result<std::vector<Row>>(rows), "", "mart", IdDescending);
  ASSERT_TRUE(newest.ok());
  EXPECT_EQ(newest->all.size(), 4u);
  EXPECT_EQ(newest->month, "2024-02");
  ASSERT_EQ(newest->rows.size(), 2u);
  EXPECT_EQ(newest->rows[0].id, 4);
  EXPECT_EQ(newest->rows[1].id, 2);
  EXPECT_EQ(SelectMonth(Result<std::vector<Row>>(rows), "2024-01", "mart", IdDescending)->rows.size(), 1u);
  EXPECT_FALSE(SelectMonth(Result<std::vector<Row>>(rows), "2024-03", "mart", IdDescending).ok());
  const auto unread = SelectMonth(Result<std::vector<Row>>(Status::DataError("bad cell")), "", "m", IdDescending);
  ASSERT_FALSE(unread.ok());
  EXPECT_EQ(unread.status().message(), "bad cell");
}

}  // namespace
}  // namespace earshot::reports
