// Ingestor: one file through landing -> reader -> mapper -> validator ->
// loader. This is the bad-row loop, written once for every source:
//  1. record the ingest in the manifest (raw.ingests, status `landing`)
//     before any row is read, and land the bytes in the raw archive (copy,
//     SHA-256, fsync) on a thread of its own while step 3 reads the file;
//  2. the same bytes already loaded for this source are a no-op that says so
//     (only a loaded file of the same size can be; then landing comes first);
//  3. in ONE transaction: DuckDB's threads pull validated rows from the
//     source's mapper (Warehouse::InsertFrom; memory bounded by the batch
//     size), rejects are spooled and stored with line and reason, duplicates
//     counted, the previous version of a file with the same name replaced,
//     the landing awaited (the raw copy is durable before the COMMIT, and the
//     file did not change while it was read), and the ingest marked `loaded`.
// A crash leaves either all of an ingest or none of it. For every ingest,
// rows_in = accepted + rejected + duplicates. Not thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "config/project.h"
#include "ingest/record_mapper.h"
#include "ingest/source.h"
#include "warehouse/warehouse.h"

namespace earshot::landing {
class AsyncLanding;
class RawArchive;
struct LandedFile;
}  // namespace earshot::landing

namespace earshot::ingest {

struct IngestProgress {
  std::string_view phase;  // "landing" or "loading"
  uint64_t bytes_done = 0;
  uint64_t bytes_total = 0;
  uint64_t records = 0;
};

struct IngestReport {
  int64_t ingest_id = 0;
  Source source = Source::kEvents;
  std::string provider;  // for deliveries of listens
  std::string file_name;
  std::string sha256;
  uint64_t bytes = 0;
  bool already_ingested = false;   // same bytes, already loaded: nothing done
  int64_t replaced_ingest = 0;     // previous version of this file name, or 0
  uint64_t rows_in = 0;
  uint64_t accepted = 0;
  uint64_t rejected = 0;
  uint64_t duplicates = 0;
  std::vector<Reject> sample_rejects;  // the first few, for the terminal
  double seconds = 0;
};

// Re-ingesting an object of the raw archive (`earshot rebuild`, `backfill`):
// the manifest keeps the delivery's original name and path (not the object's
// hash name), the archive's journal is not appended to (the delivery is in it
// already), and with `reload` the same bytes are read again even when they
// are already loaded (they then replace their own previous ingest).
struct ReplayOrigin {
  std::string file_name;
  std::string original_path;
  bool reload = false;
};

class Ingestor {
 public:
  Ingestor(const config::Project& project, warehouse::Warehouse& wh,
           std::function<void(const IngestProgress&)> progress = {})
      : project_(project), wh_(wh), progress_(std::move(progress)) {}

  // Ingests one file. `provider` given: a delivery of listens from that
  // declared provider. Else `source`, or when empty sniffed from the content.
  // Fails with kInvalidArgument for an unknown provider, kDataError (file:line,
  // what to do) for a file that cannot be read as the source; the manifest then
  // records the ingest as failed and nothing is loaded.
  Result<IngestReport> Ingest(const std::filesystem::path& file, std::optional<Source> source,
                              const std::string& provider = "");
  // The next Ingest() calls replay an archived object (see ReplayOrigin);
  // nullopt goes back to ordinary files.
  void SetReplayOrigin(std::optional<ReplayOrigin> origin) { replay_ = std::move(origin); }

 private:
  Status Load(const std::filesystem::path& file, landing::AsyncLanding& landing, const landing::RawArchive& archive,
              IngestReport& report);
  // A loaded ingest of this origin with these bytes: fills `report` from it
  // and returns true (the no-op); false when there is none.
  Result<bool> FindSameBytes(const std::string& same_origin, const std::string& sha256, IngestReport& report);
  Status CountDuplicates(IngestReport& report, const RecordMapper& mapper);
  // The archive's journal line of this ingest's delivery (once per ingest;
  // none for a replay). Written before the COMMIT, or when the rows are refused.
  Status Journal(const landing::RawArchive& archive, const std::filesystem::path& file,
                 const landing::LandedFile& landed, const IngestReport& report);

  const config::Project& project_;
  warehouse::Warehouse& wh_;
  std::function<void(const IngestProgress&)> progress_;
  const config::Provider* provider_ = nullptr;
  std::optional<ReplayOrigin> replay_;
  int64_t journaled_ = 0;  // the ingest whose journal line is written
};

}  // namespace earshot::ingest
