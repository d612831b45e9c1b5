// RecordMapper: what a source's reader + mapper + validator look like to the
// shared bad-row loop (ingest_runner). A mapper reads one record at a time
// from its file, and either appends the record's rows to the batch (accepted)
// or describes why it cannot (a Reject: line, byte offset, column, stable
// error code, message, raw text). Counting, quarantining and loading live in
// the runner, written once for every source.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_set>

#include "common/status.h"
#include "warehouse/row_batch.h"

namespace earshot::ingest {

struct Reject {
  uint64_t line = 0;
  uint64_t byte_offset = 0;
  std::string column;  // empty when the whole record is at fault
  std::string code;    // short and stable: invalid_json, missing_field, negative_seconds, ...
  std::string message;
  std::string raw;
};

enum class RecordOutcome { kEnd, kAccepted, kRejected };

class RecordMapper {
 public:
  virtual ~RecordMapper() = default;
  // Reads the next record. On kAccepted its rows were added to `batch`; on
  // kRejected `reject` describes it and the batch is unchanged. IoError and
  // file-level errors (a CSV without the required columns) are a failed Result.
  virtual Result<RecordOutcome> Next(warehouse::RowBatch& batch, Reject& reject) = 0;
  virtual uint64_t bytes_consumed() const = 0;
  virtual uint64_t file_size() const = 0;
  // Keys of accepted records that may repeat an earlier record of the same
  // file (a superset of the real repeats), for sources that deduplicate by
  // key; nullptr for the others.
  virtual const std::unordered_set<std::string>* DuplicateCandidates() const { return nullptr; }
};

}  // namespace earshot::ingest
