#include "formats/json_rows_reader.h"

#include <algorithm>
#include <cstring>

namespace earshot::formats {

namespace {

constexpr size_t kShownBytes = 200;

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

JsonRowsReader::JsonRowsReader(JsonShape shape, std::unique_ptr<BlockReader> block,
                               std::unique_ptr<LineReader> lines)
    : shape_(shape), block_(std::move(block)), lines_(std::move(lines)) {}

Result<std::unique_ptr<JsonRowsReader>> JsonRowsReader::Open(const std::filesystem::path& path, size_t block_size,
                                                             size_t max_row) {
  // Recognise the shape with a reader of its own, then start again.
  JsonShape shape = JsonShape::kLines;
  {
    EARSHOT_ASSIGN_OR_RETURN(auto probe_block, BlockReader::Open(path, block_size, max_row));
    JsonRowsReader probe(JsonShape::kRowsObject, std::move(probe_block), nullptr);
    BlockReader& b = *probe.block_;
    bool decided = false;
    bool first_seen = false;
    while (!decided) {
      const char* d = b.data();
      size_t i = b.begin();
      const size_t e = b.end();
      if (!probe.started_) {
        if (e - i < 3 && !b.eof()) {
          EARSHOT_ASSIGN_OR_RETURN(bool more, b.Refill());
          if (!more) break;
          continue;
        }
        probe.started_ = true;
        if (e - i >= 3 && std::memcmp(d + i, "\xEF\xBB\xBF", 3) == 0) i += 3;
      }
      if (!first_seen) {
        while (i < e && IsSpace(d[i])) ++i;
        if (i < e) {
          first_seen = true;
          if (d[i] == '[') {
            shape = JsonShape::kArray;
            decided = true;
          } else if (d[i] != '{') {
            shape = JsonShape::kLines;
            decided = true;
          }
        }
      }
      if (first_seen && !decided) {
        switch (probe.ScanHead(d, i, e)) {
          case HeadScan::kRowsFound: shape = JsonShape::kRowsObject; decided = true; break;
          case HeadScan::kNoRows: shape = JsonShape::kLines; decided = true; break;
          case HeadScan::kNeedMore: break;
        }
      }
      b.Consume(i);
      if (decided) break;
      if (b.eof()) {
        shape = first_seen ? JsonShape::kLines : JsonShape::kEmpty;
        break;
      }
      EARSHOT_ASSIGN_OR_RETURN(bool more, b.Refill());
      if (!more) break;
    }
  }
  if (shape == JsonShape::kLines) {
    EARSHOT_ASSIGN_OR_RETURN(auto lines, LineReader::Open(path, block_size, max_row));
    return std::unique_ptr<JsonRowsReader>(new JsonRowsReader(shape, nullptr, std::move(lines)));
  }
  EARSHOT_ASSIGN_OR_RETURN(auto block, BlockReader::Open(path, block_size, max_row));
  auto reader = std::unique_ptr<JsonRowsReader>(new JsonRowsReader(shape, std::move(block), nullptr));
  if (shape == JsonShape::kEmpty) {
    reader->state_ = State::kDone;
    reader->consumed_ = reader->block_->file_size();
  }
  return reader;
}

uint64_t JsonRowsReader::bytes_consumed() const { return lines_ ? lines_->bytes_consumed() : consumed_; }

uint64_t JsonRowsReader::file_size() const { return lines_ ? lines_->file_size() : block_->file_size(); }

bool JsonRowsReader::StringEndsAt(char c) {
  if (escape_) {
    escape_ = false;
  } else if (c == '\\') {
    escape_ = true;
  } else if (c == '"') {
    in_string_ = false;
    return true;
  }
  return false;
}

JsonRowsReader::HeadScan JsonRowsReader::ScanHead(const char* d, size_t& i, size_t e) {
  for (; i < e; ++i) {
    const char c = d[i];
    if (c == '\n') ++line_no_;
    if (in_string_) {
      if (StringEndsAt(c)) {
        if (collecting_key_) {
          collecting_key_ = false;
          expect_key_ = false;
          rows_key_ = key_ == "rows";
        }
      } else if (collecting_key_ && key_.size() < 8) {
        key_.push_back(c);
      }
      continue;
    }
    if (IsSpace(c)) continue;
    if (shape_ == JsonShape::kArray) {
      // Only white space before the array's `[` (Open checked the first byte).
      ++i;
      depth_ = 0;
      return HeadScan::kRowsFound;
    }
    const bool value_of_rows = depth_ == 1 && rows_value_next_;
    rows_value_next_ = false;
    switch (c) {
      case '"':
        in_string_ = true;
        collecting_key_ = depth_ == 1 && expect_key_;
        key_.clear();
        break;
      case '[':
        if (value_of_rows) {
          ++i;
          return HeadScan::kRowsFound;
        }
        ++depth_;
        break;
      case '{':
        if (depth_ == 0) expect_key_ = true;
        ++depth_;
        break;
      case '}':
      case ']':
        if (--depth_ <= 0) {
          ++i;
          return HeadScan::kNoRows;
        }
        break;
      case ',':
        if (depth_ == 1) expect_key_ = true;
        break;
      case ':':
        if (depth_ == 1) rows_value_next_ = rows_key_;
        rows_key_ = false;
        break;
      default: break;
    }
  }
  return HeadScan::kNeedMore;
}

std::optional<size_t> JsonRowsReader::ScanRow(const char* d, size_t& j, size_t e) {
  for (; j < e; ++j) {
    const char c = d[j];
    if (in_string_) {
      if (c == '\n') ++line_no_;
      StringEndsAt(c);
      continue;
    }
    switch (c) {
      case '"': in_string_ = true; break;
      case '{':
      case '[': ++row_depth_; break;
      case '}':
      case ']':
        if (row_depth_ == 0) return j;  // a scalar row followed by the array's `]`
        if (--row_depth_ == 0) return j + 1;
        break;
      case ',':
        if (row_depth_ == 0) return j;
        break;
      case ' ':
      case '\t':
      case '\r':
      case '\n':
        if (row_depth_ == 0) return j;  // a scalar row ends at white space
        if (c == '\n') ++line_no_;
        break;
      default: break;
    }
  }
  return std::nullopt;
}

void JsonRowsReader::EmitFlaw(JsonRow& row, JsonFlaw flaw, std::string_view text, uint64_t line, uint64_t offset) {
  prefix_.assign(text.substr(0, kShownBytes));
  row.text = prefix_;
  row.flaw = flaw;
  row.line = line;
  row.byte_offset = offset;
}

void JsonRowsReader::EmitTrailing(JsonRow& row) {
  row.text = prefix_;
  row.flaw = JsonFlaw::kTrailingText;
  row.line = row_line_;
  row.byte_offset = row_offset_;
  state_ = State::kDone;
  block_->Consume(block_->end());
  consumed_ = block_->file_size();
}

Result<bool> JsonRowsReader::NextLine(JsonRow& row) {
  while (true) {
    EARSHOT_ASSIGN_OR_RETURN(bool any, lines_->Next(line_));
    if (!any) return false;
    if (!line_.too_large) {
      std::string_view t = line_.text;
      while (!t.empty() && IsSpace(t.front())) t.remove_prefix(1);
      if (t.empty()) continue;  // blank lines are not rows
    }
    row.text = line_.text;
    row.line = line_.number;
    row.byte_offset = line_.byte_offset;
    row.flaw = line_.too_large ? JsonFlaw::kTooLarge : JsonFlaw::kNone;
    return true;
  }
}

Result<bool> JsonRowsReader::Next(JsonRow& row) {
  row.flaw = JsonFlaw::kNone;
  if (lines_) return NextLine(row);
  while (true) {
    if (state_ == State::kDone) return false;
    const char* d = block_->data();
    const size_t b = block_->begin();
    const size_t e = block_->end();
    const uint64_t base = block_->buffer_file_offset();
    size_t i = b;
    switch (state_) {
      case State::kHead: {
        if (!started_) {
          if (e - b < 3 && !block_->eof()) break;
          started_ = true;
          if (e - b >= 3 && std::memcmp(d + b, "\xEF\xBB\xBF", 3) == 0) i += 3;
        }
        if (ScanHead(d, i, e) == HeadScan::kRowsFound) state_ = State::kBetween;
        block_->Consume(i);
        consumed_ = base + i;
        if (state_ == State::kBetween) continue;
        break;
      }
      case State::kBetween: {
        while (i < e && (IsSpace(d[i]) || d[i] == ',')) {
          if (d[i] == '\n') ++line_no_;
          ++i;
        }
        block_->Consume(i);
        consumed_ = base + i;
        if (i == e) break;
        if (d[i] == ']') {
          block_->Consume(i + 1);
          consumed_ = base + i + 1;
          state_ = State::kTail;
          // The wrapper object continues after its rows; a bare array is done.
          if (shape_ == JsonShape::kRowsObject) depth_ = 1;
          continue;
        }
        state_ = State::kInRow;
        scanned_ = 0;
        row_depth_ = 0;
        in_string_ = false;
        escape_ = false;
        row_line_ = line_no_;
        row_offset_ = base + i;
        continue;
      }
      case State::kInRow:
      case State::kSkipRow: {
        size_t j = b + scanned_;
        std::optional<size_t> end = ScanRow(d, j, e);
        // A stray `}` where a row starts ends the row before its first byte:
        // it is a row of its own (not JSON: rejected), never an empty one,
        // which would consume nothing and be found again forever. (A row
        // being skipped may well end at the first byte of a new block.)
        if (end && *end == b && state_ == State::kInRow) *end = b + 1;
        if (end) {
          state_ = State::kBetween;
          if (prefix_skip_) {
            prefix_skip_ = false;
            block_->Consume(*end);
            consumed_ = base + *end;
            row.text = prefix_;
            row.flaw = JsonFlaw::kTooLarge;
          } else {
            row.text = std::string_view(d + b, *end - b);
            block_->Consume(*end);
            consumed_ = base + *end;
          }
          row.line = row_line_;
          row.byte_offset = row_offset_;
          return true;
        }
        if (state_ == State::kSkipRow) {
          block_->Consume(e);
          consumed_ = base + e;
          scanned_ = 0;
        } else {
          scanned_ = j - b;
        }
        break;
      }
      case State::kTail: {
        // After the rows: the rest of a wrapper object, then white space only.
        while (i < e) {
          const char c = d[i];
          if (in_string_) {
            if (c == '\n') ++line_no_;
            StringEndsAt(c);
            ++i;
            continue;
          }
          if (depth_ == 0 && !IsSpace(c)) {
            // Its first bytes are shown, even when the block ends within them.
            prefix_.clear();
            row_line_ = line_no_;
            row_offset_ = base + i;
            state_ = State::kTrailing;
            break;
          }
          if (c == '\n') ++line_no_;
          if (c == '"') in_string_ = true;
          if (c == '{' || c == '[') ++depth_;
          if (c == '}' || c == ']') --depth_;
          ++i;
        }
        block_->Consume(i);
        consumed_ = base + i;
        if (state_ == State::kTrailing) continue;
        break;
      }
      case State::kTrailing: {
        const size_t take = std::min(kShownBytes - prefix_.size(), e - i);
        prefix_.append(d + i, take);
        block_->Consume(e);
        consumed_ = base + e;
        if (prefix_.size() < kShownBytes) break;
        EmitTrailing(row);
        return true;
      }
      case State::kDone: return false;
    }
    // The buffer is used up: read more, or finish.
    if (block_->eof()) {
      const State was = state_;
      state_ = State::kDone;
      consumed_ = block_->file_size();
      if (was == State::kInRow) {
        EmitFlaw(row, JsonFlaw::kTruncated, std::string_view(d + b, e - b), row_line_, row_offset_);
        return true;
      }
      if (was == State::kTrailing) {
        EmitTrailing(row);
        return true;
      }
      if (was == State::kSkipRow) {
        row.text = prefix_;
        row.flaw = JsonFlaw::kTruncated;
        row.line = row_line_;
        row.byte_offset = row_offset_;
        return true;
      }
      if (was == State::kBetween || (was == State::kHead && started_)) {
        EmitFlaw(row, JsonFlaw::kTruncated, "", line_no_, block_->file_size());
        return true;
      }
      return false;
    }
    EARSHOT_ASSIGN_OR_RETURN(bool more, block_->Refill());
    if (!more) {
      // One row fills the whole buffer: keep its first bytes, skip the rest.
      const size_t nb = block_->begin();
      prefix_.assign(block_->data() + nb, std::min(kShownBytes, block_->end() - nb));
      prefix_skip_ = true;
      state_ = State::kSkipRow;
      scanned_ = 0;
      // Every byte in the buffer was scanned already: drop them all.
      block_->Consume(block_->end());
      consumed_ = block_->buffer_file_offset() + block_->end();
    }
  }
}

}  // namespace earshot::formats
