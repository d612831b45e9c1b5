// The sources the shipped playlists pipeline reads, and content sniffing for
// `earshot ingest FILE` without --source.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace earshot::ingest {

enum class Source { kEvents, kPlaylists };

std::string_view SourceName(Source source);
std::optional<Source> ParseSource(std::string_view name);

// Looks at the first bytes of `path`: a JSON object per line is playlists, a
// CSV header naming the events columns is events. Fails with kDataError and a
// message saying what was found and how to force a source otherwise.
Result<Source> SniffSource(const std::filesystem::path& path);

}  // namespace earshot::ingest
