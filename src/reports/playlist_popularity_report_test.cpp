#include "reports/playlist_popularity_report.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "reports/utf8.h"

namespace earshot::reports {
namespace {

const std::string kBlock = "\xE2\x96\x88";  // █

using Row = std::vector<std::optional<std::string>>;

Table PopularityTable(std::vector<Row> rows) {
  return Table{{{"playlist", ValueKind::kText},
                {"seconds_streamed", ValueKind::kDecimal},
                {"streams", ValueKind::kInteger},
                {"listeners", ValueKind::kInteger},
                {"share_of_seconds", ValueKind::kDecimal}},
               std::move(rows)};
}

// 3 playlists, 3600 / 1800 / 900 seconds.
Table Fixture() {
  return PopularityTable({{"playlist_01", "3600.0", "4", "2", "0.5714285714285714"},
                          {"playlist_02", "1800.0", "2", "1", "0.2857142857142857"},
                          {"playlist_03", "900.0", "1", "1", "0.14285714285714285"}});
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The cells of a report line, trimmed.
std::vector<std::string> Cells(const std::string& line) {
  std::vector<std::string> cells;
  std::istringstream in(line);
  for (std::string cell; std::getline(in, cell, '|');) {
    const auto first = cell.find_first_not_of(' ');
    const auto last = cell.find_last_not_of(' ');
    cells.push_back(first == std::string::npos ? "" : cell.substr(first, last - first + 1));
  }
  return cells;
}

std::size_t CountBlocks(const std::string& line) {
  std::size_t count = 0;
  for (std::size_t pos = line.find(kBlock); pos != std::string::npos;
       pos = line.find(kBlock, pos + kBlock.size())) {
    ++count;
  }
  return count;
}

std::string RenderTextOrFail(const Table& table) {
  const auto result = RenderPopularityText(table);
  EXPECT_TRUE(result.ok()) << result.status().message();
  return result.ok() ? result.value() : "";
}

TEST(PopularityTextTest, GoldenFixture) {
  EXPECT_EQ(RenderTextOrFail(Fixture()),
            "Playlist popularity: 3 personalized playlists, 1.8 hours streamed\n"
            "\n"
            "playlist    | seconds | hours | streams | listeners |  share |\n"
            "------------+---------+-------+---------+-----------+--------+-"
            "------------------------------\n"
            "playlist_01 |   3,600 |   1.0 |       4 |         2 |  57.1% | "
            "██████████████████████████████\n"
            "playlist_02 |   1,800 |   0.5 |       2 |         1 |  28.6% | ███████████████\n"
            "playlist_03 |     900 |   0.3 |       1 |         1 |  14.3% | ████████\n"
            "------------+---------+-------+---------+-----------+--------+-"
            "------------------------------\n"
            "total       |   6,300 |   1.8 |       7 |           | 100.0% |\n");
}

struct BarCase {
  const char* name;
  std::vector<Row> rows;
  std::vector<std::size_t> bars;          // expected blocks per playlist line
  std::vector<std::string> hours;         // expected hours text per playlist line
};

TEST(PopularityTextTest, OneProportionalBarPerRow) {
  const BarCase cases[] = {
      {"fixture", Fixture().rows, {30, 15, 8}, {"1.0", "0.5", "0.3"}},
      {"single_playlist", {{"playlist_01", "12345.5", "17", "3", "1"}}, {30}, {"3.4"}},
      {"tiny_share_still_visible",
       {{"playlist_01", "999000", "10", "5", "0.999"}, {"playlist_02", "1000", "1", "1", "0.001"}},
       {30, 1},
       {"277.5", "0.3"}},
      {"zero_share_has_no_bar",
       {{"playlist_01", "5400", "1", "1", "1.0"}, {"playlist_02", "0", "1", "1", "0"}},
       {30, 0},
       {"1.5", "0.0"}},
      {"all_zero_seconds_nan_share",
       {{"playlist_01", "0", "1", "1", "nan"}, {"playlist_02", "0", "1", "1", std::nullopt}},
       {0, 0},
       {"0.0", "0.0"}},
      {"large_numbers",
       {{"playlist_01", "123456789.4", "1000000", "250000", "0.75"},
        {"playlist_02", "41152263.1", "2", "1", "0.25"}},
       {30, 10},
       {"34,293.6", "11,431.2"}},
  };
  for (const auto& c : cases) {
    const Table table = PopularityTable(c.rows);
    const auto lines = Lines(RenderTextOrFail(table));
    // title, blank, header, separator, rows..., separator, total
    ASSERT_EQ(lines.size(), c.rows.size() + 6) << c.name;
    double max_share = 0;
    for (const auto& row : c.rows) {
      const double share = row[4] ? std::stod(*row[4]) : 0.0;
      if (std::isfinite(share)) max_share = std::max(max_share, share);
    }
    for (std::size_t i = 0; i < c.rows.size(); ++i) {
      const std::string& line = lines[4 + i];
      EXPECT_EQ(line.rfind(*c.rows[i][0], 0), 0u) << c.name << ": " << line;
      EXPECT_EQ(CountBlocks(line), c.bars[i]) << c.name << ": " << line;
      EXPECT_LE(CountBlocks(line), kMaxTextBarWidth);
      if (c.bars[i] > 1 && max_share > 0) {
        const double ideal = kMaxTextBarWidth * std::stod(*c.rows[i][4]) / max_share;
        EXPECT_NEAR(static_cast<double>(CountBlocks(line)), ideal, 0.5) << c.name;
      }
      const auto cells = Cells(line);
      ASSERT_GE(cells.size(), 3u) << line;
      EXPECT_EQ(cells[2], c.hours[i]) << c.name << ": " << line;
    }
    EXPECT_EQ(lines.back().rfind("total", 0), 0u) << c.name;
    EXPECT_EQ(CountBlocks(lines.back()), 0u) << c.name;
  }
}

TEST(PopularityTextTest, ColumnsFoundByNameInAnyOrder) {
  const Table fixture = Fixture();
  Table shuffled{{{"share_of_seconds", ValueKind::kDecimal},
                  {"extra", ValueKind::kText},
                  {"listeners", ValueKind::kInteger},
                  {"playlist", ValueKind::kText},
                  {"streams", ValueKind::kInteger},
                  {"seconds_streamed", ValueKind::kDecimal}},
                 {}};
  for (const auto& row : fixture.rows) {
    shuffled.rows.push_back({row[4], "ignored", row[3], row[0], row[2], row[1]});
  }
  EXPECT_EQ(RenderTextOrFail(shuffled), RenderTextOrFail(fixture));
}

TEST(PopularityTextTest, EmptyMartStillRenders) {
  const auto lines = Lines(RenderTextOrFail(PopularityTable({})));
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(lines[0], "Playlist popularity: 0 personalized playlists, 0.0 hours streamed");
  EXPECT_EQ(lines.back().rfind("total", 0), 0u);
}

// Removes one column (by name) from a table, with its cells.
Table Without(const Table& table, const std::string& name) {
  Table out;
  std::size_t dropped = table.columns.size();
  for (std::size_t c = 0; c < table.columns.size(); ++c) {
    if (table.columns[c].name == name) {
      dropped = c;
    } else {
      out.columns.push_back(table.columns[c]);
    }
  }
  for (const auto& row : table.rows) {
    Row kept;
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (c != dropped) kept.push_back(row[c]);
    }
    out.rows.push_back(kept);
  }
  return out;
}

TEST(PopularityReportTest, MissingColumnIsAnErrorNamingIt) {
  for (const std::string column :
       {"playlist", "seconds_streamed", "streams", "listeners", "share_of_seconds"}) {
    const Table table = Without(Fixture(), column);
    ASSERT_EQ(table.columns.size(), 4u);
    const auto text = RenderPopularityText(table);
    ASSERT_FALSE(text.ok()) << column;
    EXPECT_EQ(text.status().code(), StatusCode::kInvalidArgument) << column;
    EXPECT_NE(text.status().message().find("missing column '" + column + "'"), std::string::npos)
        << text.status().message();
    const auto html = RenderPopularityHtml(table, "2024-01-01");
    ASSERT_FALSE(html.ok()) << column;
    EXPECT_EQ(html.status().message(), text.status().message());
  }
  // A differently spelled column is missing too: the contract fixes the names.
  Table renamed = Fixture();
  renamed.columns[1].name = "secondsStreamed";
  const auto result = RenderPopularityText(renamed);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("seconds_streamed"), std::string::npos);
  EXPECT_FALSE(RenderPopularityText(Table{}).ok());
}

struct BadValueCase {
  const char* name;
  std::size_t column;
  std::optional<std::string> value;
  std::string expected_in_message;
};

TEST(PopularityReportTest, UnreadableNumbersAreDataErrors) {
  const BadValueCase cases[] = {
      {"seconds_text", 1, "lots", "row 2, column seconds_streamed: 'lots'"},
      {"seconds_inf", 1, "inf", "row 2, column seconds_streamed"},
      {"streams_fraction", 2, "2.5", "row 2, column streams: '2.5'"},
      {"listeners_empty", 3, "", "row 2, column listeners"},
      {"share_text", 4, "half", "row 2, column share_of_seconds"},
  };
  for (const auto& c : cases) {
    Table table = Fixture();
    table.rows[1][c.column] = c.value;
    const auto text = RenderPopularityText(table);
    ASSERT_FALSE(text.ok()) << c.name;
    EXPECT_EQ(text.status().code(), StatusCode::kDataError) << c.name;
    EXPECT_NE(text.status().message().find(c.expected_in_message), std::string::npos)
        << c.name << ": " << text.status().message();
    EXPECT_FALSE(RenderPopularityHtml(table, "now").ok()) << c.name;
  }
  // must-pass neighbours: NULL numbers read as 0, a count printed as a double is a count.
  Table lenient = Fixture();
  lenient.rows[1][2] = "2.0";
  lenient.rows[1][3] = std::nullopt;
  EXPECT_TRUE(RenderPopularityText(lenient).ok());
}

std::size_t Count(const std::string& haystack, const std::string& needle) {
  std::size_t count = 0;
  for (std::size_t pos = haystack.find(needle); pos != std::string::npos;
       pos = haystack.find(needle, pos + needle.size())) {
    ++count;
  }
  return count;
}

std::string RenderHtmlOrFail(const Table& table, const std::string& generated_at) {
  const auto result = RenderPopularityHtml(table, generated_at);
  EXPECT_TRUE(result.ok()) << result.status().message();
  return result.ok() ? result.value() : "";
}

TEST(PopularityHtmlTest, OneBarPerPlaylistWithData) {
  const std::string html = RenderHtmlOrFail(Fixture(), "2024-05-01T12:00:00Z");
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_EQ(Count(html, "<rect class=\"bar\""), 3u);
  EXPECT_NE(html.find("<rect class=\"bar\" data-playlist=\"playlist_01\" data-seconds=\"3600\""),
            std::string::npos);
  EXPECT_NE(html.find("data-playlist=\"playlist_02\" data-seconds=\"1800\""), std::string::npos);
  EXPECT_NE(html.find("data-playlist=\"playlist_03\" data-seconds=\"900\""), std::string::npos);
  EXPECT_NE(html.find("width=\"650.0\""), std::string::npos);  // the largest bar fills the area
  EXPECT_NE(html.find("width=\"325.0\""), std::string::npos);
  EXPECT_NE(html.find("width=\"162.5\""), std::string::npos);
  // Same figures as the text report.
  for (const std::string figure : {"3,600", "1,800", "6,300", "57.1%", "14.3%", "100.0%", "1.0 h",
                                   "0.3 h", "2024-05-01T12:00:00Z", "barWidths"}) {
    EXPECT_NE(html.find(figure), std::string::npos) << figure;
  }
}

TEST(PopularityHtmlTest, SelfContained) {
  const std::string html = RenderHtmlOrFail(Fixture(), "now");
  for (const std::string external : {"src=", "href=", "url(", "@import", "<link", "https://"}) {
    EXPECT_EQ(html.find(external), std::string::npos) << external;
  }
}

TEST(PopularityHtmlTest, EscapesEverything) {
  Table table = Fixture();
  table.rows[0][0] = "<script>alert('x')</script>";
  table.rows[1][0] = "a\"b&c";
  const std::string html = RenderHtmlOrFail(table, "<b>now</b>");
  EXPECT_EQ(html.find("<script>alert"), std::string::npos);
  EXPECT_EQ(html.find("<b>now"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("data-playlist=\"a&quot;b&amp;c\""), std::string::npos);
  EXPECT_NE(html.find("&lt;b&gt;now&lt;/b&gt;"), std::string::npos);
  EXPECT_EQ(Count(html, "<script>"), 1u);  // only the page's own
}

TEST(PopularityHtmlTest, EmptyMartHasNoBars) {
  const std::string html = RenderHtmlOrFail(PopularityTable({}), "now");
  EXPECT_EQ(Count(html, "class=\"bar\""), 0u);
  EXPECT_NE(html.find("No streams from personalized playlists."), std::string::npos);
}

}  // namespace
}  // namespace earshot::reports
