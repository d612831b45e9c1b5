#include "reports/podcast_months.h"

#include <cctype>
#include <cstdio>

namespace earshot::reports {
namespace {

struct YearMonth {
  int year = 0;
  int month = 0;  // 1..12
};

bool ParseMonth(std::string_view text, YearMonth& out) {
  if (text.size() != 7 || text[4] != '-') return false;
  for (const std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u}) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  auto digits = [&](std::size_t from, std::size_t count) {
    int value = 0;
    for (std::size_t i = from; i < from + count; ++i) value = value * 10 + (text[i] - '0');
    return value;
  };
  out = {digits(0, 4), digits(5, 2)};
  return out.month >= 1 && out.month <= 12;
}

std::string MonthText(const YearMonth& month) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d", month.year, month.month);
  return buffer;
}

}  // namespace

bool IsMonth(std::string_view text) {
  YearMonth ignored;
  return ParseMonth(text, ignored);
}

Result<std::string> ChooseMonth(const std::set<std::string>& months, std::string_view requested,
                                std::string_view mart) {
  if (requested.empty()) return months.empty() ? std::string() : *months.rbegin();
  if (!IsMonth(requested)) {
    return Status::Invalid("--month must be a calendar month written YYYY-MM, e.g. 2024-06 (got '" +
                           std::string(requested) + "')");
  }
  if (months.count(std::string(requested)) == 0) {
    const std::string have = months.empty() ? "it is empty" : "it has " + *months.begin() + " to " + *months.rbegin();
    return Status::Invalid(std::string(mart) + " has no rows for " + std::string(requested) + " (" + have +
                           "); pick a month it has, or leave out --month for the newest");
  }
  return std::string(requested);
}

Result<std::vector<std::string>> CalendarMonths(std::string_view first, std::string_view last) {
  YearMonth from;
  YearMonth to;
  for (const auto& [text, parsed] : {std::pair{first, &from}, std::pair{last, &to}}) {
    if (!ParseMonth(text, *parsed)) {
      return Status::DataError("'" + std::string(text) + "' is not a month written YYYY-MM");
    }
  }
  std::vector<std::string> months;
  for (YearMonth m = from; m.year < to.year || (m.year == to.year && m.month <= to.month);) {
    months.push_back(MonthText(m));
    if (++m.month > 12) m = {m.year + 1, 1};
  }
  return months;
}

}  // namespace earshot::reports
