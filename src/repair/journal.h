// The raw archive's journal (archive/landings.ndjson) read back: one entry per
// landing, in the order the deliveries arrived. This is what `earshot
// rebuild`, `backfill` and `retention` replay or prune. Plain data and free
// functions; thread-compatible.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace earshot::repair {

struct JournalEntry {
  int line = 0;             // in landings.ndjson, from 1
  int64_t ingest_id = 0;    // the id it had in the warehouse that landed it
  std::string source;       // events, playlists, podcasts, ..., listens
  std::string provider;     // for deliveries of listens; else empty
  std::string file_name;    // the delivery's own name
  std::string original_path;  // where it was picked up (empty in old journals)
  std::string sha256;
  uint64_t bytes = 0;
};

// Every entry of archive_dir/landings.ndjson in order (none when the file does
// not exist). Fails with kDataError naming the file and line of a line that is
// not a journal entry.
Result<std::vector<JournalEntry>> ReadJournal(const std::filesystem::path& archive_dir);

// A calendar day as days since 1970-01-01 (UTC).
using Day = int64_t;

// Parses YYYY-MM-DD; nullopt when it is not a valid date.
std::optional<Day> ParseDay(const std::string& text);
std::string FormatDay(Day day);

// The period a delivery covers, as the first and last day: the first
// YYYY-MM-DD in its file name (that day), else the first YYYY-MM (that month),
// else the day it landed (`landed`).
struct Period {
  Day first = 0;
  Day last = 0;
};
Period DeliveryPeriod(const std::string& file_name, Day landed);

// The UTC day of a file's modification time (an archived object's landing).
Day FileDay(const std::filesystem::path& file);

// Whether `entry` is a segment of `earshot serve`'s event log
// (seg-<micros>.ndjson from a provider): NDJSON whatever the provider's format.
bool IsLogSegment(const JournalEntry& entry);

}  // namespace earshot::repair
