#include "models/builder.h"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>

namespace earshot::models {

namespace {

using warehouse::SqlIdentifier;
using warehouse::SqlQuote;
using Clock = std::chrono::steady_clock;

double Since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

Status SyncFile(const std::filesystem::path& p) {
  int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::IoError("cannot open " + p.string() + " to sync it");
  int rc = ::fsync(fd);
  ::close(fd);
  return rc == 0 ? Status::Ok() : Status::IoError("cannot sync " + p.string());
}

Status Publish(warehouse::Warehouse& wh, const std::vector<Model>& models, int64_t build_id,
               const std::filesystem::path& published_file) {
  std::filesystem::path tmp = published_file;
  tmp += ".tmp";
  std::error_code ec;
  std::filesystem::remove(tmp, ec);
  std::filesystem::path wal = tmp;
  wal += ".wal";
  std::filesystem::remove(wal, ec);
  EARSHOT_RETURN_IF_ERROR(wh.Execute("ATTACH " + SqlQuote(tmp.string()) + " AS earshot_publish"));
  std::string sql = "BEGIN TRANSACTION;";
  for (const Model& m : models) {
    if (m.layer != "marts") continue;
    sql += "CREATE TABLE earshot_publish.main." + SqlIdentifier(m.name) + " AS SELECT * FROM marts." +
           SqlIdentifier(m.name) + ";";
  }
  sql += "CREATE TABLE earshot_publish.main.earshot_build AS SELECT build_id, started_at, finished_at, "
         "now()::TIMESTAMP AS published_at FROM raw.builds WHERE build_id = " + std::to_string(build_id) + ";";
  sql += "COMMIT;";
  Status st = wh.Execute(sql);
  if (!st.ok()) (void)wh.Execute("ROLLBACK");
  Status detach = wh.Execute("DETACH earshot_publish");
  EARSHOT_RETURN_IF_ERROR(st);
  EARSHOT_RETURN_IF_ERROR(detach);
  EARSHOT_RETURN_IF_ERROR(SyncFile(tmp));
  if (std::rename(tmp.c_str(), published_file.c_str()) != 0) {
    return Status::IoError("cannot publish " + published_file.string());
  }
  return SyncFile(published_file.parent_path());
}

}  // namespace

Result<BuildReport> BuildAndPublish(warehouse::Warehouse& wh, const std::vector<Model>& models,
                                    const std::filesystem::path& published_file,
                                    const std::function<void(const ModelTiming&)>& on_model) {
  auto started = Clock::now();
  BuildReport report;
  EARSHOT_ASSIGN_OR_RETURN(auto id, wh.QueryInt("SELECT nextval('raw.build_ids')"));
  report.build_id = id.value_or(0);
  const std::string id_sql = std::to_string(report.build_id);
  EARSHOT_RETURN_IF_ERROR(wh.Execute("INSERT INTO raw.builds (build_id, started_at, status, models) VALUES (" +
                                     id_sql + ", now()::TIMESTAMP, 'running', " + std::to_string(models.size()) + ")"));
  auto fail = [&](const Status& st) {
    (void)wh.Execute("ROLLBACK");
    (void)wh.Execute("UPDATE raw.builds SET status = 'failed', finished_at = now()::TIMESTAMP, message = " +
                     SqlQuote(st.message()) + " WHERE build_id = " + id_sql);
    return st;
  };
  EARSHOT_RETURN_IF_ERROR(wh.Execute("BEGIN TRANSACTION"));
  for (const Model& m : models) {
    auto t = Clock::now();
    std::string target = m.layer + "." + SqlIdentifier(m.name);
    Status st = wh.Execute("CREATE OR REPLACE TABLE " + target + " AS\n" + m.sql);
    if (!st.ok()) return fail(st.WithContext("building model " + m.qualified() + " (" + m.path + ")"));
    auto rows = wh.QueryInt("SELECT count(*) FROM " + target);
    if (!rows.ok()) return fail(rows.status());
    ModelTiming timing{m.qualified(), rows->value_or(0), Since(t)};
    if (on_model) on_model(timing);
    report.models.push_back(timing);
  }
  Status committed = wh.Execute(
      "UPDATE raw.builds SET status = 'built', finished_at = now()::TIMESTAMP WHERE build_id = " + id_sql + "; COMMIT");
  if (!committed.ok()) return fail(committed);
  Status published = Publish(wh, models, report.build_id, published_file);
  if (!published.ok()) {
    (void)wh.Execute("UPDATE raw.builds SET status = 'publish_failed', message = " + SqlQuote(published.message()) +
                     " WHERE build_id = " + id_sql);
    return published.WithContext("publishing " + published_file.string());
  }
  EARSHOT_RETURN_IF_ERROR(wh.Execute("UPDATE raw.builds SET status = 'published', published_at = now()::TIMESTAMP "
                                     "WHERE build_id = " + id_sql));
  report.published = published_file;
  report.seconds = Since(started);
  return report;
}

}  // namespace earshot::models
