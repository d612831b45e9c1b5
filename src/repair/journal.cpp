#include "repair/journal.h"

#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

namespace earshot::repair {

namespace {

using json = nlohmann::json;
namespace chr = std::chrono;

std::string StringField(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool Digits(const std::string& s, size_t at, size_t n) {
  if (at + n > s.size()) return false;
  for (size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

std::optional<Day> MakeDay(int y, unsigned m, unsigned d) {
  const chr::year_month_day ymd{chr::year(y), chr::month(m), chr::day(d)};
  if (!ymd.ok()) return std::nullopt;
  return chr::sys_days(ymd).time_since_epoch().count();
}

}  // namespace

Result<std::vector<JournalEntry>> ReadJournal(const std::filesystem::path& archive_dir) {
  const std::filesystem::path path = archive_dir / "landings.ndjson";
  std::vector<JournalEntry> out;
  if (!std::filesystem::exists(path)) return out;
  std::ifstream in(path);
  if (!in) return Status::IoError("cannot open " + path.string());
  std::string text;
  int line = 0;
  while (std::getline(in, text)) {
    ++line;
    if (text.empty()) continue;
    const std::string where = path.string() + ":" + std::to_string(line);
    json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object()) {
      // A crash while appending can leave a cut last line: nothing was loaded from it.
      if (in.peek() == std::char_traits<char>::eof()) break;
      return Status::DataError(where + ": not a journal entry (not a JSON object)");
    }
    JournalEntry e;
    e.line = line;
    e.source = StringField(j, "source");
    e.provider = StringField(j, "provider");
    e.file_name = StringField(j, "file_name");
    e.original_path = StringField(j, "original_path");
    e.sha256 = StringField(j, "sha256");
    if (auto it = j.find("ingest_id"); it != j.end() && it->is_number_integer()) e.ingest_id = it->get<int64_t>();
    if (auto it = j.find("bytes"); it != j.end() && it->is_number_unsigned()) e.bytes = it->get<uint64_t>();
    if (e.source.empty() || e.file_name.empty() || e.sha256.size() != 64) {
      return Status::DataError(where + ": a journal entry needs source, file_name and a 64-character sha256");
    }
    out.push_back(std::move(e));
  }
  return out;
}

std::optional<Day> ParseDay(const std::string& text) {
  if (text.size() != 10 || !Digits(text, 0, 4) || text[4] != '-' || !Digits(text, 5, 2) || text[7] != '-' ||
      !Digits(text, 8, 2)) {
    return std::nullopt;
  }
  return MakeDay(std::stoi(text.substr(0, 4)), std::stoul(text.substr(5, 2)), std::stoul(text.substr(8, 2)));
}

std::string FormatDay(Day day) {
  const chr::year_month_day ymd{chr::sys_days(chr::days(day))};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return buf;
}

Period DeliveryPeriod(const std::string& name, Day landed) {
  // YYYY-MM-DD or YYYYMMDD is not guessed at: only the dashed forms count.
  for (size_t i = 0; i + 10 <= name.size(); ++i) {
    if (i > 0 && name[i - 1] >= '0' && name[i - 1] <= '9') continue;
    if (auto d = ParseDay(name.substr(i, 10)); d && !Digits(name, i + 10, 1)) return {*d, *d};
  }
  for (size_t i = 0; i + 7 <= name.size(); ++i) {
    if (i > 0 && name[i - 1] >= '0' && name[i - 1] <= '9') continue;
    if (!Digits(name, i, 4) || name[i + 4] != '-' || !Digits(name, i + 5, 2) || Digits(name, i + 7, 1)) continue;
    const int y = std::stoi(name.substr(i, 4));
    const unsigned m = std::stoul(name.substr(i + 5, 2));
    auto first = MakeDay(y, m, 1);
    if (!first) continue;
    const chr::year_month_day_last last{chr::year(y), chr::month_day_last(chr::month(m))};
    return {*first, chr::sys_days(last).time_since_epoch().count()};
  }
  return {landed, landed};
}

Day FileDay(const std::filesystem::path& file) {
  struct stat st;
  if (::stat(file.c_str(), &st) != 0) return 0;
  return static_cast<Day>(st.st_mtime >= 0 ? st.st_mtime / 86400 : (st.st_mtime - 86399) / 86400);
}

bool IsLogSegment(const JournalEntry& entry) {
  const std::string& n = entry.file_name;
  return !entry.provider.empty() && n.starts_with("seg-") && n.ends_with(".ndjson") && n.size() > 11 &&
         Digits(n, 4, n.size() - 11);
}

}  // namespace earshot::repair
