// How the podcast reports write their figures (internal to src/reports).
//
// One place decides how a listen count, a coverage, a growth rate or a
// missing value looks, so the four reports and their text and HTML forms
// agree. A NULL figure is written kNoFigure ("–"), never 0: an estimate the
// contract leaves NULL (no coverage, fewer than two providers, no history)
// is unknown, not zero. Built on number_format.h, so digits are grouped with
// ',' on every machine. Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace earshot::reports {

// U+2013 EN DASH.
inline constexpr std::string_view kNoFigure = "\xE2\x80\x93";

// Listens rounded to a whole number with thousands separators: "1,234,568".
std::string FormatListens(std::optional<double> listens);

// An estimate's bounds, "1,100–1,400"; kNoFigure when either is NULL.
std::string FormatListensRange(std::optional<double> low, std::optional<double> high);

// A 0..1 fraction as a percentage with one decimal: "50.0%".
std::string FormatShare(std::optional<double> fraction);

// A growth rate as a signed percentage with one decimal: 0.25 -> "+25.0%",
// -0.1 -> "-10.0%", 0 -> "0.0%".
std::string FormatGrowth(std::optional<double> growth);

// A whole number with thousands separators.
std::string FormatCount(std::optional<std::int64_t> count);

// "yes" / "no".
std::string FormatYesNo(std::optional<bool> flag);

// What a person calls a podcast, creator or episode: its name, or its id when
// the catalog has no name for it (or kNoFigure when both are NULL).
std::string NameOrId(const std::optional<std::string>& name, const std::optional<std::string>& id);

struct NamedId {
  std::optional<std::string> name;
  std::optional<std::string> id;
};

// Returns, for every id among `entries` (NULL id as ""), what to call it:
// NameOrId, with " (id)" appended when entries with another id carry the
// same name, so two podcasts both titled "Daily News" stay apart.
std::map<std::string, std::string> DisplayNames(const std::vector<NamedId>& entries);

}  // namespace earshot::reports
