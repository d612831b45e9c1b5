// PlaylistsMapper: playlists.ndjson (contract: shared/contracts/playlists.md,
// Input 2) -> raw.recommendations rows, one per user x playlist x item, plus
// one marker row per accepted line (playlist NULL) so a user whose line holds
// no playlist is still known, and "last line wins" can be decided per user.
// Accepts nested (`"playlists": {...}`) and top-level playlist keys, user ids
// under userId/user_id/user, items as plain ids or objects.
#pragma once

#include <simdjson.h>

#include <filesystem>
#include <memory>

#include "formats/line_reader.h"
#include "ingest/record_mapper.h"

namespace earshot::ingest {

class PlaylistsMapper final : public RecordMapper {
 public:
  // Opens the file. Fails (kDataError, code empty_file) when it holds no
  // non-blank line.
  static Result<std::unique_ptr<PlaylistsMapper>> Open(const std::filesystem::path& path, int32_t ingest_id);

  Result<RecordOutcome> Next(warehouse::RowBatch& batch, Reject& reject) override;
  uint64_t bytes_consumed() const override { return reader_->bytes_consumed(); }
  uint64_t file_size() const override { return reader_->file_size(); }

 private:
  PlaylistsMapper(std::unique_ptr<formats::LineReader> reader, int32_t ingest_id)
      : reader_(std::move(reader)), ingest_id_(ingest_id) {}
  // Maps the current line; on failure returns the reject's code and fills message.
  const char* MapLine(warehouse::RowBatch& batch, std::string& message);

  std::unique_ptr<formats::LineReader> reader_;
  formats::Line line_;
  bool pending_ = false;  // line_ was read by Open() and not mapped yet
  simdjson::dom::parser parser_;
  simdjson::padded_string padded_;
  int32_t ingest_id_;
};

}  // namespace earshot::ingest
