#include "orchestrator/inbox.h"

#include <algorithm>
#include <chrono>
#include <set>

namespace earshot::orchestrator {

namespace fs = std::filesystem;

namespace {

constexpr ingest::Source kInboxSources[] = {ingest::Source::kEvents,   ingest::Source::kPlaylists,
                                            ingest::Source::kPodcasts, ingest::Source::kEpisodes,
                                            ingest::Source::kCreators, ingest::Source::kEpisodeCredits};

bool EndsWith(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

}  // namespace

std::vector<Inbox> ProjectInboxes(const config::Project& project) {
  std::vector<Inbox> out;
  for (ingest::Source s : kInboxSources) {
    std::string name(ingest::SourceName(s));
    out.push_back({name, project.inbox_dir() / name, s, ""});
  }
  for (const config::Provider& p : project.providers) {
    // A provider named like a source would share its folder: the source keeps it.
    bool taken = std::any_of(out.begin(), out.end(), [&](const Inbox& i) { return i.name == p.name; });
    if (!taken) out.push_back({p.name, project.inbox_dir() / p.name, std::nullopt, p.name});
  }
  return out;
}

bool IgnoredName(std::string_view name) {
  return name.empty() || name[0] == '.' || EndsWith(name, ".tmp") || EndsWith(name, ".part") ||
         EndsWith(name, ".done");
}

InboxScan ScanInboxes(const config::Project& project, fs::file_time_type now) {
  InboxScan scan;
  const auto inboxes = ProjectInboxes(project);
  std::set<std::string> known;
  for (const Inbox& inbox : inboxes) {
    known.insert(inbox.name);
    std::error_code ec;
    if (!fs::is_directory(inbox.dir, ec)) continue;
    std::vector<fs::path> names;
    for (fs::directory_iterator it(inbox.dir, ec), end; !ec && it != end; it.increment(ec)) {
      const std::string name = it->path().filename().string();
      if (IgnoredName(name)) continue;
      std::error_code type_ec;
      if (!it->is_regular_file(type_ec)) continue;
      names.push_back(it->path());
    }
    if (ec) {
      scan.notes.push_back("cannot list " + inbox.dir.string() + ": " + ec.message());
      continue;
    }
    std::sort(names.begin(), names.end());
    for (const fs::path& path : names) {
      InboxFile f;
      f.path = path;
      f.inbox = inbox.name;
      f.source = inbox.source;
      f.provider = inbox.provider;
      std::error_code stat_ec;
      f.size = fs::file_size(path, stat_ec);
      if (!stat_ec) f.modified = fs::last_write_time(path, stat_ec);
      if (stat_ec) continue;  // gone since it was listed
      fs::path marker = path;
      marker += ".done";
      if (fs::exists(marker, stat_ec)) {
        f.marker = marker;
        scan.ready.push_back(std::move(f));
        continue;
      }
      const double age = std::chrono::duration<double>(now - f.modified).count();
      const double settle = project.run.settle_seconds;
      if (settle <= 0 || age >= settle) {
        scan.ready.push_back(std::move(f));
      } else {
        f.settles_in = settle - std::max(age, 0.0);
        scan.waiting.push_back(std::move(f));
      }
    }
  }
  std::error_code ec;
  if (fs::is_directory(project.inbox_dir(), ec)) {
    for (fs::directory_iterator it(project.inbox_dir(), ec), end; !ec && it != end; it.increment(ec)) {
      const std::string name = it->path().filename().string();
      std::error_code type_ec;
      if (name.empty() || name[0] == '.' || !it->is_directory(type_ec) || known.count(name) != 0) continue;
      scan.notes.push_back("inbox/" + name + "/ is neither a source nor a declared provider: its files are left alone");
    }
  }
  return scan;
}

Result<fs::path> MoveAside(const InboxFile& file, std::string_view aside) {
  const fs::path dir = file.path.parent_path() / std::string(aside);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status::IoError("cannot create " + dir.string() + ": " + ec.message());
  const fs::path target = dir / file.path.filename();
  fs::rename(file.path, target, ec);
  if (ec) return Status::IoError("cannot move " + file.path.string() + " to " + dir.string() + ": " + ec.message());
  if (!file.marker.empty()) {
    fs::rename(file.marker, dir / file.marker.filename(), ec);
    if (ec) fs::remove(file.marker, ec);  // a stale marker would mark the next file of that name complete
  }
  return target;
}

}  // namespace earshot::orchestrator
