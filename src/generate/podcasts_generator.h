// Sample-data generator for the podcasts pipeline (contracts/podcasts.md):
// `earshot generate podcasts`.
//
// GeneratePodcasts simulates a whole podcast market (podcast_market.h), then
// splits every (episode, day) count of true listens at random over the
// market: each listen independently lands in one provider's share or in the
// unobserved rest (sequential binomial draws, so the split carries real
// sampling noise). Each provider's share is written in the shape it declares
// (format, mapping, granularity, deliveries), with the imperfections real
// deliveries have, and the whole market's truth is written beside it:
//
//   catalog/podcasts.csv         podcast_id,title,publisher
//   catalog/episodes.csv         episode_id,podcast_id,title,published_at
//   catalog/creators.csv         creator_id,name
//   catalog/episode_credits.csv  episode_id,creator_id,role (host, guest, producer)
//   deliveries/<provider>/YYYY-MM-DD.<ext>           daily files (field `date`)
//   deliveries/<provider>/YYYY-MM.<ext>              monthly files (field `month`)
//   deliveries/<provider>/events-YYYY-MM-DD.ndjson   instant events of a day
//   deliveries/<provider>/<period>.restated.<ext>    a restatement of <period>
//   arrival.tsv                  kind<TAB>name<TAB>relative path, in arrival order
//   truth/podcast_months.csv     podcast_id,month,true_listens (every podcast, every month)
//   truth/episode_months.csv     episode_id,podcast_id,month,true_listens (months from publication)
//   truth/episode_first_30_days.csv  episode_id,true_listens_30d (windows inside the period)
//
// A provider delivering both daily and monthly sends daily files for the
// first half of the months ((months + 1) / 2) and monthly files afterwards.
// Output depends only on the options: same options, same bytes, on every
// platform (own PRNG, own exp/log, no std distributions). Memory holds the
// catalogue, per-(episode, month) totals and one day's rows, never all
// listens. Safe to run concurrently into different folders; the progress
// callback runs on the calling thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "common/status.h"
#include "config/project.h"

namespace earshot::generate {

struct PodcastsOptions {
  uint64_t seed = 1;
  uint32_t months = 3;                  // 1 .. 120
  std::string start_month = "2025-01";  // YYYY-MM, first generated month
  uint32_t podcasts = 2000;             // 1 .. 1,000,000
  uint32_t episodes_per_podcast = 20;   // 1 .. 10,000
  double listens_scale = 1.0;           // multiplies every podcast's audience; > 0
  // The providers to deliver as. Empty: the ones `earshot init --template
  // podcasts` declares.
  std::vector<config::Provider> providers;
  std::filesystem::path out_dir;  // created if missing
  // Restated, late and missing files, bad rows and repeated events. When
  // false every file is delivered once, on time, with valid rows only.
  bool imperfections = true;
  // Optional: called after each generated day.
  std::function<void(uint64_t days_done, uint64_t days_total)> progress;
};

struct ProviderDeliverySummary {
  std::string name;
  uint64_t files = 0;   // files written, restatements included
  uint64_t rows = 0;    // data rows in its daily and monthly files (bad and zero rows included)
  uint64_t events = 0;  // event lines (repeats included)
  // True listens that fell in this provider's share of the market.
  uint64_t share_listens = 0;
  // Listens its deliveries carry once restatements replace originals,
  // repeated events count once and bad rows are dropped: share_listens minus
  // the missing day's.
  uint64_t delivered_listens = 0;
};

struct PodcastsSummary {
  std::string first_day, last_day;  // YYYY-MM-DD
  uint64_t days = 0;
  uint64_t podcasts = 0, episodes = 0, creators = 0, credits = 0;
  uint64_t true_listens = 0;  // the whole market, all shares
  uint64_t files = 0;         // every file written (catalog, deliveries, truth, arrival.tsv)
  uint64_t bytes = 0;
  uint64_t zero_rows = 0;  // explicit rows with 0 listens (valid data), in every file written

  // Imperfections (all 0 with imperfections off).
  uint64_t restated_files = 0;            // later files replacing an earlier one of the same provider and period
  uint64_t late_files = 0;                // daily files arriving after later days' files
  uint64_t missing_files = 0;             // daily files never delivered
  uint64_t repeated_events = 0;           // instant events sent again with the same event_id
  uint64_t bad_rows = 0;                  // sum of the four kinds below; extra rows, never part of the truth
  uint64_t negative_listens_rows = 0;     // listens like -7
  uint64_t non_numeric_listens_rows = 0;  // listens `abc` (a JSON string in JSON files)
  uint64_t impossible_date_rows = 0;      // date YYYY-02-30 (daily) or month YYYY-13 (monthly)
  uint64_t empty_podcast_id_rows = 0;     // podcast_id ""
  // Relative paths, for tests and the curious.
  std::vector<std::string> restatements;  // "original -> restatement"
  std::vector<std::string> late;          // the late files
  std::vector<std::string> missing;       // the files that would have been written

  std::vector<ProviderDeliverySummary> providers;  // in declaration order
};

// The providers `earshot init --template podcasts` declares (read back
// through config::LoadProject from a scratch folder, so they are exactly what
// a project gets). IoError when the scratch folder cannot be made.
Result<std::vector<config::Provider>> TemplateProviders();

// Writes the market into options.out_dir (layout above). A folder holding a
// previous generation (it has arrival.tsv) is cleared of catalog/,
// deliveries/, truth/ and arrival.tsv first; a folder with a deliveries/ but
// no arrival.tsv is refused (kAlreadyExists) rather than mixed into.
// Returns the summary; InvalidArgument for impossible options (named), IoError
// naming the path when something cannot be written.
Result<PodcastsSummary> GeneratePodcasts(const PodcastsOptions& options);

}  // namespace earshot::generate
