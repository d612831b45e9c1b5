#include "ingest/batch_loader.h"

namespace earshot::ingest {

BatchLoader::BatchLoader(warehouse::Appender& rows, warehouse::Appender& rejects,
                         const std::vector<warehouse::ColumnType>& row_types,
                         const std::vector<warehouse::ColumnType>& reject_types, size_t batch_rows)
    : rows_app_(rows),
      rejects_app_(rejects),
      slots_{{warehouse::RowBatch(row_types, batch_rows), warehouse::RowBatch(reject_types, 1024)},
             {warehouse::RowBatch(row_types, batch_rows), warehouse::RowBatch(reject_types, 1024)}} {}

BatchLoader::~BatchLoader() { (void)Wait(); }

Status BatchLoader::Wait() {
  if (!in_flight_.valid()) return Status::Ok();
  return in_flight_.get();
}

Status BatchLoader::Flush() {
  EARSHOT_RETURN_IF_ERROR(Wait());
  Slot* full = &slots_[filling_];
  in_flight_ = std::async(std::launch::async, [this, full]() -> Status {
    EARSHOT_RETURN_IF_ERROR(rows_app_.Append(full->rows));
    return rejects_app_.Append(full->rejects);
  });
  filling_ = 1 - filling_;
  slots_[filling_].rows.Clear();
  slots_[filling_].rejects.Clear();
  return Status::Ok();
}

Status BatchLoader::Finish() {
  EARSHOT_RETURN_IF_ERROR(Wait());
  EARSHOT_RETURN_IF_ERROR(rows_app_.Append(slots_[filling_].rows));
  EARSHOT_RETURN_IF_ERROR(rejects_app_.Append(slots_[filling_].rejects));
  slots_[filling_].rows.Clear();
  slots_[filling_].rejects.Clear();
  EARSHOT_RETURN_IF_ERROR(rows_app_.Close());
  return rejects_app_.Close();
}

}  // namespace earshot::ingest
