// Hand-made podcast marts shared by the podcast report tests (test-only).
//
// Twelve podcasts over 2024-01..2024-04 whose figures are easy to check by
// eye. In 2024-04 "The Daily Drive" (pod_01) is biggest and not rising; the
// risers (trend_rank <= 5, ranked by growth_3m as the contract says) are
// pod_09 "Small Riser" (#1, too small for the top 8), pod_orphan (#2, no
// catalog title), pod_03 (#3, a title full of HTML), pod_12 "Solo Provider"
// (#4, no range: one provider, not in the top 8) and pod_02 (#5); pod_04 and
// pod_10 tie at #8. pod_07 has no row for 2024-03 (a gap in its line) and no
// rank; pod_11 has no estimate in 2024-04 (coverage 0). 2024-04 is not
// complete, the months before are.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/table.h"

namespace earshot::reports::podcast_fixtures {

using MartRow = std::vector<std::optional<std::string>>;

inline constexpr const char* kFixtureMonth = "2024-04";

// podcast_monthly_estimates with the contract's columns.
Table FixtureEstimates();
// podcast_trends for the same podcasts and months.
Table FixtureTrends();

// The contract's columns of each mart (MartColumns), with `rows` in them.
Table EstimatesTable(std::vector<MartRow> rows);
Table TrendsTable(std::vector<MartRow> rows);
Table CreatorsTable(std::vector<MartRow> rows);
Table EpisodesTable(std::vector<MartRow> rows);

// The lines of `text`, without their '\n'.
std::vector<std::string> Lines(const std::string& text);
// The trimmed cells of one line of a text table ("a | b |" -> {"a", "b"}).
std::vector<std::string> CellsOf(const std::string& line);
// The number of times `needle` occurs in `haystack`.
std::size_t Count(const std::string& haystack, const std::string& needle);

}  // namespace earshot::reports::podcast_fixtures
