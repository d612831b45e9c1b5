#include "server/metrics.h"

#include <charconv>

namespace earshot::server {

namespace {

const std::vector<double> kLatencyBounds = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                            0.05,   0.1,     0.25,   0.5,   1,      2.5,   5,    10};

std::string Num(double v) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

void Header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n");
  out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

void Sample(std::string& out, std::string_view name, std::string_view labels, double v) {
  out.append(name);
  if (!labels.empty()) out.append("{").append(labels).append("}");
  out.append(" ").append(Num(v)).append("\n");
}

}  // namespace

std::string_view RouteName(Route route) {
  switch (route) {
    case Route::kListens:
      return "listens";
    case Route::kEstimates:
      return "estimates";
    case Route::kRising:
      return "rising";
    case Route::kCreatorsTop:
      return "creators_top";
    case Route::kFirst30Days:
      return "first_30_days";
    case Route::kHealthz:
      return "healthz";
    case Route::kReadyz:
      return "readyz";
    case Route::kMetrics:
      return "metrics";
    case Route::kOpenApi:
      return "openapi";
    default:
      return "unknown";
  }
}

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), counts_(new std::atomic<uint64_t>[bounds_.size() + 1]) {
  for (size_t i = 0; i <= bounds_.size(); ++i) counts_[i] = 0;
}

void Histogram::Observe(double v) {
  size_t i = 0;
  while (i < bounds_.size() && v > bounds_[i]) ++i;
  counts_[i].fetch_add(1, std::memory_order_relaxed);
  sum_micros_.fetch_add(static_cast<uint64_t>(v * 1e6), std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
}

void Histogram::Render(std::string& out, std::string_view name, std::string_view labels) const {
  const std::string sep = labels.empty() ? "" : std::string(labels) + ",";
  uint64_t cumulative = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    cumulative += counts_[i].load(std::memory_order_relaxed);
    const std::string le = i < bounds_.size() ? Num(bounds_[i]) : "+Inf";
    Sample(out, std::string(name) + "_bucket", sep + "le=\"" + le + "\"", static_cast<double>(cumulative));
  }
  Sample(out, std::string(name) + "_sum", labels, static_cast<double>(sum_micros_.load()) / 1e6);
  Sample(out, std::string(name) + "_count", labels, static_cast<double>(count_.load()));
}

Metrics::Metrics(std::vector<std::string> providers)
    : providers_(std::move(providers)),
      events_(new ProviderEvents[providers_.size() + 1]),
      fsync_seconds_(kLatencyBounds),
      commit_requests_({1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024}),
      load_seconds_({0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60}),
      build_seconds_({0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300}) {
  for (size_t r = 0; r < static_cast<size_t>(Route::kCount); ++r) latency_.emplace_back(kLatencyBounds);
}

void Metrics::Request(Route route, int status, double seconds) {
  size_t c = 0;
  while (c < kCodes.size() && kCodes[c] != status) ++c;
  requests_[static_cast<size_t>(route)][c].fetch_add(1, std::memory_order_relaxed);
  latency_[static_cast<size_t>(route)].Observe(seconds);
}

void Metrics::Commit(double fsync_seconds, uint64_t requests) {
  commits_ += 1;
  fsync_seconds_.Observe(fsync_seconds);
  commit_requests_.Observe(static_cast<double>(requests));
}

void Metrics::SegmentLoaded(double seconds, uint64_t rows) {
  segments_loaded_ += 1;
  rows_loaded_ += rows;
  load_seconds_.Observe(seconds);
}

void Metrics::Build(bool ok, double seconds) {
  (ok ? builds_ok_ : builds_failed_) += 1;
  build_seconds_.Observe(seconds);
}

