#include "server/segment_loader.h"

#include <algorithm>
#include <filesystem>

#include "ingest/ingest_runner.h"
#include "ingest/segment_project.h"
#include "server/background_priority.h"
#include "server/json_log.h"

namespace earshot::server {

namespace fs = std::filesystem;

SegmentLoader::SegmentLoader(const config::Project& project, warehouse::Warehouse& wh, BuildFn build,
                             double build_interval_seconds, Metrics& metrics,
                             std::function<void(const Segment&)> loaded, std::function<void()> published)
    : project_(ingest::SegmentProject(project)),
      wh_(wh),
      build_(std::move(build)),
      build_interval_(build_interval_seconds),
      metrics_(metrics),
      loaded_(std::move(loaded)),
      published_(std::move(published)) {}

SegmentLoader::~SegmentLoader() { StopAndDrain(); }

void SegmentLoader::Add(Segment segment) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(std::move(segment));
  }
  wake_.notify_all();
}

size_t SegmentLoader::queued() const {
  std::lock_guard<std::mutex> lock(mu_);
  return queue_.size();
}

void SegmentLoader::Start() {
  thread_ = std::thread([this] {
    // Loading and building are background work: requests come first.
    LowerThisThreadPriority(10);
    Loop();
  });
}

void SegmentLoader::StopAndDrain() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool SegmentLoader::LoadOne(const Segment& segment) {
  auto started = std::chrono::steady_clock::now();
  ingest::Ingestor ingestor(project_, wh_);
  auto report = ingestor.Ingest(segment.path, std::nullopt, segment.provider_name);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::error_code ec;
  if (!report.ok()) {
    metrics_.LoadFailed();
    LogError("segment_load_failed")
        .Str("provider", segment.provider_name)
        .Str("segment", segment.path.filename().string())
        .Str("message", report.status().message());
    if (report.status().code() != StatusCode::kDataError) return false;
    // It will never load: keep it aside for a person to look at.
    const fs::path aside = segment.path.parent_path() / "failed";
    fs::create_directories(aside, ec);
    fs::rename(segment.path, aside / segment.path.filename(), ec);
    loaded_(segment);
    return true;
  }
  fs::remove(segment.path, ec);
  metrics_.SegmentLoaded(seconds, report->rows_in);
  loaded_since_build_ = true;
  loaded_(segment);
  auto line = LogInfo("segment_loaded");
  line.Str("provider", segment.provider_name)
      .Str("segment", segment.path.filename().string())
      .Int("ingest_id", report->ingest_id)
      .Int("rows_in", static_cast<int64_t>(report->rows_in))
      .Int("accepted", static_cast<int64_t>(report->accepted))
      .Int("rejected", static_cast<int64_t>(report->rejected))
      .Int("duplicates", static_cast<int64_t>(report->duplicates))
      .Bool("already_loaded", report->already_ingested)
      .Num("seconds", seconds);
  return true;
}

void SegmentLoader::Build() {
  auto started = std::chrono::steady_clock::now();
  last_build_ = started;
  built_once_ = true;
  loaded_since_build_ = false;
  // Write the freshly loaded rows out first, so the build's memory limit goes
  // to the build (once, right after large loads, a build ran out of memory;
  // it is retried an interval later either way).
  (void)wh_.Execute("CHECKPOINT");
  Status st = build_(wh_);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  last_build_seconds_ = seconds;
  metrics_.Build(st.ok(), seconds);
  if (!st.ok()) {
    LogError("build_failed").Str("message", st.message()).Num("seconds", seconds);
    loaded_since_build_ = true;  // try again next interval
    return;
  }
  LogInfo("build_published").Num("seconds", seconds);
  if (published_) published_();
}

void SegmentLoader::Loop() {
  int failures = 0;
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    // A build is due an interval after the last one began. With segments
    // waiting it also waits until loading has had four times the last
    // build's length since it ended, so slow builds cannot starve loading;
    // when stopping, the one build comes after the last segment.
    const auto now = std::chrono::steady_clock::now();
    const auto since = std::chrono::duration<double>(now - last_build_).count();
    const bool interval_over = !built_once_ || since >= build_interval_;
    const bool loading_had_its_share = since >= 5 * last_build_seconds_;
    const bool build_due =
        loaded_since_build_ && interval_over && (queue_.empty() ? !stopping_ : !stopping_ && loading_had_its_share);
    if (build_due) {
      lock.unlock();
      Build();
      lock.lock();
      continue;
    }
    if (!queue_.empty()) {
      Segment next = queue_.front();
      lock.unlock();
      const bool done = LoadOne(next);
      lock.lock();
      if (done) {
        queue_.pop_front();
        failures = 0;
        continue;
      }
      ++failures;
      if (stopping_ && failures >= 3) {
        LogError("segment_left_unloaded").Str("segment", next.path.string());
        queue_.pop_front();
        failures = 0;
        continue;
      }
      // Back off: 1, 2, 4 ... 30 seconds.
      wake_.wait_for(lock, std::chrono::seconds(std::min(30, 1 << std::min(failures - 1, 5))));
      continue;
    }
    if (stopping_) break;
    if (loaded_since_build_) {
      wake_.wait_until(lock, last_build_ + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                               std::chrono::duration<double>(build_interval_)));
    } else {
      wake_.wait(lock);
    }
  }
  lock.unlock();
  if (loaded_since_build_) Build();
}

}  // namespace earshot::server
