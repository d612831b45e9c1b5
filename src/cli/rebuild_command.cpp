// `earshot rebuild`: the working warehouse recreated from the raw archive
// alone (repair/rebuild.h), under the project's run lock.
#include <iostream>
#include <memory>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "orchestrator/run_lock.h"
#include "repair/rebuild.h"

namespace earshot::cli {

void AddRebuildCommand(CLI::App& app, int& exit_code) {
  struct Options {
    std::string project = ".";
    std::string as_of;
  };
  auto opts = std::make_shared<Options>();
  auto* verb = app.add_subcommand(
      "rebuild",
      "Recreate the warehouse from the raw archive alone: replay every delivery in arrival order, build, swap in");
  AddProjectOption(verb, opts->project);
  verb->add_option("--as-of", opts->as_of,
                   "Build as if today (UTC) were this YYYY-MM-DD date (default: the last build's as-of date)");
  verb->callback([opts, &exit_code] {
    auto locked = LoadLocked(opts->project, exit_code);
    if (!locked) return;
    const config::Project* project = &locked->project;
    ProgressLine progress;
    size_t n = 0;
    auto report = repair::Rebuild(*project, {opts->as_of}, [&](const repair::ReplayOutcome& o) {
      ++n;
      progress.Update("replayed " + std::to_string(n) + ": " + o.entry.file_name);
      if (!o.status.ok()) std::cout << "  " << repair::DescribeOutcome(o) << "\n";
    });
    progress.Done();
    if (!report.ok()) {
      exit_code = Fail(report.status());
      return;
    }
    std::cout << "rebuilt " << project->warehouse_file().string() << " from " << report->replayed.size()
              << " archived deliveries: " << report->loaded << " loaded, " << report->failed << " failed again, "
              << report->missing << " deleted by retention\n"
              << "build #" << report->build_id << " (as of " << (report->as_of.empty() ? "today" : report->as_of)
              << "): " << report->mart_rows << " mart rows published to " << project->published_file().string() << "\n";
    if (!report->backup.empty()) std::cout << "the previous warehouse is kept as " << report->backup.string() << "\n";
    exit_code = kExitOk;
  });
}

}  // namespace earshot::cli
