// Replay: archived deliveries through the one ingest path again, in journal
// order, keeping each delivery's original name, path, source and provider in
// the manifest (ingest::ReplayOrigin). Shared by `earshot rebuild` (into a new
// warehouse) and `earshot backfill` (into the working one). The caller owns
// the warehouse and holds the run lock. Not thread-safe.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "common/status.h"
#include "config/project.h"
#include "ingest/ingest_runner.h"
#include "repair/journal.h"
#include "warehouse/warehouse.h"

namespace earshot::repair {

struct ReplayOutcome {
  JournalEntry entry;
  Status status;                 // ok: `report` holds the result
  ingest::IngestReport report;
  bool missing = false;          // the archived object is gone (retention deleted it)
};

// Re-ingests `entries` in order into `wh`. `reload`: read bytes again even
// when they are the loaded version (they then replace their own ingest).
// A delivery that fails (bad data, a provider no longer declared, a deleted
// object) fails alone; the others carry on. `on_each` (optional) is told as
// each one ends.
std::vector<ReplayOutcome> ReplayEntries(const config::Project& project, warehouse::Warehouse& wh,
                                         const std::vector<JournalEntry>& entries, bool reload,
                                         const std::function<void(const ReplayOutcome&)>& on_each = {});

// One line for the terminal: "replayed podcasts/x.csv: 12 rows ...".
std::string DescribeOutcome(const ReplayOutcome& outcome);

}  // namespace earshot::repair
