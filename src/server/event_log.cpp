#include "server/event_log.h"

#include <fcntl.h>
#include <sys/statvfs.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <fstream>
#include <optional>
#include <utility>

#include "server/background_priority.h"
#include "server/event_validator.h"
#include "server/json_log.h"

namespace earshot::server {

namespace fs = std::filesystem;

namespace {

Status Errno(const std::string& what) { return Status::IoError(what + ": " + std::strerror(errno)); }

class PosixFiles final : public LogFiles {
 public:
  Result<int> Create(const fs::path& path) override {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) return Errno("cannot create log segment " + path.string());
    return fd;
  }
  Result<int> OpenForWrite(const fs::path& path) override {
    int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return Errno("cannot open log segment " + path.string());
    return fd;
  }
  bool CanPreallocate() const override { return true; }
  Status Preallocate(const fs::path& path, uint64_t bytes) override {
    EARSHOT_ASSIGN_OR_RETURN(int fd, Create(path));
    // Written zeros, not fallocate(): blocks fallocate reserves are
    // "unwritten", and the first write into one changes metadata again.
    static const std::string kZeros(1 << 20, '\0');
    Status st;
    for (uint64_t done = 0; done < bytes && st.ok();) {
      const size_t n = static_cast<size_t>(std::min<uint64_t>(kZeros.size(), bytes - done));
      st = Append(fd, {std::string_view(kZeros.data(), n)});
      done += n;
    }
    if (st.ok()) st = Sync(fd);
    ::close(fd);
    return st.WithContext("cannot preallocate log segment " + path.string());
  }
  Status Append(int fd, const std::vector<std::string_view>& parts) override {
    std::vector<iovec> iov;
    iov.reserve(parts.size());
    for (std::string_view p : parts) {
      if (!p.empty()) iov.push_back({const_cast<char*>(p.data()), p.size()});
    }
    size_t first = 0;
    while (first < iov.size()) {
      const int count = static_cast<int>(std::min<size_t>(iov.size() - first, IOV_MAX));
      ssize_t n = ::writev(fd, iov.data() + first, count);
      if (n < 0) {
        if (errno == EINTR) continue;
        return Errno("cannot append to the event log");
      }
      // Skip what was written; a short write continues inside an iovec.
      size_t left = static_cast<size_t>(n);
      while (first < iov.size() && left >= iov[first].iov_len) left -= iov[first++].iov_len;
      if (left > 0) {
        iov[first].iov_base = static_cast<char*>(iov[first].iov_base) + left;
        iov[first].iov_len -= left;
      }
    }
    return Status::Ok();
  }
  Status Sync(int fd) override {
    if (::fdatasync(fd) != 0) return Errno("cannot sync the event log");
    return Status::Ok();
  }
  Status Truncate(int fd, uint64_t size) override {
    if (::ftruncate(fd, static_cast<off_t>(size)) != 0) return Errno("cannot truncate the event log");
    // Appends write at the file offset (no O_APPEND: a spare is overwritten
    // from its start), so it moves back too.
    if (::lseek(fd, static_cast<off_t>(size), SEEK_SET) < 0) return Errno("cannot truncate the event log");
    return Status::Ok();
  }
  Status SyncDir(const fs::path& dir) override {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return Errno("cannot open " + dir.string());
    const int rc = ::fsync(fd);
    ::close(fd);
    if (rc != 0) return Errno("cannot sync " + dir.string());
    return Status::Ok();
  }
  void Close(int fd) override { ::close(fd); }
};

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// "seg-00001767225600000000.ndjson" -> its micros, or -1.
int64_t NameMicros(std::string_view name) {
  if (!name.starts_with("seg-") || !name.ends_with(".ndjson")) return -1;
  std::string_view digits = name.substr(4, name.size() - 4 - 7);
  if (digits.empty() || digits.size() > 20) return -1;
  uint64_t v = 0;
  for (char c : digits) {
    if (c < '0' || c > '9' || v > (uint64_t{1} << 62) / 5) return -1;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  return v > static_cast<uint64_t>(INT64_MAX) ? -1 : static_cast<int64_t>(v);
}

bool IsSpareName(std::string_view name) { return name.starts_with(".spare-") && name.ends_with(".ndjson"); }

// The complete lines at the start of a segment: up to the first NUL byte (the
// unwritten part of a spare, or blocks a crash left unwritten; no accepted
// line holds a NUL), then back to the last end of line.
size_t CompleteLines(std::string_view text) {
  const size_t end = std::min(text.find('\0'), text.size());
  const size_t last = end == 0 ? std::string_view::npos : text.rfind('\n', end - 1);
  return last == std::string_view::npos ? 0 : last + 1;
}

// Reads a segment left from before and cuts it, on disk too, to its complete
// lines: a crash during an append can leave part of a line, which was never
// acknowledged, so it goes.
Result<std::string> ReadCompleteLines(const fs::path& path, LogFiles& files) {
  std::ifstream in(path, std::ios::binary);
  std::error_code ec;
  const uint64_t size = fs::file_size(path, ec);
  if (!in || ec) return Status::IoError("cannot read log segment " + path.string());
  std::string text(size, '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  if (static_cast<uint64_t>(in.gcount()) != size) return Status::IoError("cannot read log segment " + path.string());
  const size_t keep = CompleteLines(text);
  if (keep == text.size()) return text;
  if (text.find_first_not_of('\0', keep) != std::string::npos) {
    LogWarn("log_tail_truncated")
        .Str("segment", path.string())
        .Int("bytes_dropped", static_cast<int64_t>(text.size() - keep));
  }
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return Errno("cannot repair log segment " + path.string());
  Status st = files.Truncate(fd, keep);
  if (st.ok()) st = files.Sync(fd);
  ::close(fd);
  EARSHOT_RETURN_IF_ERROR(st.WithContext(path.string()));
  text.resize(keep);
  return text;
}

}  // namespace

Status LogFiles::Preallocate(const fs::path& path, uint64_t) {
  return Status::Internal("this event log cannot preallocate " + path.string());
}
Result<int> LogFiles::OpenForWrite(const fs::path& path) {
  return Status::Internal("this event log cannot reopen " + path.string());
}

std::unique_ptr<LogFiles> PosixLogFiles() { return std::make_unique<PosixFiles>(); }

EventLog::EventLog(fs::path root, std::vector<config::Provider> providers, LogSettings settings,
                   std::unique_ptr<LogFiles> files)
    : root_(std::move(root)),
      providers_(std::move(providers)),
      settings_(settings),
      files_(std::move(files)),
      active_(providers_.size()),
      active_bytes_(new std::atomic<uint64_t>[providers_.size()]()),
      closed_bytes_(new std::atomic<uint64_t>[providers_.size()]()),
      spares_(providers_.size()) {}

Result<std::unique_ptr<EventLog>> EventLog::Open(const fs::path& archive_dir, std::vector<config::Provider> providers,
                                                 LogSettings settings, std::unique_ptr<LogFiles> files) {
  std::unique_ptr<EventLog> log(new EventLog(archive_dir / "log", std::move(providers), settings, std::move(files)));
  EARSHOT_RETURN_IF_ERROR(log->Recover());
  log->RefreshDiskSpace();
  return log;
}

EventLog::~EventLog() { Stop(); }

Status EventLog::Recover() {
  std::vector<std::pair<size_t, fs::path>> spares;
  for (size_t p = 0; p < providers_.size(); ++p) {
    const fs::path dir = root_ / providers_[p].name;
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return Status::IoError("cannot create " + dir.string() + ": " + ec.message());
    std::vector<fs::path> names;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      if (!entry.is_regular_file()) continue;
      const std::string name = entry.path().filename().string();
      if (NameMicros(name) >= 0) names.push_back(entry.path());
      if (IsSpareName(name)) spares.emplace_back(p, entry.path());
    }
    if (ec) return Status::IoError("cannot list " + dir.string() + ": " + ec.message());
    std::sort(names.begin(), names.end());
    for (const fs::path& path : names) {
      last_name_micros_ = std::max(last_name_micros_, NameMicros(path.filename().string()));
      EARSHOT_RETURN_IF_ERROR(RecoverSegment(p, path));
    }
  }
  // A spare holding lines was a segment whose rename a crash undid: it gets
  // a name after every other one. Unused spares go.
  std::sort(spares.begin(), spares.end());
  for (const auto& [p, spare] : spares) {
    EARSHOT_ASSIGN_OR_RETURN(std::string text, ReadCompleteLines(spare, *files_));
    std::error_code ec;
    if (text.empty()) {
      fs::remove(spare, ec);
      continue;
    }
    const fs::path path = spare.parent_path() / NextName();
    fs::rename(spare, path, ec);
    if (ec) return Status::IoError("cannot rename " + spare.string() + " to " + path.string() + ": " + ec.message());
    EARSHOT_RETURN_IF_ERROR(files_->SyncDir(path.parent_path()));
    LogWarn("log_spare_recovered").Str("spare", spare.string()).Str("segment", path.filename().string());
    EARSHOT_RETURN_IF_ERROR(RecoverSegment(p, path));
  }
  return Status::Ok();
}

Status EventLog::RecoverSegment(size_t provider, const fs::path& path) {
  EARSHOT_ASSIGN_OR_RETURN(std::string text, ReadCompleteLines(path, *files_));
  if (text.empty()) {
    std::error_code ec;
    fs::remove(path, ec);
    return Status::Ok();
  }
  EventValidator validator(providers_[provider]);
  ForEachLine(text, [&](uint64_t, std::string_view line) {
    LineCheck check;
    if (validator.Check(line, check)) known_.Insert(KeyOf(providers_[provider].name, check.event_id));
  });
  Segment s{provider, providers_[provider].name, path, text.size(), std::chrono::system_clock::now()};
  recovered_.push_back(s);
  unloaded_[path.string()] = s;
  unloaded_bytes_ += s.bytes;
  return Status::Ok();
}

std::vector<Segment> EventLog::Recovered() const { return recovered_; }

void EventLog::AddKnown(size_t provider, std::string_view event_id) {
  std::lock_guard<std::mutex> lock(mu_);
  known_.Insert(KeyOf(providers_[provider].name, event_id));
}

void EventLog::NameAfter(std::string_view file_name) {
  last_name_micros_ = std::max(last_name_micros_, NameMicros(file_name));
}

std::string EventLog::NextName() {
  last_name_micros_ = std::max(last_name_micros_ + 1, NowMicros());
  char buf[64];
  std::snprintf(buf, sizeof buf, "seg-%020lld.ndjson", static_cast<long long>(last_name_micros_));
  return buf;
}

void EventLog::Start(std::function<void(Segment)> on_closed) {
  on_closed_ = std::move(on_closed);
  writer_ = std::thread([this] { WriterLoop(); });
  if (files_->CanPreallocate()) preparer_ = std::thread([this] { PrepareLoop(); });
}

void EventLog::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (writer_.joinable()) writer_.join();
  {
    std::lock_guard<std::mutex> lock(spare_mu_);
    spare_stop_ = true;
  }
  spare_wake_.notify_all();
  if (preparer_.joinable()) preparer_.join();
  // Spares not used: nothing of them is needed (a restart would remove them).
  for (Spare& spare : spares_) {
    std::error_code ec;
    if (!spare.path.empty()) fs::remove(spare.path, ec);
    spare.path.clear();
  }
}

