// Calendar months as the podcast marts spell them, 'YYYY-MM' (internal to
// src/reports, also used by the CLI to check --month before it reaches SQL).
//
// Which month a report shows is decided here once: the month asked for, which
// must be a well-formed month the mart has rows for, or else the newest month
// in the mart. Pure functions, thread-safe.
#pragma once

#include <algorithm>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace earshot::reports {

// True for 'YYYY-MM' with a month 01..12 and nothing else around it.
bool IsMonth(std::string_view text);

// Returns `requested` when it is a month in `months`, or the newest of
// `months` when `requested` is empty ("" when `months` is empty too: an empty
// mart). Fails with kInvalidArgument when `requested` is not 'YYYY-MM', or
// when `mart` has no rows for it (the message names the months it has).
Result<std::string> ChooseMonth(const std::set<std::string>& months, std::string_view requested, std::string_view mart);

// Returns every calendar month from `first` to `last`, both included (empty
// when `last` is before `first`). Fails with kDataError when either is not
// 'YYYY-MM'.
Result<std::vector<std::string>> CalendarMonths(std::string_view first, std::string_view last);

// The distinct months of typed mart rows (rows without a month are skipped).
template <typename Row>
std::set<std::string> MonthsOf(const std::vector<Row>& rows) {
  std::set<std::string> months;
  for (const Row& row : rows) {
    if (row.month) months.insert(*row.month);
  }
  return months;
}

// The rows of `month`, in their order.
template <typename Row>
std::vector<Row> RowsOfMonth(const std::vector<Row>& rows, const std::string& month) {
  std::vector<Row> out;
  for (const Row& row : rows) {
    if (row.month == month) out.push_back(row);
  }
  return out;
}

// A monthly mart as one report reads it: every row, the month shown, and
// that month's rows (in the mart's order; the report sorts them).
template <typename Row>
struct MonthOfMart {
  std::vector<Row> all;
  std::string month;  // "" when the mart is empty
  std::vector<Row> rows;
};

// Returns the rows a mart reader gave (`read`), the month ChooseMonth picks
// and that month's rows in the order of `before` (a strict weak order; ties
// keep the mart's order). Fails with `read`'s error, or like ChooseMonth.
template <typename Row, typename Before>
Result<MonthOfMart<Row>> SelectMonth(Result<std::vector<Row>> read, std::string_view requested, std::string_view mart,
                                     Before before) {
  if (!read.ok()) return read.status();
  MonthOfMart<Row> out;
  out.all = std::move(read).value();
  EARSHOT_ASSIGN_OR_RETURN(out.month, ChooseMonth(MonthsOf(out.all), requested, mart));
  out.rows = RowsOfMonth(out.all, out.month);
  std::stable_sort(out.rows.begin(), out.rows.end(), before);
  return out;
}

}  // namespace earshot::reports
