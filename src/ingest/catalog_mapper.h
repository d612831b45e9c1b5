// CatalogMapper: the podcast catalog files (contracts/podcasts.md, Catalog)
// -> raw.podcasts, raw.episodes, raw.creators, raw.episode_credits. CSV with
// a header (column order free, names matched ignoring case, `_`, `-` and
// spaces), or JSON rows with the same field names. Each record needs its key
// (podcast_id, episode_id, creator_id; credits need episode_id and
// creator_id); published_at, when given, must be an ISO-8601 timestamp or a
// YYYY-MM-DD date (UTC).
#pragma once

#include <filesystem>
#include <memory>

#include "ingest/field_reader.h"
#include "ingest/record_mapper.h"
#include "ingest/source.h"

namespace earshot::ingest {

class CatalogMapper final : public RecordMapper {
 public:
  // `source` is one of the catalog sources. Fails with kDataError (file:line,
  // code missing_column) when a CSV header lacks the key column(s).
  static Result<std::unique_ptr<CatalogMapper>> Open(const std::filesystem::path& path, Source source,
                                                     int32_t ingest_id);

  Result<RecordOutcome> Next(warehouse::RowBatch& batch, Reject& reject) override;
  uint64_t bytes_consumed() const override { return reader_->bytes_consumed(); }
  uint64_t file_size() const override { return reader_->file_size(); }

  struct Spec;  // a catalog source's fields (catalog_mapper.cpp)

 private:
  CatalogMapper(std::unique_ptr<FieldReader> reader, const Spec& spec, int32_t ingest_id)
      : reader_(std::move(reader)), spec_(spec), ingest_id_(ingest_id) {}

  std::unique_ptr<FieldReader> reader_;
  const Spec& spec_;
  int32_t ingest_id_;
};

}  // namespace earshot::ingest
