#include "server/background_priority.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <string>

namespace earshot::server {

namespace {

void Renice(pid_t tid, int increment) {
  errno = 0;
  const int current = getpriority(PRIO_PROCESS, static_cast<id_t>(tid));
  if (current == -1 && errno != 0) return;
  (void)setpriority(PRIO_PROCESS, static_cast<id_t>(tid), current + increment);
}

pid_t ThisThread() { return static_cast<pid_t>(::syscall(SYS_gettid)); }

}  // namespace

void LowerThisThreadPriority(int increment) { Renice(ThisThread(), increment); }

void LowerOtherThreadsPriority(int increment) {
  const pid_t self = ThisThread();
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/task", ec)) {
    const pid_t tid = static_cast<pid_t>(std::stol(entry.path().filename().string()));
    if (tid != self) Renice(tid, increment);
  }
}

}  // namespace earshot::server
