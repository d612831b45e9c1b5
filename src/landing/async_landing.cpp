#include "landing/async_landing.h"

#include <cerrno>
#include <cstring>

namespace earshot::landing {

namespace {

bool SameFile(const struct stat& a, const struct stat& b) {
  return a.st_dev == b.st_dev && a.st_ino == b.st_ino && a.st_size == b.st_size &&
         a.st_mtim.tv_sec == b.st_mtim.tv_sec && a.st_mtim.tv_nsec == b.st_mtim.tv_nsec;
}

}  // namespace

Result<std::unique_ptr<AsyncLanding>> AsyncLanding::Start(const RawArchive& archive,
                                                          const std::filesystem::path& file) {
  struct stat identity {};
  if (::stat(file.c_str(), &identity) != 0) {
    return Status::IoError("cannot open " + file.string() + ": " + std::strerror(errno));
  }
  std::unique_ptr<AsyncLanding> landing(new AsyncLanding(file, identity));
  AsyncLanding* self = landing.get();
  self->thread_ = std::thread([self, archive] { self->landed_ = archive.Land(self->file_); });
  return landing;
}

AsyncLanding::~AsyncLanding() {
  if (thread_.joinable()) thread_.join();
}

Result<LandedFile> AsyncLanding::Finish() {
  if (answer_) return *answer_;
  if (thread_.joinable()) thread_.join();
  struct stat now {};
  if (!landed_->ok()) {
    answer_ = *landed_;
  } else if (::stat(file_.c_str(), &now) != 0 || !SameFile(identity_, now)) {
    answer_ = Result<LandedFile>(Status::DataError(
        file_.string() + " changed while it was being ingested (its size, time or inode moved): nothing of it was "
        "loaded; ingest it again once it is complete (a sender should write FILE.part and rename it when done)"));
  } else {
    answer_ = *landed_;
  }
  return *answer_;
}

}  // namespace earshot::landing
