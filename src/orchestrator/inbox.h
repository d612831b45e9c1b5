// Inbox sensing: which files in the project's inbox folders are complete and
// ready to ingest, and where they go afterwards.
//
// Folders: inbox/<source>/ for events, playlists, podcasts, episodes, creators
// and episode_credits, and inbox/<provider>/ for every [providers.NAME]; any
// other folder is left alone (and reported). In a folder, regular files are
// taken in byte-wise name order (so dated names such as 2025-01-31.csv go
// oldest first); hidden files and names ending in .tmp, .part or .done are
// skipped. A file is complete when FILE.done exists next to it, or when it
// has not been modified for [run] settle_seconds. Afterwards a file (and its
// marker) is moved into inbox/<x>/.processed/ (ingested, or the same bytes
// were already) or inbox/<x>/.failed/ (its data cannot be used), so the next
// pass only sees new files; the raw archive keeps every byte either way.
// Thread-compatible.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "config/project.h"
#include "ingest/source.h"

namespace earshot::orchestrator {

struct Inbox {
  std::string name;  // the folder name under inbox/
  std::filesystem::path dir;
  std::optional<ingest::Source> source;  // a catalog or playlists source
  std::string provider;                  // or a provider's deliveries of listens
};

// The inbox folders of `project` (whether they exist or not): sources first,
// then providers in the order declared.
std::vector<Inbox> ProjectInboxes(const config::Project& project);

struct InboxFile {
  std::filesystem::path path;
  std::string inbox;  // folder name
  std::optional<ingest::Source> source;
  std::string provider;
  std::filesystem::path marker;  // FILE.done, or empty
  uintmax_t size = 0;
  std::filesystem::file_time_type modified;
  // Seconds until it counts as complete (waiting files only).
  double settles_in = 0;
};

struct InboxScan {
  std::vector<InboxFile> ready;    // complete: inbox by inbox, in name order
  std::vector<InboxFile> waiting;  // still being written (or not yet settled)
  std::vector<std::string> notes;  // folders left alone, unreadable folders
};

// Lists the inboxes as of `now` (injected so tests need not wait).
InboxScan ScanInboxes(const config::Project& project, std::filesystem::file_time_type now);

// Whether the inbox sensing skips this file name (hidden, .tmp, .part, .done).
bool IgnoredName(std::string_view name);

// Moves `file` and its marker into <its folder>/<aside>/ (".processed" or
// ".failed"), replacing a file of the same name there. Returns the new path,
// or kIoError.
Result<std::filesystem::path> MoveAside(const InboxFile& file, std::string_view aside);

}  // namespace earshot::orchestrator
