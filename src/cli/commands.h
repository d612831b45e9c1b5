// The verbs of `earshot VERB`, one file each, registered in one explicit list
// in main.cpp. Each Add*Command adds a subcommand whose callback stores the
// verb's exit code in `exit_code`.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "common/status.h"
#include "config/project.h"
#include "ingest/ingest_files.h"
#include "warehouse/warehouse.h"

namespace earshot::cli {

void AddInitCommand(CLI::App& app, int& exit_code);
void AddIngestCommand(CLI::App& app, int& exit_code);
void AddBuildCommand(CLI::App& app, int& exit_code);
void AddReportCommand(CLI::App& app, int& exit_code);
void AddQueryCommand(CLI::App& app, int& exit_code);
void AddStatusCommand(CLI::App& app, int& exit_code);
void AddGenerateCommand(CLI::App& app, int& exit_code);
void AddPlaylistsCommand(CLI::App& app, int& exit_code);
void AddRunCommand(CLI::App& app, int& exit_code);
void AddWatchCommand(CLI::App& app, int& exit_code);
void AddRunsCommand(CLI::App& app, int& exit_code);
void AddCheckCommand(CLI::App& app, int& exit_code);
void AddServeCommand(CLI::App& app, int& exit_code);
void AddTokenCommand(CLI::App& app, int& exit_code);
void AddRebuildCommand(CLI::App& app, int& exit_code);
void AddBackfillCommand(CLI::App& app, int& exit_code);
void AddRetentionCommand(CLI::App& app, int& exit_code);

// `run`, `watch` and `check` exit with this when another of them holds the
// project's run lock (warehouse/earshot.lock): nothing was done, try later.
constexpr int kExitBusy = 3;
// Shared by `run` and `watch`: one pass (sense, ingest, build, check,
// publish) with the working warehouse open only for its length, each task
// printed as it ends. The caller holds the run lock. Returns an exit code.
int RunOnePass(const config::Project& project, const std::string& trigger, const std::string& as_of,
               bool force_build);

// Shared by `ingest` and the one-shot `playlists`: ingests each file, prints
// one summary line per file (and the first rejects); returns an exit code.
int RunIngest(const config::Project& project, warehouse::Warehouse& wh,
                const std::vector<ingest::FileToIngest>& files);
// Shared by `build` and `playlists`: builds the shipped models and publishes.
// `as_of`: YYYY-MM-DD, or empty for today (UTC).
int BuildProject(const config::Project& project, warehouse::Warehouse& wh, bool quiet, const std::string& as_of = "");
// Shared by `report` and `playlists`.
int PrintPlaylistPopularity(const config::Project& project, const std::string& format,
                            const std::string& output);

}  // namespace earshot::cli
