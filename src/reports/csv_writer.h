// CSV rendering of a Table, for `earshot query --format csv` and exports.
//
// RFC 4180: a header row with the column names, then one record per row, each
// ending in LF. A field is quoted when it contains a comma, a double quote, CR
// or LF, and inner quotes are doubled. NULL is an empty unquoted field; an
// empty string is written as `""` so the two stay distinguishable to readers
// that care (DuckDB's read_csv does). Values are written byte for byte as the
// warehouse printed them. Pure function, thread-safe.
#pragma once

#include <string>

#include "common/table.h"

namespace earshot::reports {

// Returns the CSV text (header included, LF after every record). A table
// without columns renders as "". Never fails; rows shorter than the column
// list are padded with NULL.
std::string RenderCsv(const Table& table);

}  // namespace earshot::reports
