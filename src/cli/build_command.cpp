#include <cstdio>
#include <iostream>
#include <memory>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "models/builder.h"
#include "orchestrator/build_step.h"

namespace earshot::cli {

int BuildProject(const config::Project& project, warehouse::Warehouse& wh, bool quiet, const std::string& as_of) {
  ProgressLine progress;
  progress.Update("building models ...");
  // Every shipped pipeline, in one snapshot: the same build `earshot run` does.
  auto report = orchestrator::BuildShippedModels(project, wh, as_of, [&](const models::ModelTiming& t) {
    progress.Update("built " + t.model);
  }, /*gate=*/{});
  progress.Done();
  if (!report.ok()) return Fail(report.status().WithContext("build"));
  if (!quiet) {
    for (const auto& m : report->models) {
      char line[160];
      if (m.rows < 0) {
        std::snprintf(line, sizeof line, "  %-40s %17s  %7.2f s\n", m.model.c_str(), "view", m.seconds);
      } else {
        std::snprintf(line, sizeof line, "  %-40s %12lld rows  %7.2f s\n", m.model.c_str(),
                      static_cast<long long>(m.rows), m.seconds);
      }
      std::cout << line;
    }
    char secs[32];
    std::snprintf(secs, sizeof secs, "%.2f", report->seconds);
    std::cout << "build #" << report->build_id << " published to " << report->published.string() << " in " << secs
              << " s\n";
  }
  return kExitOk;
}

void AddBuildCommand(CLI::App& app, int& exit_code) {
  auto dir = std::make_shared<std::string>(".");
  auto as_of = std::make_shared<std::string>();
  auto* verb = app.add_subcommand("build", "Build the models (staging, marts) and publish the marts snapshot");
  AddProjectOption(verb, *dir);
  verb->add_option("--as-of", *as_of,
                   "Build as if today (UTC) were this YYYY-MM-DD date: instant events count for days before it "
                   "(default: today)");
  verb->callback([dir, as_of, &exit_code] {
    auto open = OpenForWriting(*dir);
    if (!open.ok()) {
      exit_code = Fail(open.status());
      return;
    }
    exit_code = BuildProject(open->project, *open->wh, false, *as_of);
  });
}

}  // namespace earshot::cli
