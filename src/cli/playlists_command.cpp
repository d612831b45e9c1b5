#include <malloc.h>

#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/cli_common.h"
#include "cli/commands.h"

namespace earshot::cli {

void AddPlaylistsCommand(CLI::App& app, int& exit_code) {
  struct Options {
    std::string project = ".";
    std::string events;
    std::string playlists;
    std::string format = "table";
    std::string output;
  };
  auto opts = std::make_shared<Options>();
  auto* verb = app.add_subcommand(
      "playlists", "One shot: ingest events.csv and playlists.ndjson, build, and print the popularity report "
                   "(creates the project if there is none)");
  AddProjectOption(verb, opts->project);
  verb->add_option("--events", opts->events, "The stream events (CSV)")->required()->check(CLI::ExistingFile);
  verb->add_option("--playlists", opts->playlists, "The recommendations (NDJSON)")->required()->check(CLI::ExistingFile);
  verb->add_option("--format", opts->format, "table, csv, json or html")
      ->check(CLI::IsMember({"table", "csv", "json", "html"}))
      ->default_val("table");
  verb->add_option("--output,-o", opts->output, "Write the report to FILE")->type_name("FILE");
  verb->callback([opts, &exit_code] {
    if (!std::filesystem::exists(std::filesystem::path(opts->project) / "earshot.toml")) {
      auto made = config::InitProject(opts->project);
      if (!made.ok()) {
        exit_code = Fail(made.status());
        return;
      }
      std::cout << "Created earshot project in " << made->root.string() << "\n";
    }
    // Ingest, then build with the warehouse opened afresh: DuckDB's buffers
    // and the ingest threads' heap go back to the system in between, so the
    // job's peak memory is the larger of the two steps, not their sum.
    config::Project project;
    for (int step = 0; step < 2; ++step) {
      auto open = OpenForWriting(opts->project);
      if (!open.ok()) {
        exit_code = Fail(open.status());
        return;
      }
      project = open->project;
      int code = step == 0 ? RunIngest(project, *open->wh,
                                       {{opts->events, ingest::Source::kEvents},
                                        {opts->playlists, ingest::Source::kPlaylists}})
                           : BuildProject(project, *open->wh, true);
      if (code != kExitOk) {
        exit_code = code;
        return;
      }
      open->wh.reset();
      ::malloc_trim(0);
    }
    std::cout << "\n";
    exit_code = PrintPlaylistPopularity(project, opts->format, opts->output);
  });
}

}  // namespace earshot::cli
