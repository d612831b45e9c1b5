// `earshot check`: runs the [[checks]] of earshot.toml against the published
// snapshot (marts) and the working warehouse (raw.* tables), prints one row
// per check and stores the results in raw.check_results. Exit 1 when an
// error-level check fails. Takes the run lock: it writes to the warehouse.
#include <iostream>
#include <memory>

#include "checks/check_runner.h"
#include "cli/cli_common.h"
#include "cli/commands.h"
#include "ingest/raw_schema.h"
#include "orchestrator/run_lock.h"

namespace earshot::cli {

void AddCheckCommand(CLI::App& app, int& exit_code) {
  struct Options {
    std::string project = ".";
    std::string format = "table";
  };
  auto opts = std::make_shared<Options>();
  auto* verb = app.add_subcommand(
      "check", "Run the checks of earshot.toml on the published marts and raw tables (exit 1 if an error-level one fails)");
  AddProjectOption(verb, opts->project);
  verb->add_option("--format", opts->format, "table or json")->check(CLI::IsMember({"table", "json"}))->default_val("table");
  verb->callback([opts, &exit_code] {
    auto project = LoadProject(opts->project);
    if (!project.ok()) {
      exit_code = Fail(project.status());
      return;
    }
    if (project->checks.empty()) {
      if (opts->format == "json") {
        std::cout << "[]\n";
      } else {
        std::cout << "No checks declared: add [[checks]] tables to " << project->config_file().string() << "\n";
      }
      exit_code = kExitOk;
      return;
    }
    auto lock = LockRun(*project, exit_code);
    if (!lock) return;
    auto wh = OpenWorking(*project);
    if (!wh.ok()) {
      exit_code = Fail(wh.status());
      return;
    }
    if (Status st = ingest::EnsureRawSchema(**wh); !st.ok()) {
      exit_code = Fail(st);
      return;
    }
    auto snapshot = checks::AttachedSnapshot::Attach(**wh, project->published_file(), "earshot_published");
    if (!snapshot.ok()) {
      exit_code = Fail(snapshot.status());
      return;
    }
    checks::CheckTarget target{snapshot->alias(), snapshot->build_id(), std::nullopt,
                               std::chrono::system_clock::now()};
    auto results = checks::RunAndStoreChecks(**wh, project->checks, target);
    if (!results.ok()) {
      exit_code = Fail(results.status().WithContext("check"));
      return;
    }
    PrintTable(checks::ResultsTable(*results), opts->format);
    int blocking = 0;
    for (const auto& r : *results) blocking += r.blocks() ? 1 : 0;
    if (blocking > 0) {
      std::cerr << "earshot: error: " << blocking << " error-level check" << (blocking == 1 ? "" : "s")
                << " failed: a run would not publish\n";
      exit_code = kExitError;
      return;
    }
    exit_code = kExitOk;
  });
}

}  // namespace earshot::cli
