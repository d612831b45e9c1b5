// BlockReader: reads a file front to back into one growable buffer, so the
// record readers (CSV, NDJSON) can hand out string_views into it without
// copying. The caller marks how much it has consumed; Refill() moves the
// unconsumed tail to the front and appends the next block. The buffer only
// grows when a single record is larger than a block, up to max_buffer bytes,
// so memory is bounded by the block size, never by the file size.
// Not thread-safe; one reader per file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <vector>

#include "common/status.h"

namespace earshot::formats {

class BlockReader {
 public:
  static constexpr size_t kDefaultBlock = size_t{4} << 20;
  static constexpr size_t kDefaultMaxBuffer = size_t{256} << 20;

  // Opens `path`. Fails with kIoError (message names the file) when it cannot.
  static Result<std::unique_ptr<BlockReader>> Open(const std::filesystem::path& path,
                                                   size_t block_size = kDefaultBlock,
                                                   size_t max_buffer = kDefaultMaxBuffer);
  ~BlockReader();
  BlockReader(const BlockReader&) = delete;
  BlockReader& operator=(const BlockReader&) = delete;

  const char* data() const { return buffer_.data(); }
  // Valid bytes in data(): [begin(), end()).
  size_t begin() const { return begin_; }
  size_t end() const { return end_; }
  bool eof() const { return eof_; }
  // File offset of data()[0].
  uint64_t buffer_file_offset() const { return buffer_file_offset_; }
  uint64_t file_size() const { return file_size_; }
  uint64_t bytes_read() const { return bytes_read_; }

  void Consume(size_t new_begin) { begin_ = new_begin; }
  // Discards consumed bytes and reads more. Returns false (with ok status) when
  // the buffer could not grow: the unconsumed data already fills max_buffer.
  Result<bool> Refill();

 private:
  BlockReader(int fd, std::filesystem::path path, size_t block, size_t max_buffer, uint64_t size);

  int fd_;
  std::filesystem::path path_;
  size_t block_size_;
  size_t max_buffer_;
  std::vector<char> buffer_;
  size_t begin_ = 0;
  size_t end_ = 0;
  bool eof_ = false;
  uint64_t buffer_file_offset_ = 0;
  uint64_t file_size_ = 0;
  uint64_t bytes_read_ = 0;
};

}  // namespace earshot::formats
