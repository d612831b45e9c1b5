#include <iostream>
#include <memory>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "generate/playlists_generator.h"

namespace earshot::cli {

void AddGenerateCommand(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<generate::PlaylistsOptions>();
  auto out = std::make_shared<std::string>();
  auto clean = std::make_shared<bool>(false);
  auto* verb = app.add_subcommand("generate", "Write realistic, deterministic sample data");
  verb->require_subcommand(1);
  auto* playlists = verb->add_subcommand("playlists", "events.csv and playlists.ndjson for the playlists pipeline");
  playlists->add_option("--users", opts->users, "Listeners")->default_val(1000);
  playlists->add_option("--events", opts->events, "Stream events")->default_val(100000);
  playlists->add_option("--seed", opts->seed, "Random seed: same seed, same bytes")->default_val(1);
  playlists->add_option("--out", *out, "Output folder")->required()->type_name("DIR");
  playlists->add_flag("--clean", *clean, "No deliberately bad rows or duplicates");
  playlists->callback([opts, out, clean, &exit_code] {
    opts->out_dir = *out;
    opts->bad_rows = !*clean;
    ProgressLine progress;
    const uint64_t total = opts->events;
    opts->progress = [&progress, total](uint64_t done) {
      progress.Update("generating: " + std::to_string(done) + " / " + std::to_string(total) + " events");
    };
    auto summary = generate::GeneratePlaylists(*opts);
    progress.Done();
    if (!summary.ok()) {
      exit_code = Fail(summary.status());
      return;
    }
    std::cout << "wrote " << (opts->out_dir / "events.csv").string() << " (" << summary->events_written
              << " rows: " << summary->bad_event_rows << " bad, " << summary->duplicate_event_rows
              << " duplicates) and " << (opts->out_dir / "playlists.ndjson").string() << " ("
              << summary->users_written << " lines: " << summary->bad_playlist_lines << " bad)\n";
    exit_code = kExitOk;
  });
}

}  // namespace earshot::cli
