// `earshot runs` and `earshot runs show ID`: the run history
// (raw.runs, raw.run_tasks), read-only.
#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "orchestrator/run_log.h"
#include "reports/json_writer.h"

namespace earshot::cli {

namespace {

// The one object of a one-row JSON array.
std::string JsonObject(const Table& one_row) {
  std::string array = reports::RenderJson(one_row);
  auto open = array.find('{');
  auto close = array.rfind('}');
  return open == std::string::npos || close == std::string::npos ? "null" : array.substr(open, close - open + 1);
}

int ShowRun(warehouse::Warehouse& wh, int64_t run_id, const std::string& format) {
  auto run = orchestrator::RunRow(wh, run_id);
  if (!run.ok()) return Fail(run.status());
  auto tasks = orchestrator::RunTasks(wh, run_id);
  if (!tasks.ok()) return Fail(tasks.status());
  if (format == "json") {
    std::cout << "{\"run\": " << JsonObject(*run) << ",\n\"tasks\": " << reports::RenderJson(*tasks) << "}\n";
    return kExitOk;
  }
  const auto& r = run->rows[0];
  std::cout << "run #" << run_id << " (" << r[1].value_or("?") << ") " << r[2].value_or("?") << ", started "
            << r[3].value_or("?") << " UTC";
  if (r[5]) std::cout << ", " << *r[5] << " s";
  std::cout << ": " << r[6].value_or("") << "\n";
  return PrintTable(*tasks, "table");
}

}  // namespace

void AddRunsCommand(CLI::App& app, int& exit_code) {
  struct Options {
    std::string project = ".";
    std::string format = "table";
    int limit = 20;
    int64_t run_id = 0;
  };
  auto opts = std::make_shared<Options>();
  auto* verb = app.add_subcommand("runs", "The run history: every `earshot run` / `watch` pass and its tasks");
  AddProjectOption(verb, opts->project);
  verb->add_option("--format", opts->format, "table or json")->check(CLI::IsMember({"table", "json"}))->default_val("table");
  verb->add_option("--limit", opts->limit, "How many runs, newest first")->default_val(20)->check(CLI::PositiveNumber);
  auto* show = verb->add_subcommand("show", "One run's tasks: what ran, its status, rows, attempts and error");
  show->add_option("ID", opts->run_id, "The run's id (from `earshot runs`)")->required();
  AddProjectOption(show, opts->project);
  show->add_option("--format", opts->format, "table or json")->check(CLI::IsMember({"table", "json"}))->default_val("table");

  verb->callback([opts, show, &exit_code] {
    auto project = LoadProject(opts->project);
    if (!project.ok()) {
      exit_code = Fail(project.status());
      return;
    }
    auto none = [&] {
      if (show->parsed()) {
        exit_code = Fail(Status::NotFound("no runs yet: `earshot run` records one per pass"));
      } else {
        std::cout << (opts->format == "json" ? "[]\n" : "No runs yet: `earshot run` records one per pass\n");
        exit_code = kExitOk;
      }
    };
    if (!std::filesystem::exists(project->warehouse_file())) return none();
    auto wh = OpenWorkingReadOnly(*project);
    if (!wh.ok()) {
      exit_code = Fail(wh.status().WithContext(
          "reading the run history (a pass of `earshot run`/`watch` may be writing: try again in a moment)"));
      return;
    }
    if (show->parsed()) {
      exit_code = ShowRun(**wh, opts->run_id, opts->format);
      return;
    }
    auto runs = orchestrator::ListRuns(**wh, opts->limit);
    if (!runs.ok()) {
      if (runs.status().code() == StatusCode::kNotFound) return none();
      exit_code = Fail(runs.status());
      return;
    }
    exit_code = PrintTable(*runs, opts->format);
  });
}

}  // namespace earshot::cli
