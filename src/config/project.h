// Project: the folder earshot works in, and its configuration file.
//
// `earshot init DIR` writes DIR/earshot.toml and the folder layout:
//   inbox/<source>/    files waiting to be picked up
//   archive/           the raw archive (content-addressed) and its journal
//   warehouse/         earshot.duckdb (working) and published.duckdb (snapshot)
// Load() reads earshot.toml (TOML, because people edit it by hand) and
// resolves every path against the project folder. Plain data; thread-compatible.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace earshot::config {

// A podcast hosting provider (contracts/podcasts.md, "Providers").
enum class Granularity { kEpisode, kPodcast };
enum class Delivery { kInstant, kDaily, kMonthly };
enum class FileFormat { kCsv, kJson, kNdjson };

std::string_view GranularityName(Granularity g);
std::string_view DeliveryName(Delivery d);
std::string_view FileFormatName(FileFormat f);

struct Provider {
  std::string name;            // [a-z0-9_-]+, also the inbox folder name
  double market_share = 0;     // 0 < share <= 1
  Granularity granularity = Granularity::kEpisode;
  std::vector<Delivery> deliveries;  // what it sends; at least one
  FileFormat format = FileFormat::kCsv;
  // Highest first. Always holds all three deliveries (missing ones appended
  // in the default order monthly > daily > instant).
  std::vector<Delivery> precedence = {Delivery::kMonthly, Delivery::kDaily, Delivery::kInstant};
  // Our field name -> the provider's field name. Fields without an entry are
  // looked up under our own name. Our fields: date, month, podcast_id,
  // episode_id, listens, event_id, listened_at.
  std::map<std::string, std::string> mapping;
  // Salted hashes of the tokens it may send instant events with.
  std::vector<std::string> token_hashes;

  bool Delivers(Delivery d) const;
  const std::string& TheirField(const std::string& ours) const;
  int PrecedenceRank(Delivery d) const;  // 1 = highest
};

// Our field names a provider mapping may name.
const std::vector<std::string>& ProviderFields();

struct Project {
  std::filesystem::path root;
  std::string name = "earshot";
  // Rows a loader thread takes from the mapper at a time; bounds ingest memory.
  uint64_t batch_rows = 2048;
  // DuckDB's memory limit for the working warehouse (it spills beyond it).
  std::string memory_limit = "512MB";
  int threads = 0;  // 0: one per core
  // Podcast providers, in the order declared.
  std::vector<Provider> providers;
  // podcast_trends.trend_rank only ranks podcasts whose estimate for the
  // month is at least this.
  double trend_floor = 1000;

  const Provider* FindProvider(std::string_view provider) const;

  std::filesystem::path config_file() const { return root / "earshot.toml"; }
  std::filesystem::path archive_dir() const { return root / "archive"; }
  std::filesystem::path inbox_dir() const { return root / "inbox"; }
  std::filesystem::path warehouse_dir() const { return root / "warehouse"; }
  std::filesystem::path warehouse_file() const { return warehouse_dir() / "earshot.duckdb"; }
  std::filesystem::path published_file() const { return warehouse_dir() / "published.duckdb"; }
};

// Reads DIR/earshot.toml. Fails with kNotFound (saying to run `earshot init`)
// when there is none, or kInvalidArgument naming file, line and key when a
// value is wrong.
Result<Project> LoadProject(const std::filesystem::path& dir);

// The project templates `earshot init --template` knows.
enum class Template { kPlaylists, kPodcasts };

// Creates the project folder layout and a commented earshot.toml. Refuses
// (kAlreadyExists) when DIR/earshot.toml exists. kPodcasts declares five
// example providers with different habits (see PodcastsTemplateToml).
Result<Project> InitProject(const std::filesystem::path& dir, Template kind = Template::kPlaylists);

// The provider declarations written by `earshot init --template podcasts`.
std::string_view PodcastsTemplateToml();

}  // namespace earshot::config
