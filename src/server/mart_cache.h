// MartCache: the published marts the read API serves, held in memory. A
// watcher thread notices a new snapshot (warehouse/published.duckdb with
// another inode, size or modification time), opens it read-only, reads the
// four podcast marts into maps and swaps them in at once, so a read is a map
// lookup that never touches DuckDB and never waits for a build or a load.
// current() is thread-safe; a snapshot, once handed out, never changes.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "server/metrics.h"

namespace earshot::server {

struct EstimateRow {  // podcast_monthly_estimates
  std::string month;
  std::optional<int64_t> observed_listens;
  std::optional<double> coverage, estimated_listens, estimate_low, estimate_high;
  std::optional<int64_t> providers_reporting;
  std::optional<bool> month_complete;
};
struct PodcastEstimates {
  std::optional<std::string> title;
  std::vector<EstimateRow> months;  // by month
};
struct TrendRow {  // podcast_trends, ranked rows only
  std::string podcast_id;
  std::optional<std::string> podcast_title;
  std::optional<double> estimated_listens, mom_growth, growth_3m;
  int64_t trend_rank = 0;
};
struct CreatorRow {  // creator_popularity
  std::string creator_id;
  std::optional<std::string> creator_name;
  int64_t episodes = 0;
  std::optional<double> attributed_listens, avg_listens_per_episode;
  int64_t rank = 0;
};
struct EpisodeRow {  // episode_first_30_days
  std::string podcast_id;
  std::optional<std::string> episode_title, published_at;
  std::optional<int64_t> observed_listens_30d;
  std::optional<double> coverage_30d, estimated_listens_30d;
  std::optional<bool> window_complete;
};

struct Marts {
  std::unordered_map<std::string, PodcastEstimates> estimates;  // by podcast_id
  std::map<std::string, std::vector<TrendRow>> rising;          // by month, in rank order
  std::map<std::string, std::vector<CreatorRow>> creators;      // by month, in rank order
  std::unordered_map<std::string, EpisodeRow> episodes;         // by episode_id
  double published_unix_seconds = 0;                            // the snapshot file's mtime
};

// Reads the marts of the snapshot at `file` (read-only). Missing tables are
// read as empty; kDatabaseError when the file cannot be opened.
Result<std::shared_ptr<const Marts>> ReadMarts(const std::filesystem::path& file);

class MartCache {
 public:
  MartCache(std::filesystem::path published_file, Metrics& metrics);
  ~MartCache();
  // Loads the snapshot there is (if any), then watches for new ones.
  void Start();
  void Stop();
  // Looks for a new snapshot now (after a build).
  void Poke();
  // The marts of the newest snapshot read; nullptr before the first one.
  std::shared_ptr<const Marts> current() const;

 private:
  struct FileId {
    dev_t dev = 0;
    ino_t ino = 0;
    int64_t mtime_ns = 0;
    int64_t size = -1;
    bool operator==(const FileId&) const = default;
  };
  void Watch();
  void Refresh();

  const std::filesystem::path file_;
  Metrics& metrics_;
  mutable std::mutex mu_;
  std::shared_ptr<const Marts> current_;  // guarded by mu_
  std::condition_variable wake_;
  bool stop_ = false, poked_ = false;  // guarded by mu_
  FileId loaded_;                      // watcher thread
  std::thread watcher_;
};

}  // namespace earshot::server
