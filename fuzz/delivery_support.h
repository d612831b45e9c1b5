// Shared by the fuzz targets of the podcast readers (listens_mapper,
// catalog_mapper): the records a delivery holds, found by the readers alone,
// to check that a mapper reports each of them exactly once; the checks every
// reject and every mapper refusal must pass.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "formats/csv_reader.h"
#include "formats/json_rows_reader.h"
#include "fuzz_support.h"
#include "ingest/field_reader.h"
#include "ingest/record_mapper.h"
#include "reject_codes.h"

namespace earshot::fuzz {

// The line of every record after the header (CSV) or of every row (JSON),
// in order, straight from the reader.
inline std::vector<uint64_t> RecordLines(const std::filesystem::path& path, size_t size,
                                         earshot::ingest::RecordFormat format) {
  std::vector<uint64_t> lines;
  if (format == earshot::ingest::RecordFormat::kCsv) {
    auto reader = earshot::formats::CsvReader::Open(path, size + 64, 4 * (size + 64));
    FUZZ_CHECK(reader.ok());
    earshot::formats::CsvRecord record;
    bool header = true;
    while (true) {
      auto more = (*reader)->Next(record);
      FUZZ_CHECK(more.ok());
      if (!*more) break;
      if (!header) lines.push_back(record.line);
      header = false;
    }
    return lines;
  }
  auto reader = earshot::formats::JsonRowsReader::Open(path, size + 64, 4 * (size + 64));
  FUZZ_CHECK(reader.ok());
  earshot::formats::JsonRow row;
  while (true) {
    auto more = (*reader)->Next(row);
    FUZZ_CHECK(more.ok());
    if (!*more) break;
    lines.push_back(row.line);
  }
  return lines;
}

// What a mapper's Open may refuse a file with: one of the file-level codes,
// named in a message that is safe to store and show.
inline void CheckRefusal(const std::string& message) {
  const size_t at = message.find("(code ");
  FUZZ_CHECK(at != std::string::npos);
  const std::string code = message.substr(at + 6, message.find(')', at) - at - 6);
  FUZZ_CHECK(code == "empty_file" || code == "invalid_utf8" || code == "duplicate_header" || code == "missing_column");
  FUZZ_CHECK(IsStorableText(message));
}

// A reject as the runner stores it in raw.rejects.
inline void CheckReject(const earshot::ingest::Reject& reject, size_t input_size) {
  FUZZ_CHECK(IsKnownRowCode(reject.code));
  FUZZ_CHECK(reject.raw.size() <= 4 * 4096);  // 4 KiB of input, escapes take 4 bytes a byte
  FUZZ_CHECK(IsStorableText(reject.raw));
  FUZZ_CHECK(IsStorableText(reject.message));
  FUZZ_CHECK(IsStorableText(reject.column));
  FUZZ_CHECK(reject.byte_offset <= input_size);  // == at the end: a file cut before its array closes
  FUZZ_CHECK(reject.line >= 1);
}

}  // namespace earshot::fuzz