Admission EventLog::Check(uint64_t bytes) const {
  if (broken_) return Admission::kUnavailable;
  if (disk_low_) return Admission::kDiskFull;
  std::lock_guard<std::mutex> lock(mu_);
  if (stopping_) return Admission::kUnavailable;
  if (unloaded_bytes_ > settings_.max_unloaded_bytes) return Admission::kLoaderBehind;
  if (queue_bytes_ > 0 && queue_bytes_ + bytes > settings_.max_queue_bytes) return Admission::kQueueFull;
  return Admission::kOk;
}

Admission EventLog::Submit(size_t provider, const std::vector<Line>& lines, Done done) {
  Pending pending{provider, {}, {}, 0, std::move(done)};
  size_t bytes = 0;
  for (const Line& l : lines) bytes += l.text.size() + 1;
  pending.data.reserve(bytes);
  pending.keys.reserve(lines.size());
  std::vector<EventKey> keys(lines.size());
  const std::string& name = providers_[provider].name;
  for (size_t i = 0; i < lines.size(); ++i) keys[i] = KeyOf(name, lines[i].event_id);  // hashing outside the lock
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (broken_ || stopping_) return Admission::kUnavailable;
    if (disk_low_) return Admission::kDiskFull;
    if (unloaded_bytes_ > settings_.max_unloaded_bytes) return Admission::kLoaderBehind;
    if (queue_bytes_ > 0 && queue_bytes_ + bytes > settings_.max_queue_bytes) return Admission::kQueueFull;
    for (size_t i = 0; i < lines.size(); ++i) {
      if (!known_.Insert(keys[i])) {
        ++pending.duplicated;
        continue;
      }
      pending.keys.push_back(keys[i]);
      pending.data.append(lines[i].text).push_back('\n');
    }
    queue_bytes_ += pending.data.size();
    queue_.push_back(std::move(pending));
  }
  wake_.notify_one();
  return Admission::kOk;
}

