// The simulated podcast market (see podcast_market.h): catalogue text and the
// listening model. A podcast's traits come from its own seed (Mix of the
// run's seed and its index), so podcast 7 is the same show whatever
// --podcasts says; only creators shared between shows depend on the others.
#include "generate/podcast_market.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <string_view>

#include "generate/civil_calendar.h"

namespace earshot::generate {
namespace {

enum class Stream : uint64_t { kPodcast = 101, kGuests = 102, kCredits = 103 };

uint64_t StreamSeed(uint64_t seed, Stream s) { return Mix(seed, static_cast<uint64_t>(s)); }

std::string PaddedId(std::string_view prefix, uint64_t number, int width) {
  std::string digits = std::to_string(number);
  std::string out(prefix);
  if (static_cast<int>(digits.size()) < width) out.append(static_cast<size_t>(width) - digits.size(), '0');
  return out + digits;
}

template <typename T, size_t N>
const T& Pick(Random& rng, const T (&list)[N]) {
  return list[rng.Below(N)];
}

// --- Text -------------------------------------------------------------------

constexpr std::string_view kFirstNames[] = {
    "Ana",    "Ben",     "Chloé",  "Dmitri",  "Elif",     "Farah",  "Gábor",   "Hannah",  "Ignacio", "Jun",
    "Kwame",  "Lucía",   "Mateo",  "Noor",    "Olumide",  "Priya",  "Quentin", "Rosa",    "Søren",   "Tamsin",
    "Umar",   "Valérie", "Wen",    "Ximena",  "Yusuf",    "Zoë",    "Aoife",   "Björn",   "Camille", "Dara",
    "Émile",  "Freya",   "Guo",    "Hélène",  "Ines",     "José",   "Kai",     "Łukasz",  "Maren",   "Nikolai",
    "Oksana", "Pablo",   "Rania",  "Sanjay",  "Thandiwe", "Uma",    "Vikram",  "Wanjiru", "Yara",    "Zeynep",
    "Amara",  "Bastien", "Ciarán", "Dolores", "Esi",      "Felipe", "Greta",   "Hugo",    "Ingrid",  "Jonas",
    "Keiko",  "Leila",   "Malik",  "Nadia"};

constexpr std::string_view kLastNames[] = {
    "Okafor",     "Lindqvist", "Moreau",    "Petrov",    "Yılmaz",         "Haddad",     "Nagy",    "Schmidt",
    "Fernández",  "Tanaka",    "Mensah",    "García",    "Rossi",          "Rahman",     "Adeyemi", "Sharma",
    "Lefèvre",    "Castillo",  "Nørgaard",  "Whitfield", "Qureshi",        "Dubois",     "Li",      "Herrera",
    "Demir",      "Müller",    "O'Brien",   "Åström",    "Laurent",        "Byrne",      "Girard",  "Andersen",
    "Chen",       "Beaumont",  "Silva",     "Ortega",    "Kealoha",        "Wiśniewski", "Solberg", "Volkov",
    "Shevchenko", "Ruiz",      "Khalil",    "Iyer",      "Dlamini",        "Patel",      "Kapoor",  "Kamau",
    "Haddadi",    "Aydın",     "Nwosu",     "Marchand",  "Ó Súilleabháin", "Núñez",      "Asante",  "Barros",
    "Lindgren",   "Fontaine",  "Bergström", "Vogel",     "Sato",           "Mansour",    "Brooks",  "Ivanova"};

constexpr std::string_view kAdjectives[] = {"Curious",    "Quiet",     "Daily",  "Midnight", "Brave",    "Honest",
                                            "Untold",     "Weekly",    "Deep",   "Slow",     "Little",   "Big",
                                            "Lost",       "Hidden",    "Modern", "Wild",     "Northern", "Late-Night",
                                            "Everyday",   "Radical",   "Gentle", "Useful",   "Strange",  "Golden",
                                            "Unfinished", "Practical", "Loud",   "Open"};

constexpr std::string_view kNouns[] = {
    "Histories", "Minds",      "Kitchen",   "Money",   "Science",     "Stories", "Garden", "Football",  "Startups",
    "Cinema",    "Philosophy", "Parenting", "Space",   "Crime",       "Jazz",    "Design", "Language",  "Markets",
    "Health",    "Music",      "Books",     "Games",   "Chess",       "Coffee",  "Oceans", "Cities",    "Machines",
    "Poetry",    "Travel",     "Code",      "Weather", "Archaeology", "Running", "Comedy", "Mythology", "Economics"};

constexpr std::string_view kForeignTitles[] = {"Café Crème",        "Ça va bien",
                                               "Über Wissenschaft", "Mañana Talks",
                                               "Smörgåsbord",       "東京 Nights",
                                               "Zürich Calling",    "Dziś, jutro",
                                               "Niño Sounds",       "Fjärran",
                                               "Østerbro Radio",    "Crème de la Science",
                                               "Ἀρχή: Beginnings",  "Saudade FM",
                                               "Gemütlich",         "Čaj o páté",
                                               "Kaffee & Kuchen",   "Straße der Geschichten",
                                               "Ōkina Stories",     "La Résistance Économique"};

constexpr std::string_view kPublishers[] = {"Independent",
                                            "Independent",
                                            "Independent",
                                            "Parcel Audio",
                                            "Fjord & Fern Media",
                                            "Studio Mañana",
                                            "Nordlys Lyd",
                                            "Tall Tree Network",
                                            "Lantern Audio, Inc.",
                                            "Blue Hour Media",
                                            "Société Sonore",
                                            "Kettle Creek Productions",
                                            "The \"Loud\" Collective",
                                            "Orbital Podcasts",
                                            "Brightline Studios",
                                            "Sonder & Co.",
                                            "Halcyon Audio",
                                            "Radio Œuvre",
                                            "Pacific Static",
                                            "Harbor Lights Media",
                                            "Granite Audio",
                                            "Wavelength Works"};

constexpr std::string_view kTopics[] = {"Why We Sleep",
                                        "The Price of Coffee",
                                        "Inside the Archive",
                                        "How Bridges Stand Up",
                                        "A Year Without Sugar",
                                        "Café Culture in Lisbon",
                                        "The Überlingen Mystery",
                                        "Ask Us Anything",
                                        "Notes from Kraków",
                                        "What the Data Says",
                                        "Small Gods",
                                        "The Long Game",
                                        "Moonshots",
                                        "Señor Pérez's Recipe",
                                        "Rivers, Roads and Rails",
                                        "The \"Perfect\" Plan",
                                        "Debt, Explained",
                                        "Learning to Fail",
                                        "The Last Lighthouse",
                                        "Ghosts of the Exchange",
                                        "Tiny Habits",
                                        "Naïve Questions",
                                        "The Map Is Not the Territory",
                                        "Saving the Bees",
                                        "Open Source, Open Mind",
                                        "When Markets Panic",
                                        "The Quiet Revolution",
                                        "Down the Rabbit Hole",
                                        "Fermentation 101",
                                        "Jazz After Dark",
                                        "Who Owns the Moon?",
                                        "The Art of the Pause",
                                        "Breaking: Nothing",
                                        "Rebuilding Notre-Dame",
                                        "Dreams & Deadlines",
                                        "The Cost of Free",
                                        "Chess, Slowly",
                                        "Why Cities Flood",
                                        "The Five-Minute Rule",
                                        "Letters from São Paulo"};

// Weekday listening multipliers, Monday first: commuter shows and weekend shows.
constexpr double kWeekday[2][7] = {{1.08, 1.07, 1.05, 1.04, 1.00, 0.85, 0.91},
                                   {0.95, 0.94, 0.95, 0.97, 1.02, 1.10, 1.07}};

// Release hours (UTC) and minutes podcasts publish at.
constexpr int kReleaseHours[] = {4, 5, 5, 6, 8, 9, 10, 10, 11, 13, 14, 15, 17, 20, 22};
constexpr int kReleaseMinutes[] = {0, 0, 0, 0, 30, 15, 45};

// Audience: lognormal monthly listens at the start of the period, the top
// clipped (at about the 99.6th percentile) so a handful of giants do not make
// most of the data.
constexpr double kMedianMonthlyListens = 520.0;
constexpr double kAudienceSigma = 1.7;
constexpr double kAudienceMaxSigmas = 2.65;

// The decay curve: release-week peak, a few weeks' decay, a year-long tail.
constexpr double kFastDays = 2.5, kSlowDays = 25.0, kTailDays = 365.0;
constexpr double kSlowWeight = 0.12, kTailWeight = 0.006;

// Back catalogue: the first episode of a podcast appears up to this many days
// before the period starts.
constexpr int64_t kMaxBackCatalogueDays = 120;

std::string CreatorName(uint64_t c) {
  constexpr uint64_t kFirst = std::size(kFirstNames), kLast = std::size(kLastNames);
  // A bijection of [0, 4096) spreads neighbours over the name lists; beyond
  // 4,096 creators names repeat, as they do in life.
  const uint64_t scrambled = (c * 2731 + 1009) % (kFirst * kLast);
  std::string name(kFirstNames[scrambled % kFirst]);
  name += ' ';
  name += kLastNames[scrambled / kFirst];
  return name;
}

std::string PodcastTitle(Random& rng, const std::string& host_name) {
  const uint64_t pattern = rng.Below(100);
  std::string title;
  if (pattern < 22) {
    title = "The " + std::string(Pick(rng, kAdjectives)) + " " + std::string(Pick(rng, kNouns)) + " Podcast";
  } else if (pattern < 42) {
    title = std::string(Pick(rng, kAdjectives)) + " " + std::string(Pick(rng, kNouns));
  } else if (pattern < 55) {
    title = std::string(Pick(rng, kNouns)) + " & " + std::string(Pick(rng, kNouns));
  } else if (pattern < 63) {
    title = std::string(Pick(rng, kNouns)) + ", " + std::string(Pick(rng, kNouns)) + " and Everything Else";
  } else if (pattern < 70) {
    title = "\"" + std::string(Pick(rng, kAdjectives)) + "\" with " + host_name.substr(0, host_name.find(' '));
  } else if (pattern < 80) {
    title = std::string(Pick(rng, kForeignTitles));
  } else if (pattern < 90) {
    title = host_name + "'s " + std::string(Pick(rng, kNouns)) + " Hour";
  } else {
    title = std::string(Pick(rng, kNouns)) + " Weekly";
  }
  return title;
}

std::string EpisodeTitle(Random& rng, uint64_t number, const std::string& guest_name) {
  const std::string topic(Pick(rng, kTopics));
  const uint64_t pattern = rng.Below(100);
  const std::string n = std::to_string(number);
  if (!guest_name.empty() && pattern < 45) return topic + " (with " + guest_name + ")";
  if (pattern < 60) return "Ep. " + n + ": " + topic;
  if (pattern < 75) return n + ". " + topic;
  if (pattern < 85) return topic + ", Part " + std::to_string(1 + rng.Below(3));
  if (pattern < 92) return "#" + n + " – " + topic;
  return topic;
}

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0 && (a < 0) != (b < 0)) ? 1 : 0); }

}  // namespace

