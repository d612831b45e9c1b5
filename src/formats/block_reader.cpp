#include "formats/block_reader.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <sys/stat.h>

namespace earshot::formats {

BlockReader::BlockReader(int fd, std::filesystem::path path, size_t block, size_t max_buffer,
                         uint64_t size)
    : fd_(fd), path_(std::move(path)), block_size_(block), max_buffer_(max_buffer), file_size_(size) {
  buffer_.resize(block_size_ * 2);
}

BlockReader::~BlockReader() { ::close(fd_); }

Result<std::unique_ptr<BlockReader>> BlockReader::Open(const std::filesystem::path& path,
                                                       size_t block_size, size_t max_buffer) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return Status::IoError("cannot open " + path.string() + ": " + std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
    ::close(fd);
    return Status::IoError("cannot read " + path.string() + ": not a regular file");
  }
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  return std::unique_ptr<BlockReader>(
      new BlockReader(fd, path, block_size, max_buffer, static_cast<uint64_t>(st.st_size)));
}

Result<bool> BlockReader::Refill() {
  if (eof_) return false;
  size_t live = end_ - begin_;
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, live);
    buffer_file_offset_ += begin_;
    begin_ = 0;
    end_ = live;
  }
  if (buffer_.size() - end_ < block_size_) {
    if (buffer_.size() >= max_buffer_) return false;
    buffer_.resize(std::min(max_buffer_, std::max(buffer_.size() * 2, end_ + block_size_)));
  }
  size_t want = buffer_.size() - end_;
  while (true) {
    ssize_t n = ::read(fd_, buffer_.data() + end_, want);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::IoError("read error in " + path_.string() + ": " + std::strerror(errno));
    if (n == 0) {
      eof_ = true;
      return true;
    }
    end_ += static_cast<size_t>(n);
    bytes_read_ += static_cast<uint64_t>(n);
    return true;
  }
}

}  // namespace earshot::formats
