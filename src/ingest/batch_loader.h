// BatchLoader: double-buffered hand-off from the mapper (this thread) to the
// warehouse appenders (a helper thread), so parsing and validating the next
// batch overlaps with DuckDB storing the previous one. Two row batches and two
// reject batches exist at any time: memory stays bounded by the batch size.
// The appenders' connection is used by the helper thread only while a batch
// is in flight; Flush() and Finish() wait for it, so callers may use the
// connection again once Finish() returns. Not thread-safe itself.
#pragma once

#include <future>
#include <vector>

#include "common/status.h"
#include "warehouse/row_batch.h"
#include "warehouse/warehouse.h"

namespace earshot::ingest {

class BatchLoader {
 public:
  BatchLoader(warehouse::Appender& rows, warehouse::Appender& rejects,
              const std::vector<warehouse::ColumnType>& row_types,
              const std::vector<warehouse::ColumnType>& reject_types, size_t batch_rows);
  ~BatchLoader();
  BatchLoader(const BatchLoader&) = delete;
  BatchLoader& operator=(const BatchLoader&) = delete;

  warehouse::RowBatch& rows() { return slots_[filling_].rows; }
  warehouse::RowBatch& rejects() { return slots_[filling_].rejects; }
  bool full() const { return slots_[filling_].rows.full() || slots_[filling_].rejects.full(); }

  // Sends the filled batches to be stored (after the previous ones are) and
  // continues with empty ones. Returns the first storage error, if any.
  Status Flush();
  // Stores what is left, waits, and closes both appenders.
  Status Finish();

 private:
  struct Slot {
    warehouse::RowBatch rows;
    warehouse::RowBatch rejects;
  };
  Status Wait();

  warehouse::Appender& rows_app_;
  warehouse::Appender& rejects_app_;
  Slot slots_[2];
  int filling_ = 0;
  std::future<Status> in_flight_;
};

}  // namespace earshot::ingest
