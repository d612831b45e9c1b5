// The simulated podcast market behind `earshot generate podcasts`.
//
// BuildMarket derives, from the seed alone, a catalogue (podcasts, their
// episodes, creators and credits) and a listening model:
//   - each podcast has a heavy-tailed (lognormal) audience level, a monthly
//     trend (growing, steady or fading) and a weekday profile;
//   - its episodes are published at a regular pace over the generated period,
//     the first ones before it starts (so some are mid-decay on day one);
//   - an episode's expected listens on a day follow a release-day peak, a
//     decay over the following weeks and a small long tail, times the
//     podcast's level, weekday and a day-level noise shared by the podcast.
// DrawDay turns the expectations into integer listens per episode (Poisson
// noise). It depends only on the market and the day's Random, so days can be
// drawn in any order. A Market is immutable once built; DrawDay is const and
// safe to call from several threads with different Randoms and outputs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "generate/random_draws.h"

namespace earshot::generate {

struct MarketOptions {
  uint64_t seed = 1;
  uint32_t podcasts = 2000;
  uint32_t episodes_per_podcast = 20;
  int64_t first_day = 0;  // days since 1970-01-01 of the first generated day
  int64_t days = 0;       // generated days
  double listens_scale = 1.0;
};

struct MarketPodcast {
  std::string id;
  std::string title;
  std::string publisher;
  uint32_t first_episode = 0;  // its episodes are first_episode .. first_episode + episode_count - 1
  uint32_t episode_count = 0;
  std::vector<uint32_t> hosts;  // creator indexes, credited on every episode
  int64_t producer = -1;        // creator index credited as producer on every episode, or -1
  // Listening model.
  double lifetime_listens = 0;  // expected listens over an average episode's life, at the starting level
  double growth_per_day = 0;    // log of the level's daily growth factor
  uint8_t weekday_profile = 0;  // index into the weekday tables
};

struct MarketEpisode {
  std::string id;
  std::string title;
  uint32_t podcast = 0;
  int64_t published_at = 0;      // epoch seconds, UTC
  double weight = 1;             // this episode's appeal relative to its podcast's average
  std::vector<uint32_t> guests;  // creator indexes
};

struct MarketCreator {
  std::string id;
  std::string name;
};

struct Market {
  MarketOptions options;
  std::vector<MarketPodcast> podcasts;
  std::vector<MarketEpisode> episodes;  // grouped by podcast, in publication order within each
  std::vector<MarketCreator> creators;
  // Share of an episode's lifetime listens heard on day `age` after release
  // (age 0 = the release day), for ages 0 .. days + the longest back catalogue.
  std::vector<double> decay;

  // Draws the true listens of every episode on generated day `day_index`
  // (0 = first_day) into counts (resized to episodes.size(); 0 for episodes
  // not yet published).
  void DrawDay(int64_t day_index, Random& rng, std::vector<uint32_t>& counts) const;
};

// Builds the market for the options (podcasts >= 1, episodes_per_podcast >= 1,
// days >= 1; the caller validates).
Market BuildMarket(const MarketOptions& options);

}  // namespace earshot::generate
