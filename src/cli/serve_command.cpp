// `earshot serve`: the HTTP API (src/server). Holds the working warehouse
// (the one DuckDB writer) for as long as it runs: it loads instant events
// into it and builds the models itself.
#include <memory>
#include <string>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "server/service.h"

namespace earshot::cli {

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
    auto open = OpenForWriting(*dir);
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
