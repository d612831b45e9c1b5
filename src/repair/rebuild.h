// Rebuild: the whole working warehouse recreated from the raw archive alone.
// Every delivery in the archive's journal is replayed, in the order it
// arrived, through the normal ingest path into warehouse/earshot.duckdb.rebuild;
// the models are built into a new snapshot; then both are swapped in with a
// rename each (the previous warehouse stays as earshot.duckdb.before-rebuild).
// The marts come out the same, row for row, as those built from the original
// ingests (the models add in a fixed order). The run history, build history
// and check results start afresh: they are not in the archive.
// The caller holds the run lock and must not have the working warehouse open.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "common/status.h"
#include "config/project.h"
#include "repair/replay.h"

namespace earshot::repair {

struct RebuildOptions {
  // Build as if today (UTC) were this YYYY-MM-DD; empty: the as-of date of
  // the current warehouse's last build, else today.
  std::string as_of;
};

struct RebuildReport {
  std::vector<ReplayOutcome> replayed;
  int loaded = 0;     // deliveries whose rows are in the new warehouse
  int failed = 0;     // deliveries that failed again (bad data, unknown provider)
  int missing = 0;    // objects deleted by retention
  std::string as_of;  // what the build used
  int64_t build_id = 0;
  int64_t mart_rows = 0;
  std::filesystem::path backup;  // the previous warehouse, or empty
};

// Rebuilds; `on_each` (optional) is told as each delivery is replayed.
// Fails (leaving the working warehouse and snapshot as they were) when the
// journal cannot be read, the new warehouse cannot be written, or the build fails.
Result<RebuildReport> Rebuild(const config::Project& project, const RebuildOptions& options,
                              const std::function<void(const ReplayOutcome&)>& on_each = {});

// Whether opening the working warehouse failed because its file is damaged:
// DuckDB found a block or a write-ahead-log entry whose checksum does not
// match. DuckDB rewrites a metadata block in place during a checkpoint, so a
// process killed in the middle of that write (SIGKILL cuts a buffered write
// short) or a power cut can leave one torn.
bool IsDamagedWarehouse(const Status& open_error);

// A damaged working warehouse (and its write-ahead log) moved aside to
// earshot.duckdb.damaged-<UTC time>, then recreated by Rebuild(). With an
// empty journal (nothing was ever landed) the new warehouse starts empty and
// `report.replayed` is empty. The caller holds the run lock.
struct DamagedRebuild {
  std::filesystem::path kept;  // where the damaged file went
  RebuildReport report;
};
Result<DamagedRebuild> RebuildDamaged(const config::Project& project,
                                      const std::function<void(const ReplayOutcome&)>& on_each = {});

// What the working warehouse is opened with (memory limit, threads, spill folder).
warehouse::OpenOptions WorkingOpenOptions(const config::Project& project);

}  // namespace earshot::repair
