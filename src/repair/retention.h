// Raw retention: `earshot retention` deletes archived objects older than the
// [retention] days of their source (or provider), except those whose rows are
// still the current version (a loaded ingest, or one loading now): those are
// never deleted, whatever their age. Age is counted from the day the object
// landed (its modification time). Every deletion is recorded in
// raw.retention_deletions. A rebuild afterwards replays what is kept; the
// deleted deliveries had no rows in the warehouse, so the marts stay the same.
// The caller holds the run lock and the working warehouse. Not thread-safe.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "config/project.h"
#include "repair/journal.h"
#include "warehouse/warehouse.h"

namespace earshot::repair {

struct RetentionDecision {
  JournalEntry entry;  // the newest journal entry of the object
  Day landed = 0;
  int64_t keep_days = 0;
};

struct RetentionReport {
  std::vector<RetentionDecision> deleted;  // (or, with dry_run, to delete)
  int kept_current = 0;                    // old enough, but still the current version
  int kept_young = 0;                      // not old enough yet
  int kept_forever = 0;                    // no retention for its source
  uint64_t bytes = 0;                      // freed (or to free)
};

// Applies retention as of `today`. `dry_run`: decides, deletes nothing.
Result<RetentionReport> ApplyRetention(const config::Project& project, warehouse::Warehouse& wh, Day today,
                                       bool dry_run);

}  // namespace earshot::repair