std::string Metrics::Render(const Gauges& g) const {
  std::string out;
  out.reserve(16384);
  Header(out, "earshot_http_requests_total", "counter", "HTTP requests answered, by route and status code.");
  for (size_t r = 0; r < static_cast<size_t>(Route::kCount); ++r) {
    for (size_t c = 0; c <= kCodes.size(); ++c) {
      const uint64_t n = requests_[r][c].load(std::memory_order_relaxed);
      if (n == 0) continue;
      const std::string code = c < kCodes.size() ? std::to_string(kCodes[c]) : "other";
      Sample(out, "earshot_http_requests_total",
             "route=\"" + std::string(RouteName(static_cast<Route>(r))) + "\",code=\"" + code + "\"",
             static_cast<double>(n));
    }
  }
  Header(out, "earshot_http_request_duration_seconds", "histogram",
         "From the end of the request headers to the answer being handed to the connection.");
  for (size_t r = 0; r < static_cast<size_t>(Route::kCount); ++r) {
    latency_[r].Render(out, "earshot_http_request_duration_seconds",
                       "route=\"" + std::string(RouteName(static_cast<Route>(r))) + "\"");
  }
  Header(out, "earshot_events_accepted_total", "counter", "Instant events appended to the log (durable).");
  for (size_t p = 0; p < providers_.size(); ++p) {
    Sample(out, "earshot_events_accepted_total", "provider=\"" + providers_[p] + "\"",
           static_cast<double>(events_[p].accepted.load()));
  }
  Header(out, "earshot_events_duplicated_total", "counter",
         "Instant events whose (provider, event_id) the log already held.");
  for (size_t p = 0; p < providers_.size(); ++p) {
    Sample(out, "earshot_events_duplicated_total", "provider=\"" + providers_[p] + "\"",
           static_cast<double>(events_[p].duplicated.load()));
  }
  Header(out, "earshot_events_rejected_total", "counter", "Lines refused, by provider and error code.");
  for (size_t p = 0; p < providers_.size(); ++p) {
    for (size_t c = 0; c < kLineErrorCodes.size(); ++c) {
      Sample(out, "earshot_events_rejected_total",
             "provider=\"" + providers_[p] + "\",error_code=\"" + std::string(kLineErrorCodes[c]) + "\"",
             static_cast<double>(events_[p].rejected[c].load()));
    }
  }
  Header(out, "earshot_log_bytes_total", "counter", "Bytes appended to the event log.");
  Sample(out, "earshot_log_bytes_total", "", static_cast<double>(log_bytes_.load()));
  Header(out, "earshot_log_commits_total", "counter", "Group commits (one fdatasync per segment written).");
  Sample(out, "earshot_log_commits_total", "", static_cast<double>(commits_.load()));
  Header(out, "earshot_log_fsync_seconds", "histogram", "Time to make one group commit durable.");
  fsync_seconds_.Render(out, "earshot_log_fsync_seconds", "");
  Header(out, "earshot_log_commit_requests", "histogram", "Requests acknowledged by one group commit.");
  commit_requests_.Render(out, "earshot_log_commit_requests", "");
  Header(out, "earshot_log_segments_preallocated_total", "counter",
         "Log segments written into a spare written full of zeros ahead (the others grew the file).");
  Sample(out, "earshot_log_segments_preallocated_total", "", static_cast<double>(g.preallocated_segments));
  Header(out, "earshot_log_queue_bytes", "gauge", "Request bodies waiting for the log writer.");
  Sample(out, "earshot_log_queue_bytes", "", static_cast<double>(g.queue_bytes));
  Header(out, "earshot_log_unloaded_bytes", "gauge", "Bytes of log not yet loaded into the warehouse.");
  Sample(out, "earshot_log_unloaded_bytes", "", static_cast<double>(g.unloaded_bytes));
  Header(out, "earshot_log_unloaded_segments", "gauge", "Log segments not yet loaded (the open ones included).");
  Sample(out, "earshot_log_unloaded_segments", "", static_cast<double>(g.unloaded_segments));
  Header(out, "earshot_loader_lag_seconds", "gauge", "Age of the oldest acknowledged event not yet loaded.");
  Sample(out, "earshot_loader_lag_seconds", "", g.loader_lag_seconds);
  Header(out, "earshot_loader_segments_total", "counter", "Log segments loaded into the warehouse.");
  Sample(out, "earshot_loader_segments_total", "", static_cast<double>(segments_loaded_.load()));
  Header(out, "earshot_loader_rows_total", "counter", "Rows the loader read from segments.");
  Sample(out, "earshot_loader_rows_total", "", static_cast<double>(rows_loaded_.load()));
  Header(out, "earshot_loader_failures_total", "counter", "Segment loads that failed (retried).");
  Sample(out, "earshot_loader_failures_total", "", static_cast<double>(load_failures_.load()));
  Header(out, "earshot_loader_segment_seconds", "histogram", "Time to load one segment.");
  load_seconds_.Render(out, "earshot_loader_segment_seconds", "");
  Header(out, "earshot_builds_total", "counter", "Builds run by the server, by outcome.");
  Sample(out, "earshot_builds_total", "status=\"ok\"", static_cast<double>(builds_ok_.load()));
  Sample(out, "earshot_builds_total", "status=\"failed\"", static_cast<double>(builds_failed_.load()));
  Header(out, "earshot_build_seconds", "histogram", "Time of one build (models and publish).");
  build_seconds_.Render(out, "earshot_build_seconds", "");
  Header(out, "earshot_snapshots_loaded_total", "counter", "Published snapshots loaded into memory for reads.");
  Sample(out, "earshot_snapshots_loaded_total", "", static_cast<double>(snapshots_loaded_.load()));
  Header(out, "earshot_snapshot_age_seconds", "gauge", "Since the served snapshot was published (-1: none).");
  Sample(out, "earshot_snapshot_age_seconds", "", g.snapshot_age_seconds);
  Header(out, "earshot_known_events", "gauge", "(provider, event_id) pairs held for deduplication.");
  Sample(out, "earshot_known_events", "", static_cast<double>(g.known_events));
  Header(out, "earshot_ready", "gauge", "1 when the warehouse is open and the log writable.");
  Sample(out, "earshot_ready", "", g.ready ? 1 : 0);
  return out;
}

}  // namespace earshot::server
