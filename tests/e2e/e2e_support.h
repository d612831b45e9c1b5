// What the end-to-end tests share: a fresh temporary folder per test, the
// real `earshot` binary (EARSHOT_BINARY) run with arguments, and provider
// declarations several tests write into their project's earshot.toml.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <string>
#include <vector>

#include "run_command.h"

namespace earshot::e2e {

// Runs `earshot ARGS...` and captures its exit code and output.
inline CommandResult Earshot(std::vector<std::string> args) {
  args.insert(args.begin(), EARSHOT_BINARY);
  return RunCommand(args);
}

// A new, empty folder under the system's temporary folder (empty path when
// it cannot be made); the caller removes it.
inline std::filesystem::path FreshTempDir(const std::string& prefix) {
  std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr) return {};
  return pattern;
}

// alpha: per episode, daily CSV under its own field names; beta: per podcast
// only, monthly JSON under its own names.
inline constexpr const char* kAlphaBetaProviders = R"(
[providers.alpha]
market_share = 0.10
granularity = "episode"
deliveries = ["daily"]
format = "csv"
[providers.alpha.mapping]
date = "day"
podcast_id = "show"
episode_id = "ep"
listens = "downloads"

[providers.beta]
market_share = 0.20
granularity = "podcast"
deliveries = ["monthly"]
format = "json"
[providers.beta.mapping]
month = "period"
podcast_id = "podcast"
listens = "plays"
)";

}  // namespace earshot::e2e
