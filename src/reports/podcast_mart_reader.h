// Reading a podcast mart's Table into typed rows (internal to src/reports).
//
// The warehouse hands reports a Table of printed values. A mart is described
// once as a list of fields (contract column name -> member of a row struct),
// and ReadMart turns every row into that struct, so each podcast report reads
// its numbers in exactly one place. Columns are found by name, in any order;
// extra columns are ignored. Every member is optional: the contract lets
// numbers be NULL (no coverage, fewer than two providers, missing history) and
// titles be NULL (a podcast missing from the catalog). A number the warehouse
// printed as nan or inf reads as NULL too: it is no figure a person can use.
// Pure, thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "common/status.h"
#include "common/table.h"

namespace earshot::reports {

// One cell's text parsed as the member type. Each returns nullopt for NULL
// and fails with kDataError naming `where` ("mart row N, column C") when the
// text is not such a value. A number printed as nan or inf reads as NULL
// (see above); a count accepts an integral decimal ("17.0") but not nan/inf.
Result<std::optional<double>> ParseNumberCell(const std::optional<std::string>& cell, const std::string& where);
Result<std::optional<std::int64_t>> ParseCountCell(const std::optional<std::string>& cell, const std::string& where);
Result<std::optional<bool>> ParseFlagCell(const std::optional<std::string>& cell, const std::string& where);

// Returns, for each name, its column's position in `table`. Fails with
// kInvalidArgument naming the first missing column, the table's columns and
// the contract to look at.
Result<std::vector<std::size_t>> FindColumns(const Table& table, std::string_view mart,
                                             const std::vector<std::string_view>& names);

template <typename Row>
struct MartField {
  using Member = std::variant<std::optional<std::string> Row::*, std::optional<double> Row::*,
                              std::optional<std::int64_t> Row::*, std::optional<bool> Row::*>;
  std::string_view column;
  Member member;
};

// Returns one Row per table row, in the table's order. Fails like FindColumns
// or the Parse*Cell functions (the first bad cell wins).
template <typename Row>
Result<std::vector<Row>> ReadMart(const Table& table, std::string_view mart, std::span<const MartField<Row>> fields) {
  std::vector<std::string_view> names;
  for (const MartField<Row>& field : fields) names.push_back(field.column);
  EARSHOT_ASSIGN_OR_RETURN(const std::vector<std::size_t> positions, FindColumns(table, mart, names));

  std::vector<Row> rows;
  rows.reserve(table.rows.size());
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const auto& cells = table.rows[r];
    Row row;
    for (std::size_t f = 0; f < fields.size(); ++f) {
      const std::size_t c = positions[f];
      const std::optional<std::string> cell = c < cells.size() ? cells[c] : std::nullopt;
      const std::string where =
          std::string(mart) + " row " + std::to_string(r + 1) + ", column " + std::string(fields[f].column);
      Status status = std::visit(
          [&](auto member) -> Status {
            using Value = std::remove_reference_t<decltype(row.*member)>;
            Result<Value> value = [&]() -> Result<Value> {
              if constexpr (std::is_same_v<Value, std::optional<std::string>>) {
                return cell;
              } else if constexpr (std::is_same_v<Value, std::optional<double>>) {
                return ParseNumberCell(cell, where);
              } else if constexpr (std::is_same_v<Value, std::optional<std::int64_t>>) {
                return ParseCountCell(cell, where);
              } else {
                return ParseFlagCell(cell, where);
              }
            }();
            if (!value.ok()) return value.status();
            row.*member = std::move(value).value();
            return Status::Ok();
          },
          fields[f].member);
      EARSHOT_RETURN_IF_ERROR(status);
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace earshot::reports