void EventLog::WriterLoop() {
  // Wake up often enough to close segments on time when nothing arrives.
  const auto tick =
      std::chrono::milliseconds(std::clamp<int64_t>(static_cast<int64_t>(settings_.segment_seconds * 250), 5, 250));
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    wake_.wait_for(lock, tick, [&] { return !queue_.empty() || stopping_; });
    if (queue_.empty()) {
      if (stopping_) break;
      lock.unlock();
      RollSegments(false);
      lock.lock();
      continue;
    }
    std::vector<Pending> batch;
    batch.swap(queue_);
    lock.unlock();

    uint64_t bytes = 0;
    for (const Pending& p : batch) bytes += p.data.size();
    auto started = std::chrono::steady_clock::now();
    Status st = Commit(batch);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::vector<Pending> failed_later;
    lock.lock();
    queue_bytes_ -= bytes;
    if (!st.ok()) {
      // The batch's ids were never durable: forget them, and fail what was
      // queued meanwhile (it may have counted one of them as a duplicate).
      for (const Pending& p : batch) {
        for (const EventKey& k : p.keys) known_.Erase(k);
      }
      failed_later.swap(queue_);
      for (const Pending& p : failed_later) {
        queue_bytes_ -= p.data.size();
        for (const EventKey& k : p.keys) known_.Erase(k);
      }
    } else {
      for (const Pending& p : batch) {
        if (p.data.empty()) continue;
        auto it = unloaded_.find(active_[p.provider].segment.path.string());
        if (it != unloaded_.end()) it->second.bytes = active_[p.provider].segment.bytes;
      }
      unloaded_bytes_ += bytes;
    }
    lock.unlock();
    if (st.ok() && on_commit_) on_commit_(seconds, batch.size(), bytes);
    if (!st.ok())
      LogError("log_commit_failed")
          .Str("message", st.message())
          .Int("requests", static_cast<int64_t>(batch.size() + failed_later.size()));
    for (Pending& p : batch) p.done(st, p.duplicated);
    for (Pending& p : failed_later) p.done(st, p.duplicated);
    RollSegments(false);
    lock.lock();
  }
  lock.unlock();
  RollSegments(true);
}

