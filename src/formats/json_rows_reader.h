// JsonRowsReader: streams the rows of a JSON delivery without loading the
// file whole. Three shapes are accepted (contracts/podcasts.md, Deliveries):
//   - an array of rows:                    [ {...}, {...} ]
//   - an object with its rows under "rows": {"provider": "x", "rows": [ ... ]}
//     (other keys, before or after, are skipped);
//   - NDJSON: one JSON value per line (anything that is not one of the above).
// The reader only splits: each row comes out as its own text, with the line
// and byte offset where it starts, for a JSON parser to take apart. It tracks
// strings and nesting byte by byte, so memory is bounded by the largest row,
// not the file. What it cannot split is reported as a flaw on a row (the
// file ends inside a row or before the array is closed, a row larger than the
// limit, text after the array) so the bad-row loop rejects it with its line.
// Views stay valid until the next call to Next(). Not thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "formats/block_reader.h"
#include "formats/line_reader.h"

namespace earshot::formats {

enum class JsonShape { kEmpty, kArray, kRowsObject, kLines };

enum class JsonFlaw {
  kNone,
  kTruncated,     // the file ended inside a row, or before the array was closed
  kTooLarge,      // one row exceeded the limit; text holds its first bytes
  kTrailingText,  // something other than white space after the rows
};

struct JsonRow {
  std::string_view text;
  uint64_t line = 0;         // 1-based line of the row's first byte
  uint64_t byte_offset = 0;  // file offset of the row's first byte
  JsonFlaw flaw = JsonFlaw::kNone;
};

class JsonRowsReader {
 public:
  // Opens `path` and recognises its shape from the first bytes (and, for a
  // leading `{`, from the keys of the first object).
  static Result<std::unique_ptr<JsonRowsReader>> Open(const std::filesystem::path& path,
                                                      size_t block_size = BlockReader::kDefaultBlock,
                                                      size_t max_row = BlockReader::kDefaultMaxBuffer);

  // True with the next row; false at the end; an IoError.
  Result<bool> Next(JsonRow& row);

  JsonShape shape() const { return shape_; }
  uint64_t bytes_consumed() const;
  uint64_t file_size() const;

 private:
  // kTrailing: collecting the first bytes of text after the rows, to report.
  enum class State { kHead, kBetween, kInRow, kSkipRow, kTail, kTrailing, kDone };
  enum class HeadScan { kNeedMore, kRowsFound, kNoRows };

  JsonRowsReader(JsonShape shape, std::unique_ptr<BlockReader> block, std::unique_ptr<LineReader> lines);
  // Scans from d[i] up to the `[` that opens the rows (the array's own, or
  // the value of a wrapper's "rows" key), advancing i. kNoRows: the first
  // object closed without a "rows" array.
  HeadScan ScanHead(const char* d, size_t& i, size_t e);
  // Inside a string: follows escapes; true when `c` is its closing quote.
  bool StringEndsAt(char c);
  // Scans a row from d[j], advancing j; the index just past the row when it
  // ends before e.
  std::optional<size_t> ScanRow(const char* d, size_t& j, size_t e);
  Result<bool> NextLine(JsonRow& row);
  void EmitFlaw(JsonRow& row, JsonFlaw flaw, std::string_view text, uint64_t line, uint64_t offset);
  void EmitTrailing(JsonRow& row);  // the text after the rows, as a kTrailingText row; then done

  JsonShape shape_;
  std::unique_ptr<BlockReader> block_;  // array and rows-object shapes
  std::unique_ptr<LineReader> lines_;   // NDJSON
  Line line_;
  State state_ = State::kHead;
  bool started_ = false;  // BOM checked
  // Scanner state inside a row (or the wrapper head / tail).
  size_t scanned_ = 0;  // bytes of the current row scanned so far, from block_->begin()
  int depth_ = 0;       // nesting outside the rows (the wrapper object)
  int row_depth_ = 0;   // nesting inside the current row
  bool in_string_ = false;
  bool escape_ = false;
  bool expect_key_ = false;       // the next depth-1 string is a key
  bool collecting_key_ = false;   // reading a depth-1 key into key_
  bool rows_key_ = false;         // the last depth-1 key was "rows"
  bool rows_value_next_ = false;  // a `:` after "rows": its value comes next
  bool prefix_skip_ = false;      // skipping an oversized row; prefix_ holds its start
  std::string key_;
  uint64_t line_no_ = 1;
  uint64_t row_line_ = 0;
  uint64_t row_offset_ = 0;
  std::string prefix_;  // first bytes of an oversized row, or of trailing text
  uint64_t consumed_ = 0;
};

}  // namespace earshot::formats
