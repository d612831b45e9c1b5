#include "landing/archive.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <memory>
#include <vector>

#include "common/stale_files.h"

namespace earshot::landing {

namespace {

constexpr size_t kCopyBlock = size_t{4} << 20;

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release() {
    int f = fd_;
    fd_ = -1;
    return f;
  }

 private:
  int fd_;
};

std::string Hex(const unsigned char* digest, unsigned len) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 15]);
  }
  return out;
}

Status Errno(const std::string& what, const std::filesystem::path& p) {
  return Status::IoError(what + " " + p.string() + ": " + std::strerror(errno));
}

Status WriteAll(int fd, const char* data, size_t n, const std::filesystem::path& p) {
  while (n > 0) {
    ssize_t w = ::write(fd, data, n);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) return Errno("cannot write", p);
    data += w;
    n -= static_cast<size_t>(w);
  }
  return Status::Ok();
}

Status FsyncDir(const std::filesystem::path& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0 || ::fsync(fd.get()) != 0) return Errno("cannot sync folder", dir);
  return Status::Ok();
}

// Reads `in` block by block, feeding the digest and (when out >= 0) a copy.
Result<std::string> HashAndCopy(int in, const std::filesystem::path& src, int out, const std::filesystem::path& dst,
                                const std::function<void(uint64_t)>& progress, uint64_t& bytes) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) {
    return Status::Internal("cannot initialise SHA-256");
  }
  std::vector<char> buf(kCopyBlock);
  bytes = 0;
  while (true) {
    ssize_t n = ::read(in, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Errno("cannot read", src);
    if (n == 0) break;
    EVP_DigestUpdate(ctx.get(), buf.data(), static_cast<size_t>(n));
    if (out >= 0) EARSHOT_RETURN_IF_ERROR(WriteAll(out, buf.data(), static_cast<size_t>(n), dst));
    bytes += static_cast<uint64_t>(n);
    if (progress) progress(bytes);
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  EVP_DigestFinal_ex(ctx.get(), digest, &len);
  return Hex(digest, len);
}

}  // namespace

std::filesystem::path RawArchive::ObjectPath(const std::string& sha256) const {
  return root_ / "objects" / sha256.substr(0, 2) / sha256;
}

Result<LandedFile> RawArchive::Land(const std::filesystem::path& file,
                                    const std::function<void(uint64_t)>& progress) const {
  Fd in(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
  if (in.get() < 0) return Errno("cannot open", file);
  ::posix_fadvise(in.get(), 0, 0, POSIX_FADV_SEQUENTIAL);

  std::error_code ec;
  std::filesystem::create_directories(root_ / "tmp", ec);
  if (ec) return Status::IoError("cannot create " + (root_ / "tmp").string() + ": " + ec.message());
  RemoveFilesOfDeadProcesses(root_ / "tmp", "landing-");
  // Unique per process and call: several threads may land files at once.
  static std::atomic<uint64_t> counter{0};
  std::filesystem::path tmp =
      root_ / "tmp" / ("landing-" + std::to_string(::getpid()) + "-" + std::to_string(counter.fetch_add(1)));
  Fd out(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (out.get() < 0) return Errno("cannot create", tmp);

  LandedFile landed;
  auto hash = HashAndCopy(in.get(), file, out.get(), tmp, progress, landed.bytes);
  if (!hash.ok()) {
    std::filesystem::remove(tmp, ec);
    return hash.status().WithContext("landing " + file.string());
  }
  landed.sha256 = *hash;
  landed.object = ObjectPath(landed.sha256);
  if (std::filesystem::exists(landed.object)) {
    landed.already_archived = true;
    std::filesystem::remove(tmp, ec);
    return landed;
  }
  if (::fsync(out.get()) != 0) {
    Status st = Errno("cannot sync", tmp);
    std::filesystem::remove(tmp, ec);
    return st;
  }
  ::close(out.release());
  std::filesystem::create_directories(landed.object.parent_path(), ec);
  if (ec) return Status::IoError("cannot create " + landed.object.parent_path().string() + ": " + ec.message());
  if (::rename(tmp.c_str(), landed.object.c_str()) != 0) return Errno("cannot move into the archive", landed.object);
  EARSHOT_RETURN_IF_ERROR(FsyncDir(landed.object.parent_path()));
  return landed;
}

Status RawArchive::Journal(const std::string& json_line) const {
  std::filesystem::path path = root_ / "landings.ndjson";
  Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
  if (fd.get() < 0) return Errno("cannot open", path);
  std::string line = json_line + "\n";
  EARSHOT_RETURN_IF_ERROR(WriteAll(fd.get(), line.data(), line.size(), path));
  if (::fsync(fd.get()) != 0) return Errno("cannot sync", path);
  return Status::Ok();
}

Result<std::string> Sha256File(const std::filesystem::path& file) {
  Fd in(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
  if (in.get() < 0) return Errno("cannot open", file);
  uint64_t bytes = 0;
  return HashAndCopy(in.get(), file, -1, {}, {}, bytes);
}

}  // namespace earshot::landing
