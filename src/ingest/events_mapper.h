// EventsMapper: events.csv (contract: shared/contracts/playlists.md, Input 1)
// -> raw.events rows. Binds the header by normalised name (case, `_`, `-` and
// spaces ignored; column order free; unknown columns ignored), then validates
// each record: field count, UTF-8, required values, timestamp (ISO-8601 or
// epoch s/ms, stored as UTC), secondsStreamed (a number from 0 to 366 days).
// Reject messages and raw text are safe text (formats::SafeText).
#pragma once

#include <filesystem>
#include <memory>

#include "formats/csv_reader.h"
#include "ingest/record_mapper.h"
#include "ingest/seen_filter.h"

namespace earshot::ingest {

class EventsMapper final : public RecordMapper {
 public:
  // Opens the file and binds its header. Fails (kDataError, with file:line)
  // when the header is missing, repeats a column or lacks a required one.
  static Result<std::unique_ptr<EventsMapper>> Open(const std::filesystem::path& path, int32_t ingest_id);

  Result<RecordOutcome> Next(warehouse::RowBatch& batch, Reject& reject) override;
  uint64_t bytes_consumed() const override { return reader_->bytes_consumed(); }
  uint64_t file_size() const override { return reader_->file_size(); }
  const std::unordered_set<std::string>* DuplicateCandidates() const override { return &seen_.candidates(); }

 private:
  enum Field { kEventId, kTimestamp, kUserId, kTrackId, kWorkId, kContext, kSeconds, kFieldCount };
  // ~60 bytes a row is a typical events.csv; the filter only needs an estimate.
  EventsMapper(std::unique_ptr<formats::CsvReader> reader, int32_t ingest_id)
      : reader_(std::move(reader)), seen_(reader_->file_size() / 60 + 1), ingest_id_(ingest_id) {}
  Status BindHeader(const std::filesystem::path& path);
  void Fill(Reject& reject, const char* column, const char* code, std::string message) const;

  std::unique_ptr<formats::CsvReader> reader_;
  formats::CsvRecord record_;
  SeenFilter seen_;  // eventIds of this file, to find repeats without holding them all
  int32_t ingest_id_;
  int index_[kFieldCount] = {-1, -1, -1, -1, -1, -1, -1};
  size_t header_fields_ = 0;
};

}  // namespace earshot::ingest
