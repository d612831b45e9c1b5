#include "models/builder.h"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <set>

namespace earshot::models {

namespace {

using warehouse::SqlIdentifier;
using warehouse::SqlQuote;
using Clock = std::chrono::steady_clock;

double Since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

Status SyncPath(const std::filesystem::path& p) {
  int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::IoError("cannot open " + p.string() + " to sync it");
  int rc = ::fsync(fd);
  ::close(fd);
  return rc == 0 ? Status::Ok() : Status::IoError("cannot sync " + p.string());
}

void RemoveQuietly(const std::filesystem::path& p) {
  std::error_code ec;
  std::filesystem::remove(p, ec);
  std::filesystem::path wal = p;
  wal += ".wal";
  std::filesystem::remove(wal, ec);
}

// Attaches one database per layer for the build and detaches them whatever happens.
class LayerCatalogs {
 public:
  explicit LayerCatalogs(warehouse::Warehouse& wh) : wh_(wh) {}
  ~LayerCatalogs() { DetachAll(); }
  void DetachAll() {
    for (const std::string& name : attached_) (void)wh_.Execute("DETACH " + name);
    attached_.clear();
  }
  Status Attach(const std::string& name, const std::string& location) {
    (void)wh_.Execute("DETACH DATABASE IF EXISTS " + name);
    EARSHOT_RETURN_IF_ERROR(wh_.Execute("ATTACH " + SqlQuote(location) + " AS " + name));
    attached_.insert(name);
    return Status::Ok();
  }
  Status Detach(const std::string& name) {
    attached_.erase(name);
    return wh_.Execute("DETACH " + name);
  }

 private:
  warehouse::Warehouse& wh_;
  std::set<std::string> attached_;
};

}  // namespace

Result<BuildReport> BuildAndPublish(warehouse::Warehouse& wh, const std::vector<Model>& models,
                                    const std::filesystem::path& published_file,
                                    const std::function<void(const ModelTiming&)>& on_model,
                                    const BeforePublish& before_publish) {
  auto started = Clock::now();
  BuildReport report;
  EARSHOT_ASSIGN_OR_RETURN(auto id, wh.QueryInt("SELECT nextval('raw.build_ids')"));
  report.build_id = id.value_or(0);
  const std::string id_sql = std::to_string(report.build_id);
  EARSHOT_RETURN_IF_ERROR(wh.Execute("INSERT INTO raw.builds (build_id, started_at, status, models) VALUES (" +
                                     id_sql + ", " + warehouse::SqlNow() + ", 'running', " + std::to_string(models.size()) + ")"));
  std::filesystem::path tmp = published_file;
  tmp += ".tmp";
  auto fail = [&](const Status& st) {
    (void)wh.Execute("UPDATE raw.builds SET status = 'failed', finished_at = " + warehouse::SqlNow() + ", message = " +
                     SqlQuote(st.message()) + " WHERE build_id = " + id_sql);
    return st;
  };

  {
    LayerCatalogs layers(wh);
    RemoveQuietly(tmp);
    // Staging and intermediate models are views in the working warehouse
    // (computed inside the marts' queries, never stored) unless they say they
    // are materialized (then tables there); marts are tables in the new
    // snapshot file.
    for (const char* schema : {"staging", "intermediate"}) {
      Status st = wh.Execute(std::string("CREATE SCHEMA IF NOT EXISTS ") + schema);
      if (!st.ok()) return fail(st);
    }
    if (Status st = layers.Attach("marts", tmp.string()); !st.ok()) return fail(st.WithContext("preparing the snapshot"));
    // Marts are read by their columns, not their row order: letting DuckDB
    // write them in any order keeps big joins streaming within the memory limit.
    if (Status st = wh.Execute("SET preserve_insertion_order = false"); !st.ok()) return fail(st);
    for (const Model& m : models) {
      auto t = Clock::now();
      const bool is_mart = m.layer == "marts";
      std::string target = is_mart ? "marts.main." + SqlIdentifier(m.name) : m.layer + "." + SqlIdentifier(m.name);
      std::string create;
      if (is_mart) {
        create = "CREATE TABLE " + target;
      } else {
        // A model that changed from view to table (or back) drops the old object first.
        const std::string other = m.materialized ? "duckdb_views()" : "duckdb_tables()";
        auto old = wh.QueryInt("SELECT count(*) FROM " + other + " WHERE database_name = current_database() AND "
                               "schema_name = " + SqlQuote(m.layer) + " AND " +
                               (m.materialized ? "view_name" : "table_name") + " = " + SqlQuote(m.name));
        if (!old.ok()) return fail(old.status());
        if (old->value_or(0) > 0) create = std::string(m.materialized ? "DROP VIEW " : "DROP TABLE ") + target + "; ";
        create += std::string(m.materialized ? "CREATE OR REPLACE TABLE " : "CREATE OR REPLACE VIEW ") + target;
      }
      Status st = wh.Execute(create + " AS\n" + m.sql);
      if (!st.ok()) {
        layers.DetachAll();
        RemoveQuietly(tmp);
        return fail(st.WithContext("building model " + m.qualified() + " (" + m.path + ")"));
      }
      int64_t rows = -1;  // views are not counted: that would compute them
      if (is_mart || m.materialized) {
        auto counted = wh.QueryInt("SELECT count(*) FROM " + target);
        if (!counted.ok()) return fail(counted.status());
        rows = counted->value_or(0);
      }
      ModelTiming timing{m.qualified(), rows, Since(t)};
      if (on_model) on_model(timing);
      report.models.push_back(timing);
    }
    Status info = wh.Execute(
        "CREATE TABLE marts.main.earshot_build AS SELECT " + id_sql +
        "::BIGINT AS build_id, (SELECT started_at FROM raw.builds WHERE build_id = " + id_sql +
        ") AS started_at, " + warehouse::SqlNow() + " AS published_at");
    if (info.ok()) info = layers.Detach("marts");
    if (!info.ok()) {
      layers.DetachAll();
      RemoveQuietly(tmp);
      return fail(info.WithContext("writing the snapshot"));
    }
  }
  if (before_publish) {
    if (Status gate = before_publish(tmp); !gate.ok()) {
      RemoveQuietly(tmp);
      return fail(gate);
    }
  }
  Status published = SyncPath(tmp);
  if (published.ok() && std::rename(tmp.c_str(), published_file.c_str()) != 0) {
    published = Status::IoError("cannot rename " + tmp.string() + " to " + published_file.string());
  }
  if (published.ok()) published = SyncPath(published_file.parent_path());
  if (!published.ok()) return fail(published.WithContext("publishing"));
  EARSHOT_RETURN_IF_ERROR(wh.Execute("UPDATE raw.builds SET status = 'published', finished_at = " + warehouse::SqlNow() + ", "
                                     "published_at = " + warehouse::SqlNow() + " WHERE build_id = " + id_sql));
  report.published = published_file;
  report.seconds = Since(started);
  return report;
}

}  // namespace earshot::models
