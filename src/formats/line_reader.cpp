#include "formats/line_reader.h"

#include <algorithm>
#include <cstring>
#include <string>

namespace earshot::formats {

Result<std::unique_ptr<LineReader>> LineReader::Open(const std::filesystem::path& path,
                                                     size_t block_size, size_t max_line) {
  EARSHOT_ASSIGN_OR_RETURN(auto block, BlockReader::Open(path, block_size, max_line));
  return std::unique_ptr<LineReader>(new LineReader(std::move(block)));
}

Result<bool> LineReader::Next(Line& line) {
  line.too_large = false;
  while (true) {
    size_t b = block_->begin();
    const size_t e = block_->end();
    const char* d = block_->data();
    if (!started_ && (e - b >= 3 || block_->eof())) {
      started_ = true;
      if (e - b >= 3 && std::memcmp(d + b, "\xEF\xBB\xBF", 3) == 0) {
        block_->Consume(b + 3);
        continue;
      }
    }
    if (started_) {
      const void* nl = std::memchr(d + b, '\n', e - b);
      if (nl != nullptr || (block_->eof() && b < e)) {
        size_t stop = nl ? static_cast<size_t>(static_cast<const char*>(nl) - d) : e;
        size_t text_end = stop;
        if (text_end > b && d[text_end - 1] == '\r') --text_end;
        line.text = std::string_view(d + b, text_end - b);
        line.number = ++number_;
        line.byte_offset = block_->buffer_file_offset() + b;
        size_t next = nl ? stop + 1 : e;
        block_->Consume(next);
        consumed_offset_ = block_->buffer_file_offset() + next;
        return true;
      }
      if (block_->eof()) return false;
    }
    EARSHOT_ASSIGN_OR_RETURN(bool more, block_->Refill());
    if (!more && !block_->eof()) {
      // The line does not fit the buffer: report its start, skip to its end.
      line.number = ++number_;
      line.byte_offset = block_->buffer_file_offset() + block_->begin();
      // The line's first bytes; never more than the buffer holds.
      prefix_.assign(block_->data() + block_->begin(), std::min<size_t>(200, block_->end() - block_->begin()));
      line.text = prefix_;
      line.too_large = true;
      while (true) {
        const char* dd = block_->data();
        const void* nl = std::memchr(dd + block_->begin(), '\n', block_->end() - block_->begin());
        if (nl != nullptr) {
          size_t next = static_cast<size_t>(static_cast<const char*>(nl) - dd) + 1;
          block_->Consume(next);
          consumed_offset_ = block_->buffer_file_offset() + next;
          return true;
        }
        block_->Consume(block_->end());
        EARSHOT_ASSIGN_OR_RETURN(bool again, block_->Refill());
        if (!again && block_->eof()) {
          consumed_offset_ = block_->file_size();
          return true;
        }
      }
    }
  }
}

}  // namespace earshot::formats
