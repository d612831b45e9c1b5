// `earshot serve`: the HTTP API (src/server). Holds the working warehouse
// (the one DuckDB writer) for as long as it runs: it loads instant events
// into it and builds the models itself.
#include <chrono>
#include <memory>
#include <string>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "orchestrator/run_lock.h"
#include "repair/rebuild.h"
#include "server/json_log.h"
#include "server/service.h"

namespace earshot::cli {

namespace {

// Moves the damaged warehouse aside and rebuilds it from the raw archive
// (the caller holds the run lock), saying so in the JSON log.
Status RebuildDamagedWarehouse(const config::Project& project, const Status& damage) {
  server::LogError("warehouse_damaged")
      .Str("warehouse", project.warehouse_file().string())
      .Str("message", damage.message().substr(0, damage.message().find('\n')))
      .Str("action", "rebuilding it from the raw archive");
  const auto started = std::chrono::steady_clock::now();
  EARSHOT_ASSIGN_OR_RETURN(repair::DamagedRebuild done, repair::RebuildDamaged(project));
  server::LogWarn("warehouse_rebuilt")
      .Str("damaged_kept_as", done.kept.string())
      .Int("deliveries", static_cast<int64_t>(done.report.replayed.size()))
      .Int("loaded", done.report.loaded)
      .Int("failed_again", done.report.failed)
      .Int("deleted_by_retention", done.report.missing)
      .Num("seconds", std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  return Status::Ok();
}

}  // namespace

void AddServeCommand(CLI::App& app, int& exit_code) {
  auto dir = std::make_shared<std::string>(".");
  auto listen = std::make_shared<std::string>();
  auto* verb = app.add_subcommand(
      "serve",
      "Serve the HTTP API: instant listen events in (POST /v1/listens), podcast estimates out (GET /v1/...); "
      "SIGTERM stops it gracefully");
  AddProjectOption(verb, *dir);
  verb->add_option("--listen", *listen,
                   "host:port to listen on (default: serve.listen in earshot.toml, 127.0.0.1:8080; "
                   "port 0 picks a free port, logged at start)")
      ->type_name("HOST:PORT");
  verb->callback([dir, listen, &exit_code] {
    // Before DuckDB starts its threads: SIGTERM must reach the graceful shutdown.
    server::BlockStopSignals();
    // The run lock, held while serving: no `earshot run`, `rebuild`,
    // `backfill` or `retention` may swap or change the warehouse under it.
    auto locked = LoadLocked(*dir, exit_code);
    if (!locked) return;
    auto open = OpenForWriting(*dir);
    if (!open.ok() && repair::IsDamagedWarehouse(open.status())) {
      // A server restarted after a crash must come back: the archive holds
      // every delivery (the loaded log segments too), so it is rebuilt.
      Status st = RebuildDamagedWarehouse(locked->project, open.status());
      if (!st.ok()) {
        exit_code = Fail(st);
        return;
      }
      open = OpenForWriting(*dir);
    }
    if (!open.ok()) {
      exit_code = Fail(open.status());
      return;
    }
    const config::Project& project = open->project;
    auto build = [&project](warehouse::Warehouse& wh) -> Status {
      if (BuildProject(project, wh, true) != kExitOk) return Status::Internal("the build failed (message above)");
      return Status::Ok();
    };
    Status st = server::RunUntilSignal(project, *open->wh, build, *listen);
    exit_code = st.ok() ? kExitOk : Fail(st);
  });
}

}  // namespace earshot::cli
