#include "server/mart_cache.h"

#include <sys/stat.h>

#include <charconv>
#include <chrono>
#include <cstdlib>

#include "server/background_priority.h"
#include "server/json_log.h"
#include "warehouse/warehouse.h"

namespace earshot::server {

namespace {

using Cell = std::optional<std::string>;

std::optional<double> Double(const Cell& c) {
  if (!c) return std::nullopt;
  char* end = nullptr;
  double v = std::strtod(c->c_str(), &end);
  if (end == c->c_str()) return std::nullopt;
  return v;
}

std::optional<int64_t> Int(const Cell& c) {
  if (!c) return std::nullopt;
  int64_t v = 0;
  auto r = std::from_chars(c->data(), c->data() + c->size(), v);
  if (r.ec != std::errc()) {
    auto d = Double(c);
    if (!d) return std::nullopt;
    return static_cast<int64_t>(*d);
  }
  return v;
}

std::optional<bool> Bool(const Cell& c) {
  if (!c) return std::nullopt;
  return *c == "true" || *c == "1";
}

// Streams `sql` row by row; a missing table reads as no rows.
Status Each(warehouse::Warehouse& wh, const std::string& sql,
            const std::function<void(const std::vector<Cell>&)>& on_row) {
  Status st = wh.QueryEach(sql, [&](const Table& chunk) {
    for (const auto& row : chunk.rows) on_row(row);
  });
  if (!st.ok() && st.message().find("does not exist") != std::string::npos) return Status::Ok();
  return st;
}

}  // namespace

Result<std::shared_ptr<const Marts>> ReadMarts(const std::filesystem::path& file) {
  warehouse::OpenOptions o;
  o.read_only = true;
  o.sandboxed = true;
  o.threads = 1;
  o.memory_limit = "256MB";
  EARSHOT_ASSIGN_OR_RETURN(auto wh, warehouse::Warehouse::Open(file, o));
  auto marts = std::make_shared<Marts>();
  EARSHOT_RETURN_IF_ERROR(
      Each(*wh,
           "SELECT podcast_id, podcast_title, month, observed_listens, coverage, estimated_listens, estimate_low, "
           "estimate_high, providers_reporting, month_complete FROM podcast_monthly_estimates "
           "WHERE podcast_id IS NOT NULL ORDER BY podcast_id, month",
           [&](const std::vector<Cell>& r) {
             PodcastEstimates& p = marts->estimates[*r[0]];
             if (r[1]) p.title = r[1];
             p.months.push_back({r[2].value_or(""), Int(r[3]), Double(r[4]), Double(r[5]), Double(r[6]), Double(r[7]),
                                 Int(r[8]), Bool(r[9])});
           }));
  EARSHOT_RETURN_IF_ERROR(
      Each(*wh,
           "SELECT month, podcast_id, podcast_title, estimated_listens, mom_growth, growth_3m, trend_rank "
           "FROM podcast_trends WHERE trend_rank IS NOT NULL AND podcast_id IS NOT NULL "
           "ORDER BY month, trend_rank, podcast_id",
           [&](const std::vector<Cell>& r) {
             marts->rising[r[0].value_or("")].push_back(
                 {*r[1], r[2], Double(r[3]), Double(r[4]), Double(r[5]), Int(r[6]).value_or(0)});
           }));
  EARSHOT_RETURN_IF_ERROR(
      Each(*wh,
           "SELECT month, creator_id, creator_name, episodes, attributed_listens, avg_listens_per_episode, rank "
           "FROM creator_popularity WHERE creator_id IS NOT NULL ORDER BY month, rank, creator_id",
           [&](const std::vector<Cell>& r) {
             marts->creators[r[0].value_or("")].push_back(
                 {*r[1], r[2], Int(r[3]).value_or(0), Double(r[4]), Double(r[5]), Int(r[6]).value_or(0)});
           }));
  EARSHOT_RETURN_IF_ERROR(Each(
      *wh,
      "SELECT episode_id, podcast_id, episode_title, strftime(published_at, '%Y-%m-%dT%H:%M:%SZ'), "
      "observed_listens_30d, coverage_30d, estimated_listens_30d, window_complete FROM episode_first_30_days "
      "WHERE episode_id IS NOT NULL",
      [&](const std::vector<Cell>& r) {
        marts->episodes[*r[0]] = {r[1].value_or(""), r[2], r[3], Int(r[4]), Double(r[5]), Double(r[6]), Bool(r[7])};
      }));
  struct stat st {};
  if (::stat(file.c_str(), &st) == 0) {
    marts->published_unix_seconds = static_cast<double>(st.st_mtim.tv_sec) + st.st_mtim.tv_nsec / 1e9;
  }
  return std::shared_ptr<const Marts>(std::move(marts));
}

MartCache::MartCache(std::filesystem::path published_file, Metrics& metrics)
    : file_(std::move(published_file)), metrics_(metrics) {}

MartCache::~MartCache() { Stop(); }

void MartCache::Start() {
  Refresh();
  watcher_ = std::thread([this] {
    LowerThisThreadPriority(10);  // reading a new snapshot must not slow the answers
    Watch();
  });
}

void MartCache::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (watcher_.joinable()) watcher_.join();
}

void MartCache::Poke() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    poked_ = true;
  }
  wake_.notify_all();
}

std::shared_ptr<const Marts> MartCache::current() const {
  std::lock_guard<std::mutex> lock(mu_);
  return current_;
}

void MartCache::Watch() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    wake_.wait_for(lock, std::chrono::milliseconds(500), [&] { return stop_ || poked_; });
    if (stop_) break;
    poked_ = false;
    lock.unlock();
    Refresh();
    lock.lock();
  }
}

void MartCache::Refresh() {
  struct stat st {};
  if (::stat(file_.c_str(), &st) != 0) return;
  FileId id{st.st_dev, st.st_ino, static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec,
            static_cast<int64_t>(st.st_size)};
  if (id == loaded_) return;
  auto started = std::chrono::steady_clock::now();
  auto marts = ReadMarts(file_);
  if (!marts.ok()) {
    LogWarn("snapshot_load_failed").Str("file", file_.string()).Str("message", marts.status().message());
    return;
  }
  loaded_ = id;
  const size_t podcasts = (*marts)->estimates.size();
  {
    std::lock_guard<std::mutex> lock(mu_);
    current_ = std::move(marts).value();
  }
  metrics_.SnapshotLoaded();
  LogInfo("snapshot_loaded")
      .Str("file", file_.string())
      .Int("podcasts", static_cast<int64_t>(podcasts))
      .Num("seconds", std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
}

}  // namespace earshot::server
