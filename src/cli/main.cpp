// earshot: one binary, verbs as a table. Each verb lives in its own file in
// src/cli/; this list is the only place that knows them all.
#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/cli_common.h"
#include "cli/commands.h"

int main(int argc, char** argv) {
  using namespace earshot::cli;
  CLI::App app{"earshot: listening analytics in one program (ingest, build, check, report)", "earshot"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "earshot 0.1.0");
  int exit_code = kExitOk;

  // The verbs, in the order `earshot --help` lists them.
  AddInitCommand(app, exit_code);
  AddIngestCommand(app, exit_code);
  AddBuildCommand(app, exit_code);
  AddReportCommand(app, exit_code);
  AddQueryCommand(app, exit_code);
  AddStatusCommand(app, exit_code);
  AddPlaylistsCommand(app, exit_code);
  AddGenerateCommand(app, exit_code);
  AddRunCommand(app, exit_code);
  AddWatchCommand(app, exit_code);
  AddRunsCommand(app, exit_code);
  AddCheckCommand(app, exit_code);
  AddRebuildCommand(app, exit_code);
  AddBackfillCommand(app, exit_code);
  AddRetentionCommand(app, exit_code);
  AddServeCommand(app, exit_code);
  AddTokenCommand(app, exit_code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }
  return exit_code;
}
