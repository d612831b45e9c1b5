// Terminal rendering of a Table: the plain aligned grid `earshot query` and the
// text reports print.
//
// Columns are padded to the widest cell, measured in UTF-8 code points so that
// `Dvořák` lines up with `Dvorak`. Numbers (kInteger, kDecimal) are
// right-aligned and shown exactly as the warehouse printed them; everything
// else is left-aligned. NULL prints as `NULL`. Cells longer than
// kMaxCellCodePoints are cut and end in `…`; control characters are shown
// escaped (`\n`, `\t`, `\x1b`) so a value can neither break a line nor drive
// the terminal. Pure functions, thread-safe.
#pragma once

#include <cstddef>
#include <string>

#include "common/table.h"

namespace earshot::reports {

inline constexpr std::size_t kMaxCellCodePoints = 60;

struct TextTableOptions {
  // The last `footer_rows` rows (totals, typically) are set off from the body
  // by a second separator line.
  std::size_t footer_rows = 0;
};

// Returns the table as text: a header line, a separator line, one line per
// row, each ending in '\n' with no trailing blanks. A table without columns renders as "". Never
// fails; rows shorter than the column list are padded with NULL.
std::string RenderTextTable(const Table& table);
std::string RenderTextTable(const Table& table, const TextTableOptions& options);

}  // namespace earshot::reports