Status EventLog::OpenSegment(size_t provider) {
  Active& a = active_[provider];
  const fs::path dir = root_ / providers_[provider].name;
  a.segment = Segment{provider, providers_[provider].name, dir / NextName(), 0, std::chrono::system_clock::now()};
  a.capacity = 0;
  active_bytes_[provider] = 0;
  if (std::optional<Spare> spare = TakeSpare(provider)) {
    std::error_code ec;
    fs::rename(spare->path, a.segment.path, ec);
    Result<int> fd = ec ? Result<int>(Status::IoError("cannot rename " + spare->path.string() + ": " + ec.message()))
                        : files_->OpenForWrite(a.segment.path);
    if (fd.ok()) {
      a.fd = *fd;
      a.capacity = spare->capacity;
      ++preallocated_segments_;
      std::lock_guard<std::mutex> lock(mu_);
      unloaded_[a.segment.path.string()] = a.segment;
      return Status::Ok();
    }
    // Not fatal: the segment is created the ordinary way.
    LogWarn("spare_segment_unusable").Str("spare", spare->path.string()).Str("message", fd.status().message());
    fs::remove(ec ? spare->path : a.segment.path, ec);
  }
  EARSHOT_ASSIGN_OR_RETURN(a.fd, files_->Create(a.segment.path));
  // The new file's name must survive a crash as well as its bytes.
  Status st = files_->SyncDir(dir);
  if (!st.ok()) {
    files_->Close(a.fd);
    a.fd = -1;
    std::error_code ec;
    fs::remove(a.segment.path, ec);
    return st;
  }
  std::lock_guard<std::mutex> lock(mu_);
  unloaded_[a.segment.path.string()] = a.segment;
  return Status::Ok();
}

