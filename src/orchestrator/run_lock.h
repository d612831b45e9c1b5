// RunLock: at most one pass of `earshot run` / `earshot watch` (and one
// `earshot check`) per project at a time. It is an flock(2) on
// warehouse/earshot.lock, taken without waiting: the kernel drops it when the
// holding process ends, however it ends, so a crashed run never leaves a
// stale lock behind. The holder writes its pid into the file so the refusal
// can say who holds it. Move-only; not thread-safe.
#pragma once

#include <filesystem>

#include "common/status.h"
#include "config/project.h"

namespace earshot::orchestrator {

// warehouse/earshot.lock of `project`.
inline std::filesystem::path RunLockPath(const config::Project& project) {
  return project.warehouse_dir() / "earshot.lock";
}

class RunLock {
 public:
  // Takes the lock on `file` (created when missing). Fails with
  // kAlreadyExists, naming the holder's pid, when another process (or another
  // RunLock in this one) holds it; kIoError when the file cannot be opened.
  static Result<RunLock> Acquire(const std::filesystem::path& file);

  RunLock(RunLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  RunLock& operator=(RunLock&& other) noexcept;
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;
  ~RunLock();  // releases the lock

 private:
  explicit RunLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace earshot::orchestrator
