// Shared plumbing of the verbs in src/cli: exit codes, the --project option,
// opening the working warehouse or the published snapshot, progress lines on
// a terminal, and printing a Table in the format the user asked for.
#pragma once

#include <CLI/CLI.hpp>

#include <memory>
#include <optional>
#include <string>

#include "common/status.h"
#include "common/table.h"
#include "config/project.h"
#include "orchestrator/run_lock.h"
#include "warehouse/warehouse.h"

namespace earshot::cli {

// Exit codes: 0 ok, 1 error (bad data, failed build, ...), 2 usage.
enum ExitCode : int { kExitOk = 0, kExitError = 1, kExitUsage = 2 };

// Adds `--project DIR` (default: the current directory) to a verb.
void AddProjectOption(CLI::App* verb, std::string& project_dir);

// Prints "earshot: error: ..." on stderr and returns kExitError
// (kExitUsage for kInvalidArgument).
int Fail(const Status& status);
// Fail() for a run lock that could not be taken: kExitBusy when another
// process holds it.
int FailLock(const Status& status);

Result<config::Project> LoadProject(const std::string& dir);
// The project at `dir` with its run lock held (orchestrator/run_lock.h); or
// nothing, after printing why and setting `exit_code` (kExitBusy when another
// process holds the lock).
struct LockedProject {
  config::Project project;
  orchestrator::RunLock lock;
};
std::optional<LockedProject> LoadLocked(const std::string& dir, int& exit_code);
// The run lock of `project`; or nothing, after printing why and setting
// `exit_code` (kExitBusy when another process holds it).
std::optional<orchestrator::RunLock> LockRun(const config::Project& project, int& exit_code);
// A loaded project with its working warehouse open read-write.
struct WritableProject {
  config::Project project;
  std::unique_ptr<warehouse::Warehouse> wh;
};
Result<WritableProject> OpenForWriting(const std::string& dir);

// The working warehouse, read-write (one writer at a time).
Result<std::unique_ptr<warehouse::Warehouse>> OpenWorking(const config::Project& project);
// The working warehouse, read-only (status, diagnostics).
Result<std::unique_ptr<warehouse::Warehouse>> OpenWorkingReadOnly(const config::Project& project);
// The published snapshot, read-only and without access to other files.
Result<std::unique_ptr<warehouse::Warehouse>> OpenPublished(const config::Project& project);

// Writes `table` to stdout as table|csv|json.
int PrintTable(const Table& table, const std::string& format);

// A one-line progress display on stderr, only when stderr is a terminal.
class ProgressLine {
 public:
  ProgressLine();
  ~ProgressLine();
  void Update(const std::string& text);
  void Done();
  bool enabled() const { return enabled_; }

 private:
  bool enabled_;
  bool dirty_ = false;
};

std::string HumanBytes(double bytes);

}  // namespace earshot::cli
