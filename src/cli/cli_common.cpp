#include "cli/cli_common.h"

#include "cli/commands.h"

#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "repair/rebuild.h"
#include "reports/csv_writer.h"
#include "reports/json_writer.h"
#include "reports/text_table.h"

namespace earshot::cli {

void AddProjectOption(CLI::App* verb, std::string& project_dir) {
  verb->add_option("--project", project_dir, "Project folder (holds earshot.toml)")->default_val(".")->type_name("DIR");
}

int Fail(const Status& status) {
  std::cerr << "earshot: error: " << status.message() << "\n";
  return status.code() == StatusCode::kInvalidArgument ? kExitUsage : kExitError;
}

int FailLock(const Status& status) {
  const int code = Fail(status);
  return status.code() == StatusCode::kAlreadyExists ? kExitBusy : code;
}

Result<config::Project> LoadProject(const std::string& dir) { return config::LoadProject(dir); }

std::optional<LockedProject> LoadLocked(const std::string& dir, int& exit_code) {
  auto project = LoadProject(dir);
  if (!project.ok()) {
    exit_code = Fail(project.status());
    return std::nullopt;
  }
  auto lock = LockRun(*project, exit_code);
  if (!lock) return std::nullopt;
  return LockedProject{std::move(project).value(), std::move(*lock)};
}

std::optional<orchestrator::RunLock> LockRun(const config::Project& project, int& exit_code) {
  auto lock = orchestrator::RunLock::Acquire(orchestrator::RunLockPath(project));
  if (!lock.ok()) {
    exit_code = FailLock(lock.status());
    return std::nullopt;
  }
  return std::move(lock).value();
}


Result<std::unique_ptr<warehouse::Warehouse>> OpenWorking(const config::Project& project) {
  std::error_code ec;
  std::filesystem::create_directories(project.warehouse_dir(), ec);
  auto wh = warehouse::Warehouse::Open(project.warehouse_file(), repair::WorkingOpenOptions(project));
  if (!wh.ok() && repair::IsDamagedWarehouse(wh.status())) {
    return Status(wh.status().code(),
                  wh.status().message() +
                      "\n  (the warehouse file is damaged: a crash while DuckDB wrote a checkpoint can do this. Every "
                      "delivery is in the raw archive: `earshot rebuild` makes the warehouse again from it and keeps "
                      "the damaged file; `earshot serve` does that by itself)");
  }
  if (!wh.ok()) {
    return Status(wh.status().code(),
                  wh.status().message() + "\n  (is another earshot process ingesting or building in this project?)");
  }
  return wh;
}

Result<WritableProject> OpenForWriting(const std::string& dir) {
  EARSHOT_ASSIGN_OR_RETURN(config::Project project, LoadProject(dir));
  EARSHOT_ASSIGN_OR_RETURN(auto wh, OpenWorking(project));
  return WritableProject{std::move(project), std::move(wh)};
}

Result<std::unique_ptr<warehouse::Warehouse>> OpenWorkingReadOnly(const config::Project& project) {
  if (!std::filesystem::exists(project.warehouse_file())) {
    return Status::NotFound("nothing ingested yet in " + project.root.string() + ": run `earshot ingest FILE`");
  }
  auto o = repair::WorkingOpenOptions(project);
  o.read_only = true;
  return warehouse::Warehouse::Open(project.warehouse_file(), o);
}

Result<std::unique_ptr<warehouse::Warehouse>> OpenPublished(const config::Project& project) {
  if (!std::filesystem::exists(project.published_file())) {
    return Status::NotFound("nothing published yet in " + project.root.string() +
                            ": run `earshot build` after ingesting");
  }
  warehouse::OpenOptions o;
  o.read_only = true;
  o.sandboxed = true;
  return warehouse::Warehouse::Open(project.published_file(), o);
}

int PrintTable(const Table& table, const std::string& format) {
  if (format == "csv") {
    std::cout << reports::RenderCsv(table);
  } else if (format == "json") {
    std::cout << reports::RenderJson(table);
  } else {
    std::cout << reports::RenderTextTable(table);
    std::cout << "(" << table.rows.size() << (table.rows.size() == 1 ? " row" : " rows") << ")\n";
  }
  std::cout.flush();
  return kExitOk;
}

ProgressLine::ProgressLine() : enabled_(::isatty(STDERR_FILENO) == 1) {}
ProgressLine::~ProgressLine() { Done(); }

void ProgressLine::Update(const std::string& text) {
  if (!enabled_) return;
  std::fprintf(stderr, "\r\033[K%s", text.c_str());
  std::fflush(stderr);
  dirty_ = true;
}

void ProgressLine::Done() {
  if (enabled_ && dirty_) {
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
  }
  dirty_ = false;
}

std::string HumanBytes(double bytes) {
  const char* units[] = {"B", "KB", "MB", "GB", "TB"};
  int u = 0;
  while (bytes >= 1000 && u < 4) {
    bytes /= 1000;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", bytes, units[u]);
  return buf;
}

}  // namespace earshot::cli
