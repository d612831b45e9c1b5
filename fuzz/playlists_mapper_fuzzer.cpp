// Fuzz target: ingest::PlaylistsMapper (src/ingest/playlists_mapper.h), the
// line reader + simdjson + mapping of playlists.ndjson.
//
// The input is a whole NDJSON file. Every line that is not blank comes out
// exactly once, in order, as accepted rows or one reject with a known code:
// the sequence of lines the mapper reports equals the non-blank lines the line
// reader finds, and a file without one is refused as empty_file. An accepted
// line adds its marker row (playlist NULL) first and every row it adds
// carries its line, a user id and valid UTF-8; a rejected line adds nothing
// and its text is valid UTF-8 without NULs.
#include <string>
#include <vector>

#include "formats/line_reader.h"
#include "formats/value_parsers.h"
#include "fuzz_support.h"
#include "ingest/playlists_mapper.h"
#include "ingest/raw_schema.h"
#include "reject_codes.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using earshot::ingest::RecordOutcome;
  earshot::fuzz::InputFile file(data, size);

  std::vector<uint64_t> lines;
  {
    auto reader = earshot::formats::LineReader::Open(file.path(), size + 64, 4 * (size + 64));
    FUZZ_CHECK(reader.ok());
    earshot::formats::Line line;
    while (true) {
      auto more = (*reader)->Next(line);
      FUZZ_CHECK(more.ok());
      if (!*more) break;
      if (line.too_large || !earshot::formats::TrimAscii(line.text).empty()) lines.push_back(line.number);
    }
  }

  auto mapper = earshot::ingest::PlaylistsMapper::Open(file.path(), 3);
  if (!mapper.ok()) {
    FUZZ_CHECK(mapper.status().message().find("(code empty_file)") != std::string::npos);
    FUZZ_CHECK(lines.empty());
    return 0;
  }
  FUZZ_CHECK(!lines.empty());
  earshot::warehouse::RowBatch batch(earshot::ingest::RecommendationsColumns(), 64);
  earshot::ingest::Reject reject;
  std::vector<uint64_t> mapped;
  while (true) {
    if (batch.full()) batch.Clear();
    const size_t before = batch.size();
    auto outcome = (*mapper)->Next(batch, reject);
    FUZZ_CHECK(outcome.ok());
    if (*outcome == RecordOutcome::kEnd) break;
    if (*outcome == RecordOutcome::kAccepted) {
      FUZZ_CHECK(batch.size() > before);
      FUZZ_CHECK(!batch.IsValid(3, before));  // the marker row: no playlist
      const int64_t line = batch.Int64(1, before);
      for (size_t r = before; r < batch.size(); ++r) {
        FUZZ_CHECK(batch.Int64(0, r) == 3);
        FUZZ_CHECK(batch.Int64(1, r) == line);
        FUZZ_CHECK(batch.IsValid(2, r) && !batch.String(2, r).empty());
        for (size_t col : {2, 3, 5, 6, 7}) {
          if (batch.IsValid(col, r)) FUZZ_CHECK(earshot::formats::IsValidUtf8(batch.String(col, r)));
        }
        if (r > before) {
          FUZZ_CHECK(batch.IsValid(3, r) && batch.IsValid(4, r) && batch.IsValid(5, r));
          FUZZ_CHECK(earshot::formats::PersonalizedPlaylistName(batch.String(3, r)).has_value());
        }
      }
      mapped.push_back(static_cast<uint64_t>(line));
    } else {
      FUZZ_CHECK(batch.size() == before);
      FUZZ_CHECK(earshot::fuzz::IsKnownRowCode(reject.code));
      FUZZ_CHECK(reject.raw.size() <= 4 * 4096);
      FUZZ_CHECK(earshot::fuzz::IsStorableText(reject.raw));
      FUZZ_CHECK(earshot::fuzz::IsStorableText(reject.message));
      mapped.push_back(reject.line);
    }
    FUZZ_CHECK(mapped.size() <= lines.size());
  }
  FUZZ_CHECK(mapped == lines);
  return 0;
}
