#include "repair/rebuild.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>

#include "ingest/raw_schema.h"
#include "orchestrator/build_step.h"

namespace earshot::repair {

namespace fs = std::filesystem;

namespace {

fs::path WithSuffix(const fs::path& p, const std::string& suffix) {
  fs::path out = p;
  out += suffix;
  return out;
}

void RemoveDatabase(const fs::path& p) {
  std::error_code ec;
  fs::remove(p, ec);
  fs::remove(WithSuffix(p, ".wal"), ec);
}

Status SyncDir(const fs::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Status::IoError("cannot open " + dir.string() + " to sync it");
  int rc = ::fsync(fd);
  ::close(fd);
  return rc == 0 ? Status::Ok() : Status::IoError("cannot sync " + dir.string());
}

// The as-of date of the current warehouse's last build, or empty.
std::string LastAsOf(const config::Project& project) {
  if (!fs::exists(project.warehouse_file())) return "";
  warehouse::OpenOptions o = WorkingOpenOptions(project);
  o.read_only = true;
  auto wh = warehouse::Warehouse::Open(project.warehouse_file(), o);
  if (!wh.ok()) return "";
  auto t = (*wh)->Query("SELECT strftime(as_of, '%Y-%m-%d') FROM raw.build_settings");
  if (!t.ok() || t->rows.empty() || !t->rows[0][0]) return "";
  return *t->rows[0][0];
}

}  // namespace

warehouse::OpenOptions WorkingOpenOptions(const config::Project& project) {
  warehouse::OpenOptions o;
  o.memory_limit = project.memory_limit;
  o.threads = project.threads;
  o.temp_directory = project.warehouse_dir() / "spill";
  return o;
}

Result<RebuildReport> Rebuild(const config::Project& project, const RebuildOptions& options,
                              const std::function<void(const ReplayOutcome&)>& on_each) {
  EARSHOT_ASSIGN_OR_RETURN(std::vector<JournalEntry> journal, ReadJournal(project.archive_dir()));
  if (journal.empty()) {
    return Status::NotFound("nothing to rebuild from: " + (project.archive_dir() / "landings.ndjson").string() +
                            " lists no delivery");
  }
  RebuildReport report;
  report.as_of = options.as_of.empty() ? LastAsOf(project) : options.as_of;

  const fs::path fresh = WithSuffix(project.warehouse_file(), ".rebuild");
  const fs::path fresh_snapshot = WithSuffix(project.published_file(), ".rebuild");
  std::error_code ec;
  fs::create_directories(project.warehouse_dir(), ec);
  RemoveDatabase(fresh);  // a rebuild that was cut short
  RemoveDatabase(fresh_snapshot);
  {
    auto opened = warehouse::Warehouse::Open(fresh, WorkingOpenOptions(project));
    if (!opened.ok()) return opened.status().WithContext("creating " + fresh.string());
    std::unique_ptr<warehouse::Warehouse> wh = std::move(opened).value();
    EARSHOT_RETURN_IF_ERROR(ingest::EnsureRawSchema(*wh));
    report.replayed = ReplayEntries(project, *wh, journal, /*reload=*/false, on_each);
    for (const ReplayOutcome& o : report.replayed) {
      if (o.missing) {
        ++report.missing;
      } else if (!o.status.ok()) {
        ++report.failed;
      } else if (!o.report.already_ingested) {
        ++report.loaded;
      }
    }
    auto built = orchestrator::BuildShippedModels(
        project, *wh, report.as_of,
        [&](const models::ModelTiming& t) {
          if (t.rows > 0 && t.model.starts_with("marts.")) report.mart_rows += t.rows;
        },
        /*gate=*/{}, fresh_snapshot);
    if (!built.ok()) {
      wh.reset();
      RemoveDatabase(fresh);
      RemoveDatabase(fresh_snapshot);
      return built.status().WithContext("rebuild: building the models");
    }
    report.build_id = built->build_id;
    EARSHOT_RETURN_IF_ERROR(wh->Execute("CHECKPOINT"));
  }
  // Swap in: the old warehouse keeps a second name (a hard link) so that the
  // rename replaces earshot.duckdb in one step.
  const fs::path backup = WithSuffix(project.warehouse_file(), ".before-rebuild");
  RemoveDatabase(backup);
  if (fs::exists(project.warehouse_file())) {
    fs::create_hard_link(project.warehouse_file(), backup, ec);
    if (!ec) report.backup = backup;
  }
  // A write-ahead log of the old warehouse must not be replayed onto the new one.
  fs::remove(WithSuffix(project.warehouse_file(), ".wal"), ec);
  if (std::rename(fresh.c_str(), project.warehouse_file().c_str()) != 0) {
    return Status::IoError("cannot rename " + fresh.string() + " to " + project.warehouse_file().string());
  }
  if (std::rename(fresh_snapshot.c_str(), project.published_file().c_str()) != 0) {
    return Status::IoError("cannot rename " + fresh_snapshot.string() + " to " + project.published_file().string());
  }
  EARSHOT_RETURN_IF_ERROR(SyncDir(project.warehouse_dir()));
  return report;
}

bool IsDamagedWarehouse(const Status& open_error) {
  const std::string& m = open_error.message();
  return m.find("Corrupt database file") != std::string::npos || m.find("Corrupt WAL file") != std::string::npos;
}

Result<DamagedRebuild> RebuildDamaged(const config::Project& project,
                                      const std::function<void(const ReplayOutcome&)>& on_each) {
  DamagedRebuild out;
  const std::time_t now = std::time(nullptr);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", std::gmtime(&now));
  out.kept = WithSuffix(project.warehouse_file(), std::string(".damaged-") + stamp);
  std::error_code ec;
  fs::rename(project.warehouse_file(), out.kept, ec);
  if (ec)
    return Status::IoError("cannot move the damaged " + project.warehouse_file().string() + " aside: " + ec.message());
  const fs::path wal = WithSuffix(project.warehouse_file(), ".wal");
  if (fs::exists(wal)) {
    fs::rename(wal, WithSuffix(out.kept, ".wal"), ec);
    if (ec) return Status::IoError("cannot move " + wal.string() + " aside: " + ec.message());
  }
  EARSHOT_RETURN_IF_ERROR(SyncDir(project.warehouse_dir()));
  auto rebuilt = Rebuild(project, {}, on_each);
  if (rebuilt.ok()) {
    out.report = std::move(rebuilt).value();
  } else if (rebuilt.status().code() != StatusCode::kNotFound) {
    return rebuilt.status().WithContext("rebuilding the damaged warehouse from the raw archive (it is kept as " +
                                        out.kept.string() + ")");
  }
  return out;
}

}  // namespace earshot::repair
