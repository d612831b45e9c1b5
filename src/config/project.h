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
#include <optional>
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

// [run]: how `earshot run` and `earshot watch` pick files up and retry.
struct RunSettings {
  // A file in an inbox is complete when FILE.done exists next to it, or when
  // its size and modification time have not changed for this long.
  double settle_seconds = 5;
  // Extra attempts for a task that failed on input/output or the database
  // (never for bad data), waiting backoff_seconds, then twice that, ...
  int retries = 2;
  double backoff_seconds = 1;
  // `earshot watch`: how often it looks at the inboxes when no file event
  // woke it (the fallback for file systems without inotify).
  double poll_seconds = 30;
  // `earshot watch`: cron expressions (minute hour day-of-month month
  // day-of-week, UTC) at which it runs a pass that rebuilds even when no file
  // arrived, e.g. "0 6 * * *".
  std::vector<std::string> schedules;
};

// [[checks]]: declared expectations about a table (a mart in the published
// snapshot, or raw.<table> in the working warehouse).
enum class CheckType { kNotNull, kUnique, kAcceptedValues, kRange, kRelationships, kRowCountChange, kFreshness };
enum class Severity { kWarn, kError };
std::string_view CheckTypeName(CheckType t);
std::string_view SeverityName(Severity s);

struct CheckSpec {
  std::string name;   // `name = ...`, or "<type>:<table>[.<columns>]"
  std::string table;  // "podcast_monthly_estimates" (a mart) or "raw.listens"
  CheckType type = CheckType::kNotNull;
  Severity severity = Severity::kError;
  std::vector<std::string> columns;  // `column = "x"` or `columns = ["x", "y"]`
  std::vector<std::string> values;   // accepted_values, compared as text
  std::optional<double> min, max;    // range (inclusive; either may be absent)
  std::string to_table, to_column;   // relationships
  double max_change = 0.5;           // row_count_change: |rows - avg| / avg
  int history = 5;                   // row_count_change: builds in the trailing average
  double max_age_hours = 0;          // freshness
  std::string provider;              // freshness: newest raw.listens period of this provider
  std::string source;                // freshness: newest loaded ingest of this source
  int line = 0;                      // where it is declared in earshot.toml
};

// [readers.public] / [readers.pro]: salted hashes ("salt$hex") of the read
// tokens of the HTTP API (`earshot token create --reader --tier public|pro`).
enum class ReaderTier { kPublic, kPro };
std::string_view ReaderTierName(ReaderTier t);
struct ReaderToken {
  ReaderTier tier = ReaderTier::kPublic;
  std::string hash;
};

// [serve]: `earshot serve`, the HTTP API (README, "HTTP API").
struct ServeSettings {
  std::string listen = "127.0.0.1:8080";     // host:port; port 0 picks a free one
  int threads = 0;                           // HTTP threads; 0: one per core
  uint64_t max_body_bytes = 8ull << 20;      // larger POST bodies: 413
  double request_timeout_seconds = 30;       // to receive one whole request
  uint64_t max_queue_bytes = 64ull << 20;    // bodies waiting for the log writer; beyond: 429
  uint64_t max_unloaded_bytes = 1ull << 30;  // log not yet in the warehouse; beyond: 503
  uint64_t min_free_disk_bytes = 256ull << 20;  // free space under archive/log; below: 503
  uint64_t segment_bytes = 32ull << 20;      // a log segment is closed and loaded at this size
  double segment_seconds = 5;                // ... or this long after its first event
  double build_interval_seconds = 60;        // at most one build per interval after loads
};

// [retention]: how long the raw archive keeps a delivery's bytes
// (`earshot retention`). Absent: forever. A delivery whose rows are the
// current version is never deleted, whatever its age.
struct RetentionSettings {
  std::optional<int64_t> keep_days;           // every source
  std::map<std::string, int64_t> per_source;  // [retention.sources]: source or provider name -> days
  // The days kept for a delivery of `source` (from `provider`), or nullopt: forever.
  std::optional<int64_t> DaysFor(std::string_view source, std::string_view provider) const {
    if (auto it = per_source.find(std::string(provider)); !provider.empty() && it != per_source.end()) return it->second;
    if (auto it = per_source.find(std::string(source)); it != per_source.end()) return it->second;
    return keep_days;
  }
};

// [notify]: who hears when a run finishes or a check fails. Both optional.
struct NotifySettings {
  std::string command;         // run by /bin/sh -c with the JSON summary on stdin
  std::string webhook;         // http://host[:port]/path: the JSON summary POSTed there
  double timeout_seconds = 5;  // for each of them
};

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
  RunSettings run;
  // Checks, in the order declared.
  std::vector<CheckSpec> checks;
  // Read tokens of the HTTP API, and how it serves.
  std::vector<ReaderToken> readers;
  ServeSettings serve;
  RetentionSettings retention;
  NotifySettings notify;

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
