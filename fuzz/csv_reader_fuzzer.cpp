// Fuzz target: formats::CsvReader (src/formats/csv_reader.h).
//
// The input is a whole file. It is read with a block size large enough to
// hold it (the reference), then again with tiny blocks (1 and 7 bytes), which
// forces every record to straddle refills: each must give the same records,
// fields, lines, offsets and flaws as the reference. The reference must also
// agree with the bytes themselves: a record's raw text is the file's bytes at
// its offset, and its line is 1 + the newlines before that offset. Finally a
// tiny record limit exercises the oversized-record resynchronisation.
#include <string>
#include <vector>

#include "formats/csv_reader.h"
#include "fuzz_support.h"

namespace {

using earshot::formats::CsvFlaw;
using earshot::formats::CsvReader;
using earshot::formats::CsvRecord;

struct Copy {
  std::vector<std::string> fields;
  uint64_t line;
  uint64_t byte_offset;
  std::string raw;
  CsvFlaw flaw;
  bool operator==(const Copy&) const = default;
};

// Reads every record; checks what must hold whatever the block and limit:
// offsets and lines move forward, a record's raw text is the file's bytes at
// its offset and its line is 1 + the newlines before that offset.
std::vector<Copy> ReadAll(const std::filesystem::path& path, size_t block, size_t max_record, std::string_view text) {
  const uint64_t size = text.size();
  const earshot::fuzz::LineIndex lines(text);
  auto reader = CsvReader::Open(path, block, max_record);
  FUZZ_CHECK(reader.ok());
  std::vector<Copy> out;
  CsvRecord record;
  uint64_t last_offset = 0;
  while (true) {
    auto more = (*reader)->Next(record);
    FUZZ_CHECK(more.ok());
    if (!*more) break;
    FUZZ_CHECK(record.byte_offset < size);
    FUZZ_CHECK(out.empty() || record.byte_offset > last_offset);
    FUZZ_CHECK(out.empty() || record.line > out.back().line);
    FUZZ_CHECK((*reader)->bytes_consumed() <= size);
    FUZZ_CHECK(record.line == lines.LineAt(record.byte_offset));
    FUZZ_CHECK(text.substr(record.byte_offset, record.raw.size()) == record.raw);
    last_offset = record.byte_offset;
    Copy c{{}, record.line, record.byte_offset, std::string(record.raw), record.flaw};
    for (auto f : record.fields) c.fields.emplace_back(f);
    out.push_back(std::move(c));
    FUZZ_CHECK(out.size() <= size);  // every record consumes at least one byte
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  earshot::fuzz::InputFile file(data, size);
  const std::string_view text = earshot::fuzz::AsText(data, size);
  const size_t big = size + 64;

  const std::vector<Copy> reference = ReadAll(file.path(), big, 4 * big, text);
  for (const Copy& r : reference) {
    FUZZ_CHECK(r.flaw != CsvFlaw::kRecordTooLarge);
    FUZZ_CHECK(!r.fields.empty());
    // Unquoted fields are views of the raw text: never longer than it.
    size_t total = 0;
    for (const std::string& f : r.fields) total += f.size();
    FUZZ_CHECK(total <= r.raw.size());
  }
  for (size_t block : {size_t{1}, size_t{7}}) {
    FUZZ_CHECK(ReadAll(file.path(), block, 4 * big, text) == reference);
  }
  // A record limit far below the input: records are cut and skipped, lines
  // and offsets still only move forward.
  (void)ReadAll(file.path(), 4, 16, text);
  return 0;
}
