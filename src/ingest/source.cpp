#include "ingest/source.h"

#include <cstdio>
#include <algorithm>
#include <fstream>
#include <vector>

#include "formats/value_parsers.h"

namespace earshot::ingest {

std::string_view SourceName(Source source) {
  switch (source) {
    case Source::kEvents: return "events";
    case Source::kPlaylists: return "playlists";
    case Source::kPodcasts: return "podcasts";
    case Source::kEpisodes: return "episodes";
    case Source::kCreators: return "creators";
    case Source::kEpisodeCredits: return "episode_credits";
    case Source::kListens: return "listens";
  }
  return "events";
}

std::optional<Source> ParseSource(std::string_view name) {
  if (name == "events") return Source::kEvents;
  if (name == "playlists") return Source::kPlaylists;
  if (name == "podcasts") return Source::kPodcasts;
  if (name == "episodes") return Source::kEpisodes;
  if (name == "creators") return Source::kCreators;
  if (name == "episode_credits") return Source::kEpisodeCredits;
  if (name == "listens") return Source::kListens;
  return std::nullopt;
}

Result<Source> SniffSource(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError("cannot open " + path.string());
  std::string head(64 * 1024, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  std::string_view text = head;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  text = formats::TrimAscii(text);
  if (text.empty()) {
    return Status::DataError(path.string() + ": the file is empty (code empty_file): nothing to ingest");
  }
  if (text.front() == '{') return Source::kPlaylists;
  std::string_view first_line = text.substr(0, text.find('\n'));
  size_t fields = 0;
  bool has_context = false;
  bool has_seconds = false;
  std::vector<std::string> names;
  size_t start = 0;
  while (start <= first_line.size()) {
    size_t comma = first_line.find(',', start);
    std::string_view f = first_line.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    if (!f.empty() && f.front() == '"' && f.size() >= 2) f = f.substr(1, f.size() - 2);
    std::string norm = formats::NormalizeHeaderName(f);
    has_context |= norm == "listeningcontext";
    has_seconds |= norm == "secondsstreamed";
    names.push_back(norm);
    ++fields;
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  if (fields > 1 && has_context && has_seconds) return Source::kEvents;
  auto has = [&](const char* n) { return std::find(names.begin(), names.end(), n) != names.end(); };
  if (has("episodeid") && has("creatorid")) return Source::kEpisodeCredits;
  if (has("episodeid") && has("publishedat")) return Source::kEpisodes;
  if (has("podcastid") && has("publisher")) return Source::kPodcasts;
  if (has("creatorid") && has("name")) return Source::kCreators;
  std::string shown;
  for (char c : first_line.substr(0, 80)) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f) {
      shown.push_back(c);
    } else {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", u);
      shown += hex;
    }
  }
  return Status::DataError(
      path.string() + ":1: cannot tell what this file is (code unknown_format): it is neither "
      "NDJSON (one JSON object per line, for playlists) nor a CSV with an events header "
      "(listeningContext, secondsStreamed, ...) or a podcast catalog. Found: '" + shown +
      "'. Pass --source events|playlists|podcasts|episodes|creators|episode_credits to force a source, or "
      "--provider NAME for a provider's delivery.");
}

}  // namespace earshot::ingest
