#include <iostream>
#include <memory>

#include "cli/cli_common.h"
#include "cli/commands.h"

namespace earshot::cli {

void AddInitCommand(CLI::App& app, int& exit_code) {
  auto dir = std::make_shared<std::string>(".");
  auto* verb = app.add_subcommand("init", "Create a project: earshot.toml, inbox/, archive/, warehouse/");
  verb->add_option("DIR", *dir, "Folder to create the project in")->default_val(".");
  verb->callback([dir, &exit_code] {
    auto project = config::InitProject(*dir);
    if (!project.ok()) {
      exit_code = Fail(project.status());
      return;
    }
    std::cout << "Created earshot project '" << project->name << "' in " << project->root.string() << "\n"
              << "  config   " << project->config_file().string() << "\n"
              << "  inboxes  " << (project->inbox_dir() / "events").string() << ", "
              << (project->inbox_dir() / "playlists").string() << "\n"
              << "Next: earshot ingest --project " << *dir << " events.csv playlists.ndjson\n";
    exit_code = kExitOk;
  });
}

}  // namespace earshot::cli
