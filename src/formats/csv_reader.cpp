#include "formats/csv_reader.h"

#include <algorithm>
#include <cstring>

namespace earshot::formats {

namespace {
constexpr size_t kNpos = static_cast<size_t>(-1);
}

Result<std::unique_ptr<CsvReader>> CsvReader::Open(const std::filesystem::path& path,
                                                   size_t block_size, size_t max_record) {
  EARSHOT_ASSIGN_OR_RETURN(auto block, BlockReader::Open(path, block_size, max_record));
  return std::unique_ptr<CsvReader>(new CsvReader(std::move(block)));
}

size_t CsvReader::ParseRecord(CsvRecord& record, bool at_eof) {
  const char* data = block_->data();
  const size_t end = block_->end();
  size_t i = block_->begin();
  const size_t start = i;
  record.fields.clear();
  record.flaw = CsvFlaw::kNone;
  scratch_.clear();
  scratch_.reserve(end - start);  // views into scratch_ must never move
  uint64_t newlines = 0;

  while (true) {
    // One field starts at i.
    if (i < end && data[i] == '"') {
      size_t j = i + 1;
      size_t scratch_start = scratch_.size();
      while (true) {
        const void* q = std::memchr(data + j, '"', end - j);
        size_t qpos = q ? static_cast<size_t>(static_cast<const char*>(q) - data) : end;
        for (size_t k = j; k < qpos; ++k) newlines += (data[k] == '\n');
        scratch_.append(data + j, qpos - j);
        if (qpos >= end) {
          if (!at_eof) return kNpos;
          // The file ended inside the quotes: keep what we have, flag it.
          record.flaw = CsvFlaw::kUnterminatedQuote;
          record.fields.emplace_back(scratch_.data() + scratch_start, scratch_.size() - scratch_start);
          record.raw = std::string_view(data + start, end - start);
          line_ += newlines;
          return end;
        }
        if (qpos + 1 < end && data[qpos + 1] == '"') {
          scratch_.push_back('"');
          j = qpos + 2;
          continue;
        }
        if (qpos + 1 >= end && !at_eof) return kNpos;
        j = qpos + 1;
        break;
      }
      // After the closing quote: lenient, text up to the next delimiter is appended.
      while (j < end && data[j] != ',' && data[j] != '\n') {
        if (!(data[j] == '\r' && j + 1 < end && data[j + 1] == '\n')) scratch_.push_back(data[j]);
        ++j;
      }
      record.fields.emplace_back(scratch_.data() + scratch_start, scratch_.size() - scratch_start);
      i = j;
    } else {
      size_t j = i;
      while (j < end && data[j] != ',' && data[j] != '\n') ++j;
      size_t field_end = j;
      if (j < end && data[j] == '\n' && field_end > i && data[field_end - 1] == '\r') --field_end;
      if (j >= end && at_eof && field_end > i && data[field_end - 1] == '\r') --field_end;
      record.fields.emplace_back(data + i, field_end - i);
      i = j;
    }
    if (i >= end) {
      if (!at_eof) return kNpos;
      size_t raw_end = end;
      if (raw_end > start && data[raw_end - 1] == '\r') --raw_end;
      record.raw = std::string_view(data + start, raw_end - start);
      line_ += newlines;
      return end;
    }
    if (data[i] == '\n') {
      size_t raw_end = i;
      if (raw_end > start && data[raw_end - 1] == '\r') --raw_end;
      record.raw = std::string_view(data + start, raw_end - start);
      line_ += newlines + 1;
      return i + 1;
    }
    ++i;  // a comma: the next field
  }
}

Result<bool> CsvReader::Next(CsvRecord& record) {
  while (true) {
    if (!started_) {
      started_ = true;
      while (block_->end() - block_->begin() < 3 && !block_->eof()) {
        EARSHOT_ASSIGN_OR_RETURN(bool more, block_->Refill());
        if (!more) break;
      }
      const char* d = block_->data() + block_->begin();
      if (block_->end() - block_->begin() >= 3 && std::memcmp(d, "\xEF\xBB\xBF", 3) == 0) {
        block_->Consume(block_->begin() + 3);
        had_bom_ = true;
      }
    }
    size_t b = block_->begin();
    if (b >= block_->end()) {
      if (block_->eof()) return false;
      EARSHOT_ASSIGN_OR_RETURN(bool more, block_->Refill());
      (void)more;
      continue;
    }
    // Blank line (LF or CRLF): skipped, counted.
    const char* d = block_->data();
    if (d[b] == '\n' || (d[b] == '\r' && b + 1 < block_->end() && d[b + 1] == '\n')) {
      size_t next = d[b] == '\n' ? b + 1 : b + 2;
      block_->Consume(next);
      ++line_;
      ++blank_lines_;
      consumed_offset_ = block_->buffer_file_offset() + next;
      continue;
    }
    uint64_t line_before = line_;
    size_t next = ParseRecord(record, block_->eof());
    if (next == kNpos) {
      EARSHOT_ASSIGN_OR_RETURN(bool more, block_->Refill());
      if (!more) return SkipOversizedRecord(record);
      continue;
    }
    record.line = line_before;
    record.byte_offset = block_->buffer_file_offset() + b;
    block_->Consume(next);
    consumed_offset_ = block_->buffer_file_offset() + next;
    return true;
  }
}

Result<bool> CsvReader::SkipOversizedRecord(CsvRecord& record) {
  // Resynchronise at the next line end; the record is reported, not loaded.
  record.fields.clear();
  record.flaw = CsvFlaw::kRecordTooLarge;
  record.line = line_;
  record.byte_offset = block_->buffer_file_offset() + block_->begin();
  // The record's first bytes, for the reject; never more than the buffer holds.
  scratch_.assign(block_->data() + block_->begin(), std::min<size_t>(200, block_->end() - block_->begin()));
  record.raw = std::string_view(scratch_);
  while (true) {
    const char* d = block_->data();
    const void* nl = std::memchr(d + block_->begin(), '\n', block_->end() - block_->begin());
    if (nl != nullptr) {
      size_t next = static_cast<size_t>(static_cast<const char*>(nl) - d) + 1;
      block_->Consume(next);
      consumed_offset_ = block_->buffer_file_offset() + next;
      ++line_;
      return true;
    }
    block_->Consume(block_->end());
    EARSHOT_ASSIGN_OR_RETURN(bool more, block_->Refill());
    if (!more && block_->eof() && block_->begin() >= block_->end()) {
      consumed_offset_ = block_->file_size();
      return true;
    }
  }
}

}  // namespace earshot::formats
