// EventLog: the durable log of instant events in the landing area,
// archive/log/<provider>/seg-<micros>.ndjson, one open segment per provider.
//
// A POST handler submits the accepted lines of its body. Under one mutex the
// log drops lines whose (provider, event_id) it already holds (duplicates)
// and queues the rest, so queue order is dedupe order. One writer thread
// takes everything queued, appends it to the segments and fdatasyncs each
// segment it wrote once (group commit), then calls every request's `done`.
// A request that only repeats events still waits for the commit after it, so
// it is never acknowledged before the copy it repeats is on disk. When a
// commit fails (disk full, I/O error), the segments are truncated back,
// the batch's ids are forgotten and every request queued meanwhile fails
// too (it may have been told "duplicated" about an id of the failed batch):
// the clients retry, nothing unacknowledged stays.
//
// A segment is closed at segment_bytes or segment_seconds after it was
// opened and handed to `on_closed` (the loader), which calls Loaded() once it
// is in the warehouse. On Open(), every segment left from before is
// recovered: a torn tail (a crash during a write) is cut back to the last
// complete line, its ids are added to the dedupe set, and it is reported by
// Recovered() for loading.
//
// Preallocation: an append that grows a file makes its fdatasync wait for a
// commit of the file system's journal, and on ext4 (data=ordered) that commit
// first writes out every other dirty file of the disk, the loader's
// warehouse included: single acknowledgements then wait tens of
// milliseconds. So a second thread (at low priority) keeps one spare segment
// per provider ahead, `.spare-<n>.ndjson`, already written full of zeros and
// synced: appends into it overwrite blocks that exist, and their fdatasync
// only writes data. When a segment is opened the spare is renamed to its
// `seg-` name (the directory sync is not needed: recovery renames a spare
// that holds lines) and the next spare is prepared, sized to twice what the
// provider's segments have been holding (1 MB to segment_bytes); closing a
// segment cuts it to its lines. Recovery cuts every segment at its first NUL
// byte (no accepted line holds one), then back to the last complete line.
//
// Thread-safe; `done` and `on_closed` run on the writer thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "common/status.h"
#include "config/project.h"
#include "server/event_id_set.h"

namespace earshot::server {

// The file operations of the log, behind an interface so tests can inject
// faults (a full disk, a failing fdatasync).
class LogFiles {
 public:
  virtual ~LogFiles() = default;
  // Creates a new, empty file for appending; fails if it exists.
  virtual Result<int> Create(const std::filesystem::path& path) = 0;
  // Appends all of `parts`, in order.
  virtual Status Append(int fd, const std::vector<std::string_view>& parts) = 0;
  virtual Status Sync(int fd) = 0;  // fdatasync
  virtual Status Truncate(int fd, uint64_t size) = 0;
  virtual Status SyncDir(const std::filesystem::path& dir) = 0;
  virtual void Close(int fd) = 0;

  // Spare segments (see above). Without preallocation every segment is
  // created by Create().
  virtual bool CanPreallocate() const { return false; }
  // Creates `path` (fails if it exists) holding `bytes` zero bytes, synced.
  virtual Status Preallocate(const std::filesystem::path& path, uint64_t bytes);
  // Opens an existing file for writing from its first byte.
  virtual Result<int> OpenForWrite(const std::filesystem::path& path);
};
std::unique_ptr<LogFiles> PosixLogFiles();

struct LogSettings {
  uint64_t segment_bytes = 32ull << 20;
  double segment_seconds = 5;
  uint64_t max_queue_bytes = 64ull << 20;
  uint64_t max_unloaded_bytes = 1ull << 30;
  uint64_t min_free_disk_bytes = 256ull << 20;
};

struct Segment {
  size_t provider = 0;  // index into the providers the log was opened with
  std::string provider_name;
  std::filesystem::path path;
  uint64_t bytes = 0;
  std::chrono::system_clock::time_point opened;
};

// Whether a body may be taken now.
enum class Admission {
  kOk,
  kQueueFull,     // 429: the writer is behind; retry in a second
  kLoaderBehind,  // 503: too much log not loaded into the warehouse yet
  kDiskFull,      // 503: less free disk than min_free_disk_bytes
  kUnavailable,   // 503: shutting down, or the log failed
};

class EventLog {
 public:
  // One line of a body to append: its text (no end-of-line) and event id.
  struct Line {
    std::string_view text;
    std::string_view event_id;
  };

  // Opens archive/log under `archive_dir` for `providers` and recovers the
  // segments found there. IoError when a folder cannot be created or a
  // segment cannot be read or repaired.
  static Result<std::unique_ptr<EventLog>> Open(const std::filesystem::path& archive_dir,
                                                std::vector<config::Provider> providers, LogSettings settings,
                                                std::unique_ptr<LogFiles> files = PosixLogFiles());
  ~EventLog();

  // Segments found by Open(), repaired, in name order: to be loaded.
  std::vector<Segment> Recovered() const;
  // Adds an id already in the warehouse to the dedupe set (before Start()).
  void AddKnown(size_t provider, std::string_view event_id);
  // New segment names sort after `file_name` (the newest segment already
  // loaded), even when the clock went back.
  void NameAfter(std::string_view file_name);

