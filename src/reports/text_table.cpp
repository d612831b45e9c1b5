#include "reports/text_table.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "reports/utf8.h"

namespace earshot::reports {
namespace {

struct Cell {
  std::string text;
  std::size_t width = 0;  // in code points
};

bool IsRightAligned(ValueKind kind) {
  return kind == ValueKind::kInteger || kind == ValueKind::kDecimal;
}

// Makes a value safe to print on one terminal line.
std::string EscapeControls(const std::string& value) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(value.size());
  for (const char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (byte < 0x20 || byte == 0x7F) {
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0F];
    } else {
      out += c;
    }
  }
  return out;
}

Cell MakeCell(const std::optional<std::string>& value) {
  Cell cell;
  cell.text = value ? TruncateCodePoints(EscapeControls(SanitizeUtf8(*value)), kMaxCellCodePoints)
                    : std::string("NULL");
  cell.width = CodePointCount(cell.text);
  return cell;
}

void AppendPadded(std::string& line, const Cell& cell, std::size_t width, bool right_aligned) {
  const std::size_t padding = width - cell.width;
  if (right_aligned) line.append(padding, ' ');
  line += cell.text;
  if (!right_aligned) line.append(padding, ' ');
}

}  // namespace

std::string RenderTextTable(const Table& table) { return RenderTextTable(table, {}); }

std::string RenderTextTable(const Table& table, const TextTableOptions& options) {
  const std::size_t column_count = table.columns.size();
  if (column_count == 0) return "";

  std::vector<Cell> header;
  std::vector<std::size_t> widths;
  for (const TableColumn& column : table.columns) {
    header.push_back(MakeCell(column.name));
    widths.push_back(header.back().width);
  }
  std::vector<std::vector<Cell>> body;
  body.reserve(table.rows.size());
  for (const auto& row : table.rows) {
    std::vector<Cell> cells;
    for (std::size_t c = 0; c < column_count; ++c) {
      cells.push_back(MakeCell(c < row.size() ? row[c] : std::nullopt));
      widths[c] = std::max(widths[c], cells.back().width);
    }
    body.push_back(std::move(cells));
  }

  auto render_line = [&](const std::vector<Cell>& cells) {
    std::string line;
    for (std::size_t c = 0; c < column_count; ++c) {
      if (c > 0) line += " | ";
      AppendPadded(line, cells[c], widths[c], IsRightAligned(table.columns[c].kind));
    }
    // Padding a left-aligned last column, or an empty last cell, would leave
    // blanks at the end of the line.
    while (!line.empty() && line.back() == ' ') line.pop_back();
    line += '\n';
    return line;
  };
  std::string separator;
  for (std::size_t c = 0; c < column_count; ++c) {
    if (c > 0) separator += "-+-";
    separator.append(widths[c], '-');
  }
  separator += '\n';

  std::string out = render_line(header);
  out += separator;
  const std::size_t footer_start =
      body.size() - std::min(options.footer_rows, body.size());
  for (std::size_t r = 0; r < body.size(); ++r) {
    if (r == footer_start && r > 0) out += separator;
    out += render_line(body[r]);
  }
  return out;
}

}  // namespace earshot::reports
