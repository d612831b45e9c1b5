// The raw layer of the warehouse: the ingest manifest, rejects, and the
// accepted rows of each source, exactly as the mappers produced them.
// EnsureRawSchema() is idempotent. The working warehouse holds only `raw`:
// staging and marts are built by the models (src/models/builder.h). Column order here is the order mappers fill RowBatches in.
#pragma once

#include <string_view>
#include <vector>

#include "ingest/source.h"
#include "common/status.h"
#include "warehouse/row_batch.h"
#include "warehouse/warehouse.h"

namespace earshot::ingest {

Status EnsureRawSchema(warehouse::Warehouse& wh);

// raw.events: ingest_id, line, event_id, streamed_at, user_id, track_id,
// work_id, listening_context, seconds_streamed.
std::vector<warehouse::ColumnType> EventsColumns();
// raw.recommendations: ingest_id, line, user_id, playlist, position, work_id,
// work_title, composer, first_in_playlist.
std::vector<warehouse::ColumnType> RecommendationsColumns();
// The raw table (in schema raw) a source's rows go to, and its column types.
std::string_view RawTable(Source source);
std::vector<warehouse::ColumnType> RawColumns(Source source);
// raw.rejects: ingest_id, source, line, byte_offset, column_name, error_code, message, raw_text.
std::vector<warehouse::ColumnType> RejectsColumns();

}  // namespace earshot::ingest
