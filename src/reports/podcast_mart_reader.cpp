#include "reports/podcast_mart_reader.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace earshot::reports {
namespace {

// Counts beyond 2^53 would not survive the trip through double; no rank,
// provider or episode count comes near.
constexpr double kLargestExactCount = 9007199254740992.0;

Status NotA(const std::string& where, const std::string& text, std::string_view what) {
  return Status::DataError(where + ": '" + text + "' is not " + std::string(what));
}

// The number in `text` as DuckDB prints it, nan and inf included; nullopt
// when it is no number at all.
std::optional<double> ParseDouble(const std::string& text) {
  double value = 0;
  const char* end = text.data() + text.size();
  const auto parsed = std::from_chars(text.data(), end, value);
  if (text.empty() || parsed.ec != std::errc() || parsed.ptr != end) return std::nullopt;
  return value;
}

}  // namespace

Result<std::optional<double>> ParseNumberCell(const std::optional<std::string>& cell, const std::string& where) {
  if (!cell) return std::optional<double>();
  const std::optional<double> value = ParseDouble(*cell);
  if (!value) return NotA(where, *cell, "a number");
  return std::isfinite(*value) ? value : std::nullopt;
}

Result<std::optional<std::int64_t>> ParseCountCell(const std::optional<std::string>& cell, const std::string& where) {
  if (!cell) return std::optional<std::int64_t>();
  const std::optional<double> value = ParseDouble(*cell);
  if (!value || *value != std::trunc(*value) || std::fabs(*value) > kLargestExactCount) {
    return NotA(where, *cell, "a whole number");
  }
  return std::optional<std::int64_t>(static_cast<std::int64_t>(*value));
}

Result<std::optional<bool>> ParseFlagCell(const std::optional<std::string>& cell, const std::string& where) {
  if (!cell) return std::optional<bool>();
  if (*cell == "true" || *cell == "1") return std::optional<bool>(true);
  if (*cell == "false" || *cell == "0") return std::optional<bool>(false);
  return NotA(where, *cell, "true or false");
}

Result<std::vector<std::size_t>> FindColumns(const Table& table, std::string_view mart,
                                             const std::vector<std::string_view>& names) {
  std::vector<std::size_t> positions;
  for (const std::string_view name : names) {
    const auto found = std::find_if(table.columns.begin(), table.columns.end(),
                                    [&](const TableColumn& column) { return column.name == name; });
    if (found == table.columns.end()) {
      std::string have;
      for (const TableColumn& column : table.columns) have += (have.empty() ? "" : ", ") + column.name;
      std::string want;
      for (const std::string_view each : names) want += (want.empty() ? "" : ", ") + std::string(each);
      return Status::Invalid(std::string(mart) + " report: missing column '" + std::string(name) +
                             "' (the table has: " + (have.empty() ? "none" : have) + "); expected " + want +
                             " as in contracts/podcasts.md");
    }
    positions.push_back(static_cast<std::size_t>(found - table.columns.begin()));
  }
  return positions;
}

}  // namespace earshot::reports