std::optional<EventLog::Spare> EventLog::TakeSpare(size_t provider) {
  if (!files_->CanPreallocate()) return std::nullopt;
  std::optional<Spare> taken;
  {
    std::lock_guard<std::mutex> lock(spare_mu_);
    Spare& spare = spares_[provider];
    spare.wanted = true;
    if (!spare.path.empty()) taken = std::exchange(spare, Spare{{}, 0, true});
  }
  spare_wake_.notify_one();
  return taken;
}

uint64_t EventLog::SegmentBytesSeen(size_t provider) const {
  return std::max(closed_bytes_[provider].load(), active_bytes_[provider].load());
}

uint64_t EventLog::SpareBytes(size_t provider) const {
  // Twice what the provider's segments hold, within [1 MB, segment_bytes]
  // (plus room for the batch that passes segment_bytes), in whole 4 KB blocks.
  const uint64_t seen = SegmentBytesSeen(provider);
  const uint64_t floor = std::min<uint64_t>(1 << 20, settings_.segment_bytes);
  const uint64_t bytes = std::clamp(seen * 2, floor, std::max(floor, settings_.segment_bytes + (1 << 20)));
  return (bytes + 4095) / 4096 * 4096;
}

void EventLog::PrepareLoop() {
  LowerThisThreadPriority(10);
  std::unique_lock<std::mutex> lock(spare_mu_);
  while (!spare_stop_) {
    // A provider whose spare is missing, or smaller than what its segments
    // hold by now (its traffic grew) when a larger one is allowed.
    size_t provider = spares_.size();
    uint64_t bytes = 0;
    for (size_t p = 0; p < spares_.size() && !disk_low_; ++p) {
      const Spare& spare = spares_[p];
      const uint64_t want = SpareBytes(p);
      if (spare.wanted && (spare.path.empty() || (spare.capacity < SegmentBytesSeen(p) && spare.capacity < want))) {
        provider = p;
        bytes = want;
        break;
      }
    }
    if (provider == spares_.size()) {
      // Woken by a take; otherwise look again as segments grow.
      spare_wake_.wait_for(lock, std::chrono::seconds(1));
      continue;
    }
    const fs::path dir = root_ / providers_[provider].name;
    const fs::path path = dir / (".spare-" + std::to_string(++spare_counter_) + ".ndjson");
    lock.unlock();
    Status st = files_->Preallocate(path, bytes);
    if (st.ok()) st = files_->SyncDir(dir);
    lock.lock();
    std::error_code ec;
    if (!st.ok() || spare_stop_) {
      fs::remove(path, ec);
      if (!st.ok()) {
        LogWarn("spare_segment_failed").Str("spare", path.string()).Str("message", st.message());
        spare_wake_.wait_for(lock, std::chrono::seconds(5), [&] { return spare_stop_; });
      }
      continue;
    }
    const fs::path replaced = std::exchange(spares_[provider].path, path);
    spares_[provider].capacity = bytes;
    if (!replaced.empty()) {
      lock.unlock();
      fs::remove(replaced, ec);
      lock.lock();
    }
  }
}

