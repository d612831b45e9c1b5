#include "orchestrator/pass.h"

#include <algorithm>
#include <map>
#include <set>
#include <thread>

#include "checks/check_runner.h"
#include "ingest/raw_schema.h"
#include "models/model_dag.h"
#include "orchestrator/build_step.h"
#include "orchestrator/notify.h"
#include "orchestrator/retry.h"
#include "orchestrator/run_log.h"

namespace earshot::orchestrator {

namespace fs = std::filesystem;

namespace {

constexpr const char* kCandidateAlias = "earshot_candidate";
constexpr const char* kPublishedAlias = "earshot_published";

std::string Relative(const config::Project& project, const fs::path& p) {
  std::error_code ec;
  fs::path rel = fs::relative(p, project.root, ec);
  return ec || rel.empty() ? p.string() : rel.string();
}

PassEnv WithDefaults(PassEnv env, const config::Project& project, warehouse::Warehouse& wh) {
  if (!env.ingest) {
    env.ingest = [&project, &wh](const std::vector<ingest::FileToIngest>& files) {
      return ingest::IngestFiles(project, wh, files);
    };
  }
  if (!env.sleep) {
    env.sleep = [](double s) {
      if (s > 0) std::this_thread::sleep_for(std::chrono::duration<double>(s));
    };
  }
  if (!env.file_now) env.file_now = [] { return fs::file_time_type::clock::now(); };
  if (!env.now) env.now = [] { return std::chrono::system_clock::now(); };
  return env;
}

// Whether the published snapshot is behind the loaded data: an ingest
// finished after the last published build started (a previous pass loaded
// files but did not publish), or loaded data and no snapshot at all.
Result<bool> SnapshotBehind(const config::Project& project, warehouse::Warehouse& wh) {
  EARSHOT_ASSIGN_OR_RETURN(
      auto behind,
      wh.QueryInt("SELECT CASE WHEN max_ingest IS NULL THEN 0 WHEN last_build IS NULL THEN 1 "
                  "WHEN max_ingest > last_build THEN 1 ELSE 0 END FROM ("
                  "SELECT (SELECT max(finished_at) FROM raw.ingests WHERE status IN ('loaded', 'replaced')) AS max_ingest, "
                  "(SELECT max(started_at) FROM raw.builds WHERE status = 'published') AS last_build)"));
  if (behind.value_or(0) != 0) return true;
  if (fs::exists(project.published_file())) return false;
  EARSHOT_ASSIGN_OR_RETURN(auto loaded, wh.QueryInt("SELECT count(*) FROM raw.ingests WHERE status = 'loaded'"));
  return loaded.value_or(0) > 0;
}

// One pass's bookkeeping: each task is logged as it starts and ends, kept in
// the report, and shown to the caller.
class Tasks {
 public:
  Tasks(RunLog& log, PassReport& report, const PassEnv& env) : log_(log), report_(report), env_(env) {}

  Result<int> Start(std::string_view kind, std::string_view target) { return log_.StartTask(kind, target); }

  Status End(int task_id, std::string_view kind, std::string target, TaskReport r) {
    r.task_id = task_id;
    r.kind = std::string(kind);
    r.target = std::move(target);
    EARSHOT_RETURN_IF_ERROR(log_.FinishTask(task_id, {r.status, r.rows, r.attempts, r.error}));
    report_.tasks.push_back(r);
    if (env_.on_task) env_.on_task(report_.tasks.back());
    return Status::Ok();
  }

  Status Add(std::string_view kind, std::string target, TaskReport r) {
    EARSHOT_ASSIGN_OR_RETURN(int id, Start(kind, target));
    return End(id, kind, std::move(target), std::move(r));
  }

