// Pass: one run of the whole DAG, the work of `earshot run` (and of each
// wake-up of `earshot watch`):
//   1. sense: the complete files in the inboxes (orchestrator/inbox.h);
//   2. ingest them, one task per file. Files of different inboxes go in
//      parallel (one file per inbox at a time), files of one inbox in name
//      order. Failures to read, write or use the warehouse are retried with
//      exponential backoff ([run] retries, backoff_seconds); if a file still
//      fails that way it stays in the inbox and the later files of its inbox
//      wait for the next pass (order matters within an inbox). A file whose
//      data cannot be used fails its task, is moved to .failed/, and the
//      other files carry on;
//   3. build the models when something new was loaded (or a previous build
//      did not publish, or the caller forces it) into a new snapshot;
//   4. run the [[checks]] on that snapshot (and the raw tables); a failed
//      error-level check keeps the previous snapshot published;
//   5. publish (rename the new snapshot over published.duckdb).
// With nothing new to build, the checks run on the published snapshot (so a
// late daily delivery is noticed). Every run and task is recorded
// (orchestrator/run_log.h). The caller holds the run lock and the working
// warehouse. Not thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "config/project.h"
#include "ingest/ingest_files.h"
#include "orchestrator/inbox.h"
#include "warehouse/warehouse.h"

namespace earshot::orchestrator {

struct TaskReport {
  int task_id = 0;
  std::string kind;    // ingest | build | check | publish
  std::string target;  // file (relative to the project), "models", check name, snapshot
  std::string status;  // ok | warn | failed | skipped
  std::optional<int64_t> rows;
  int attempts = 1;
  std::string error;
  std::string note;  // for the terminal only, e.g. "already ingested as #3"
};

struct PassOptions {
  std::string trigger = "manual";  // manual | watch | schedule | backfill
  std::string as_of;               // build as if today (UTC) were this YYYY-MM-DD; empty: today
  bool force_build = false;        // build even when nothing new was loaded
  // Instead of sensing the inboxes and ingesting their files: the caller's
  // own ingest step (`earshot backfill` replays archived deliveries). It
  // returns one `ingest` task per delivery; those `ok` count as loaded.
  std::function<std::vector<TaskReport>()> ingest_step;
};

struct PassReport {
  int64_t run_id = 0;
  std::string status;   // ok | failed
  std::string message;  // one line: what happened
  std::vector<TaskReport> tasks;
  std::vector<InboxFile> waiting;  // files not complete yet, left for a later pass
  std::vector<std::string> notes;
  bool built = false;
  bool published = false;
  // Marts an error-level check held back (their previous version stays
  // published while the others are published new): the failing checks'
  // marts and every mart built from them.
  std::vector<std::string> held_back;
  int failed_tasks() const;
};

// What a pass takes from outside, so tests can inject faults and need not
// wait. Empty members get the real thing.
struct PassEnv {
  // Ingests a list of files (default: ingest::IngestFiles on the pass's warehouse).
  std::function<std::vector<ingest::FileOutcome>(const std::vector<ingest::FileToIngest>&)> ingest;
  std::function<void(double seconds)> sleep;
  std::function<std::filesystem::file_time_type()> file_now;    // for settling
  std::function<std::chrono::system_clock::time_point()> now;  // for freshness
  // Told as each task ends (for a live display).
  std::function<void(const TaskReport&)> on_task;
};

// Runs one pass. Task failures are in the report (status `failed`); the
// Result fails only when the run cannot be recorded (the warehouse failed).
Result<PassReport> RunPass(const config::Project& project, warehouse::Warehouse& wh, const PassOptions& options,
                           const PassEnv& env = {});

}  // namespace earshot::orchestrator
