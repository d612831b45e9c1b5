// The pipelines shipped inside the binary (pipelines/**/*.sql), embedded at
// build time by cmake/EmbedFiles.cmake. Immutable; safe from any thread.
#pragma once

#include <string_view>
#include <vector>

namespace earshot::models {

struct EmbeddedFile {
  std::string_view path;      // relative to pipelines/, e.g. "playlists/models/marts/x.sql"
  std::string_view contents;
};

const std::vector<EmbeddedFile>& EmbeddedFiles();

}  // namespace earshot::models