Market BuildMarket(const MarketOptions& o) {
  Market m;
  m.options = o;
  const uint32_t podcasts = o.podcasts;
  const uint32_t per = o.episodes_per_podcast;
  const int64_t last_day = o.first_day + o.days - 1;

  // Decay table, normalised so an episode's whole life sums to 1.
  const double total = 1 / (1 - PortableExp(-1 / kFastDays)) + kSlowWeight / (1 - PortableExp(-1 / kSlowDays)) +
                       kTailWeight / (1 - PortableExp(-1 / kTailDays));
  const int64_t max_age = o.days + kMaxBackCatalogueDays + 1;
  m.decay.resize(static_cast<size_t>(max_age) + 1);
  for (int64_t a = 0; a <= max_age; ++a) {
    const double x = static_cast<double>(a);
    m.decay[static_cast<size_t>(a)] = (PortableExp(-x / kFastDays) + kSlowWeight * PortableExp(-x / kSlowDays) +
                                       kTailWeight * PortableExp(-x / kTailDays)) /
                                      total;
  }

  // Recurring guests come first in the creator list; hosts and producers
  // are added podcast by podcast.
  const uint32_t guest_pool = std::max<uint32_t>(8, podcasts / 5);
  for (uint32_t g = 0; g < guest_pool; ++g) m.creators.push_back({"", CreatorName(g)});
  auto add_creator = [&m] {
    m.creators.push_back({"", CreatorName(m.creators.size())});
    return static_cast<uint32_t>(m.creators.size() - 1);
  };

  m.podcasts.resize(podcasts);
  m.episodes.reserve(static_cast<size_t>(podcasts) * per);
  Random guest_rng(StreamSeed(o.seed, Stream::kGuests));
  for (uint32_t i = 0; i < podcasts; ++i) {
    Random rng(Mix(StreamSeed(o.seed, Stream::kPodcast), i));
    MarketPodcast& p = m.podcasts[i];
    p.id = PaddedId("pod", i + 1, 5);

    // Hosts: one or two; one show in twenty shares a host with an earlier show.
    if (i > 0 && rng.Chance(500)) p.hosts.push_back(m.podcasts[rng.Below(i)].hosts.front());
    if (p.hosts.empty() || rng.Chance(3000)) p.hosts.push_back(add_creator());
    if (p.hosts.size() == 1 && rng.Chance(2500)) p.hosts.push_back(add_creator());
    // A producer on one show in five; sometimes the host produces too (credited twice).
    if (rng.Chance(2000)) p.producer = rng.Chance(3000) ? p.hosts.front() : add_creator();

    p.title = PodcastTitle(rng, m.creators[p.hosts.front()].name);
    p.publisher = std::string(Pick(rng, kPublishers));

    // Audience and trend.
    const double z = std::min(rng.Normal(), kAudienceMaxSigmas);
    const double monthly = PortableExp(PortableLog(kMedianMonthlyListens) + kAudienceSigma * z) * o.listens_scale;
    const uint64_t trend = rng.Below(100);
    double monthly_growth = 0;
    if (trend < 30) {
      monthly_growth = rng.Between(0.04, 0.15);
    } else if (trend < 75) {
      monthly_growth = rng.Between(-0.015, 0.015);
    } else {
      monthly_growth = -rng.Between(0.03, 0.12);
    }
    p.growth_per_day = PortableLog(1 + monthly_growth) / 30.44;
    p.weekday_profile = rng.Chance(2500) ? 1 : 0;

    // Publication schedule: from some time before the period to its end, or
    // (one show in seven) stopping part-way, on hiatus.
    // The last release lands anywhere in the last interval, so shows' release
    // days are not all in step at the end of the period.
    const int64_t first_pub = o.first_day - static_cast<int64_t>(rng.Below(kMaxBackCatalogueDays + 1));
    const int64_t pace = std::max<int64_t>(7, (last_day - first_pub) / std::max<uint32_t>(per, 1));
    int64_t last_pub = last_day - static_cast<int64_t>(rng.Below(static_cast<uint64_t>(pace)));
    if (rng.Chance(1400)) last_pub = o.first_day + static_cast<int64_t>(rng.Below(static_cast<uint64_t>(o.days)));
    last_pub = std::max(last_pub, first_pub);
    const double interval = per > 1 ? static_cast<double>(last_pub - first_pub) / (per - 1) : 0.0;
    const int64_t release_second = kReleaseHours[rng.Below(std::size(kReleaseHours))] * 3600 +
                                   kReleaseMinutes[rng.Below(std::size(kReleaseMinutes))] * 60;
    // Listens per episode life such that, at a steady pace, the show hears
    // `monthly` listens a month.
    p.lifetime_listens = monthly * std::max(interval, 1.0) / 30.44;

    const uint64_t first_number = 1 + (rng.Chance(6000) ? rng.Below(200) : 0);
    p.first_episode = static_cast<uint32_t>(m.episodes.size());
    p.episode_count = per;
    for (uint32_t k = 0; k < per; ++k) {
      MarketEpisode e;
      e.id = PaddedId("ep", m.episodes.size() + 1, 7);
      e.podcast = i;
      int64_t day = per > 1
                        ? first_pub + static_cast<int64_t>(std::floor(k * interval + 0.5))
                        : first_pub + static_cast<int64_t>(rng.Below(static_cast<uint64_t>(last_pub - first_pub + 1)));
      // Shows slip a day now and then, never past the period or before the previous episode.
      if (k > 0 && rng.Chance(1500)) day += 1;
      day = std::min(day, last_day);
      if (k > 0) day = std::max(day, FloorDiv(m.episodes.back().published_at, 86400));
      e.published_at = day * 86400 + release_second;
      e.weight = PortableExp(0.45 * rng.Normal() - 0.1);
      // Guests: recurring names, popular ones more often (skewed draw).
      const uint64_t guests = rng.Below(100) < 50 ? 0 : (rng.Below(100) < 76 ? 1 : 2);
      for (uint64_t g = 0; g < guests; ++g) {
        const uint64_t u = guest_rng.Next() >> 32;
        const auto guest = static_cast<uint32_t>((((u * u) >> 32) * guest_pool) >> 32);
        if (std::find(e.guests.begin(), e.guests.end(), guest) == e.guests.end()) e.guests.push_back(guest);
      }
      e.title = EpisodeTitle(rng, first_number + k, e.guests.empty() ? std::string() : m.creators[e.guests[0]].name);
      m.episodes.push_back(std::move(e));
    }
  }
  for (size_t c = 0; c < m.creators.size(); ++c) m.creators[c].id = PaddedId("cr", c + 1, 5);
  return m;
}