Status EventLog::Commit(std::vector<Pending>& batch) {
  std::vector<std::vector<std::string_view>> parts(providers_.size());
  for (const Pending& p : batch) {
    if (!p.data.empty()) parts[p.provider].push_back(p.data);
  }
  std::vector<std::pair<size_t, uint64_t>> written;  // provider, size before
  Status st;
  for (size_t p = 0; p < providers_.size() && st.ok(); ++p) {
    if (parts[p].empty()) continue;
    if (active_[p].fd < 0) {
      st = OpenSegment(p);
      if (!st.ok()) break;
    }
    written.emplace_back(p, active_[p].segment.bytes);
    st = files_->Append(active_[p].fd, parts[p]);
  }
  for (size_t i = 0; i < written.size() && st.ok(); ++i) st = files_->Sync(active_[written[i].first].fd);
  if (st.ok()) {
    for (const Pending& p : batch) active_[p.provider].segment.bytes += p.data.size();
    for (const auto& [p, size] : written) active_bytes_[p] = active_[p].segment.bytes;
    return st;
  }
  // Undo: cut every segment of this batch back to where it was.
  for (const auto& [p, size] : written) {
    Status undo = files_->Truncate(active_[p].fd, size);
    active_[p].capacity = std::min(active_[p].capacity, size);
    if (undo.ok()) undo = files_->Sync(active_[p].fd);
    if (!undo.ok()) {
      broken_ = true;
      LogError("log_broken").Str("segment", active_[p].segment.path.string()).Str("message", undo.message());
    }
  }
  return st;
}

void EventLog::CloseSegment(size_t provider) {
  Active& a = active_[provider];
  if (a.fd < 0) return;
  if (a.capacity > a.segment.bytes) {
    // The zeros after the lines go (no sync needed: recovery cuts them too).
    Status st = files_->Truncate(a.fd, a.segment.bytes);
    if (!st.ok()) LogError("segment_cut_failed").Str("segment", a.segment.path.string()).Str("message", st.message());
  }
  closed_bytes_[provider] = a.segment.bytes;
  files_->Close(a.fd);
  a.fd = -1;
  LogInfo("segment_closed")
      .Str("provider", a.segment.provider_name)
      .Str("segment", a.segment.path.filename().string())
      .Int("bytes", static_cast<int64_t>(a.segment.bytes));
  if (on_closed_) on_closed_(a.segment);
}

void EventLog::RollSegments(bool all) {
  const auto now = std::chrono::system_clock::now();
  for (size_t p = 0; p < active_.size(); ++p) {
    const Active& a = active_[p];
    if (a.fd < 0) continue;
    const double age = std::chrono::duration<double>(now - a.segment.opened).count();
    if (all || a.segment.bytes >= settings_.segment_bytes || age >= settings_.segment_seconds) CloseSegment(p);
  }
}

void EventLog::Loaded(const Segment& segment) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = unloaded_.find(segment.path.string());
  if (it == unloaded_.end()) return;
  unloaded_bytes_ -= std::min(unloaded_bytes_, it->second.bytes);
  unloaded_.erase(it);
}

void EventLog::RefreshDiskSpace() {
  struct statvfs v {};
  if (::statvfs(root_.c_str(), &v) != 0) return;
  const uint64_t free_bytes = static_cast<uint64_t>(v.f_bavail) * v.f_frsize;
  const bool low = free_bytes < settings_.min_free_disk_bytes;
  if (low != disk_low_.exchange(low)) {
    (low ? LogWarn("disk_low") : LogInfo("disk_ok")).Int("free_bytes", static_cast<int64_t>(free_bytes));
  }
}

EventLog::Stats EventLog::stats() const {
  Stats s;
  std::lock_guard<std::mutex> lock(mu_);
  s.queue_bytes = queue_bytes_;
  s.unloaded_bytes = unloaded_bytes_;
  s.known_events = known_.size();
  s.preallocated_segments = preallocated_segments_;
  s.writable = !broken_ && !stopping_ && !disk_low_;
  const auto now = std::chrono::system_clock::now();
  for (const auto& [path, seg] : unloaded_) {
    if (seg.bytes == 0) continue;
    ++s.unloaded_segments;
    s.oldest_unloaded_seconds =
        std::max(s.oldest_unloaded_seconds, std::chrono::duration<double>(now - seg.opened).count());
  }
  return s;
}

}  // namespace earshot::server
