// Fuzz target: ingest::ListensMapper (src/ingest/listens_mapper.h), a podcast
// provider's delivery through FieldReader (CSV, or JSON rows via
// JsonRowsReader) and the listens mapping, in every declared shape.
//
// The first input byte picks the provider declaration; the rest is the file:
//   bits 0-2  one of the five providers of `earshot init --template podcasts`
//             (alderhost, birchcast, cedarfm, dunepod, emberwave: index mod 5),
//             with its field mapping
//   bits 3-4  its format as declared (0), or csv (1), json (2), ndjson (3)
//   bit 5     its granularity as declared (0), or the other one (1)
// Daily, monthly and instant records are told apart by their fields, so each
// declaration meets all three (the seeds hold each provider's own files).
//
// Either Open refuses the file with a file-level code (a CSV only), or every
// record comes out exactly once, in order, as one accepted row or one reject
// with a known code: the lines the mapper reports equal the records the
// reader finds. An accepted row has the provider's name, a delivery kind that
// matches what it stores (instant: event id and time; daily and monthly:
// listens between 0 and 10^15, a monthly period on the 1st), the episode
// exactly when the provider reports per episode, and only valid UTF-8.
#include <unistd.h>

#include <fstream>
#include <string>
#include <vector>

#include "config/project.h"
#include "delivery_support.h"
#include "formats/calendar.h"
#include "formats/value_parsers.h"
#include "ingest/listens_mapper.h"
#include "ingest/raw_schema.h"

namespace {

using earshot::config::FileFormat;
using earshot::config::Granularity;

const std::vector<earshot::config::Provider>& TemplateProviders() {
  static const std::vector<earshot::config::Provider> providers = [] {
    char tmpl[] = "/tmp/earshot-fuzz-XXXXXX";
    FUZZ_CHECK(::mkdtemp(tmpl) != nullptr);
    const std::filesystem::path dir = tmpl;
    {
      std::ofstream out(dir / "earshot.toml");
      out << earshot::config::PodcastsTemplateToml();
    }
    auto project = earshot::config::LoadProject(dir);
    std::filesystem::remove_all(dir);
    FUZZ_CHECK(project.ok());
    FUZZ_CHECK(project->providers.size() == 5);
    return project->providers;
  }();
  return providers;
}

earshot::config::Provider Declare(uint8_t selector) {
  earshot::config::Provider p = TemplateProviders()[(selector & 7) % 5];
  switch ((selector >> 3) & 3) {
    case 1:
      p.format = FileFormat::kCsv;
      break;
    case 2:
      p.format = FileFormat::kJson;
      break;
    case 3:
      p.format = FileFormat::kNdjson;
      break;
    default:
      break;
  }
  if (selector & 32)
    p.granularity = p.granularity == Granularity::kEpisode ? Granularity::kPodcast : Granularity::kEpisode;
  return p;
}

enum Col { cIngest, cLine, cProvider, cDelivery, cPeriod, cPodcast, cEpisode, cListens, cEventId, cListenedAt };

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using earshot::ingest::RecordOutcome;
  if (size == 0) return 0;
  const earshot::config::Provider provider = Declare(data[0]);
  ++data;
  --size;
  earshot::fuzz::InputFile file(data, size);
  const auto format =
      provider.format == FileFormat::kCsv ? earshot::ingest::RecordFormat::kCsv : earshot::ingest::RecordFormat::kJson;
  const std::vector<uint64_t> record_lines = earshot::fuzz::RecordLines(file.path(), size, format);

  auto mapper = earshot::ingest::ListensMapper::Open(file.path(), provider, 11);
  if (!mapper.ok()) {
    FUZZ_CHECK(format == earshot::ingest::RecordFormat::kCsv);
    earshot::fuzz::CheckRefusal(mapper.status().message());
    return 0;
  }

  const bool per_episode = provider.granularity == Granularity::kEpisode;
  earshot::warehouse::RowBatch batch(earshot::ingest::RawColumns(earshot::ingest::Source::kListens), 64);
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
      FUZZ_CHECK(batch.Int64(cIngest, r) == 11);
      FUZZ_CHECK(batch.String(cProvider, r) == provider.name);
      const std::string_view delivery = batch.String(cDelivery, r);
      FUZZ_CHECK(batch.IsValid(cPeriod, r));
      FUZZ_CHECK(batch.IsValid(cPodcast, r) && !batch.String(cPodcast, r).empty());
      FUZZ_CHECK(batch.IsValid(cEpisode, r) == per_episode);
      if (per_episode) FUZZ_CHECK(!batch.String(cEpisode, r).empty());
      FUZZ_CHECK(batch.IsValid(cListens, r));
      const int64_t listens = batch.Int64(cListens, r);
      if (delivery == "instant") {
        FUZZ_CHECK(listens == 1);
        FUZZ_CHECK(batch.IsValid(cEventId, r) && !batch.String(cEventId, r).empty());
        FUZZ_CHECK(batch.IsValid(cListenedAt, r));
        const int64_t at = batch.Int64(cListenedAt, r);
        const int64_t day = batch.Int64(cPeriod, r);
        // The period is the UTC day of the event.
        FUZZ_CHECK(day * 86'400'000'000LL <= at && at < (day + 1) * 86'400'000'000LL);
      } else {
        FUZZ_CHECK(delivery == "daily" || delivery == "monthly");
        FUZZ_CHECK(listens >= 0 && listens <= 1'000'000'000'000'000LL);
        FUZZ_CHECK(!batch.IsValid(cEventId, r) && !batch.IsValid(cListenedAt, r));
        if (delivery == "monthly") {
          char text[11];
          earshot::formats::FormatDate(static_cast<int32_t>(batch.Int64(cPeriod, r)), text);
          FUZZ_CHECK(std::string_view(text + 8, 2) == "01");
        }
      }
      for (size_t col : {cPodcast, cEpisode, cEventId}) {
        if (batch.IsValid(col, r)) FUZZ_CHECK(earshot::formats::IsValidUtf8(batch.String(col, r)));
      }
      mapped_lines.push_back(static_cast<uint64_t>(batch.Int64(cLine, r)));
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
