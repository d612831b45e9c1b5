#include <cstdio>
#include <iostream>
#include <memory>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "ingest/raw_schema.h"
#include "models/builder.h"

namespace earshot::cli {

int BuildProject(const config::Project& project, warehouse::Warehouse& wh, bool quiet) {
  Status schema = ingest::EnsureRawSchema(wh);
  if (!schema.ok()) return Fail(schema);
  auto models = models::PipelineModels("playlists");
  if (!models.ok()) return Fail(models.status());
  ProgressLine progress;
  progress.Update("building " + std::to_string(models->size()) + " models ...");
  auto report = models::BuildAndPublish(wh, *models, project.published_file(), [&](const models::ModelTiming& t) {
    progress.Update("built " + t.model);
  });
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
  auto* verb = app.add_subcommand("build", "Build the models (staging, marts) and publish the marts snapshot");
  AddProjectOption(verb, *dir);
  verb->callback([dir, &exit_code] {
    auto open = OpenForWriting(*dir);
    if (!open.ok()) {
      exit_code = Fail(open.status());
      return;
    }
    exit_code = BuildProject(open->project, *open->wh, false);
  });
}

}  // namespace earshot::cli
