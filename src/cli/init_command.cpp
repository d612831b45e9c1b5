#include <iostream>
#include <memory>

#include "cli/cli_common.h"
#include "cli/commands.h"

namespace earshot::cli {

void AddInitCommand(CLI::App& app, int& exit_code) {
  auto dir = std::make_shared<std::string>(".");
  auto kind = std::make_shared<std::string>("playlists");
  auto* verb = app.add_subcommand("init", "Create a project: earshot.toml, inbox/, archive/, warehouse/");
  verb->add_option("DIR", *dir, "Folder to create the project in")->default_val(".");
  verb->add_option("--template", *kind,
                   "playlists: the events and playlists sources; podcasts: five example podcast providers and the "
                   "catalog sources")
      ->check(CLI::IsMember({"playlists", "podcasts"}))
      ->default_val("playlists");
  verb->callback([dir, kind, &exit_code] {
    const bool podcasts = *kind == "podcasts";
    auto project = config::InitProject(*dir, podcasts ? config::Template::kPodcasts : config::Template::kPlaylists);
    if (!project.ok()) {
      exit_code = Fail(project.status());
      return;
    }
    std::cout << "Created earshot project '" << project->name << "' in " << project->root.string() << "\n"
              << "  config   " << project->config_file().string() << "\n";
    if (podcasts) {
      std::cout << "  inboxes  " << project->inbox_dir().string()
                << "/{alderhost,birchcast,cedarfm,dunepod,emberwave,podcasts,episodes,creators,episode_credits}\n"
                << "Next: earshot ingest --project " << *dir << " --provider alderhost 2025-01-01.csv\n";
      exit_code = kExitOk;
      return;
    }
    std::cout << "  inboxes  " << (project->inbox_dir() / "events").string() << ", "
              << (project->inbox_dir() / "playlists").string() << "\n"
              << "Next: earshot ingest --project " << *dir << " events.csv playlists.ndjson\n";
    exit_code = kExitOk;
  });
}

}  // namespace earshot::cli
