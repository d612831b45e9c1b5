// SegmentLoader: puts closed log segments into the warehouse as
// micro-batches, through the same path as every file (Ingestor::Ingest: land
// in the raw archive, read, map, validate, load in one transaction), then
// removes the segment (its bytes stay in archive/objects). After loading it
// builds the models and publishes, at most once every build_interval, so
// readers see the new events in the next snapshot. `earshot serve` holds the
// one DuckDB writer, so this thread is the only user of the warehouse.
//
// A failed load is retried (backing off) in order; a segment the loader
// cannot read as listens at all is moved to archive/log/<provider>/failed/.
// Add() and the stats are thread-safe; the warehouse is used only by the
// loader thread once Start() has run.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

#include "common/status.h"
#include "config/project.h"
#include "server/event_log.h"
#include "server/metrics.h"
#include "warehouse/warehouse.h"

namespace earshot::server {

class SegmentLoader {
 public:
  using BuildFn = std::function<Status(warehouse::Warehouse&)>;

  // `project`: what the Ingestor sees; `loaded` is told about each segment
  // once it is in the warehouse (or set aside); `published` after each
  // successful build.
  SegmentLoader(const config::Project& project, warehouse::Warehouse& wh, BuildFn build, double build_interval_seconds,
                Metrics& metrics, std::function<void(const Segment&)> loaded, std::function<void()> published);
  ~SegmentLoader();

  void Add(Segment segment);
  void Start();
  // Loads every segment added so far, builds when anything was loaded since
  // the last build, and stops. Gives up on a segment that keeps failing (it
  // stays in the log for the next start).
  void StopAndDrain();

  size_t queued() const;

 private:
  void Loop();
  // True when the segment is done with (loaded or set aside).
  bool LoadOne(const Segment& segment);
  void Build();

  // The project the Ingestor sees: instant providers read as NDJSON.
  config::Project project_;
  warehouse::Warehouse& wh_;
  BuildFn build_;
  const double build_interval_;
  Metrics& metrics_;
  std::function<void(const Segment&)> loaded_;
  std::function<void()> published_;

  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::deque<Segment> queue_;  // guarded by mu_
  bool stopping_ = false;      // guarded by mu_
  bool loaded_since_build_ = false;
  std::chrono::steady_clock::time_point last_build_;
  bool built_once_ = false;
  double last_build_seconds_ = 0;
  std::thread thread_;
};

}  // namespace earshot::server
