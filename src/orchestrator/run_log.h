// Run history: every pass of `earshot run` / `earshot watch` is a run, and
// every file ingested, build, check and publish in it is a task, recorded in
// the working warehouse as it happens:
//   raw.runs      (run_id, started_at, finished_at, status, trigger, message)
//                 status: running | ok | failed | abandoned
//   raw.run_tasks (run_id, task_id, kind, target, status, rows, attempts,
//                 started_at, finished_at, error)
//                 kind: ingest | build | check | publish
//                 status: running | ok | warn | failed | skipped | abandoned
// Only the holder of the run lock writes here, so a run still `running` when
// the next one starts belongs to a process that died: Start() marks it
// `abandoned`. Times are UTC. Not thread-safe (one Warehouse connection).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "common/table.h"
#include "warehouse/warehouse.h"

namespace earshot::orchestrator {

// Creates raw.runs and raw.run_tasks when missing. Idempotent.
Status EnsureRunSchema(warehouse::Warehouse& wh);

struct TaskEnd {
  std::string status;           // ok | warn | failed | skipped
  std::optional<int64_t> rows;  // rows loaded, built or failing; none when not counted
  int attempts = 1;
  std::string error;            // why it failed (or a note)
};

class RunLog {
 public:
  // Records a new run (status `running`) after marking runs left `running` by
  // a dead process as `abandoned`. Fails with the warehouse's error.
  static Result<RunLog> Start(warehouse::Warehouse& wh, std::string_view trigger);

  int64_t run_id() const { return run_id_; }
  // Records a task as `running`; returns its id in this run (1, 2, ...).
  Result<int> StartTask(std::string_view kind, std::string_view target);
  Status FinishTask(int task_id, const TaskEnd& end);
  // Records a task that has already ended (a skipped one).
  Result<int> AddTask(std::string_view kind, std::string_view target, const TaskEnd& end);
  Status Finish(std::string_view status, std::string_view message);

 private:
  RunLog(warehouse::Warehouse& wh, int64_t run_id) : wh_(&wh), run_id_(run_id) {}
  warehouse::Warehouse* wh_;
  int64_t run_id_;
  int next_task_ = 1;
};

// Reading the history (for `earshot runs`). Each returns kNotFound when there
// is no history yet (or no such run).
// The last `limit` runs, newest first, with task counts.
Result<Table> ListRuns(warehouse::Warehouse& wh, int limit);
// One run's row.
Result<Table> RunRow(warehouse::Warehouse& wh, int64_t run_id);
// One run's tasks, in the order they started.
Result<Table> RunTasks(warehouse::Warehouse& wh, int64_t run_id);

}  // namespace earshot::orchestrator
