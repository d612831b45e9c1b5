// LineReader: streams the lines of a file (LF or CRLF), for NDJSON and for
// sniffing. Each line comes with its 1-based number and byte offset; a line
// longer than the buffer limit is reported as too large and skipped, never
// loaded whole into memory. A BOM at the start of the file is dropped.
// Views stay valid until the next call to Next(). Not thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string_view>

#include "common/status.h"
#include "formats/block_reader.h"

namespace earshot::formats {

struct Line {
  std::string_view text;     // without the terminator
  uint64_t number = 0;       // 1-based
  uint64_t byte_offset = 0;
  bool too_large = false;    // text then holds only the line's first bytes
};

class LineReader {
 public:
  static Result<std::unique_ptr<LineReader>> Open(const std::filesystem::path& path,
                                                  size_t block_size = BlockReader::kDefaultBlock,
                                                  size_t max_line = BlockReader::kDefaultMaxBuffer);
  // Returns true with the next line, false at end of file, or an IoError.
  Result<bool> Next(Line& line);

  uint64_t bytes_consumed() const { return consumed_offset_; }
  uint64_t file_size() const { return block_->file_size(); }

 private:
  explicit LineReader(std::unique_ptr<BlockReader> block) : block_(std::move(block)) {}

  std::unique_ptr<BlockReader> block_;
  std::string prefix_;  // first bytes of an oversized line
  uint64_t number_ = 0;
  uint64_t consumed_offset_ = 0;
  bool started_ = false;
};

}  // namespace earshot::formats
