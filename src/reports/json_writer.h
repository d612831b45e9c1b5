// JSON rendering of a Table, for `earshot query --format json` and exports.
//
// The result is a JSON array with one object per row, one object per line,
// keys being the column names in column order. kInteger and kDecimal values
// are written unquoted exactly as the warehouse printed them (no precision is
// lost on HUGEINT or DECIMAL(38)); a value that is not a JSON number, such as
// DuckDB's `nan`, `inf` or `-inf`, becomes null. kBoolean becomes true/false
// (null if unrecognised), NULL becomes null, and everything else is a string
// with control characters escaped as \u00XX. Invalid UTF-8 is replaced by
// U+FFFD so the output is always valid JSON. Pure function, thread-safe.
#pragma once

#include <string>

#include "common/table.h"

namespace earshot::reports {

// Returns the JSON text, ending in '\n' ("[]\n" for no rows). Never fails;
// rows shorter than the column list are padded with null. Duplicate column
// names are written as given (JSON allows them, most readers keep the last).
std::string RenderJson(const Table& table);

}  // namespace earshot::reports
