// `earshot backfill --source S --from D --to D [--provider P]`: re-ingest the
// archived deliveries of a source for a period (repair/backfill.h), then
// build, check and publish, as one run (trigger `backfill`) under the run lock.
#include <iostream>
#include <memory>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "orchestrator/pass.h"
#include "orchestrator/run_lock.h"
#include "repair/backfill.h"
#include "repair/replay.h"

namespace earshot::cli {

namespace {

orchestrator::TaskReport ReplayTask(const repair::ReplayOutcome& o) {
  orchestrator::TaskReport t;
  t.kind = "ingest";
  t.target = "archive:" + (o.entry.provider.empty() ? o.entry.source : o.entry.provider) + "/" + o.entry.file_name;
  if (o.status.ok()) {
    t.status = "ok";
    t.rows = static_cast<int64_t>(o.report.accepted);
    t.note = repair::DescribeOutcome(o);
  } else {
    t.status = "failed";
    t.error = o.status.message();
  }
  return t;
}

void PrintTask(const orchestrator::TaskReport& t) {
  std::cout << "  " << t.kind << "  " << t.target << "  " << (t.status == "failed" ? "FAILED" : t.status);
  if (!t.note.empty()) std::cout << ": " << t.note;
  if (!t.error.empty()) std::cout << ": " << t.error;
  std::cout << "\n" << std::flush;
}

}  // namespace

void AddBackfillCommand(CLI::App& app, int& exit_code) {
  struct Options {
    std::string project = ".";
    repair::BackfillRequest request;
    std::string as_of;
    bool dry_run = false;
  };
  auto opts = std::make_shared<Options>();
  auto* verb = app.add_subcommand(
      "backfill",
      "Re-ingest the archived deliveries of a source for a period (the newest version of each file), then build, "
      "check and publish");
  AddProjectOption(verb, opts->project);
  verb->add_option("--source", opts->request.source,
                   "events, playlists, podcasts, episodes, creators, episode_credits, listens, or a provider's name")
      ->required();
  verb->add_option("--provider", opts->request.provider, "Only this provider's deliveries (with --source listens)");
  verb->add_option("--from", opts->request.from, "First day of the period, YYYY-MM-DD")->required();
  verb->add_option("--to", opts->request.to, "Last day of the period, YYYY-MM-DD")->required();
  verb->add_option("--as-of", opts->as_of, "Build as if today (UTC) were this YYYY-MM-DD date (default: today)");
  verb->add_flag("--dry-run", opts->dry_run, "List the deliveries that would be re-ingested; change nothing");
  verb->callback([opts, &exit_code] {
    auto locked = LoadLocked(opts->project, exit_code);
    if (!locked) return;
    const config::Project* project = &locked->project;
    auto journal = repair::ReadJournal(project->archive_dir());
    if (!journal.ok()) {
      exit_code = Fail(journal.status());
      return;
    }
    auto chosen = repair::SelectForBackfill(*project, *journal, opts->request);
    if (!chosen.ok()) {
      exit_code = Fail(chosen.status());
      return;
    }
    if (chosen->empty()) {
      std::cout << "nothing to backfill: no archived delivery of " << opts->request.source << " covers "
                << opts->request.from << " .. " << opts->request.to << "\n";
      exit_code = kExitOk;
      return;
    }
    if (opts->dry_run) {
      for (const auto& e : *chosen) {
        std::cout << "  would re-ingest " << (e.provider.empty() ? e.source : e.provider) << "/" << e.file_name << " ("
                  << e.sha256.substr(0, 12) << ")\n";
      }
      std::cout << chosen->size() << " deliveries would be re-ingested\n";
      exit_code = kExitOk;
      return;
    }
    auto wh = OpenWorking(*project);
    if (!wh.ok()) {
      exit_code = Fail(wh.status());
      return;
    }
    orchestrator::PassOptions options;
    options.trigger = "backfill";
    options.as_of = opts->as_of;
    options.force_build = true;
    options.ingest_step = [&] {
      std::vector<orchestrator::TaskReport> tasks;
      for (const auto& o : repair::ReplayEntries(*project, **wh, *chosen, /*reload=*/true)) {
        tasks.push_back(ReplayTask(o));
      }
      return tasks;
    };
    orchestrator::PassEnv env;
    env.on_task = PrintTask;
    auto report = orchestrator::RunPass(*project, **wh, options, env);
    if (!report.ok()) {
      exit_code = Fail(report.status().WithContext("backfill"));
      return;
    }
    for (const std::string& note : report->notes) std::cout << "  note    " << note << "\n";
    std::cout << "run #" << report->run_id << " (backfill) " << report->status << ": " << report->message;
    if (report->status != "ok") std::cout << " (see `earshot runs show " << report->run_id << "`)";
    std::cout << "\n";
    exit_code = report->status == "ok" ? kExitOk : kExitError;
  });
}

}  // namespace earshot::cli
