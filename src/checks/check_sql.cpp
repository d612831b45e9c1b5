#include "checks/check_sql.h"

#include <cstdio>
#include <cstdlib>

#include "warehouse/warehouse.h"

namespace earshot::checks {

using config::CheckType;
using warehouse::SqlIdentifier;
using warehouse::SqlQuote;

std::string TableRef(std::string_view table, std::string_view marts_catalog) {
  if (table.starts_with("raw.")) return "raw." + SqlIdentifier(table.substr(4));
  return std::string(marts_catalog) + ".main." + SqlIdentifier(table);
}

std::string SqlNumber(double v) {
  // The shortest of %.15g and %.17g that reads back as the same double.
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  if (std::strtod(buf, nullptr) != v) std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

std::string FailingRowsSql(const config::CheckSpec& spec, std::string_view marts_catalog) {
  const std::string from = TableRef(spec.table, marts_catalog);
  std::string cols;
  for (const std::string& c : spec.columns) cols += (cols.empty() ? "" : ", ") + SqlIdentifier(c);
  switch (spec.type) {
    case CheckType::kNotNull: {
      std::string any_null;
      for (const std::string& c : spec.columns) {
        any_null += (any_null.empty() ? "" : " OR ") + SqlIdentifier(c) + " IS NULL";
      }
      return "SELECT " + cols + " FROM " + from + " WHERE " + any_null;
    }
    case CheckType::kUnique: {
      // As in dbt: a single-column key ignores NULLs; a composite key counts them as values.
      std::string where = spec.columns.size() == 1 ? " WHERE " + cols + " IS NOT NULL" : "";
      return "SELECT " + cols + ", count(*) AS occurrences FROM " + from + where + " GROUP BY " + cols +
             " HAVING count(*) > 1";
    }
    case CheckType::kAcceptedValues: {
      std::string list;
      for (const std::string& v : spec.values) list += (list.empty() ? "" : ", ") + SqlQuote(v);
      return "SELECT " + cols + " FROM " + from + " WHERE " + cols + " IS NOT NULL AND CAST(" + cols +
             " AS VARCHAR) NOT IN (" + list + ")";
    }
    case CheckType::kRange: {
      std::string outside;
      if (spec.min) outside = cols + " < " + SqlNumber(*spec.min);
      if (spec.max) outside += (outside.empty() ? "" : " OR ") + cols + " > " + SqlNumber(*spec.max);
      return "SELECT " + cols + " FROM " + from + " WHERE " + outside;
    }
    case CheckType::kRelationships:
      return "SELECT c." + cols + " FROM " + from + " c WHERE c." + cols + " IS NOT NULL AND NOT EXISTS (SELECT 1 FROM " +
             TableRef(spec.to_table, marts_catalog) + " p WHERE p." + SqlIdentifier(spec.to_column) + " = c." + cols +
             ")";
    case CheckType::kRowCountChange:
    case CheckType::kFreshness:
      return "";
  }
  return "";
}

}  // namespace earshot::checks