 private:
  RunLog& log_;
  PassReport& report_;
  const PassEnv& env_;
};

ingest::FileToIngest ToIngest(const InboxFile& f) { return {f.path, f.source, f.provider}; }

// Step 2: the ready files, one per inbox at a time, with retries.
Result<int> IngestReady(const config::Project& project, const std::vector<InboxFile>& ready, const PassEnv& env,
                        Tasks& tasks) {
  const RetryPolicy policy = PolicyFrom(project.run);
  // Per inbox, in scan order (= name order).
  std::vector<std::string> order;
  std::map<std::string, std::vector<const InboxFile*>> queues;
  for (const InboxFile& f : ready) {
    if (queues.find(f.inbox) == queues.end()) order.push_back(f.inbox);
    queues[f.inbox].push_back(&f);
  }
  std::map<std::string, std::string> blocked;  // inbox -> the file it waits for
  int loaded = 0;
  for (size_t round = 0;; ++round) {
    struct Item {
      const InboxFile* file;
      int task_id;
      int attempts = 0;
      ingest::FileOutcome outcome;
    };
    std::vector<Item> batch;
    for (const std::string& inbox : order) {
      const auto& q = queues[inbox];
      if (round >= q.size()) continue;
      const InboxFile* f = q[round];
      if (auto b = blocked.find(inbox); b != blocked.end()) {
        TaskReport r;
        r.status = "skipped";
        r.attempts = 0;
        r.error = "waits for " + b->second + ", which failed: left in the inbox for the next run";
        EARSHOT_RETURN_IF_ERROR(tasks.Add("ingest", Relative(project, f->path), r));
        continue;
      }
      EARSHOT_ASSIGN_OR_RETURN(int id, tasks.Start("ingest", Relative(project, f->path)));
      batch.push_back({f, id});
    }
    if (batch.empty()) {
      bool more = std::any_of(order.begin(), order.end(), [&](const std::string& i) { return round < queues[i].size(); });
      if (!more) break;
      continue;
    }
    std::vector<size_t> todo(batch.size());
    for (size_t i = 0; i < todo.size(); ++i) todo[i] = i;
    for (int attempt = 1;; ++attempt) {
      std::vector<ingest::FileToIngest> files;
      for (size_t i : todo) files.push_back(ToIngest(*batch[i].file));
      std::vector<ingest::FileOutcome> outcomes = env.ingest(files);
      std::vector<size_t> again;
      for (size_t k = 0; k < todo.size(); ++k) {
        Item& item = batch[todo[k]];
        item.attempts = attempt;
        item.outcome = k < outcomes.size() ? std::move(outcomes[k])
                                           : ingest::FileOutcome{item.file->path, Status::Internal("no outcome"), {}};
        if (!item.outcome.status.ok() && IsRetryable(item.outcome.status) && attempt <= policy.retries) {
          again.push_back(todo[k]);
        }
      }
      if (again.empty()) break;
      env.sleep(BackoffSeconds(policy, attempt));
      todo = std::move(again);
    }
    for (Item& item : batch) {
      const std::string target = Relative(project, item.file->path);
      TaskReport r;
      r.attempts = item.attempts;
      const Status& st = item.outcome.status;
      if (st.ok()) {
        const ingest::IngestReport& ir = item.outcome.report;
        r.status = "ok";
        r.rows = ir.already_ingested ? 0 : static_cast<int64_t>(ir.accepted);
        if (ir.already_ingested) {
          r.note = "already ingested (ingest #" + std::to_string(ir.ingest_id) + ", same bytes): nothing to do";
        } else {
          ++loaded;
          r.note = "ingest #" + std::to_string(ir.ingest_id) + ": " + std::to_string(ir.rows_in) + " rows in, " +
                   std::to_string(ir.accepted) + " accepted, " + std::to_string(ir.rejected) + " rejected, " +
                   std::to_string(ir.duplicates) + " duplicates";
          if (ir.replaced_ingest != 0) r.note += "; replaces ingest #" + std::to_string(ir.replaced_ingest);
        }
        auto moved = MoveAside(*item.file, ".processed");
        if (!moved.ok()) r.note += "; " + moved.status().message();
      } else if (IsRetryable(st)) {
        r.status = "failed";
        r.error = st.message() + " (after " + std::to_string(item.attempts) +
                  (item.attempts == 1 ? " attempt" : " attempts") + "; left in the inbox for the next run)";
        blocked[item.file->inbox] = target;
      } else {
        r.status = "failed";
        r.error = st.message();
        auto moved = MoveAside(*item.file, ".failed");
        r.error += moved.ok() ? " (moved to " + Relative(project, moved->parent_path()) +
                                    "/: fix it and put it in the inbox again)"
                              : "; " + moved.status().message();
      }
      EARSHOT_RETURN_IF_ERROR(tasks.End(item.task_id, "ingest", target, std::move(r)));
    }
  }
  return loaded;
}

TaskReport CheckTask(const checks::CheckResult& c) {
  TaskReport r;
  r.rows = c.failing_rows;
  if (c.outcome == checks::Outcome::kPass) {
    r.status = "ok";
    r.note = c.detail;
  } else {
    r.status = c.blocks() ? "failed" : "warn";
    r.error = c.detail;
  }
  return r;
}

// Runs the checks on the snapshot attached as `alias`; returns the names of
// the ones that block publishing.
Result<std::vector<std::string>> RunChecksAsTasks(const config::Project& project, warehouse::Warehouse& wh,
                                                  const fs::path& snapshot, const char* alias, int64_t run_id,
                                                  const PassEnv& env, Tasks& tasks,
                                                  std::vector<std::string>* blocked_tables = nullptr) {
  auto attached = checks::AttachedSnapshot::Attach(wh, snapshot, alias);
  if (!attached.ok()) {
    TaskReport r;
    r.status = "failed";
    r.error = "cannot open the snapshot to check it: " + attached.status().message();
    EARSHOT_RETURN_IF_ERROR(tasks.Add("check", "all checks", r));
    return std::vector<std::string>{"all checks"};
  }
  checks::CheckTarget target{alias, attached->build_id(), run_id, env.now()};
  EARSHOT_ASSIGN_OR_RETURN(auto results, checks::RunAndStoreChecks(wh, project.checks, target));
  std::vector<std::string> blocking;
  for (const checks::CheckResult& c : results) {
    EARSHOT_RETURN_IF_ERROR(tasks.Add("check", c.spec.name, CheckTask(c)));
    if (c.blocks()) blocking.push_back(c.spec.name);
  }
  if (blocked_tables != nullptr) {
    for (const checks::CheckResult& c : results) {
      if (c.blocks()) blocked_tables->push_back(c.spec.table);
    }
  }
  return blocking;
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// "A failed task blocks only what depends on it": the marts held back by
// error-level checks failing on `tables` (a mart, and every mart built from
// it). A check on a raw table, or with no table (freshness), holds back
// every mart: which marts read it is not traced.
Result<std::vector<std::string>> HeldBackMarts(const std::vector<std::string>& tables) {
  std::vector<models::Model> all;
  for (const char* pipeline : {"playlists", "podcasts"}) {
    EARSHOT_ASSIGN_OR_RETURN(auto some, models::PipelineModels(pipeline));
    all.insert(all.end(), some.begin(), some.end());
  }
  std::set<std::string> held;
  for (const std::string& t : tables) {
    bool is_mart = std::any_of(all.begin(), all.end(), [&](const models::Model& m) {
      return m.layer == "marts" && m.name == t;
    });
    if (!is_mart) {
      held.clear();
      for (const models::Model& m : all) held.insert(m.qualified());
      break;
    }
    held.insert("marts." + t);
  }
  for (bool grew = true; grew;) {
    grew = false;
    for (const models::Model& m : all) {
      if (held.count(m.qualified()) != 0) continue;
      for (const std::string& dep : m.depends_on) {
        if (held.count(dep) != 0) {
          held.insert(m.qualified());
          grew = true;
          break;
        }
      }
    }
  }
  std::vector<std::string> out;
  for (const models::Model& m : all) {
    if (m.layer == "marts" && held.count(m.qualified()) != 0) out.push_back(m.name);
  }
  if (out.size() == static_cast<size_t>(std::count_if(all.begin(), all.end(), [](const models::Model& m) {
        return m.layer == "marts";
      }))) {
    out.clear();  // everything: nothing to publish partially
  }
  return out;
}

// Puts the published version of each held-back mart into the candidate
// snapshot (or drops it when none was published), so that readers keep what
// they had for those marts and get the new build of the others.
Status HoldBack(warehouse::Warehouse& wh, const fs::path& candidate, const fs::path& published,
                const std::vector<std::string>& marts) {
  (void)wh.Execute("DETACH DATABASE IF EXISTS earshot_partial");
  (void)wh.Execute("DETACH DATABASE IF EXISTS earshot_previous");
  EARSHOT_RETURN_IF_ERROR(wh.Execute("ATTACH " + warehouse::SqlQuote(candidate.string()) + " AS earshot_partial"));
  const bool has_previous = fs::exists(published);
  Status st = has_previous ? wh.Execute("ATTACH " + warehouse::SqlQuote(published.string()) +
                                        " AS earshot_previous (READ_ONLY)")
                           : Status::Ok();
  for (const std::string& m : marts) {
    if (!st.ok()) break;
    const std::string name = warehouse::SqlIdentifier(m);
    bool in_previous = false;
    if (has_previous) {
      auto n = wh.QueryInt("SELECT count(*) FROM duckdb_tables() WHERE database_name = 'earshot_previous' AND "
                           "table_name = " + warehouse::SqlQuote(m));
      if (!n.ok()) {
        st = n.status();
        break;
      }
      in_previous = n->value_or(0) > 0;
    }
    st = wh.Execute("DROP TABLE IF EXISTS earshot_partial.main." + name +
                    (in_previous ? "; CREATE TABLE earshot_partial.main." + name +
                                       " AS SELECT * FROM earshot_previous.main." + name
                                 : std::string()));
  }
  (void)wh.Execute("DETACH DATABASE IF EXISTS earshot_previous");
  Status detached = wh.Execute("DETACH earshot_partial");
  return st.ok() ? detached : st;
}

// Steps 3-5. Returns only errors of the run log itself.
Status BuildCheckPublish(const config::Project& project, warehouse::Warehouse& wh, const PassOptions& options,
                         const PassEnv& env, int64_t run_id, Tasks& tasks, PassReport& report) {
  const RetryPolicy policy = PolicyFrom(project.run);
  const std::string snapshot_name = Relative(project, project.published_file());
  EARSHOT_ASSIGN_OR_RETURN(int build_task, tasks.Start("build", "models"));
  bool gate_called = false;
  bool build_ended = false;
  Status log_error;
  std::vector<std::string> blocking;
  std::vector<std::string> held_back;  // marts published in their previous version
  int64_t mart_rows = 0;
  int models_built = 0;
  int attempts = 0;
  auto gate = [&](const fs::path& candidate) -> Status {
    gate_called = true;
    TaskReport built;
    built.status = "ok";
    built.rows = mart_rows;
    built.attempts = attempts;
    built.note = std::to_string(models_built) + " models, " + std::to_string(mart_rows) + " mart rows";
    log_error = tasks.End(build_task, "build", "models", built);
    build_ended = true;
    if (!log_error.ok()) return log_error;
    if (project.checks.empty()) return Status::Ok();
    std::vector<std::string> blocked_tables;
    auto checked = RunChecksAsTasks(project, wh, candidate, kCandidateAlias, run_id, env, tasks, &blocked_tables);
    if (!checked.ok()) {
      log_error = checked.status();
      return checked.status();
    }
    blocking = std::move(checked).value();
    if (!blocking.empty()) {
      // Publish what does not depend on the failures; hold the rest back.
      auto held = HeldBackMarts(blocked_tables);
      if (held.ok() && !held->empty()) {
        Status kept = HoldBack(wh, candidate, project.published_file(), *held);
        if (kept.ok()) {
          held_back = std::move(held).value();
          return Status::Ok();
        }
      }
      return Status::DataError(std::to_string(blocking.size()) + " error-level check" +
                               (blocking.size() == 1 ? "" : "s") + " failed (" + JoinNames(blocking) +
                               "): the previous snapshot stays published");
    }
    return Status::Ok();
  };
  Result<models::BuildReport> built = Status::Internal("not built");
  for (attempts = 1;; ++attempts) {
    mart_rows = 0;
    models_built = 0;
    built = BuildShippedModels(project, wh, options.as_of,
                               [&](const models::ModelTiming& t) {
                                 ++models_built;
                                 if (t.rows > 0) mart_rows += t.rows;
                               },
                               gate);
    if (built.ok() || gate_called || !IsRetryable(built.status()) || attempts > policy.retries) break;
    env.sleep(BackoffSeconds(policy, attempts));
  }
  EARSHOT_RETURN_IF_ERROR(log_error);
  report.built = gate_called;
  if (!build_ended) {
    TaskReport failed;
    failed.status = "failed";
    failed.attempts = attempts;
    failed.error = built.status().message();
    EARSHOT_RETURN_IF_ERROR(tasks.End(build_task, "build", "models", failed));
  }
  TaskReport publish;
  if (built.ok() && !held_back.empty()) {
    // Recorded as a partial build, so the next pass builds again.
    EARSHOT_RETURN_IF_ERROR(wh.Execute("UPDATE raw.builds SET status = 'partial', message = " +
                                       warehouse::SqlQuote("held back: " + JoinNames(held_back)) +
                                       " WHERE build_id = " + std::to_string(built->build_id)));
    publish.status = "warn";
    publish.error = "build #" + std::to_string(built->build_id) + " published except " + JoinNames(held_back) +
                    ", held back (their previous version stays) because " + JoinNames(blocking) + " failed";
    report.published = true;
    report.held_back = held_back;
  } else if (built.ok()) {
    publish.status = "ok";
    publish.note = "build #" + std::to_string(built->build_id);
    report.published = true;
  } else if (!blocking.empty()) {
    publish.status = "skipped";
    publish.attempts = 0;
    publish.error = built.status().message();
  } else if (gate_called) {
    publish.status = "failed";
    publish.error = built.status().message();
  } else {
    publish.status = "skipped";
    publish.attempts = 0;
    publish.error = "the build failed: the previous snapshot stays published";
  }
  return tasks.Add("publish", snapshot_name, publish);
}

// The JSON summary of a finished pass for [notify]: `event` is run_finished
// or check_failed; tasks lists those not ok (or, for check_failed, the checks
// that failed).
std::string PassSummary(const config::Project& project, const PassOptions& options, const PassReport& report,
                        const std::string& event) {
  std::string tasks;
  for (const TaskReport& t : report.tasks) {
    const bool wanted = event == "check_failed" ? t.kind == "check" && (t.status == "failed" || t.status == "warn")
                                                : t.status != "ok";
    if (!wanted) continue;
    tasks += std::string(tasks.empty() ? "" : ",") + "{\"kind\":" + JsonString(t.kind) + ",\"target\":" +
             JsonString(t.target) + ",\"status\":" + JsonString(t.status) + ",\"error\":" + JsonString(t.error) + "}";
  }
  std::string held;
  for (const std::string& m : report.held_back) held += (held.empty() ? "" : ",") + JsonString(m);
  return "{\"event\":" + JsonString(event) + ",\"project\":" + JsonString(project.root.string()) +
         ",\"run_id\":" + std::to_string(report.run_id) + ",\"trigger\":" + JsonString(options.trigger) +
         ",\"status\":" + JsonString(report.status) + ",\"message\":" + JsonString(report.message) +
         ",\"published\":" + (report.published ? "true" : "false") + ",\"held_back\":[" + held + "]" +
         ",\"failed_tasks\":" + std::to_string(report.failed_tasks()) + ",\"tasks\":[" + tasks + "]}";
}

void SendNotifications(const config::Project& project, const PassOptions& options, PassReport& report) {
  const config::NotifySettings& n = project.notify;
  if (n.command.empty() && n.webhook.empty()) return;
  const bool check_failed = std::any_of(report.tasks.begin(), report.tasks.end(), [](const TaskReport& t) {
    return t.kind == "check" && (t.status == "failed" || t.status == "warn");
  });
  std::vector<std::string> events;
  if (check_failed) events.push_back("check_failed");
  events.push_back("run_finished");
  for (const std::string& event : events) {
    for (const std::string& failure : Notify(n, PassSummary(project, options, report, event))) {
      report.notes.push_back("notification (" + event + ") not delivered: " + failure);
    }
  }
}

}  // namespace

int PassReport::failed_tasks() const {
  return static_cast<int>(std::count_if(tasks.begin(), tasks.end(), [](const TaskReport& t) { return t.status == "failed"; }));
}

Result<PassReport> RunPass(const config::Project& project, warehouse::Warehouse& wh, const PassOptions& options,
                           const PassEnv& env_in) {
  const PassEnv env = WithDefaults(env_in, project, wh);
  EARSHOT_RETURN_IF_ERROR(ingest::EnsureRawSchema(wh));
  EARSHOT_RETURN_IF_ERROR(checks::EnsureCheckSchema(wh));
  EARSHOT_ASSIGN_OR_RETURN(RunLog log, RunLog::Start(wh, options.trigger));
  PassReport report;
  report.run_id = log.run_id();
  Tasks tasks(log, report, env);

  int loaded = 0;
  if (options.ingest_step) {
    for (TaskReport& t : options.ingest_step()) {
      if (t.status == "ok") ++loaded;
      std::string target = t.target;
      EARSHOT_RETURN_IF_ERROR(tasks.Add("ingest", std::move(target), std::move(t)));
    }
  } else {
    InboxScan scan = ScanInboxes(project, env.file_now());
    report.waiting = scan.waiting;
    report.notes = scan.notes;
    EARSHOT_ASSIGN_OR_RETURN(loaded, IngestReady(project, scan.ready, env, tasks));
  }

  bool build = options.force_build || loaded > 0;
  if (!build) {
    EARSHOT_ASSIGN_OR_RETURN(build, SnapshotBehind(project, wh));
  }
  if (build) {
    EARSHOT_RETURN_IF_ERROR(BuildCheckPublish(project, wh, options, env, report.run_id, tasks, report));
  } else if (!project.checks.empty() && fs::exists(project.published_file())) {
    // Nothing new to build: the published snapshot is current, but time has
    // passed (freshness) and raw tables may have changed.
    EARSHOT_ASSIGN_OR_RETURN(auto blocking, RunChecksAsTasks(project, wh, project.published_file(), kPublishedAlias,
                                                             report.run_id, env, tasks));
    (void)blocking;
  }

  const int failed = report.failed_tasks();
  const int ingested = static_cast<int>(std::count_if(report.tasks.begin(), report.tasks.end(), [](const TaskReport& t) {
    return t.kind == "ingest" && t.status == "ok";
  }));
  report.status = failed > 0 ? "failed" : "ok";
  report.message = std::to_string(ingested) + (ingested == 1 ? " file" : " files") + " ingested";
  if (!report.waiting.empty()) report.message += ", " + std::to_string(report.waiting.size()) + " still being written";
  report.message += !report.held_back.empty() ? "; published except " + JoinNames(report.held_back)
                    : report.published                  ? "; published"
                    : build                             ? "; not published"
                                                        : "; nothing new to build";
  if (failed > 0) report.message += "; " + std::to_string(failed) + (failed == 1 ? " task" : " tasks") + " failed";
  EARSHOT_RETURN_IF_ERROR(log.Finish(report.status, report.message));
  SendNotifications(project, options, report);
  return report;
}

}  // namespace earshot::orchestrator
