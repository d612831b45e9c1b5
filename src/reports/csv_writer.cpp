#include "reports/csv_writer.h"

#include <optional>
#include <string_view>

namespace earshot::reports {
namespace {

void AppendField(std::string& out, const std::optional<std::string>& value) {
  if (!value) return;
  const std::string_view text = *value;
  const bool needs_quotes =
      text.empty() || text.find_first_of(",\"\r\n") != std::string_view::npos;
  if (!needs_quotes) {
    out += text;
    return;
  }
  out += '"';
  for (const char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

}  // namespace

std::string RenderCsv(const Table& table) {
  const std::size_t column_count = table.columns.size();
  if (column_count == 0) return "";
  std::string out;
  for (std::size_t c = 0; c < column_count; ++c) {
    if (c > 0) out += ',';
    AppendField(out, table.columns[c].name);
  }
  out += '\n';
  for (const auto& row : table.rows) {
    for (std::size_t c = 0; c < column_count; ++c) {
      if (c > 0) out += ',';
      AppendField(out, c < row.size() ? row[c] : std::nullopt);
    }
    out += '\n';
  }
  return out;
}

}  // namespace earshot::reports