void Market::DrawDay(int64_t day_index, Random& rng, std::vector<uint32_t>& counts) const {
  counts.assign(episodes.size(), 0);
  const int64_t day = options.first_day + day_index;
  const unsigned weekday = Weekday(day);
  const double t = static_cast<double>(day_index);
  for (const MarketPodcast& p : podcasts) {
    // Day-level noise shared by the show's episodes (a mention, a holiday).
    const double noise = PortableExp(0.12 * rng.Normal() - 0.0072);
    const double level =
        p.lifetime_listens * PortableExp(p.growth_per_day * t) * kWeekday[p.weekday_profile][weekday] * noise;
    for (uint32_t k = 0; k < p.episode_count; ++k) {
      const uint32_t index = p.first_episode + k;
      const MarketEpisode& e = episodes[index];
      const int64_t pub_day = FloorDiv(e.published_at, 86400);
      if (pub_day > day) break;  // episodes are in publication order
      const auto age = static_cast<size_t>(day - pub_day);
      double mean = level * e.weight * decay[std::min(age, decay.size() - 1)];
      if (age == 0) mean *= static_cast<double>(86400 - (e.published_at - pub_day * 86400)) / 86400.0;
      const uint64_t n = rng.Poisson(mean);
      counts[index] = static_cast<uint32_t>(std::min<uint64_t>(n, 0xffffffffULL));
    }
  }
}

}  // namespace earshot::generate
