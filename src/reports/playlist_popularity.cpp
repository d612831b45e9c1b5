#include "reports/playlist_popularity.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <optional>
#include <string_view>

namespace earshot::reports {
namespace {

constexpr std::array<std::string_view, 5> kRequiredColumns = {
    "playlist", "seconds_streamed", "streams", "listeners", "share_of_seconds"};

// Positions in kRequiredColumns.
constexpr std::size_t kPlaylist = 0;
constexpr std::size_t kSeconds = 1;
constexpr std::size_t kStreams = 2;
constexpr std::size_t kListeners = 3;
constexpr std::size_t kShare = 4;

std::string ColumnList(const Table& table) {
  std::string out;
  for (const TableColumn& column : table.columns) {
    if (!out.empty()) out += ", ";
    out += column.name;
  }
  return out.empty() ? "none" : out;
}

std::optional<double> ParseDouble(std::string_view text) {
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) {
    return std::nullopt;
  }
  return value;
}

std::optional<std::int64_t> ParseInteger(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error == std::errc() && end == text.data() + text.size() && !text.empty()) return value;
  // A count printed as a double ("17.0") is still a count.
  const std::optional<double> as_double = ParseDouble(text);
  if (as_double && std::isfinite(*as_double) && *as_double == std::trunc(*as_double) &&
      std::fabs(*as_double) < 9.0e18) {
    return static_cast<std::int64_t>(*as_double);
  }
  return std::nullopt;
}

Status BadValue(std::size_t row, std::size_t column, const std::string& value, std::string_view what) {
  return Status::DataError("playlist_popularity row " + std::to_string(row + 1) + ", column " +
                           std::string(kRequiredColumns[column]) + ": '" + value + "' is not " +
                           std::string(what));
}

}  // namespace

Result<Popularity> ReadPopularity(const Table& table) {
  std::array<std::size_t, kRequiredColumns.size()> index{};
  for (std::size_t required = 0; required < kRequiredColumns.size(); ++required) {
    const auto found =
        std::find_if(table.columns.begin(), table.columns.end(), [&](const TableColumn& column) {
          return column.name == kRequiredColumns[required];
        });
    if (found == table.columns.end()) {
      return Status::Invalid("playlist_popularity report: missing column '" +
                             std::string(kRequiredColumns[required]) + "' (the table has: " +
                             ColumnList(table) +
                             "); expected playlist, seconds_streamed, streams, listeners, "
                             "share_of_seconds as in contracts/playlists.md");
    }
    index[required] = static_cast<std::size_t>(found - table.columns.begin());
  }

  Popularity popularity;
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const auto& cells = table.rows[r];
    auto cell = [&](std::size_t column) -> std::optional<std::string> {
      const std::size_t c = index[column];
      return c < cells.size() ? cells[c] : std::nullopt;
    };
    PopularityRow row;
    row.playlist = cell(kPlaylist).value_or("NULL");
    if (const auto text = cell(kSeconds)) {
      const auto value = ParseDouble(*text);
      if (!value || !std::isfinite(*value)) return BadValue(r, kSeconds, *text, "a number");
      row.seconds_streamed = *value;
    }
    if (const auto text = cell(kStreams)) {
      const auto value = ParseInteger(*text);
      if (!value) return BadValue(r, kStreams, *text, "a whole number");
      row.streams = *value;
    }
    if (const auto text = cell(kListeners)) {
      const auto value = ParseInteger(*text);
      if (!value) return BadValue(r, kListeners, *text, "a whole number");
      row.listeners = *value;
    }
    if (const auto text = cell(kShare)) {
      const auto value = ParseDouble(*text);
      if (!value) return BadValue(r, kShare, *text, "a number");
      // seconds / total is nan when every stream lasted 0 s: nothing to share.
      row.share_of_seconds = std::isfinite(*value) ? *value : 0.0;
    }
    popularity.total_seconds += row.seconds_streamed;
    popularity.total_streams += row.streams;
    popularity.total_share += row.share_of_seconds;
    popularity.max_share = std::max(popularity.max_share, row.share_of_seconds);
    popularity.max_seconds = std::max(popularity.max_seconds, row.seconds_streamed);
    popularity.rows.push_back(std::move(row));
  }
  return popularity;
}

}  // namespace earshot::reports
