// ListensMapper: a podcast provider's delivery (contracts/podcasts.md,
// Deliveries) -> raw.listens rows. The provider's declaration says the file
// format (CSV, or JSON: array, {"rows": [...]} or NDJSON), the granularity
// and the mapping from its field names to ours. Each record is one of:
//   daily    date (YYYY-MM-DD), podcast_id, [episode_id], listens
//   monthly  month (YYYY-MM),   podcast_id, [episode_id], listens
//   instant  event_id, podcast_id, [episode_id], listened_at (a timestamp)
// (episode_id required for `episode` granularity and ignored for `podcast`),
// told apart by which fields it has. Stored as (provider, delivery, period =
// the day or the month's first day, podcast_id, episode_id, listens; for an
// instant event listens = 1 and its event_id and time). Rejects: missing_field,
// invalid_date, invalid_month, invalid_number, negative_listens,
// number_out_of_range, invalid_timestamp, plus the record-level codes of
// FieldReader.
#pragma once

#include <filesystem>
#include <memory>

#include "config/project.h"
#include "ingest/field_reader.h"
#include "ingest/record_mapper.h"

namespace earshot::ingest {

class ListensMapper final : public RecordMapper {
 public:
  // Fails with kDataError (file:line, code missing_column) when a CSV header
  // cannot hold any kind of record: it needs podcast_id (and episode_id for
  // episode granularity) and either listens with date or month, or event_id
  // with listened_at, under the provider's names.
  static Result<std::unique_ptr<ListensMapper>> Open(const std::filesystem::path& path,
                                                     const config::Provider& provider, int32_t ingest_id);

  Result<RecordOutcome> Next(warehouse::RowBatch& batch, Reject& reject) override;
  uint64_t bytes_consumed() const override { return reader_->bytes_consumed(); }
  uint64_t file_size() const override { return reader_->file_size(); }

 private:
  ListensMapper(std::unique_ptr<FieldReader> reader, const config::Provider& provider, int32_t ingest_id)
      : reader_(std::move(reader)), provider_(provider), ingest_id_(ingest_id) {}
  RecordOutcome Refuse(Reject& reject, const char* field, const char* code, std::string message) const;

  std::unique_ptr<FieldReader> reader_;
  const config::Provider& provider_;
  int32_t ingest_id_;
};

}  // namespace earshot::ingest
