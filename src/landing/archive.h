// RawArchive: the content-addressed store of every byte earshot received.
//
// Land() copies a file, unchanged, to archive/objects/<aa>/<sha256> (written to
// a temporary name, fsync'd, then renamed, so a crash never leaves a partial
// object under its final name) and returns its SHA-256 and size. Landing the
// same bytes twice stores them once. The archive also keeps an append-only
// journal (archive/landings.ndjson): one line per landing with source, file
// name and hash, so the warehouse can be rebuilt from the archive alone.
// Not safe for concurrent writers to the same archive.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "common/status.h"

namespace earshot::landing {

struct LandedFile {
  std::string sha256;              // lower-case hex
  uint64_t bytes = 0;
  std::filesystem::path object;    // where the archived copy lives
  bool already_archived = false;   // the same bytes were landed before
};

class RawArchive {
 public:
  explicit RawArchive(std::filesystem::path root) : root_(std::move(root)) {}

  // Copies `file` into the archive. `progress` (optional) gets bytes copied so far.
  Result<LandedFile> Land(const std::filesystem::path& file,
                          const std::function<void(uint64_t)>& progress = {}) const;
  // Appends one journal line (already JSON) to archive/landings.ndjson, fsync'd.
  Status Journal(const std::string& json_line) const;
  std::filesystem::path ObjectPath(const std::string& sha256) const;
  const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path root_;
};

// SHA-256 of a whole file, lower-case hex.
Result<std::string> Sha256File(const std::filesystem::path& file);

}  // namespace earshot::landing
