// Fuzz target: ingest::CatalogMapper (src/ingest/catalog_mapper.h), the
// podcast catalog files (podcasts, episodes, creators, episode_credits) as
// CSV or JSON rows, through FieldReader.
//
// The first input byte picks the file: bits 0-1 the catalog source, bit 2
// its format (the mapper reads it from the name: .csv or .json); the rest is
// the file. It is opened under such a name through a symbolic link to the
// in-memory input.
//
// Either Open refuses the file with a file-level code (a CSV only), or every
// record comes out exactly once, in order, as one accepted row or one reject
// with a known code: the lines the mapper reports equal the records the
// reader finds. An accepted row has its key(s) non-empty, only valid UTF-8,
// and a published_at (episodes) only when the record gave one.
#include <unistd.h>

#include <string>
#include <vector>

#include "delivery_support.h"
#include "formats/value_parsers.h"
#include "ingest/catalog_mapper.h"
#include "ingest/raw_schema.h"
#include "ingest/source.h"

namespace {

using earshot::ingest::Source;

struct TempDir {
  TempDir() {
    char tmpl[] = "/tmp/earshot-fuzz-XXXXXX";
    FUZZ_CHECK(::mkdtemp(tmpl) != nullptr);
    path = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::filesystem::path path;
};

// A name ending in `extension` for the input, as a symbolic link to it.
class NamedInput {
 public:
  NamedInput(const earshot::fuzz::InputFile& input, const char* extension) {
    static const TempDir dir;
    path_ = dir.path / (std::string("catalog") + extension);
    ::unlink(path_.c_str());
    FUZZ_CHECK(::symlink(input.path().c_str(), path_.c_str()) == 0);
  }
  ~NamedInput() { ::unlink(path_.c_str()); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using earshot::ingest::RecordOutcome;
  if (size == 0) return 0;
  static const Source kSources[] = {Source::kPodcasts, Source::kEpisodes, Source::kCreators, Source::kEpisodeCredits};
  const Source source = kSources[data[0] & 3];
  const bool json = (data[0] & 4) != 0;
  ++data;
  --size;
  earshot::fuzz::InputFile input(data, size);
  NamedInput file(input, json ? ".json" : ".csv");
  const auto format = json ? earshot::ingest::RecordFormat::kJson : earshot::ingest::RecordFormat::kCsv;
  const std::vector<uint64_t> record_lines = earshot::fuzz::RecordLines(file.path(), size, format);

  auto mapper = earshot::ingest::CatalogMapper::Open(file.path(), source, 5);
  if (!mapper.ok()) {
    FUZZ_CHECK(!json);
    earshot::fuzz::CheckRefusal(mapper.status().message());
    return 0;
  }

  const auto types = earshot::ingest::RawColumns(source);
  // Key columns (after ingest_id, line): the first, and for credits also the second.
  const size_t keys = source == Source::kEpisodeCredits ? 2 : 1;
  earshot::warehouse::RowBatch batch(types, 64);
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
      const size_t r = before;
      FUZZ_CHECK(batch.Int64(0, r) == 5);
      for (size_t k = 0; k < keys; ++k) FUZZ_CHECK(batch.IsValid(2 + k, r) && !batch.String(2 + k, r).empty());
      for (size_t c = 2; c < types.size(); ++c) {
        if (types[c] == earshot::warehouse::ColumnType::kVarchar && batch.IsValid(c, r)) {
          FUZZ_CHECK(earshot::formats::IsValidUtf8(batch.String(c, r)));
        }
      }
      mapped_lines.push_back(static_cast<uint64_t>(batch.Int64(1, r)));
    } else {
      FUZZ_CHECK(batch.size() == before);
      earshot::fuzz::CheckReject(reject, size);
      mapped_lines.push_back(reject.line);
    }
    FUZZ_CHECK(mapped_lines.size() <= record_lines.size());
  }
  FUZZ_CHECK(mapped_lines == record_lines);
  FUZZ_CHECK((*mapper)->bytes_consumed() <= size);
  return 0;
}
