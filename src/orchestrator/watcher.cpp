#include "orchestrator/watcher.h"

#include <poll.h>
#include <signal.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <vector>

#include "orchestrator/cron.h"
#include "orchestrator/inbox.h"

namespace earshot::orchestrator {

namespace {

using Clock = std::chrono::system_clock;

class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

sigset_t StopSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  return set;
}

// (Re)adds a watch on the inbox folder and every inbox that exists (adding
// the same path twice is harmless). Returns how many inboxes are watched.
int AddWatches(int ifd, const config::Project& project) {
  constexpr uint32_t kEvents = IN_CLOSE_WRITE | IN_MOVED_TO | IN_ATTRIB | IN_CREATE;
  (void)::inotify_add_watch(ifd, project.inbox_dir().c_str(), IN_CREATE | IN_MOVED_TO | IN_ONLYDIR);
  int watched = 0;
  for (const Inbox& inbox : ProjectInboxes(project)) {
    if (::inotify_add_watch(ifd, inbox.dir.c_str(), kEvents | IN_ONLYDIR) >= 0) ++watched;
  }
  return watched;
}

void Drain(int fd) {
  alignas(inotify_event) char buf[16384];
  while (::read(fd, buf, sizeof buf) > 0) {
  }
}

}  // namespace

Status BlockStopSignals() {
  sigset_t set = StopSignals();
  if (::pthread_sigmask(SIG_BLOCK, &set, nullptr) != 0) return Status::IoError("cannot block SIGTERM/SIGINT");
  return Status::Ok();
}

Status Watch(const config::Project& project, const WatchCallbacks& cb) {
  std::vector<CronSchedule> schedules;
  for (const std::string& expr : project.run.schedules) {
    auto s = CronSchedule::Parse(expr);
    if (!s.ok()) return s.status().WithContext(project.config_file().string() + ": run.schedules");
    schedules.push_back(std::move(s).value());
  }
  EARSHOT_RETURN_IF_ERROR(BlockStopSignals());
  sigset_t set = StopSignals();
  Fd sfd(::signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK));
  if (sfd.get() < 0) return Status::IoError(std::string("cannot watch for SIGTERM: ") + std::strerror(errno));
  Fd ifd(::inotify_init1(IN_CLOEXEC | IN_NONBLOCK));
  const double poll_seconds = project.run.poll_seconds;
  if (ifd.get() < 0) {
    cb.log("inotify is not available (" + std::string(std::strerror(errno)) + "): looking at the inboxes every " +
           std::to_string(poll_seconds) + " s");
  } else {
    cb.log("watching " + std::to_string(AddWatches(ifd.get(), project)) + " inbox folders in " +
           project.inbox_dir().string() + " (SIGTERM or Ctrl-C stops after the pass under way)");
  }

  auto next_fire = Clock::time_point::max();
  auto plan_schedules = [&] {
    next_fire = Clock::time_point::max();
    for (const CronSchedule& s : schedules) next_fire = std::min(next_fire, s.Next(Clock::now()));
  };
  plan_schedules();
  bool look = true;  // look at the inboxes now (at start: what arrived while nobody watched)
  auto settle_at = Clock::time_point::max();  // when a file being written counts as complete
  auto last_look = Clock::now();
  for (;;) {
    if (look) {
      look = false;
      last_look = Clock::now();
      InboxScan scan = ScanInboxes(project, std::filesystem::file_time_type::clock::now());
      if (!scan.ready.empty()) {
        cb.pass("watch", false);
        scan = ScanInboxes(project, std::filesystem::file_time_type::clock::now());
      }
      settle_at = Clock::time_point::max();
      for (const InboxFile& f : scan.waiting) {
        auto at = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(f.settles_in));
        settle_at = std::min(settle_at, at + std::chrono::milliseconds(10));
      }
      if (ifd.get() >= 0) AddWatches(ifd.get(), project);  // inbox folders made since
    }
    if (Clock::now() >= next_fire) {
      cb.pass("schedule", true);
      plan_schedules();
      continue;
    }
    auto wake = std::min(next_fire, last_look + std::chrono::duration_cast<Clock::duration>(
                                                    std::chrono::duration<double>(poll_seconds)));
    wake = std::min(wake, settle_at);
    const auto wait_ms = std::chrono::duration_cast<std::chrono::milliseconds>(wake - Clock::now()).count();
    const int timeout = static_cast<int>(std::clamp<int64_t>(wait_ms, 0, 60'000));
    pollfd fds[2] = {{sfd.get(), POLLIN, 0}, {ifd.get(), POLLIN, 0}};
    int n = ::poll(fds, ifd.get() >= 0 ? 2 : 1, timeout);
    if (n < 0 && errno != EINTR) return Status::IoError(std::string("watch: poll failed: ") + std::strerror(errno));
    if (n > 0 && (fds[0].revents & POLLIN)) {
      signalfd_siginfo info;
      const char* name = "a stop signal";
      if (::read(sfd.get(), &info, sizeof info) == sizeof info) name = info.ssi_signo == SIGINT ? "SIGINT" : "SIGTERM";
      cb.log(std::string("stopping on ") + name);
      return Status::Ok();
    }
    if (n > 0 && ifd.get() >= 0 && (fds[1].revents & POLLIN)) {
      Drain(ifd.get());
      look = true;
    }
    const auto now = Clock::now();
    if (now >= settle_at ||
        now - last_look >= std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(poll_seconds))) {
      look = true;
    }
  }
}

}  // namespace earshot::orchestrator
