// The SQL of a check. A row-level check (not_null, unique, accepted_values,
// range, relationships) is the query that selects its failing rows: zero rows
// pass. Tables are named as in earshot.toml: raw.<table> is read from the
// working warehouse, any other name is a mart in the snapshot attached as
// `marts_catalog`. Names were validated when the project was loaded and are
// quoted here anyway. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "config/project.h"

namespace earshot::checks {

// `raw."x"` or `<marts_catalog>.main."x"`.
std::string TableRef(std::string_view table, std::string_view marts_catalog);

// The failing rows of a row-level check, selecting the checked columns (and,
// for unique, `occurrences`). Empty for row_count_change and freshness,
// which compare one number.
std::string FailingRowsSql(const config::CheckSpec& spec, std::string_view marts_catalog);

// A number as a SQL literal (and for messages) that reads back exactly.
std::string SqlNumber(double v);

}  // namespace earshot::checks
