#include "repair/backfill.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "ingest/source.h"
#include "landing/archive.h"

namespace earshot::repair {

Result<std::vector<JournalEntry>> SelectForBackfill(const config::Project& project,
                                                   const std::vector<JournalEntry>& journal,
                                                   const BackfillRequest& request) {
  std::string source = request.source;
  std::string provider = request.provider;
  if (project.FindProvider(source) != nullptr && provider.empty()) {
    provider = source;  // --source alderhost: that provider's deliveries
    source = "listens";
  }
  if (!ingest::ParseSource(source)) {
    return Status::Invalid("--source '" + source +
                           "': not a source (events, playlists, podcasts, episodes, creators, episode_credits, "
                           "listens) nor a provider declared in earshot.toml");
  }
  if (!provider.empty()) {
    if (project.FindProvider(provider) == nullptr) {
      return Status::Invalid("--provider '" + provider + "': earshot.toml declares no [providers." + provider + "]");
    }
    if (source != "listens") return Status::Invalid("--provider goes with --source listens (or the provider's name)");
  }
  auto from = ParseDay(request.from);
  auto to = ParseDay(request.to);
  if (!from) return Status::Invalid("--from '" + request.from + "' is not a YYYY-MM-DD date");
  if (!to) return Status::Invalid("--to '" + request.to + "' is not a YYYY-MM-DD date");
  if (*to < *from) return Status::Invalid("--to " + request.to + " is before --from " + request.from);

  // The newest version of each file name.
  std::map<std::tuple<std::string, std::string, std::string>, size_t> newest;
  for (size_t i = 0; i < journal.size(); ++i) {
    const JournalEntry& e = journal[i];
    if (e.source != source || (!provider.empty() && e.provider != provider)) continue;
    newest[{e.source, e.provider, e.file_name}] = i;
  }
  const landing::RawArchive archive(project.archive_dir());
  std::vector<size_t> chosen;
  for (const auto& [key, i] : newest) {
    const JournalEntry& e = journal[i];
    Period p = DeliveryPeriod(e.file_name, FileDay(archive.ObjectPath(e.sha256)));
    if (p.last >= *from && p.first <= *to) chosen.push_back(i);
  }
  std::sort(chosen.begin(), chosen.end());
  std::vector<JournalEntry> out;
  for (size_t i : chosen) out.push_back(journal[i]);
  return out;
}

}  // namespace earshot::repair
