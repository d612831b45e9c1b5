// Metrics of `earshot serve`, rendered as Prometheus text at GET /metrics.
// Every name and label value comes from a closed list (routes, status codes,
// the providers declared in earshot.toml, the line error codes), never from
// request data. Counters and histograms are lock-free atomics: any thread may
// record at any time.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "server/event_validator.h"

namespace earshot::server {

enum class Route {
  kListens,
  kEstimates,
  kRising,
  kCreatorsTop,
  kFirst30Days,
  kHealthz,
  kReadyz,
  kMetrics,
  kOpenApi,
  kUnknown,
  kCount
};
std::string_view RouteName(Route route);

// A histogram with fixed bucket bounds (seconds, or a count).
class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds);
  void Observe(double v);
  // Appends the _bucket/_sum/_count lines of `name` with `labels` ("" or
  // `route="x"`).
  void Render(std::string& out, std::string_view name, std::string_view labels) const;

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> counts_;  // bounds_.size() + 1 (the +Inf bucket)
  std::atomic<uint64_t> sum_micros_{0};
  std::atomic<uint64_t> count_{0};
};

// Values read at render time from the parts that own them.
struct Gauges {
  bool ready = false;
  uint64_t queue_bytes = 0;     // bodies waiting for the log writer
  uint64_t unloaded_bytes = 0;  // log not yet in the warehouse
  uint64_t unloaded_segments = 0;
  double loader_lag_seconds = 0;       // age of the oldest event not yet loaded
  uint64_t known_events = 0;           // (provider, event_id) pairs in the dedupe set
  uint64_t preallocated_segments = 0;  // log segments written into a spare
  double snapshot_age_seconds = -1;    // since the served snapshot was published; -1: none
};

class Metrics {
 public:
  explicit Metrics(std::vector<std::string> providers);

  void Request(Route route, int status, double seconds);
  void Accepted(size_t provider, uint64_t n) { events_[provider].accepted += n; }
  void Duplicated(size_t provider, uint64_t n) { events_[provider].duplicated += n; }
  void Rejected(size_t provider, size_t code, uint64_t n) { events_[provider].rejected[code] += n; }
  void Appended(uint64_t bytes) { log_bytes_ += bytes; }
  void Commit(double fsync_seconds, uint64_t requests);
  void SegmentLoaded(double seconds, uint64_t rows);
  void LoadFailed() { load_failures_ += 1; }
  void Build(bool ok, double seconds);
  void SnapshotLoaded() { snapshots_loaded_ += 1; }

  std::string Render(const Gauges& gauges) const;

 private:
  static constexpr std::array<int, 13> kCodes = {200, 202, 400, 401, 403, 404, 405, 408, 413, 429, 500, 503, 507};
  struct ProviderEvents {
    std::atomic<uint64_t> accepted{0}, duplicated{0};
    std::array<std::atomic<uint64_t>, kLineErrorCodes.size()> rejected{};
  };
  std::vector<std::string> providers_;
  std::unique_ptr<ProviderEvents[]> events_;
  // [route][code index]; the last index counts any other code.
  std::array<std::array<std::atomic<uint64_t>, kCodes.size() + 1>, static_cast<size_t>(Route::kCount)> requests_{};
  std::deque<Histogram> latency_;  // per route (a deque: Histogram cannot move)
  Histogram fsync_seconds_;
  Histogram commit_requests_;
  Histogram load_seconds_;
  Histogram build_seconds_;
  std::atomic<uint64_t> log_bytes_{0}, commits_{0}, segments_loaded_{0}, rows_loaded_{0}, load_failures_{0};
  std::atomic<uint64_t> builds_ok_{0}, builds_failed_{0}, snapshots_loaded_{0};
};

}  // namespace earshot::server
