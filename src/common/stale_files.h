// Temporary files a killed process left behind. Landing and the reject spool
// name theirs `<prefix><pid>-<n>...`; a process killed with SIGKILL (or a
// power cut) never removes them. Before making new ones, a process removes
// those whose process no longer exists. A file of a live process stays, and
// so does one whose pid was given to a new process since (it goes later).
#pragma once

#include <signal.h>

#include <cerrno>
#include <charconv>
#include <filesystem>
#include <string>
#include <string_view>

namespace earshot {

// Removes `dir`/<prefix><pid>-* of dead processes; returns how many.
inline size_t RemoveFilesOfDeadProcesses(const std::filesystem::path& dir, std::string_view prefix) {
  size_t removed = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with(prefix)) continue;
    const char* first = name.data() + prefix.size();
    const char* last = name.data() + name.size();
    long pid = 0;
    auto [end, err] = std::from_chars(first, last, pid);
    if (err != std::errc() || end == first || end == last || *end != '-' || pid <= 0) continue;
    if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;  // alive (or not ours to judge)
    std::error_code remove_ec;
    if (std::filesystem::remove(entry.path(), remove_ec)) ++removed;
  }
  return removed;
}

}  // namespace earshot
