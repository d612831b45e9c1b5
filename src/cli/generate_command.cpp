// `earshot generate playlists|podcasts`: realistic, deterministic sample data.
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "generate/playlists_generator.h"
#include "generate/podcasts_generator.h"

namespace earshot::cli {
namespace {

void PrintPodcastsSummary(const generate::PodcastsOptions& opts, const generate::PodcastsSummary& s, double seconds) {
  std::cout << "wrote " << opts.out_dir.string() << ": " << s.files << " files, "
            << HumanBytes(static_cast<double>(s.bytes)) << " in " << std::fixed;
  std::cout.precision(1);
  std::cout << seconds << " s\n"
            << "  market: " << s.podcasts << " podcasts, " << s.episodes << " episodes, " << s.creators << " creators, "
            << s.true_listens << " true listens, " << s.first_day << " .. " << s.last_day << " (" << s.days
            << " days)\n";
  for (const auto& p : s.providers) {
    std::cout << "  " << p.name << ": " << p.files << " files, " << p.rows << " rows, " << p.events << " events, "
              << p.share_listens << " listens in its share\n";
  }
  std::cout << "  imperfections: " << s.restated_files << " restated, " << s.late_files << " late, " << s.missing_files
            << " missing, " << s.bad_rows << " bad rows (" << s.negative_listens_rows << " negative, "
            << s.non_numeric_listens_rows << " non-numeric, " << s.impossible_date_rows << " impossible date, "
            << s.empty_podcast_id_rows << " empty podcast_id), " << s.repeated_events << " repeated events; "
            << s.zero_rows << " explicit 0 rows\n"
            << "  ingest in the order of " << (opts.out_dir / "arrival.tsv").string() << "; truth in "
            << (opts.out_dir / "truth").string() << "/\n";
}

void AddGeneratePodcastsCommand(CLI::App* verb, int& exit_code) {
  auto opts = std::make_shared<generate::PodcastsOptions>();
  auto out = std::make_shared<std::string>();
  auto project_dir = std::make_shared<std::string>();
  auto clean = std::make_shared<bool>(false);
  auto* podcasts = verb->add_subcommand(
      "podcasts", "A podcast market: catalog, every provider's deliveries in its own shape, arrival order, truth");
  podcasts->add_option("--seed", opts->seed, "Random seed: same options, same bytes")->default_val(1);
  podcasts->add_option("--months", opts->months, "Months to generate (1-120)")->default_val(3);
  podcasts->add_option("--start", opts->start_month, "First month, YYYY-MM")->default_val("2025-01");
  podcasts->add_option("--podcasts", opts->podcasts, "Podcasts in the market")->default_val(2000);
  podcasts->add_option("--episodes-per-podcast", opts->episodes_per_podcast, "Episodes of each podcast")
      ->default_val(20);
  podcasts->add_option("--listens-scale", opts->listens_scale, "Multiplies every podcast's audience")->default_val(1.0);
  podcasts
      ->add_option("--project", *project_dir,
                   "Take the providers from this project's earshot.toml (default: the podcasts template's)")
      ->type_name("DIR");
  podcasts->add_option("--out", *out, "Output folder")->required()->type_name("DIR");
  podcasts->add_flag("--clean", *clean, "No restated, late or missing files, bad rows or repeated events");
  podcasts->callback([opts, out, project_dir, clean, &exit_code] {
    opts->out_dir = *out;
    opts->imperfections = !*clean;
    if (!project_dir->empty()) {
      auto project = LoadProject(*project_dir);
      if (!project.ok()) {
        exit_code = Fail(project.status());
        return;
      }
      opts->providers = project->providers;
      if (opts->providers.empty()) {
        exit_code = Fail(Status::Invalid("generate podcasts: " + project->config_file().string() +
                                         " declares no [providers.NAME]; add some (see `earshot init --template "
                                         "podcasts`) or leave out --project"));
        return;
      }
    }
    ProgressLine progress;
    opts->progress = [&progress](uint64_t done, uint64_t total) {
      progress.Update("generating: day " + std::to_string(done) + " / " + std::to_string(total));
    };
    const auto started = std::chrono::steady_clock::now();
    auto summary = generate::GeneratePodcasts(*opts);
    progress.Done();
    opts->progress = nullptr;
    if (!summary.ok()) {
      exit_code = Fail(summary.status());
      return;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    PrintPodcastsSummary(*opts, *summary, seconds);
    exit_code = kExitOk;
  });
}

}  // namespace

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
              << " duplicates) and " << (opts->out_dir / "playlists.ndjson").string() << " (" << summary->users_written
              << " lines: " << summary->bad_playlist_lines << " bad)\n";
    exit_code = kExitOk;
  });

  AddGeneratePodcastsCommand(verb, exit_code);
}

}  // namespace earshot::cli
