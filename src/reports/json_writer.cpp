#include "reports/json_writer.h"

#include <array>
#include <charconv>
#include <cmath>
#include <optional>
#include <string_view>

#include "reports/utf8.h"

namespace earshot::reports {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// RFC 8259 number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
bool IsJsonNumber(std::string_view text) {
  std::size_t i = 0;
  const std::size_t n = text.size();
  auto digits = [&] {
    const std::size_t start = i;
    while (i < n && IsDigit(text[i])) ++i;
    return i > start;
  };
  if (i < n && text[i] == '-') ++i;
  if (i < n && text[i] == '0') {
    ++i;
  } else if (!digits()) {
    return false;
  }
  if (i < n && text[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < n && (text[i] == '+' || text[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == n;
}

// Writes a numeric cell. Text that is already a JSON number is kept verbatim;
// other finite spellings (`+5`, `.5`, `5.`) are normalised; nan, inf and
// anything unparsable become null.
void AppendNumber(std::string& out, std::string_view text) {
  if (IsJsonNumber(text)) {
    out += text;
    return;
  }
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    out += "null";
    return;
  }
  std::array<char, 32> buffer{};
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  out.append(buffer.data(), result.ptr);
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const char x = (a[i] >= 'A' && a[i] <= 'Z') ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
    if (x != b[i]) return false;
  }
  return true;
}

void AppendBoolean(std::string& out, std::string_view text) {
  if (EqualsIgnoreCase(text, "true") || EqualsIgnoreCase(text, "t") || text == "1") {
    out += "true";
  } else if (EqualsIgnoreCase(text, "false") || EqualsIgnoreCase(text, "f") || text == "0") {
    out += "false";
  } else {
    out += "null";
  }
}

void AppendString(std::string& out, std::string_view raw) {
  static constexpr char kHex[] = "0123456789abcdef";
  const std::string text = SanitizeUtf8(raw);
  out += '"';
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20) {
      out += "\\u00";
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0F];
    } else {
      out += c;
    }
  }
  out += '"';
}

void AppendValue(std::string& out, ValueKind kind, const std::optional<std::string>& value) {
  if (!value) {
    out += "null";
    return;
  }
  switch (kind) {
    case ValueKind::kInteger:
    case ValueKind::kDecimal:
      AppendNumber(out, *value);
      return;
    case ValueKind::kBoolean:
      AppendBoolean(out, *value);
      return;
    case ValueKind::kText:
    case ValueKind::kTimestamp:
      AppendString(out, *value);
      return;
  }
  AppendString(out, *value);
}

}  // namespace

std::string RenderJson(const Table& table) {
  if (table.rows.empty()) return "[]\n";
  std::string out = "[\n";
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const auto& row = table.rows[r];
    out += "  {";
    for (std::size_t c = 0; c < table.columns.size(); ++c) {
      if (c > 0) out += ", ";
      AppendString(out, table.columns[c].name);
      out += ": ";
      AppendValue(out, table.columns[c].kind, c < row.size() ? row[c] : std::nullopt);
    }
    out += r + 1 < table.rows.size() ? "},\n" : "}\n";
  }
  out += "]\n";
  return out;
}

}  // namespace earshot::reports
