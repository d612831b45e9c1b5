// Fuzz target: ingest::EventsMapper (src/ingest/events_mapper.h), the CSV
// reader + header binding + row validation of events.csv.
//
// The input is a whole events file. Either the mapper refuses it at open
// (a file-level error naming its code) or every record after the header
// comes out exactly once, in order, as one accepted row or one reject with a
// known code: the sequence of lines the mapper reports equals the sequence of
// records the CSV reader finds after the header. Nothing vanishes, nothing is
// counted twice. Accepted rows carry a timestamp and seconds >= 0; every
// text that reaches the warehouse is valid UTF-8 (rejects without NULs).
#include <cmath>
#include <string>
#include <vector>

#include "formats/csv_reader.h"
#include "fuzz_support.h"
#include "ingest/events_mapper.h"
#include "ingest/raw_schema.h"
#include "reject_codes.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using earshot::ingest::RecordOutcome;
  earshot::fuzz::InputFile file(data, size);

  // The lines of every record, straight from the reader.
  std::vector<uint64_t> record_lines;
  {
    auto reader = earshot::formats::CsvReader::Open(file.path(), size + 64, 4 * (size + 64));
    FUZZ_CHECK(reader.ok());
    earshot::formats::CsvRecord record;
    while (true) {
      auto more = (*reader)->Next(record);
      FUZZ_CHECK(more.ok());
      if (!*more) break;
      record_lines.push_back(record.line);
    }
  }

  auto mapper = earshot::ingest::EventsMapper::Open(file.path(), 7);
  if (!mapper.ok()) {
    const std::string& m = mapper.status().message();
    // The message's own code comes first; the file's header, quoted after
    // it, may say anything (even "(code empty_file)").
    const size_t at = m.find("(code ");
    FUZZ_CHECK(at != std::string::npos);
    const std::string code = m.substr(at + 6, m.find(')', at) - at - 6);
    FUZZ_CHECK(code == "empty_file" || code == "invalid_utf8" || code == "duplicate_header" ||
               code == "missing_column");
    FUZZ_CHECK((code == "empty_file") == record_lines.empty());
    FUZZ_CHECK(earshot::fuzz::IsStorableText(m));
    return 0;
  }
  FUZZ_CHECK(!record_lines.empty());

  earshot::warehouse::RowBatch batch(earshot::ingest::EventsColumns(), 64);
  earshot::ingest::Reject reject;
  std::vector<uint64_t> mapped_lines;
  while (true) {
    if (batch.full()) batch.Clear();
    const size_t before = batch.size();
    auto outcome = (*mapper)->Next(batch, reject);
    FUZZ_CHECK(outcome.ok());
    if (*outcome == RecordOutcome::kEnd) break;
    if (*outcome == RecordOutcome::kAccepted) {
      FUZZ_CHECK(batch.size() == before + 1);
      FUZZ_CHECK(batch.Int64(0, before) == 7);
      FUZZ_CHECK(batch.IsValid(3, before));  // streamed_at
      FUZZ_CHECK(batch.IsValid(4, before));  // user_id
      FUZZ_CHECK(batch.IsValid(8, before));  // seconds_streamed
      const double seconds = batch.Double(8, before);
      FUZZ_CHECK(std::isfinite(seconds) && seconds >= 0);
      for (size_t col : {2, 4, 5, 6, 7}) {
        if (batch.IsValid(col, before)) FUZZ_CHECK(earshot::formats::IsValidUtf8(batch.String(col, before)));
      }
      mapped_lines.push_back(static_cast<uint64_t>(batch.Int64(1, before)));
    } else {
      FUZZ_CHECK(batch.size() == before);
      FUZZ_CHECK(earshot::fuzz::IsKnownRowCode(reject.code));
      FUZZ_CHECK(reject.raw.size() <= 4 * 4096);  // 4 KiB of input, escapes take 4 bytes a byte
      FUZZ_CHECK(earshot::fuzz::IsStorableText(reject.raw));
      FUZZ_CHECK(earshot::fuzz::IsStorableText(reject.message));
      FUZZ_CHECK(reject.byte_offset < size);
      mapped_lines.push_back(reject.line);
    }
    FUZZ_CHECK(mapped_lines.size() < record_lines.size());
  }
  FUZZ_CHECK(mapped_lines == std::vector<uint64_t>(record_lines.begin() + 1, record_lines.end()));
  FUZZ_CHECK((*mapper)->bytes_consumed() <= size);
  return 0;
}
