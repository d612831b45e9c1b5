// `earshot run`: one pass over the whole DAG (orchestrator/pass.h) under the
// project's run lock.
#include <cstdio>
#include <iostream>
#include <memory>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "orchestrator/pass.h"
#include "orchestrator/run_lock.h"
#include "reports/number_format.h"

namespace earshot::cli {

namespace {

void PrintTask(const orchestrator::TaskReport& t) {
  char head[64];
  std::snprintf(head, sizeof head, "  %-8s", t.kind.c_str());
  std::string line = head + t.target + "  " + (t.status == "failed" ? std::string("FAILED") : t.status);
  if (t.rows && t.kind == "ingest")
    line += ", " + reports::FormatThousands(*t.rows) + (*t.rows == 1 ? " row" : " rows");
  if (t.attempts > 1) line += ", " + std::to_string(t.attempts) + " attempts";
  if (!t.note.empty()) line += ": " + t.note;
  if (!t.error.empty()) line += ": " + t.error;
  std::cout << line << "\n" << std::flush;
  if (t.status == "failed") std::cerr << "earshot: error: " << t.kind << " " << t.target << ": " << t.error << "\n";
}

}  // namespace

int RunOnePass(const config::Project& project, const std::string& trigger, const std::string& as_of, bool force_build) {
  auto wh = OpenWorking(project);
  if (!wh.ok()) return Fail(wh.status());
  orchestrator::PassOptions options;
  options.trigger = trigger;
  options.as_of = as_of;
  options.force_build = force_build;
  orchestrator::PassEnv env;
  env.on_task = PrintTask;
  auto report = orchestrator::RunPass(project, **wh, options, env);
  if (!report.ok()) return Fail(report.status().WithContext("run"));
  for (const std::string& note : report->notes) std::cout << "  note    " << note << "\n";
  for (const orchestrator::InboxFile& f : report->waiting) {
    char secs[32];
    std::snprintf(secs, sizeof secs, "%.1f", f.settles_in);
    std::error_code ec;
    std::cout << "  waiting " << std::filesystem::relative(f.path, project.root, ec).string()
              << ": still being written (complete once unchanged for " << secs << " s more, or when "
              << f.path.filename().string() << ".done appears)\n";
  }
  std::cout << "run #" << report->run_id << " " << report->status << ": " << report->message;
  if (report->status != "ok") std::cout << " (see `earshot runs show " << report->run_id << "`)";
  std::cout << "\n" << std::flush;
  return report->status == "ok" ? kExitOk : kExitError;
}

void AddRunCommand(CLI::App& app, int& exit_code) {
  struct Options {
    std::string project = ".";
    std::string as_of;
    bool build = false;
  };
  auto opts = std::make_shared<Options>();
  auto* verb = app.add_subcommand(
      "run", "One pass: ingest the complete files in every inbox, build, check and publish (exit 1 if a task failed)");
  AddProjectOption(verb, opts->project);
  verb->add_option("--as-of", opts->as_of, "Build as if today (UTC) were this YYYY-MM-DD date (default: today)");
  verb->add_flag("--build", opts->build, "Build and publish even when no new file was loaded");
  verb->callback([opts, &exit_code] {
    auto locked = LoadLocked(opts->project, exit_code);
    if (!locked) return;
    const config::Project* project = &locked->project;
    exit_code = RunOnePass(*project, "manual", opts->as_of, opts->build);
  });
}

}  // namespace earshot::cli
