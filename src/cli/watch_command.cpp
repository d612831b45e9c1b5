// `earshot watch`: passes of `earshot run`, continuously, as files arrive and
// schedules fire (orchestrator/watcher.h), until SIGTERM or Ctrl-C. Holds the
// run lock for as long as it watches; the working warehouse only during a
// pass, so `earshot status` and `earshot runs` can read between passes.
#include <iostream>
#include <memory>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "orchestrator/run_lock.h"
#include "orchestrator/watcher.h"

namespace earshot::cli {

void AddWatchCommand(CLI::App& app, int& exit_code) {
  auto dir = std::make_shared<std::string>(".");
  auto* verb = app.add_subcommand(
      "watch", "Run passes continuously: as files arrive in the inboxes and at [run] schedules, until SIGTERM");
  AddProjectOption(verb, *dir);
  verb->callback([dir, &exit_code] {
    // Before any thread exists, so every thread leaves the stop signals to the watcher.
    if (Status st = orchestrator::BlockStopSignals(); !st.ok()) {
      exit_code = Fail(st);
      return;
    }
    auto locked = LoadLocked(*dir, exit_code);
    if (!locked) return;
    const config::Project* project = &locked->project;
    orchestrator::WatchCallbacks callbacks;
    callbacks.log = [](const std::string& line) { std::cout << "watch: " << line << "\n" << std::flush; };
    callbacks.pass = [&](std::string_view trigger, bool force_build) {
      (void)RunOnePass(*project, std::string(trigger), "", force_build);  // failures are in the run history
    };
    Status watched = orchestrator::Watch(*project, callbacks);
    exit_code = watched.ok() ? kExitOk : Fail(watched);
  });
}

}  // namespace earshot::cli
