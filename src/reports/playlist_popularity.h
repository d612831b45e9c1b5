// The `playlist_popularity` mart as typed rows (internal to src/reports).
//
// The warehouse hands reports a Table of printed values; this turns the
// contract's columns (playlist, seconds_streamed, streams, listeners,
// share_of_seconds; see shared/contracts/playlists.md) into numbers once, so
// the text and HTML renderers show exactly the same figures. Columns are found
// by name, in any order; extra columns are ignored. Pure, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/table.h"

namespace earshot::reports {

struct PopularityRow {
  std::string playlist;  // "NULL" when the mart gave none
  double seconds_streamed = 0;
  std::int64_t streams = 0;
  std::int64_t listeners = 0;
  double share_of_seconds = 0;  // 0..1; NULL or nan (all streams 0 s long) read as 0
};

struct Popularity {
  std::vector<PopularityRow> rows;  // in the table's order
  double total_seconds = 0;
  std::int64_t total_streams = 0;
  double total_share = 0;
  double max_share = 0;
  double max_seconds = 0;
  // No total of listeners: a user who streamed from two playlists is counted
  // in both rows, so the sum is not the number of distinct listeners.
};

// Returns the typed mart. Fails with kInvalidArgument naming the first
// missing column, or with kDataError naming the row (1-based) and column of a
// value that is not a number. NULL numbers read as 0.
Result<Popularity> ReadPopularity(const Table& table);

// Seconds as hours, the unit the reports speak.
inline double SecondsToHours(double seconds) { return seconds / 3600.0; }

}  // namespace earshot::reports
