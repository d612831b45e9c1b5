// The closed list of reject codes a mapper may give a row (README, "Bad rows
// are data"), and what a reject's text must be, for the fuzz targets to check
// every reject against.
#pragma once

#include <string_view>

#include "formats/value_parsers.h"

namespace earshot::fuzz {

inline bool IsKnownRowCode(std::string_view code) {
  for (std::string_view known :
       {"unterminated_quote", "record_too_large", "field_count_mismatch", "nul_byte", "invalid_utf8",
        "missing_field", "invalid_timestamp", "invalid_number", "negative_seconds", "seconds_out_of_range", "invalid_json", "not_an_object",
        "missing_user_id", "invalid_playlist", "missing_work_id", "invalid_item", "line_too_large",
        // podcast deliveries and catalog files (field_reader, listens_mapper, catalog_mapper)
        "too_deep", "invalid_value", "invalid_date", "invalid_month", "negative_listens", "number_out_of_range"}) {
    if (code == known) return true;
  }
  return false;
}

// What the warehouse can store and SQL can quote: valid UTF-8 without NULs.
inline bool IsStorableText(std::string_view text) {
  return earshot::formats::IsValidUtf8(text) && text.find('\0') == std::string_view::npos;
}

}  // namespace earshot::fuzz
