// CsvReader: streams RFC 4180 records out of a file.
//
// Handles a UTF-8 BOM, LF and CRLF line ends, quoted fields with commas,
// doubled quotes and line breaks. It is lenient about shape (a stray quote
// inside an unquoted field is kept as text) and reports what it cannot read
// as a flag on the record (unterminated quote, record too large) so the
// shared bad-row loop decides what to do. It knows the physical line and byte
// offset where each record starts. Blank lines are skipped (and counted).
// Field views stay valid until the next call to Next(). Not thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "formats/block_reader.h"

namespace earshot::formats {

enum class CsvFlaw {
  kNone,
  kUnterminatedQuote,  // the file ended inside a quoted field
  kRecordTooLarge,     // one record exceeded the reader's buffer limit
};

struct CsvRecord {
  std::vector<std::string_view> fields;
  uint64_t line = 0;         // 1-based physical line where the record starts
  uint64_t byte_offset = 0;  // offset of its first byte in the file
  std::string_view raw;      // the record's bytes without its line terminator
  CsvFlaw flaw = CsvFlaw::kNone;
};

class CsvReader {
 public:
  static Result<std::unique_ptr<CsvReader>> Open(const std::filesystem::path& path,
                                                 size_t block_size = BlockReader::kDefaultBlock,
                                                 size_t max_record = BlockReader::kDefaultMaxBuffer);

  // Reads the next record into `record`. Returns true when one was read, false
  // at end of file, or an IoError.
  Result<bool> Next(CsvRecord& record);

  uint64_t bytes_consumed() const { return consumed_offset_; }
  uint64_t file_size() const { return block_->file_size(); }
  uint64_t blank_lines() const { return blank_lines_; }
  bool had_bom() const { return had_bom_; }

 private:
  explicit CsvReader(std::unique_ptr<BlockReader> block) : block_(std::move(block)) {}
  // Parses one record starting at block_->begin(). Returns the index just past
  // its terminator, or npos when the buffer ends before the record does.
  size_t ParseRecord(CsvRecord& record, bool at_eof);
  Result<bool> SkipOversizedRecord(CsvRecord& record);

  std::unique_ptr<BlockReader> block_;
  std::string scratch_;  // unescaped quoted fields
  uint64_t line_ = 1;
  uint64_t consumed_offset_ = 0;
  uint64_t blank_lines_ = 0;
  bool started_ = false;
  bool had_bom_ = false;
};

}  // namespace earshot::formats
