// Sample-data generator for the playlists pipeline (contracts/playlists.md).
//
// GeneratePlaylists writes a realistic events.csv (every stream, from every
// listening context) and playlists.ndjson (three recommended playlists per
// user) into a folder. Output depends only on the options (never on the
// platform, the clock or the standard library): same options, same bytes.
// That is why the generator has its own PRNG and its own integer draws and
// does not use std::*_distribution.
//
// Memory does not grow with the number of events: a user's playlists are
// re-derived from a per-user seed whenever they are needed, and only the few
// rows that will be duplicated later are kept. The function owns everything it
// allocates; it is safe to run several generations concurrently into
// different folders. The progress callback runs on the calling thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>

#include "common/status.h"

namespace earshot::generate {

struct PlaylistsOptions {
  uint64_t users = 1000;  // user ids u0000001 .. u<users>; at most 4,294,967,295
  uint64_t events = 100000;
  uint64_t seed = 1;
  std::filesystem::path out_dir;  // created if missing
  // Sprinkle a few deliberately bad rows and lines, and duplicate events.
  // When false, every row and line is valid and every eventId is unique.
  bool bad_rows = true;
  // Optional. Called with the number of events.csv rows written so far,
  // every 1,000,000 rows and once at the end.
  std::function<void(uint64_t events_done)> progress;
};

struct PlaylistsSummary {
  uint64_t events_written = 0;        // data rows in events.csv (excluding header), including bad ones
  uint64_t users_written = 0;         // lines in playlists.ndjson, including bad ones
  uint64_t bad_event_rows = 0;        // rows that a correct validator must reject
  uint64_t duplicate_event_rows = 0;  // rows repeating an earlier eventId (must be counted as duplicates)
  uint64_t bad_playlist_lines = 0;    // lines a correct reader must reject

  // Breakdown of bad_event_rows by reason (they sum to bad_event_rows).
  uint64_t negative_seconds_rows = 0;     // secondsStreamed like -12 or -3.5
  uint64_t non_numeric_seconds_rows = 0;  // secondsStreamed `abc` or `n/a`
  uint64_t missing_user_rows = 0;         // empty userId field
  uint64_t bad_timestamp_rows = 0;        // timestamp `not-a-date`
  uint64_t wrong_field_count_rows = 0;    // 6 fields instead of 7 (workId left out)
  // Breakdown of bad_playlist_lines (they sum to bad_playlist_lines).
  uint64_t invalid_json_lines = 0;     // a truncated line
  uint64_t missing_user_id_lines = 0;  // valid JSON, no userId/user_id/user key
  // Users that stream in events.csv's id range but have no playlists line
  // (about 5%); their personalized streams are never recommended.
  uint64_t users_without_playlists = 0;
};

// Writes out_dir/events.csv and out_dir/playlists.ndjson (each first to a
// `.tmp` sibling, renamed when complete, so a failed run never leaves a
// half-written file under the final name).
// Returns the counts on success; InvalidArgument for impossible options
// (no out_dir, events but no users, too many users); IoError naming the path
// when a folder or file cannot be created or written.
Result<PlaylistsSummary> GeneratePlaylists(const PlaylistsOptions& options);

}  // namespace earshot::generate
