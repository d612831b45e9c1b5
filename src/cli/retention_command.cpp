// `earshot retention [--dry-run]`: raw retention (repair/retention.h) under
// the project's run lock.
#include <chrono>
#include <iostream>
#include <memory>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "orchestrator/run_lock.h"
#include "repair/retention.h"

namespace earshot::cli {

void AddRetentionCommand(CLI::App& app, int& exit_code) {
  struct Options {
    std::string project = ".";
    bool dry_run = false;
    std::string today;
  };
  auto opts = std::make_shared<Options>();
  auto* verb = app.add_subcommand(
      "retention",
      "Delete archived deliveries older than [retention] allows, never one whose rows are the current version");
  AddProjectOption(verb, opts->project);
  verb->add_flag("--dry-run", opts->dry_run, "List what would be deleted; delete nothing");
  verb->add_option("--today", opts->today, "Count ages as if today (UTC) were this YYYY-MM-DD (default: today)");
  verb->callback([opts, &exit_code] {
    auto project = LoadProject(opts->project);
    if (!project.ok()) {
      exit_code = Fail(project.status());
      return;
    }
    repair::Day today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()).time_since_epoch().count();
    if (!opts->today.empty()) {
      auto d = repair::ParseDay(opts->today);
      if (!d) {
        exit_code = Fail(Status::Invalid("--today '" + opts->today + "' is not a YYYY-MM-DD date"));
        return;
      }
      today = *d;
    }
    auto lock = LockRun(*project, exit_code);
    if (!lock) return;
    auto wh = OpenWorking(*project);
    if (!wh.ok()) {
      exit_code = Fail(wh.status());
      return;
    }
    auto report = repair::ApplyRetention(*project, **wh, today, opts->dry_run);
    if (!report.ok()) {
      exit_code = Fail(report.status().WithContext("retention"));
      return;
    }
    for (const auto& d : report->deleted) {
      std::cout << "  " << (opts->dry_run ? "would delete " : "deleted ")
                << (d.entry.provider.empty() ? d.entry.source : d.entry.provider) << "/" << d.entry.file_name << " ("
                << d.entry.sha256.substr(0, 12) << ", landed " << repair::FormatDay(d.landed) << ", keep "
                << d.keep_days << " days)\n";
    }
    std::cout << (opts->dry_run ? "would delete " : "deleted ") << report->deleted.size() << " archived objects ("
              << HumanBytes(static_cast<double>(report->bytes)) << "); kept " << report->kept_current
              << " still current, " << report->kept_young << " not old enough, " << report->kept_forever
              << " kept forever\n";
    exit_code = kExitOk;
  });
}

}  // namespace earshot::cli