  // Starts the writer thread; closed segments go to `on_closed`.
  void Start(std::function<void(Segment)> on_closed);
  // Stops taking bodies, commits what is queued, closes the open segments
  // (each goes to on_closed) and joins the writer.
  void Stop();

  // Whether a body of `bytes` would be taken now (before reading it).
  Admission Check(uint64_t bytes) const;
  // Queues the lines of one body. On kOk, `done` is called once, on the
  // writer thread: Ok when the lines (and every earlier append) are durable,
  // or why they are not, with how many lines repeated an event the log holds
  // (or an earlier line of the body) and were not appended. On any other
  // admission nothing was queued and `done` is never called.
  using Done = std::function<void(Status, uint64_t duplicated)>;
  Admission Submit(size_t provider, const std::vector<Line>& lines, Done done);

  // The loader has put `segment` in the warehouse (and removed its file).
  void Loaded(const Segment& segment);
  // Re-reads the free space of the log's disk (called about once a second).
  void RefreshDiskSpace();

  struct Stats {
    uint64_t queue_bytes = 0;
    uint64_t unloaded_bytes = 0;
    uint64_t unloaded_segments = 0;
    double oldest_unloaded_seconds = 0;
    uint64_t known_events = 0;
    uint64_t preallocated_segments = 0;  // segments opened from a spare so far
    bool writable = false;
  };
  Stats stats() const;
  // Called after each commit with the fsync time and the requests it acknowledged.
  void OnCommit(std::function<void(double seconds, uint64_t requests, uint64_t bytes)> f) { on_commit_ = std::move(f); }
  const std::filesystem::path& root() const { return root_; }

 private:
  struct Pending {
    size_t provider;
    std::string data;  // lines, each ending in '\n'
    std::vector<EventKey> keys;
    uint64_t duplicated = 0;
    Done done;
  };
  struct Active {
    int fd = -1;
    Segment segment;
    uint64_t capacity = 0;  // bytes preallocated (0: created empty)
  };
  // The spare segment of one provider (guarded by spare_mu_).
  struct Spare {
    std::filesystem::path path;  // empty: none ready
    uint64_t capacity = 0;
    bool wanted = false;  // the provider has opened a segment: keep one ready
  };

  EventLog(std::filesystem::path root, std::vector<config::Provider> providers, LogSettings settings,
           std::unique_ptr<LogFiles> files);
  Status Recover();
  void WriterLoop();
  Status Commit(std::vector<Pending>& batch);
  Status OpenSegment(size_t provider);
  void CloseSegment(size_t provider);
  void RollSegments(bool all);
  std::string NextName();
  // Reads a segment left from before, cut back to its complete lines (and
  // cut on disk too); recovers the lines into the dedupe set.
  Status RecoverSegment(size_t provider, const std::filesystem::path& path);
  void PrepareLoop();
  // The most a segment of `provider` has held lately (its open one or the
  // last closed one).
  uint64_t SegmentBytesSeen(size_t provider) const;
  // The bytes the next spare of `provider` should hold.
  uint64_t SpareBytes(size_t provider) const;
  // Takes the provider's spare, if one is ready, and asks for the next.
  std::optional<Spare> TakeSpare(size_t provider);

  const std::filesystem::path root_;
  const std::vector<config::Provider> providers_;
  const LogSettings settings_;
  std::unique_ptr<LogFiles> files_;
  std::function<void(Segment)> on_closed_;
  std::function<void(double, uint64_t, uint64_t)> on_commit_;

  mutable std::mutex mu_;
  std::condition_variable wake_;
  EventIdSet known_;                         // guarded by mu_
  std::vector<Pending> queue_;               // guarded by mu_
  uint64_t queue_bytes_ = 0;                 // guarded by mu_: queued and being written
  std::map<std::string, Segment> unloaded_;  // by path; guarded by mu_
  uint64_t unloaded_bytes_ = 0;              // guarded by mu_
  std::vector<Segment> recovered_;
  bool stopping_ = false;            // guarded by mu_
  std::atomic<bool> broken_{false};  // a failed commit could not be undone
  std::atomic<bool> disk_low_{false};
  int64_t last_name_micros_ = 0;  // writer thread (and setup)

  std::vector<Active> active_;  // writer thread only, per provider
  std::thread writer_;

  // Preallocation: per provider, the bytes its open segment holds and what
  // its last closed one held (written by the writer, read by the preparer).
  std::unique_ptr<std::atomic<uint64_t>[]> active_bytes_;
  std::unique_ptr<std::atomic<uint64_t>[]> closed_bytes_;
  std::atomic<uint64_t> preallocated_segments_{0};
  std::mutex spare_mu_;
  std::condition_variable spare_wake_;
  std::vector<Spare> spares_;   // guarded by spare_mu_
  uint64_t spare_counter_ = 0;  // guarded by spare_mu_
  bool spare_stop_ = false;     // guarded by spare_mu_
  std::thread preparer_;
};

}  // namespace earshot::server
