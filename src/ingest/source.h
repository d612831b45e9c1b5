// The sources the shipped pipelines read, and content sniffing for
// `earshot ingest FILE` without --source. Playlists: events, playlists.
// Podcasts: the catalog (podcasts, episodes, creators, episode_credits) and
// `listens`, every provider's deliveries (the provider is named separately).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace earshot::ingest {

enum class Source { kEvents, kPlaylists, kPodcasts, kEpisodes, kCreators, kEpisodeCredits, kListens };

std::string_view SourceName(Source source);
std::optional<Source> ParseSource(std::string_view name);

// Looks at the first bytes of `path`: a JSON object per line is playlists, a
// CSV header naming the events columns is events, one naming a catalog's
// columns is that catalog. Provider deliveries are never guessed. Fails with
// kDataError and a message saying what was found and how to force a source
// otherwise.
Result<Source> SniffSource(const std::filesystem::path& path);

}  // namespace earshot::ingest
