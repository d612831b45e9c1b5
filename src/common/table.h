// Table: a small, fully materialised query result handed from the warehouse to
// the renderers (terminal, CSV, JSON, HTML). Values are kept as text as DuckDB
// printed them, with a kind per column so renderers can align numbers and emit
// JSON numbers/booleans unquoted. Meant for report-sized results, not bulk data.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace earshot {

enum class ValueKind { kText, kInteger, kDecimal, kBoolean, kTimestamp };

struct TableColumn {
  std::string name;
  ValueKind kind = ValueKind::kText;
};

struct Table {
  std::vector<TableColumn> columns;
  // rows[r][c]; std::nullopt is SQL NULL.
  std::vector<std::vector<std::optional<std::string>>> rows;
};

}  // namespace earshot
