#include <cstdio>
#include <iostream>
#include <memory>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "ingest/raw_schema.h"
#include "models/build_settings.h"
#include "models/builder.h"

namespace earshot::cli {

int BuildProject(const config::Project& project, warehouse::Warehouse& wh, bool quiet, const std::string& as_of) {
  Status schema = ingest::EnsureRawSchema(wh);
  if (!schema.ok()) return Fail(schema);
  Status settings = models::WriteBuildSettings(wh, project, as_of);
  if (!settings.ok()) return Fail(settings);
  // Every shipped pipeline, in one snapshot.
  std::vector<models::Model> all;
  for (const char* pipeline : {"playlists", "podcasts"}) {
    auto some = models::PipelineModels(pipeline);
    if (!some.ok()) return Fail(some.status());
    all.insert(all.end(), some->begin(), some->end());
  }
  auto models = models::OrderModels(std::move(all));
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
