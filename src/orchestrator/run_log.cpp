#include "orchestrator/run_log.h"

namespace earshot::orchestrator {

using warehouse::SqlNow;
using warehouse::SqlQuote;

namespace {

std::string OptionalInt(const std::optional<int64_t>& v) { return v ? std::to_string(*v) : "NULL"; }

Result<bool> HasHistory(warehouse::Warehouse& wh) {
  EARSHOT_ASSIGN_OR_RETURN(auto n, wh.QueryInt("SELECT count(*) FROM information_schema.tables "
                                               "WHERE table_schema = 'raw' AND table_name = 'runs'"));
  return n.value_or(0) > 0;
}

}  // namespace

Status EnsureRunSchema(warehouse::Warehouse& wh) {
  return wh.Execute(R"sql(
    CREATE SCHEMA IF NOT EXISTS raw;
    CREATE SEQUENCE IF NOT EXISTS raw.run_ids START 1;
    CREATE TABLE IF NOT EXISTS raw.runs (
      run_id BIGINT PRIMARY KEY,
      started_at TIMESTAMP,
      finished_at TIMESTAMP,
      status VARCHAR NOT NULL,   -- running | ok | failed | abandoned
      "trigger" VARCHAR,         -- manual | watch | schedule
      message VARCHAR);
    CREATE TABLE IF NOT EXISTS raw.run_tasks (
      run_id BIGINT NOT NULL,
      task_id INTEGER NOT NULL,
      kind VARCHAR NOT NULL,     -- ingest | build | check | publish
      target VARCHAR,            -- the file, the models, the check, the snapshot
      status VARCHAR NOT NULL,   -- running | ok | warn | failed | skipped | abandoned
      "rows" BIGINT,
      attempts INTEGER,
      started_at TIMESTAMP,
      finished_at TIMESTAMP,
      error VARCHAR);
  )sql");
}

Result<RunLog> RunLog::Start(warehouse::Warehouse& wh, std::string_view trigger) {
  EARSHOT_RETURN_IF_ERROR(EnsureRunSchema(wh));
  EARSHOT_RETURN_IF_ERROR(wh.Execute(
      "UPDATE raw.run_tasks SET status = 'abandoned', finished_at = " + SqlNow() +
      " WHERE status = 'running';"
      "UPDATE raw.runs SET status = 'abandoned', finished_at = " + SqlNow() +
      ", message = 'the process running it ended before it finished' WHERE status = 'running';"));
  EARSHOT_ASSIGN_OR_RETURN(auto id, wh.QueryInt("SELECT nextval('raw.run_ids')"));
  const int64_t run_id = id.value_or(0);
  EARSHOT_RETURN_IF_ERROR(wh.Execute("INSERT INTO raw.runs (run_id, started_at, status, \"trigger\") VALUES (" +
                                     std::to_string(run_id) + ", " + SqlNow() + ", 'running', " +
                                     SqlQuote(trigger) + ")"));
  return RunLog(wh, run_id);
}

Result<int> RunLog::StartTask(std::string_view kind, std::string_view target) {
  const int task_id = next_task_++;
  EARSHOT_RETURN_IF_ERROR(wh_->Execute(
      "INSERT INTO raw.run_tasks (run_id, task_id, kind, target, status, attempts, started_at) VALUES (" +
      std::to_string(run_id_) + ", " + std::to_string(task_id) + ", " + SqlQuote(kind) + ", " + SqlQuote(target) +
      ", 'running', 0, " + SqlNow() + ")"));
  return task_id;
}

Status RunLog::FinishTask(int task_id, const TaskEnd& end) {
  return wh_->Execute("UPDATE raw.run_tasks SET status = " + SqlQuote(end.status) + ", \"rows\" = " +
                      OptionalInt(end.rows) + ", attempts = " + std::to_string(end.attempts) +
                      ", finished_at = " + SqlNow() + ", error = " +
                      (end.error.empty() ? std::string("NULL") : SqlQuote(end.error)) +
                      " WHERE run_id = " + std::to_string(run_id_) + " AND task_id = " + std::to_string(task_id));
}

Result<int> RunLog::AddTask(std::string_view kind, std::string_view target, const TaskEnd& end) {
  EARSHOT_ASSIGN_OR_RETURN(int task_id, StartTask(kind, target));
  EARSHOT_RETURN_IF_ERROR(FinishTask(task_id, end));
  return task_id;
}

Status RunLog::Finish(std::string_view status, std::string_view message) {
  return wh_->Execute("UPDATE raw.runs SET status = " + SqlQuote(status) + ", finished_at = " + SqlNow() +
                      ", message = " + SqlQuote(message) + " WHERE run_id = " + std::to_string(run_id_));
}

Result<Table> ListRuns(warehouse::Warehouse& wh, int limit) {
  EARSHOT_ASSIGN_OR_RETURN(bool has, HasHistory(wh));
  if (!has) return Status::NotFound("no runs yet: `earshot run` records one per pass");
  return wh.Query(
      "SELECT r.run_id, r.\"trigger\", r.status, r.started_at, r.finished_at, "
      "round(epoch(r.finished_at) - epoch(r.started_at), 2) AS seconds, "
      "count(t.task_id) AS tasks, count(t.task_id) FILTER (WHERE t.status = 'failed') AS failed, r.message "
      "FROM raw.runs r LEFT JOIN raw.run_tasks t USING (run_id) "
      "GROUP BY ALL ORDER BY r.run_id DESC LIMIT " + std::to_string(limit));
}

Result<Table> RunRow(warehouse::Warehouse& wh, int64_t run_id) {
  EARSHOT_ASSIGN_OR_RETURN(bool has, HasHistory(wh));
  if (!has) return Status::NotFound("no runs yet: `earshot run` records one per pass");
  EARSHOT_ASSIGN_OR_RETURN(Table t, wh.Query("SELECT run_id, \"trigger\", status, started_at, finished_at, "
                                             "round(epoch(finished_at) - epoch(started_at), 2) AS seconds, message "
                                             "FROM raw.runs WHERE run_id = " + std::to_string(run_id)));
  if (t.rows.empty()) {
    return Status::NotFound("no run #" + std::to_string(run_id) + ": `earshot runs` lists them");
  }
  return t;
}

Result<Table> RunTasks(warehouse::Warehouse& wh, int64_t run_id) {
  EARSHOT_ASSIGN_OR_RETURN(bool has, HasHistory(wh));
  if (!has) return Status::NotFound("no runs yet: `earshot run` records one per pass");
  return wh.Query("SELECT task_id, kind, target, status, \"rows\", attempts, started_at, finished_at, "
                  "round(epoch(finished_at) - epoch(started_at), 2) AS seconds, error "
                  "FROM raw.run_tasks WHERE run_id = " + std::to_string(run_id) + " ORDER BY task_id");
}

}  // namespace earshot::orchestrator
