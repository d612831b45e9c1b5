#include "reports/podcast_figures.h"

#include <set>

#include "reports/number_format.h"

namespace earshot::reports {

std::string FormatListens(std::optional<double> listens) {
  return listens ? FormatFixed(*listens, 0) : std::string(kNoFigure);
}

std::string FormatListensRange(std::optional<double> low, std::optional<double> high) {
  if (!low || !high) return std::string(kNoFigure);
  return FormatListens(low) + std::string(kNoFigure) + FormatListens(high);
}

std::string FormatShare(std::optional<double> fraction) {
  return fraction ? FormatPercent(*fraction) : std::string(kNoFigure);
}

std::string FormatGrowth(std::optional<double> growth) {
  if (!growth) return std::string(kNoFigure);
  const std::string percent = FormatPercent(*growth);
  // "+0.0%" would claim a rise that rounds away; only a visible rise gets '+'.
  return percent.front() != '-' && percent != "0.0%" ? "+" + percent : percent;
}

std::string FormatCount(std::optional<std::int64_t> count) {
  return count ? FormatThousands(*count) : std::string(kNoFigure);
}

std::string FormatYesNo(std::optional<bool> flag) {
  if (!flag) return std::string(kNoFigure);
  return *flag ? "yes" : "no";
}

std::string NameOrId(const std::optional<std::string>& name, const std::optional<std::string>& id) {
  if (name && !name->empty()) return *name;
  return id ? *id : std::string(kNoFigure);
}

std::map<std::string, std::string> DisplayNames(const std::vector<NamedId>& entries) {
  std::map<std::string, std::string> names;
  std::map<std::string, std::set<std::string>> ids_by_name;
  for (const NamedId& entry : entries) {
    const std::string id = entry.id.value_or("");
    names[id] = NameOrId(entry.name, entry.id);
  }
  for (const auto& [id, name] : names) ids_by_name[name].insert(id);
  for (auto& [id, name] : names) {
    if (ids_by_name[name].size() > 1 && name != id) name += " (" + id + ")";
  }
  return names;
}

}  // namespace earshot::reports
