// `earshot generate podcasts`: the coordinator (see podcasts_generator.h).
//
// One pass over the days: draw the market's true listens of the day, split
// them over the providers' shares, write each provider's files for the day
// (and at month ends its monthly files), keep per-(episode, month) truth.
// Imperfections are planned up front from their own random stream, so
// turning them off (--clean) leaves every true count unchanged.
#include "generate/podcasts_generator.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>
#include <string_view>
#include <system_error>
#include <tuple>
#include <utility>

#include "generate/civil_calendar.h"
#include "generate/delivery_writer.h"
#include "generate/podcast_market.h"
#include "generate/random_draws.h"

namespace earshot::generate {
namespace {

namespace fs = std::filesystem;
using config::Delivery;
using config::Granularity;

enum class Stream : uint64_t { kDay = 201, kSplit, kEventTimes, kEventIds, kFaults, kZeroRows, kFileNoise };

uint64_t StreamSeed(uint64_t seed, Stream s) { return Mix(seed, static_cast<uint64_t>(s)); }

enum class FileKind : uint8_t { kDaily, kMonthly, kInstant };
enum class BadRowKind : uint8_t { kNegativeListens, kNonNumericListens, kImpossibleDate, kEmptyPodcastId };
constexpr BadRowKind kBadRowKinds[] = {BadRowKind::kNegativeListens, BadRowKind::kNonNumericListens,
                                       BadRowKind::kImpossibleDate, BadRowKind::kEmptyPodcastId};

// A provider file by what it covers: period is a day index (daily, instant)
// or a month index (monthly).
struct FileKey {
  uint32_t provider = 0;
  FileKind kind = FileKind::kDaily;
  int64_t period = 0;
  auto operator<=>(const FileKey&) const = default;
};

// How one provider delivers over the generated period.
struct ProviderPlan {
  const config::Provider* provider = nullptr;
  bool episode_level = true;
  bool instant = false;
  uint32_t daily_until = 0;      // daily files for months [0, daily_until)
  uint32_t monthly_from = 0;     // monthly files for months [monthly_from, months)
  double split_probability = 0;  // P(a listen lands here | it did not land in an earlier provider)
  std::string ext;
  uint64_t json_files = 0;  // JSON files written so far (alternates the shape)
  uint64_t events = 0;      // instant events numbered so far (event ids)
};

// Where and when files arrive; sorted by (slot, phase, seq).
struct Arrival {
  int64_t slot = 0;  // day index the file arrives after; -1 = before everything
  int phase = 0;     // 0 day's files, 1 month-end files, 2 late files and restatements
  uint64_t seq = 0;
  std::string kind, name, path;
};

struct Row {
  uint32_t key = 0;  // episode index (episode granularity) or podcast index
  int64_t listens = 0;
};

// Hours of the day (UTC) listeners favour, as weights.
constexpr uint32_t kHourWeights[24] = {2, 1, 1, 1, 2, 4, 7, 9, 9, 7, 6, 6, 7, 6, 6, 6, 7, 9, 9, 8, 7, 6, 4, 3};

Status ValidateOptions(const PodcastsOptions& o, const std::vector<config::Provider>& providers) {
  if (o.out_dir.empty()) return Status::Invalid("generate podcasts: no output folder given (--out DIR)");
  if (o.months < 1 || o.months > 120) {
    return Status::Invalid("generate podcasts: --months must be 1 to 120, got " + std::to_string(o.months));
  }
  if (o.podcasts < 1 || o.podcasts > 1'000'000) {
    return Status::Invalid("generate podcasts: --podcasts must be 1 to 1000000, got " + std::to_string(o.podcasts));
  }
  if (o.episodes_per_podcast < 1 || o.episodes_per_podcast > 10'000) {
    return Status::Invalid("generate podcasts: --episodes-per-podcast must be 1 to 10000, got " +
                           std::to_string(o.episodes_per_podcast));
  }
  if (static_cast<uint64_t>(o.podcasts) * o.episodes_per_podcast > 5'000'000) {
    return Status::Invalid("generate podcasts: at most 5000000 episodes (--podcasts x --episodes-per-podcast)");
  }
  if (!(o.listens_scale > 0) || !(o.listens_scale <= 1000)) {
    return Status::Invalid("generate podcasts: --listens-scale must be above 0 and at most 1000");
  }
  if (providers.empty()) {
    return Status::Invalid(
        "generate podcasts: no providers declared; add [providers.NAME] tables to earshot.toml (see `earshot init "
        "--template podcasts`) or leave out --project to use the template's");
  }
  double total = 0;
  std::set<std::string> names;
  for (const config::Provider& p : providers) {
    const bool valid_name = !p.name.empty() && std::all_of(p.name.begin(), p.name.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
    if (!valid_name)
      return Status::Invalid("generate podcasts: provider name '" + p.name + "' must use a-z, 0-9, _ and -");
    if (!names.insert(p.name).second)
      return Status::Invalid("generate podcasts: provider " + p.name + " declared twice");
    if (!(p.market_share > 0) || p.market_share > 1) {
      return Status::Invalid("generate podcasts: provider " + p.name + ": market_share must be above 0 and at most 1");
    }
    if (p.deliveries.empty())
      return Status::Invalid("generate podcasts: provider " + p.name + " declares no deliveries");
    total += p.market_share;
  }
  if (total > 1 + 1e-9) return Status::Invalid("generate podcasts: the providers' market shares add up to more than 1");
  return Status::Ok();
}

Result<int64_t> ParseStartMonth(const std::string& text) {
  auto digits = [&text](size_t from, size_t n) {
    int v = 0;
    for (size_t i = from; i < from + n; ++i) {
      if (text[i] < '0' || text[i] > '9') return -1;
      v = v * 10 + (text[i] - '0');
    }
    return v;
  };
  const int year = text.size() == 7 && text[4] == '-' ? digits(0, 4) : -1;
  const int month = year >= 0 ? digits(5, 2) : -1;
  if (year < 1970 || month < 1 || month > 12) {
    return Status::Invalid("generate podcasts: --start must be a month like 2025-01, got '" + text + "'");
  }
  return MonthNumber(year, static_cast<unsigned>(month));
}

// Clears a previous generation from out_dir (never anything else).
Status PrepareOutputFolder(const fs::path& out) {
  std::error_code ec;
  if (fs::exists(out / "arrival.tsv", ec)) {
    for (const char* sub : {"catalog", "deliveries", "truth"}) {
      fs::remove_all(out / sub, ec);
      if (ec) return Status::IoError("generate podcasts: cannot clear " + (out / sub).string() + ": " + ec.message());
    }
    fs::remove(out / "arrival.tsv", ec);
  } else if (fs::exists(out / "deliveries", ec)) {
    return Status(StatusCode::kAlreadyExists,
                  "generate podcasts: " + out.string() +
                      " has a deliveries/ folder but no arrival.tsv; refusing to mix generations (choose an empty "
                      "--out folder)");
  }
  fs::create_directories(out, ec);
  if (ec)
    return Status::IoError("generate podcasts: cannot create output folder " + out.string() + ": " + ec.message());
  return Status::Ok();
}

class Generation {
 public:
  Generation(const PodcastsOptions& options, std::vector<config::Provider> providers, int64_t start_month)
      : o_(options), providers_(std::move(providers)), start_month_(start_month) {}

  Result<PodcastsSummary> Run();

 private:
  // Setup.
  void PlanProviders();
  void PlanFaults();
  // Output.
  Status WriteFile(const std::string& relative, std::string_view content);
  void AddArrival(int64_t slot, int phase, std::string kind, std::string name, std::string path);
  Status WriteCatalog();
  Status WriteDayFiles(int64_t t, const std::vector<uint32_t>& active);
  Status WriteMonthFiles(uint32_t m);
  Status WriteRowsFile(uint32_t pi, FileKey key, const std::string& period, std::vector<Row> rows, int64_t slot,
                       int phase);
  Status WriteEventsFile(uint32_t pi, int64_t t, const std::vector<uint32_t>& active);
  Status WriteTruth();
  Status WriteArrival();

  bool Published(uint32_t pi, uint32_t key, int64_t by_day) const;
  std::string RowsText(ProviderPlan& plan, std::string_view period_field, const std::string& period,
                       const std::vector<Row>& rows, const std::vector<BadRowKind>& bad, Random& rng);
  std::string_view PodcastIdOf(const ProviderPlan& plan, uint32_t key) const;
  std::string_view EpisodeIdOf(const ProviderPlan& plan, uint32_t key) const;
  std::string ProviderPath(uint32_t pi, const std::string& file) const {
    return "deliveries/" + plans_[pi].provider->name + "/" + file;
  }

  const PodcastsOptions& o_;
  std::vector<config::Provider> providers_;
  int64_t start_month_;
  int64_t first_day_ = 0;
  int64_t days_ = 0;
  std::vector<uint32_t> month_of_day_;   // generated month index of each day
  std::vector<int64_t> month_last_day_;  // last day index of each month
  Market market_;
  std::vector<ProviderPlan> plans_;
  PodcastsSummary summary_;

  // Faults.
  std::set<FileKey> missing_, late_, restated_;
  std::map<FileKey, std::vector<BadRowKind>> bad_rows_;
  std::map<FileKey, uint32_t> repeats_;                   // instant (provider, day) -> events to resend
  std::vector<std::vector<std::string>> carried_events_;  // per provider: lines resent in the next day's file

  // Per day: the share of each provider for each episode (only entries of
  // today's active episodes are meaningful).
  std::vector<std::vector<uint32_t>> share_;
  // Monthly accumulators per provider (episodes or podcasts); empty when the
  // provider sends no monthly files.
  std::vector<std::vector<uint64_t>> month_totals_;
  // Truth.
  std::vector<uint64_t> podcast_month_, episode_month_, first_30_;

  std::vector<Arrival> arrivals_;
  uint64_t arrival_seq_ = 0;
};

void Generation::PlanProviders() {
  double remaining = 1.0;
  for (const config::Provider& p : providers_) {
    ProviderPlan plan;
    plan.provider = &p;
    plan.episode_level = p.granularity == Granularity::kEpisode;
    plan.instant = p.Delivers(Delivery::kInstant);
    const bool daily = p.Delivers(Delivery::kDaily);
    const bool monthly = p.Delivers(Delivery::kMonthly);
    if (daily && monthly) {
      plan.daily_until = plan.monthly_from = (o_.months + 1) / 2;
    } else if (daily) {
      plan.daily_until = plan.monthly_from = o_.months;
    } else if (monthly) {
      plan.daily_until = plan.monthly_from = 0;
    } else {
      plan.daily_until = 0;
      plan.monthly_from = o_.months;
    }
    plan.split_probability = remaining > 1e-12 ? std::min(1.0, p.market_share / remaining) : 1.0;
    remaining -= p.market_share;
    plan.ext = std::string(config::FileFormatName(p.format));
    plans_.push_back(plan);
    ProviderDeliverySummary s;
    s.name = p.name;
    summary_.providers.push_back(s);
  }
}

// Picks which files go missing, arrive late, get restated or carry bad rows,
// and which instant events are sent twice. Only ever adds files or rows: the
// truth does not depend on it.
void Generation::PlanFaults() {
  if (!o_.imperfections) return;
  Random rng(StreamSeed(o_.seed, Stream::kFaults));
  std::vector<FileKey> daily, monthly, instant;
  for (uint32_t pi = 0; pi < plans_.size(); ++pi) {
    for (int64_t t = 0; t < days_; ++t) {
      if (month_of_day_[t] < plans_[pi].daily_until) daily.push_back({pi, FileKind::kDaily, t});
      if (plans_[pi].instant) instant.push_back({pi, FileKind::kInstant, t});
    }
    for (uint32_t m = plans_[pi].monthly_from; m < o_.months; ++m) monthly.push_back({pi, FileKind::kMonthly, m});
  }
  std::set<FileKey> taken;
  auto pick = [&rng, &taken](const std::vector<FileKey>& from, auto&& acceptable) -> const FileKey* {
    for (int attempt = 0; attempt < 200 && !from.empty(); ++attempt) {
      const FileKey& k = from[rng.Below(from.size())];
      if (!taken.count(k) && acceptable(k)) {
        taken.insert(k);
        return &k;
      }
    }
    return nullptr;
  };
  auto any = [](const FileKey&) { return true; };
  if (const FileKey* k = pick(daily, [](const FileKey& f) { return f.period > 0; })) missing_.insert(*k);
  if (days_ >= 5) {
    if (const FileKey* k = pick(daily, [this](const FileKey& f) { return f.period + 3 < days_; })) late_.insert(*k);
  }
  const uint32_t restated_daily = 2 + o_.months / 6;
  for (uint32_t i = 0; i < restated_daily; ++i) {
    if (const FileKey* k = pick(daily, any)) restated_.insert(*k);
  }
  const uint32_t restated_monthly = monthly.empty() ? 0 : 1 + o_.months / 12;
  for (uint32_t i = 0; i < restated_monthly; ++i) {
    if (const FileKey* k = pick(monthly, any)) restated_.insert(*k);
  }
  // Bad rows go into files that will be written (not the missing one);
  // several may share a file.
  std::vector<FileKey> row_files = daily;
  row_files.insert(row_files.end(), monthly.begin(), monthly.end());
  std::erase_if(row_files, [this](const FileKey& k) { return missing_.count(k) > 0; });
  const uint32_t per_kind = 2 + o_.months / 6;
  for (BadRowKind kind : kBadRowKinds) {
    for (uint32_t i = 0; i < per_kind && !row_files.empty(); ++i) {
      // The first impossible date goes into a monthly file when there is one
      // (month YYYY-13), the others into any file.
      const bool monthly_first = kind == BadRowKind::kImpossibleDate && i == 0 && !monthly.empty();
      const FileKey& k = monthly_first ? monthly[rng.Below(monthly.size())] : row_files[rng.Below(row_files.size())];
      bad_rows_[k].push_back(kind);
    }
  }
  const uint32_t repeats = instant.empty() ? 0 : 3 + o_.months / 2;
  for (uint32_t i = 0; i < repeats; ++i) ++repeats_[instant[rng.Below(instant.size())]];
}

Status Generation::WriteFile(const std::string& relative, std::string_view content) {
  EARSHOT_RETURN_IF_ERROR(WriteFileAtomically(o_.out_dir / relative, content));
  ++summary_.files;
  summary_.bytes += content.size();
  return Status::Ok();
}

void Generation::AddArrival(int64_t slot, int phase, std::string kind, std::string name, std::string path) {
  arrivals_.push_back({slot, phase, arrival_seq_++, std::move(kind), std::move(name), std::move(path)});
}

Status Generation::WriteCatalog() {
  std::string podcasts = "podcast_id,title,publisher\n";
  for (const MarketPodcast& p : market_.podcasts) {
    podcasts += p.id;
    podcasts += ',';
    AppendCsvField(podcasts, p.title);
    podcasts += ',';
    AppendCsvField(podcasts, p.publisher);
    podcasts += '\n';
  }
  std::string episodes = "episode_id,podcast_id,title,published_at\n";
  std::string credits = "episode_id,creator_id,role\n";
  for (const MarketEpisode& e : market_.episodes) {
    const MarketPodcast& p = market_.podcasts[e.podcast];
    episodes += e.id;
    episodes += ',';
    episodes += p.id;
    episodes += ',';
    AppendCsvField(episodes, e.title);
    episodes += ',';
    AppendTimestamp(episodes, e.published_at);
    episodes += '\n';
    auto credit = [&](uint64_t creator, std::string_view role) {
      credits += e.id;
      credits += ',';
      credits += market_.creators[creator].id;
      credits += ',';
      credits += role;
      credits += '\n';
      ++summary_.credits;
    };
    for (uint32_t h : p.hosts) credit(h, "host");
    if (p.producer >= 0) credit(static_cast<uint64_t>(p.producer), "producer");
    for (uint32_t g : e.guests) credit(g, "guest");
  }
  std::string creators = "creator_id,name\n";
  for (const MarketCreator& c : market_.creators) {
    creators += c.id;
    creators += ',';
    AppendCsvField(creators, c.name);
    creators += '\n';
  }
  const std::pair<const char*, const std::string*> files[] = {
      {"podcasts", &podcasts}, {"episodes", &episodes}, {"creators", &creators}, {"episode_credits", &credits}};
  for (const auto& [name, content] : files) {
    const std::string path = std::string("catalog/") + name + ".csv";
    EARSHOT_RETURN_IF_ERROR(WriteFile(path, *content));
    AddArrival(-1, 0, "catalog", name, path);
  }
  summary_.podcasts = market_.podcasts.size();
  summary_.episodes = market_.episodes.size();
  summary_.creators = market_.creators.size();
  return Status::Ok();
}

std::string_view Generation::PodcastIdOf(const ProviderPlan& plan, uint32_t key) const {
  return plan.episode_level ? market_.podcasts[market_.episodes[key].podcast].id : market_.podcasts[key].id;
}

std::string_view Generation::EpisodeIdOf(const ProviderPlan& plan, uint32_t key) const {
  return plan.episode_level ? std::string_view(market_.episodes[key].id) : std::string_view();
}

bool Generation::Published(uint32_t pi, uint32_t key, int64_t by_day) const {
  const int64_t day = first_day_ + by_day;
  if (plans_[pi].episode_level) return market_.episodes[key].published_at / 86400 <= day;
  return market_.episodes[market_.podcasts[key].first_episode].published_at / 86400 <= day;
}

// The file's text: rows in order, the planned bad rows slipped in at random
// places (each a copy of a real row with one field broken, so it is extra).
std::string Generation::RowsText(ProviderPlan& plan, std::string_view period_field, const std::string& period,
                                 const std::vector<Row>& rows, const std::vector<BadRowKind>& bad, Random& rng) {
  JsonShape shape = JsonShape::kArray;
  if (plan.provider->format == config::FileFormat::kJson) {
    const uint64_t index = static_cast<uint64_t>(&plan - plans_.data());
    shape = (index + plan.json_files++) % 2 == 0 ? JsonShape::kArray : JsonShape::kRowsObject;
  }
  RowsFileBuilder builder(*plan.provider, period_field, plan.episode_level, shape);
  // Positions (before row i) of the bad rows, sorted.
  std::vector<std::pair<size_t, BadRowKind>> inserts;
  for (BadRowKind kind : bad) inserts.emplace_back(rng.Below(rows.size() + 1), kind);
  std::sort(inserts.begin(), inserts.end());
  auto next = inserts.begin();
  auto emit_bad = [&](BadRowKind kind) {
    // A real key to break (the first podcast's first episode when the file is empty).
    const uint32_t key = rows.empty() ? 0 : rows[rng.Below(rows.size())].key;
    std::string listens = std::to_string(1 + rng.Below(40));
    std::string row_period = period;
    std::string podcast(PodcastIdOf(plan, key));
    bool numeric = true;
    switch (kind) {
      case BadRowKind::kNegativeListens:
        listens = "-" + listens;
        ++summary_.negative_listens_rows;
        break;
      case BadRowKind::kNonNumericListens:
        listens = "abc";
        numeric = false;
        ++summary_.non_numeric_listens_rows;
        break;
      case BadRowKind::kImpossibleDate:
        row_period = period.substr(0, 4) + (period_field == "month" ? "-13" : "-02-30");
        ++summary_.impossible_date_rows;
        break;
      case BadRowKind::kEmptyPodcastId:
        podcast.clear();
        ++summary_.empty_podcast_id_rows;
        break;
    }
    ++summary_.bad_rows;
    builder.AddRow(row_period, podcast, EpisodeIdOf(plan, key), listens, numeric);
  };
  for (size_t i = 0; i < rows.size(); ++i) {
    for (; next != inserts.end() && next->first == i; ++next) emit_bad(next->second);
    builder.AddRow(period, PodcastIdOf(plan, rows[i].key), EpisodeIdOf(plan, rows[i].key),
                   std::to_string(rows[i].listens), true);
    if (rows[i].listens == 0) ++summary_.zero_rows;
  }
  for (; next != inserts.end(); ++next) emit_bad(next->second);
  return builder.Finish();
}

// Writes one daily or monthly file (rows = the true counts > 0, in key order)
// with whatever was planned for it: an explicit 0 row now and then, missing,
// late, restated (an original with wrong counts, then the true file) and bad
// rows in the first version written.
Status Generation::WriteRowsFile(uint32_t pi, FileKey key, const std::string& period, std::vector<Row> rows,
                                 int64_t slot, int phase) {
  ProviderPlan& plan = plans_[pi];
  ProviderDeliverySummary& ps = summary_.providers[pi];
  const bool daily = key.kind == FileKind::kDaily;
  const std::string period_field = daily ? "date" : "month";
  Random rng(Mix(StreamSeed(o_.seed, Stream::kFileNoise), (static_cast<uint64_t>(pi) << 40) ^
                                                              (static_cast<uint64_t>(key.kind) << 32) ^
                                                              static_cast<uint64_t>(key.period)));
  const std::string file = period + "." + plan.ext;
  const std::string path = ProviderPath(pi, file);
  if (missing_.count(key)) {
    summary_.missing.push_back(path);
    ++summary_.missing_files;
    return Status::Ok();
  }

  // An explicit 0 row for one file in eight: a key with listens before but none here.
  Random zero_rng(Mix(StreamSeed(o_.seed, Stream::kZeroRows), (static_cast<uint64_t>(pi) << 40) ^
                                                                  (static_cast<uint64_t>(key.kind) << 32) ^
                                                                  static_cast<uint64_t>(key.period)));
  if (zero_rng.Chance(1250)) {
    const uint32_t keys = static_cast<uint32_t>(plan.episode_level ? market_.episodes.size() : market_.podcasts.size());
    const int64_t by_day = daily ? key.period : month_last_day_[static_cast<size_t>(key.period)];
    const auto start = static_cast<uint32_t>(zero_rng.Below(keys));
    for (uint32_t i = 0; i < keys; ++i) {
      const uint32_t k = (start + i) % keys;
      auto at = std::lower_bound(rows.begin(), rows.end(), k, [](const Row& r, uint32_t v) { return r.key < v; });
      if ((at != rows.end() && at->key == k) || !Published(pi, k, by_day)) continue;
      rows.insert(at, Row{k, 0});
      break;
    }
  }
  uint64_t listens = 0;
  for (const Row& r : rows) listens += static_cast<uint64_t>(r.listens);
  ps.delivered_listens += listens;

  static const std::vector<BadRowKind> kNoBadRows;
  auto bad = bad_rows_.find(key);
  const std::vector<BadRowKind>& bad_rows = bad == bad_rows_.end() ? kNoBadRows : bad->second;

  if (restated_.count(key)) {
    // The first delivery got some counts wrong: about one row in twelve
    // (at least one) inflated, deflated or left out.
    std::vector<Row> wrong;
    bool changed = false;
    for (const Row& r : rows) {
      if (!rng.Chance(800)) {
        wrong.push_back(r);
        continue;
      }
      changed = true;
      const uint64_t how = rng.Below(10);
      if (how < 5 || (how < 8 && r.listens < 2)) {
        wrong.push_back(
            {r.key, r.listens + 1 + static_cast<int64_t>(rng.Below(static_cast<uint64_t>(r.listens / 2 + 1)))});
      } else if (how < 8) {
        // Down, but never to 0 (an explicit 0 row is kept for the zero_rows count).
        wrong.push_back({r.key, r.listens - 1 - static_cast<int64_t>(rng.Below(static_cast<uint64_t>(r.listens - 1)))});
      }
    }
    if (!changed) {
      if (wrong.empty()) {
        // Nothing to get wrong: the first delivery claims listens for the first key.
        wrong.push_back({0, 1 + static_cast<int64_t>(rng.Below(5))});
      } else {
        wrong.front().listens += 1 + static_cast<int64_t>(rng.Below(9));
      }
    }
    EARSHOT_RETURN_IF_ERROR(WriteFile(path, RowsText(plan, period_field, period, wrong, bad_rows, rng)));
    const std::string restated_path = ProviderPath(pi, period + ".restated." + plan.ext);
    EARSHOT_RETURN_IF_ERROR(WriteFile(restated_path, RowsText(plan, period_field, period, rows, {}, rng)));
    ps.files += 2;
    ps.rows += wrong.size() + rows.size() + bad_rows.size();
    AddArrival(slot, phase, "provider", plan.provider->name, path);
    const int64_t later = daily ? std::min(slot + 2, days_ - 1) : std::min(slot + 5, days_ - 1);
    AddArrival(later, daily ? 2 : 3, "provider", plan.provider->name, restated_path);
    summary_.restatements.push_back(path + " -> " + restated_path);
    ++summary_.restated_files;
    return Status::Ok();
  }

  EARSHOT_RETURN_IF_ERROR(WriteFile(path, RowsText(plan, period_field, period, rows, bad_rows, rng)));
  ++ps.files;
  ps.rows += rows.size() + bad_rows.size();
  if (late_.count(key)) {
    AddArrival(std::min(slot + 3, days_ - 1), 2, "provider", plan.provider->name, path);
    summary_.late.push_back(path);
    ++summary_.late_files;
  } else {
    AddArrival(slot, phase, "provider", plan.provider->name, path);
  }
  return Status::Ok();
}

// Instant events of day t: one per listen, at times spread over the day (not
// before the episode's release), in time order, each with a unique id.
Status Generation::WriteEventsFile(uint32_t pi, int64_t t, const std::vector<uint32_t>& active) {
  ProviderPlan& plan = plans_[pi];
  ProviderDeliverySummary& ps = summary_.providers[pi];
  const int64_t day = first_day_ + t;
  Random rng(
      Mix(StreamSeed(o_.seed, Stream::kEventTimes), (static_cast<uint64_t>(pi) << 32) ^ static_cast<uint64_t>(t)));
  uint32_t hour_total = 0;
  for (uint32_t w : kHourWeights) hour_total += w;

  std::vector<std::pair<uint32_t, uint32_t>> events;  // (second of day, episode)
  for (uint32_t e : active) {
    const uint32_t n = share_[pi][e];
    if (n == 0) continue;
    const int64_t published = market_.episodes[e].published_at;
    const bool release_day = published / 86400 == day;
    const auto release_second = static_cast<uint32_t>(published - day * 86400);
    for (uint32_t j = 0; j < n; ++j) {
      uint32_t second = 0;
      if (release_day) {
        second = release_second + static_cast<uint32_t>(rng.Below(86400 - release_second));
      } else {
        uint32_t pick = static_cast<uint32_t>(rng.Below(hour_total));
        uint32_t hour = 0;
        while (pick >= kHourWeights[hour]) pick -= kHourWeights[hour++];
        second = hour * 3600 + static_cast<uint32_t>(rng.Below(3600));
      }
      events.emplace_back(second, e);
    }
  }
  std::sort(events.begin(), events.end());

  EventsFileBuilder builder(*plan.provider, plan.episode_level);
  for (const std::string& line : carried_events_[pi]) {
    builder.AddLine(line);
    ++summary_.repeated_events;
  }
  carried_events_[pi].clear();
  const uint64_t id_seed = Mix(StreamSeed(o_.seed, Stream::kEventIds), pi);
  // Repeats planned for this day: copies of random events, sent again at
  // the end of this file or (one in three) at the start of the next day's.
  std::vector<std::pair<size_t, bool>> repeats;  // (event index, carried to the next day)
  if (auto it = repeats_.find(FileKey{pi, FileKind::kInstant, t}); it != repeats_.end() && !events.empty()) {
    for (uint32_t i = 0; i < it->second; ++i)
      repeats.emplace_back(rng.Below(events.size()), rng.Below(3) == 0 && t + 1 < days_);
  }
  std::vector<std::string> resend_here;
  char id[24];
  for (size_t i = 0; i < events.size(); ++i) {
    const uint64_t raw = Mix(id_seed, plan.events++);
    static constexpr char kHex[] = "0123456789abcdef";
    id[0] = 'e';
    id[1] = 'v';
    id[2] = '-';
    for (int k = 0; k < 16; ++k) id[3 + k] = kHex[(raw >> (60 - 4 * k)) & 0xf];
    const uint32_t e = events[i].second;
    const std::string_view line =
        builder.AddEvent(std::string_view(id, 19), market_.podcasts[market_.episodes[e].podcast].id,
                         market_.episodes[e].id, day * 86400 + events[i].first);
    for (const auto& [index, carried] : repeats) {
      if (index != i) continue;
      if (carried) {
        carried_events_[pi].emplace_back(line);
      } else {
        resend_here.emplace_back(line);
      }
    }
  }
  for (const std::string& line : resend_here) {
    builder.AddLine(line);
    ++summary_.repeated_events;
  }
  ps.events += builder.lines();
  ps.delivered_listens += events.size();
  if (builder.lines() == 0) return Status::Ok();  // no event, no file
  const std::string path = ProviderPath(pi, "events-" + DateText(day) + ".ndjson");
  EARSHOT_RETURN_IF_ERROR(WriteFile(path, builder.Finish()));
  ++ps.files;
  AddArrival(t, 0, "provider", plan.provider->name, path);
  return Status::Ok();
}

Status Generation::WriteDayFiles(int64_t t, const std::vector<uint32_t>& active) {
  const std::string date = DateText(first_day_ + t);
  for (uint32_t pi = 0; pi < plans_.size(); ++pi) {
    const ProviderPlan& plan = plans_[pi];
    if (plan.instant) EARSHOT_RETURN_IF_ERROR(WriteEventsFile(pi, t, active));
    if (month_of_day_[t] >= plan.daily_until) continue;
    std::vector<Row> rows;
    if (plan.episode_level) {
      for (uint32_t e : active) {
        if (share_[pi][e] > 0) rows.push_back({e, share_[pi][e]});
      }
    } else {
      // Podcast totals: active episodes come grouped by podcast, in order.
      for (uint32_t e : active) {
        const uint32_t podcast = market_.episodes[e].podcast;
        if (share_[pi][e] == 0) continue;
        if (rows.empty() || rows.back().key != podcast) rows.push_back({podcast, 0});
        rows.back().listens += share_[pi][e];
      }
    }
    EARSHOT_RETURN_IF_ERROR(WriteRowsFile(pi, FileKey{pi, FileKind::kDaily, t}, date, std::move(rows), t, 0));
  }
  return Status::Ok();
}

Status Generation::WriteMonthFiles(uint32_t m) {
  const std::string month = MonthText(start_month_ + m);
  for (uint32_t pi = 0; pi < plans_.size(); ++pi) {
    if (m < plans_[pi].monthly_from) continue;
    std::vector<uint64_t>& totals = month_totals_[pi];
    std::vector<Row> rows;
    for (uint32_t k = 0; k < totals.size(); ++k) {
      if (totals[k] > 0) rows.push_back({k, static_cast<int64_t>(totals[k])});
    }
    std::fill(totals.begin(), totals.end(), 0);
    EARSHOT_RETURN_IF_ERROR(
        WriteRowsFile(pi, FileKey{pi, FileKind::kMonthly, m}, month, std::move(rows), month_last_day_[m], 1));
  }
  return Status::Ok();
}

Status Generation::WriteTruth() {
  const uint32_t months = o_.months;
  std::vector<std::string> month_text(months);
  for (uint32_t m = 0; m < months; ++m) month_text[m] = MonthText(start_month_ + m);

  std::string podcasts = "podcast_id,month,true_listens\n";
  for (size_t p = 0; p < market_.podcasts.size(); ++p) {
    for (uint32_t m = 0; m < months; ++m) {
      podcasts += market_.podcasts[p].id;
      podcasts += ',';
      podcasts += month_text[m];
      podcasts += ',';
      podcasts += std::to_string(podcast_month_[p * months + m]);
      podcasts += '\n';
    }
  }
  EARSHOT_RETURN_IF_ERROR(WriteFile("truth/podcast_months.csv", podcasts));
  podcasts = std::string();

  std::string episodes = "episode_id,podcast_id,month,true_listens\n";
  std::string first_30 = "episode_id,true_listens_30d\n";
  for (size_t e = 0; e < market_.episodes.size(); ++e) {
    const MarketEpisode& ep = market_.episodes[e];
    const int64_t pub_day = ep.published_at / 86400;
    const int64_t from = std::max<int64_t>(0, MonthNumberOfDay(pub_day) - start_month_);
    for (int64_t m = from; m < months; ++m) {
      episodes += ep.id;
      episodes += ',';
      episodes += market_.podcasts[ep.podcast].id;
      episodes += ',';
      episodes += month_text[static_cast<size_t>(m)];
      episodes += ',';
      episodes += std::to_string(episode_month_[e * months + static_cast<size_t>(m)]);
      episodes += '\n';
    }
    if (pub_day >= first_day_ && pub_day + 30 <= first_day_ + days_) {
      first_30 += ep.id;
      first_30 += ',';
      first_30 += std::to_string(first_30_[e]);
      first_30 += '\n';
    }
  }
  EARSHOT_RETURN_IF_ERROR(WriteFile("truth/episode_months.csv", episodes));
  return WriteFile("truth/episode_first_30_days.csv", first_30);
}

Status Generation::WriteArrival() {
  std::sort(arrivals_.begin(), arrivals_.end(), [](const Arrival& a, const Arrival& b) {
    return std::tie(a.slot, a.phase, a.seq) < std::tie(b.slot, b.phase, b.seq);
  });
  std::string text;
  for (const Arrival& a : arrivals_) text += a.kind + '\t' + a.name + '\t' + a.path + '\n';
  return WriteFile("arrival.tsv", text);
}

Result<PodcastsSummary> Generation::Run() {
  first_day_ = FirstDayOfMonth(start_month_);
  days_ = FirstDayOfMonth(start_month_ + o_.months) - first_day_;
  for (uint32_t m = 0; m < o_.months; ++m) {
    const int64_t begin = FirstDayOfMonth(start_month_ + m) - first_day_;
    const int64_t end = FirstDayOfMonth(start_month_ + m + 1) - first_day_;
    for (int64_t t = begin; t < end; ++t) month_of_day_.push_back(m);
    month_last_day_.push_back(end - 1);
  }
  summary_.first_day = DateText(first_day_);
  summary_.last_day = DateText(first_day_ + days_ - 1);
  summary_.days = static_cast<uint64_t>(days_);

  MarketOptions mo;
  mo.seed = o_.seed;
  mo.podcasts = o_.podcasts;
  mo.episodes_per_podcast = o_.episodes_per_podcast;
  mo.first_day = first_day_;
  mo.days = days_;
  mo.listens_scale = o_.listens_scale;
  market_ = BuildMarket(mo);
  PlanProviders();
  PlanFaults();
  EARSHOT_RETURN_IF_ERROR(PrepareOutputFolder(o_.out_dir));
  EARSHOT_RETURN_IF_ERROR(WriteCatalog());

  const size_t episodes = market_.episodes.size();
  const size_t months = o_.months;
  share_.assign(plans_.size(), std::vector<uint32_t>(episodes, 0));
  month_totals_.resize(plans_.size());
  carried_events_.resize(plans_.size());
  for (size_t pi = 0; pi < plans_.size(); ++pi) {
    if (plans_[pi].monthly_from < o_.months) {
      month_totals_[pi].assign(plans_[pi].episode_level ? episodes : market_.podcasts.size(), 0);
    }
  }
  podcast_month_.assign(market_.podcasts.size() * months, 0);
  episode_month_.assign(episodes * months, 0);
  first_30_.assign(episodes, 0);
  std::vector<int64_t> pub_day(episodes);
  for (size_t e = 0; e < episodes; ++e) pub_day[e] = market_.episodes[e].published_at / 86400;

  std::vector<uint32_t> counts;
  std::vector<uint32_t> active;
  for (int64_t t = 0; t < days_; ++t) {
    const int64_t day = first_day_ + t;
    const uint32_t m = month_of_day_[static_cast<size_t>(t)];
    Random day_rng(Mix(StreamSeed(o_.seed, Stream::kDay), static_cast<uint64_t>(t)));
    market_.DrawDay(t, day_rng, counts);

    // Split every episode's count over the providers' shares (the rest of
    // the market is the remainder): sequential binomial draws.
    Random split(Mix(StreamSeed(o_.seed, Stream::kSplit), static_cast<uint64_t>(t)));
    active.clear();
    for (uint32_t e = 0; e < episodes; ++e) {
      const uint64_t n = counts[e];
      if (n == 0) continue;
      active.push_back(e);
      summary_.true_listens += n;
      podcast_month_[market_.episodes[e].podcast * months + m] += n;
      episode_month_[e * months + m] += n;
      if (pub_day[e] >= first_day_ && day - pub_day[e] < 30) first_30_[e] += n;
      uint64_t left = n;
      for (size_t pi = 0; pi < plans_.size(); ++pi) {
        const auto k = static_cast<uint32_t>(split.Binomial(left, plans_[pi].split_probability));
        left -= k;
        share_[pi][e] = k;
        summary_.providers[pi].share_listens += k;
        if (!month_totals_[pi].empty() && m >= plans_[pi].monthly_from) {
          month_totals_[pi][plans_[pi].episode_level ? e : market_.episodes[e].podcast] += k;
        }
      }
    }
    EARSHOT_RETURN_IF_ERROR(WriteDayFiles(t, active));
    if (t == month_last_day_[m]) EARSHOT_RETURN_IF_ERROR(WriteMonthFiles(m));
    if (o_.progress) o_.progress(static_cast<uint64_t>(t + 1), static_cast<uint64_t>(days_));
  }
  EARSHOT_RETURN_IF_ERROR(WriteTruth());
  EARSHOT_RETURN_IF_ERROR(WriteArrival());
  return std::move(summary_);
}

}  // namespace

Result<std::vector<config::Provider>> TemplateProviders() {
  std::string pattern = (fs::temp_directory_path() / "earshot-podcasts-template-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    return Status::IoError("generate podcasts: cannot create a scratch folder in " +
                           fs::temp_directory_path().string() + " to read the podcasts template");
  }
  const fs::path dir = pattern;
  auto project = config::InitProject(dir, config::Template::kPodcasts);
  Result<config::Project> loaded = project.ok() ? config::LoadProject(dir) : Result<config::Project>(project.status());
  std::error_code ec;
  fs::remove_all(dir, ec);
  if (!loaded.ok()) return loaded.status().WithContext("generate podcasts: reading the podcasts template");
  return std::move(loaded.value().providers);
}

Result<PodcastsSummary> GeneratePodcasts(const PodcastsOptions& options) {
  std::vector<config::Provider> providers = options.providers;
  if (providers.empty()) {
    EARSHOT_ASSIGN_OR_RETURN(providers, TemplateProviders());
  }
  EARSHOT_RETURN_IF_ERROR(ValidateOptions(options, providers));
  EARSHOT_ASSIGN_OR_RETURN(const int64_t start_month, ParseStartMonth(options.start_month));
  Generation generation(options, std::move(providers), start_month);
  return generation.Run();
}

}  // namespace earshot::generate
