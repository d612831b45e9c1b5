// Watch: `earshot watch`, passes run continuously until SIGTERM or SIGINT.
//
// A pass runs when a file lands in an inbox (inotify: a file closed after
// writing, moved or touched in inbox/<x>/, or a new inbox folder), when a
// file that was still being written has settled, every [run] poll_seconds
// when a look at the inboxes finds complete files (the fallback for file
// systems without inotify), and at each [run] schedules time (a pass that
// builds even when no file arrived, e.g. so instant events of a finished
// day count). A pass is only started when there is something to do, so idle
// watching records no runs. SIGTERM and SIGINT are read from a signalfd:
// a pass under way finishes, then Watch returns Ok. Passes never overlap
// (one thread); the caller holds the run lock for the whole watch.
// Call BlockStopSignals() before any thread exists (before opening DuckDB).
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "config/project.h"

namespace earshot::orchestrator {

// Blocks SIGTERM and SIGINT in the calling thread (and the threads it starts
// later) so Watch can read them from a signalfd instead.
Status BlockStopSignals();

struct WatchCallbacks {
  // Runs one pass; `trigger` is "watch" or "schedule"; `force_build` for schedules.
  std::function<void(std::string_view trigger, bool force_build)> pass;
  // One line for the person watching ("watching 7 inboxes", "stopping on SIGTERM").
  std::function<void(const std::string& line)> log;
};

// Returns Ok after a stop signal; kInvalidArgument for a bad schedule,
// kIoError when the signals cannot be watched.
Status Watch(const config::Project& project, const WatchCallbacks& callbacks);

}  // namespace earshot::orchestrator
