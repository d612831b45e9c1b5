#include "ingest/reject_spool.h"

#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <string>

#include "common/stale_files.h"

namespace earshot::ingest {

namespace {

bool WriteField(std::FILE* f, const std::string& s) {
  uint32_t n = static_cast<uint32_t>(s.size());
  return std::fwrite(&n, sizeof n, 1, f) == 1 && (n == 0 || std::fwrite(s.data(), 1, n, f) == n);
}

bool ReadField(std::FILE* f, std::string& s) {
  uint32_t n = 0;
  if (std::fread(&n, sizeof n, 1, f) != 1) return false;
  s.resize(n);
  return n == 0 || std::fread(s.data(), 1, n, f) == n;
}

}  // namespace

Result<std::unique_ptr<RejectSpool>> RejectSpool::Create(const std::filesystem::path& dir) {
  static std::atomic<uint64_t> counter{0};
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  RemoveFilesOfDeadProcesses(dir, "rejects-");
  std::filesystem::path path =
      dir / ("rejects-" + std::to_string(::getpid()) + "-" + std::to_string(counter.fetch_add(1)) + ".spool");
  std::FILE* f = std::fopen(path.c_str(), "w+b");
  if (f == nullptr) return Status::IoError("cannot create " + path.string());
  return std::unique_ptr<RejectSpool>(new RejectSpool(f, path));
}

RejectSpool::~RejectSpool() {
  std::fclose(file_);
  std::error_code ec;
  std::filesystem::remove(path_, ec);
}

Status RejectSpool::Write(const Reject& r) {
  uint64_t nums[2] = {r.line, r.byte_offset};
  bool ok = std::fwrite(nums, sizeof nums, 1, file_) == 1 && WriteField(file_, r.column) && WriteField(file_, r.code) &&
            WriteField(file_, r.message) && WriteField(file_, r.raw);
  return ok ? Status::Ok() : Status::IoError("cannot write rejects to " + path_.string() + " (disk full?)");
}

Status RejectSpool::ReadAll(const std::function<Status(const Reject&)>& each) {
  if (std::fflush(file_) != 0 || std::fseek(file_, 0, SEEK_SET) != 0) {
    return Status::IoError("cannot read back " + path_.string());
  }
  Reject r;
  uint64_t nums[2];
  while (std::fread(nums, sizeof nums, 1, file_) == 1) {
    r.line = nums[0];
    r.byte_offset = nums[1];
    if (!ReadField(file_, r.column) || !ReadField(file_, r.code) || !ReadField(file_, r.message) ||
        !ReadField(file_, r.raw)) {
      return Status::IoError("rejects spool " + path_.string() + " is truncated");
    }
    EARSHOT_RETURN_IF_ERROR(each(r));
  }
  return Status::Ok();
}

}  // namespace earshot::ingest
