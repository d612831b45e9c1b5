// AsyncLanding: lands a file in the raw archive on a thread of its own while
// the caller reads the same file, so copying, hashing and syncing the raw copy
// overlap with loading instead of coming before it.
//
// Start() notes the file's identity (device, inode, size, modification time)
// and begins RawArchive::Land() on a new thread; Finish() waits for it and
// then checks that the file still has the identity it had at the start: a file
// changed while it was read could give the loader other bytes than the
// archive got, so Finish() fails then, and the caller must roll its load back.
// One AsyncLanding is used by one thread; the destructor waits for the landing
// thread if Finish() was never called.
#pragma once

#include <sys/stat.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <thread>

#include "common/status.h"
#include "landing/archive.h"

namespace earshot::landing {

class AsyncLanding {
 public:
  // Fails with kIoError (naming the file) when it cannot be opened or stat'ed.
  static Result<std::unique_ptr<AsyncLanding>> Start(const RawArchive& archive, const std::filesystem::path& file);
  ~AsyncLanding();
  AsyncLanding(const AsyncLanding&) = delete;
  AsyncLanding& operator=(const AsyncLanding&) = delete;

  uint64_t size_at_start() const { return static_cast<uint64_t>(identity_.st_size); }

  // Waits for the landing. Returns the landed file (durable, under its final
  // name), or the landing's error, or kDataError when the file changed while
  // it was being landed. Calling it again returns the same answer.
  Result<LandedFile> Finish();

 private:
  AsyncLanding(std::filesystem::path file, struct stat identity) : file_(std::move(file)), identity_(identity) {}

  std::filesystem::path file_;
  struct stat identity_;
  std::thread thread_;
  std::optional<Result<LandedFile>> landed_;  // written by thread_, read after join
  std::optional<Result<LandedFile>> answer_;  // Finish()'s answer, once given
};

}  // namespace earshot::landing
