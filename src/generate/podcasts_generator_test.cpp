// Tests of `earshot generate podcasts`: determinism, every file in its
// provider's declared shape and mapping, the truth adding up (exactly when
// the providers cover the whole market, statistically at 10% shares), the
// imperfections counted right, arrival order, the daily-to-monthly switch,
// and options that must be refused.
#include "generate/podcasts_generator.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace earshot::generate {
namespace {

namespace fs = std::filesystem;
using config::Delivery;
using config::FileFormat;
using config::Granularity;
using config::Provider;
using nlohmann::json;

fs::path ScratchDir(const std::string& name) {
  const fs::path dir = fs::path(testing::TempDir()) / ("earshot_podcasts_" + std::to_string(::getpid()) + "_" + name);
  fs::remove_all(dir);
  return dir;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

std::string Str(const json& v) { return v.get<std::string>(); }

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

// RFC 4180 records (quoted fields may hold commas, doubled quotes, newlines).
std::vector<std::vector<std::string>> ParseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  bool quoted = false, in_record = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
      continue;
    }
    in_record = true;
    if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      record.push_back(std::move(field));
      field.clear();
    } else if (c == '\n') {
      record.push_back(std::move(field));
      field.clear();
      records.push_back(std::move(record));
      record.clear();
      in_record = false;
    } else {
      field += c;
    }
  }
  if (in_record) {
    record.push_back(std::move(field));
    records.push_back(std::move(record));
  }
  return records;
}

// A CSV file as header -> value objects (all values strings).
std::vector<json> CsvObjects(const std::string& text) {
  const auto records = ParseCsv(text);
  std::vector<json> rows;
  for (size_t r = 1; r < records.size(); ++r) {
    json row = json::object();
    for (size_t i = 0; i < records[0].size() && i < records[r].size(); ++i) row[records[0][i]] = records[r][i];
    EXPECT_EQ(records[r].size(), records[0].size()) << "row " << r;
    rows.push_back(row);
  }
  return rows;
}

Provider MakeProvider(const std::string& name, double share, Granularity g, std::vector<Delivery> d, FileFormat f,
                      std::map<std::string, std::string> mapping = {}) {
  Provider p;
  p.name = name;
  p.market_share = share;
  p.granularity = g;
  p.deliveries = std::move(d);
  p.format = f;
  p.mapping = std::move(mapping);
  return p;
}

PodcastsOptions SmallOptions(const std::string& dir, uint64_t seed = 7) {
  PodcastsOptions o;
  o.seed = seed;
  o.months = 4;
  o.start_month = "2024-12";
  o.podcasts = 60;
  o.episodes_per_podcast = 8;
  o.listens_scale = 0.3;  // small files: the tests read every row back
  o.out_dir = ScratchDir(dir);
  return o;
}

PodcastsSummary MustGenerate(const PodcastsOptions& o) {
  Result<PodcastsSummary> r = GeneratePodcasts(o);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? r.value() : PodcastsSummary{};
}

// Every regular file under dir, relative path -> bytes.
std::map<std::string, std::string> Snapshot(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) files[fs::relative(entry.path(), dir).string()] = ReadFile(entry.path());
  }
  return files;
}

struct ArrivalLine {
  std::string kind, name, path;
};

std::vector<ArrivalLine> ReadArrival(const fs::path& dir) {
  std::vector<ArrivalLine> out;
  for (const std::string& line : Lines(ReadFile(dir / "arrival.tsv"))) {
    const size_t a = line.find('\t'), b = line.find('\t', a + 1);
    EXPECT_NE(b, std::string::npos) << line;
    if (b == std::string::npos) continue;
    out.push_back({line.substr(0, a), line.substr(a + 1, b - a - 1), line.substr(b + 1)});
  }
  return out;
}

// ---------------------------------------------------------------------------
// Reading provider files back the way a pipeline would.

enum class RowVerdict { kGood, kNegative, kNonNumeric, kImpossibleDate, kEmptyPodcast };

struct FileRead {
  enum class Kind { kDaily, kMonthly, kEvents } kind = Kind::kDaily;
  std::string period;  // YYYY-MM-DD or YYYY-MM (for restatements, the period restated)
  bool restated = false;
  std::vector<json> rows;  // objects with the provider's keys
  std::string json_shape;  // "array", "rows", "" (csv / ndjson)
};

// Splits `2025-01-05.csv`, `2025-01.restated.json`, `events-2025-01-05.ndjson`.
FileRead ClassifyName(const std::string& file) {
  FileRead f;
  std::string stem = file.substr(0, file.find('.'));
  f.restated = file.find(".restated.") != std::string::npos;
  if (stem.rfind("events-", 0) == 0) {
    f.kind = FileRead::Kind::kEvents;
    stem = stem.substr(7);
  } else {
    f.kind = stem.size() == 10 ? FileRead::Kind::kDaily : FileRead::Kind::kMonthly;
  }
  f.period = stem;
  return f;
}

// Parses a provider file in the provider's declared format; fails the test
// when it is not exactly that shape.
FileRead ReadProviderFile(const Provider& p, const fs::path& path) {
  FileRead f = ClassifyName(path.filename().string());
  const std::string text = ReadFile(path);
  EXPECT_FALSE(text.empty()) << path;
  EXPECT_EQ(text.back(), '\n') << path;
  const std::string ext = path.extension().string();
  try {
    if (f.kind == FileRead::Kind::kEvents) {
      EXPECT_EQ(ext, ".ndjson") << path;
      for (const std::string& line : Lines(text)) f.rows.push_back(json::parse(line));
    } else if (p.format == FileFormat::kCsv) {
      EXPECT_EQ(ext, ".csv") << path;
      f.rows = CsvObjects(text);
    } else if (p.format == FileFormat::kNdjson) {
      EXPECT_EQ(ext, ".ndjson") << path;
      for (const std::string& line : Lines(text)) f.rows.push_back(json::parse(line));
    } else {
      EXPECT_EQ(ext, ".json") << path;
      const json doc = json::parse(text);
      if (doc.is_array()) {
        f.json_shape = "array";
        for (const json& row : doc) f.rows.push_back(row);
      } else {
        EXPECT_TRUE(doc.is_object() && doc.size() == 1 && doc.contains("rows") && doc["rows"].is_array()) << path;
        f.json_shape = "rows";
        for (const json& row : doc["rows"]) f.rows.push_back(row);
      }
    }
  } catch (const json::exception& e) {
    ADD_FAILURE() << path << ": " << e.what();
  }
  return f;
}

bool IsDate(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  const int y = std::stoi(s.substr(0, 4)), m = std::stoi(s.substr(5, 2)), d = std::stoi(s.substr(8, 2));
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m >= 1 && m <= 12 && d >= 1 && d <= (m == 2 ? (leap ? 29 : 28) : kDays[m - 1]);
}

bool IsMonth(const std::string& s) {
  return s.size() == 7 && s[4] == '-' && std::stoi(s.substr(5, 2)) >= 1 && std::stoi(s.substr(5, 2)) <= 12;
}

// A row's listens as a pipeline reads it: an integer, from a JSON number or
// CSV text; nullopt when it is not one.
std::optional<int64_t> Listens(const json& v) {
  if (v.is_number_integer()) return v.get<int64_t>();
  if (!v.is_string()) return std::nullopt;
  const std::string s = v.get<std::string>();
  if (s.empty() || s.find_first_not_of("-0123456789") != std::string::npos || s.find('-', 1) != std::string::npos) {
    return std::nullopt;
  }
  return std::stoll(s);
}

// Checks a row carries exactly the provider's field names, and classifies it.
RowVerdict CheckRow(const Provider& p, const FileRead& f, const json& row) {
  const bool episode = p.granularity == Granularity::kEpisode;
  const std::string period_key = p.TheirField(f.kind == FileRead::Kind::kDaily ? "date" : "month");
  std::set<std::string> want = {period_key, p.TheirField("podcast_id"), p.TheirField("listens")};
  if (episode) want.insert(p.TheirField("episode_id"));
  std::set<std::string> have;
  for (const auto& [key, value] : row.items()) have.insert(key);
  EXPECT_EQ(have, want) << row.dump();
  if (have != want) return RowVerdict::kGood;
  const std::string period = row[period_key].get<std::string>();
  if (row[p.TheirField("podcast_id")].get<std::string>().empty()) return RowVerdict::kEmptyPodcast;
  if (f.kind == FileRead::Kind::kDaily ? !IsDate(period) : !IsMonth(period)) return RowVerdict::kImpossibleDate;
  EXPECT_EQ(period, f.period) << row.dump();
  const auto listens = Listens(row[p.TheirField("listens")]);
  if (!listens) return RowVerdict::kNonNumeric;
  if (*listens < 0) return RowVerdict::kNegative;
  return RowVerdict::kGood;
}

// One generation read back: what a pipeline would conclude from its files.
struct ReadBack {
  uint64_t negative = 0, non_numeric = 0, impossible_date = 0, empty_podcast = 0, zero_rows = 0;
  uint64_t repeated_events = 0;
  std::set<std::string> json_shapes;
  // Latest delivery per (provider, period): listens per (podcast, episode, month).
  std::map<std::string, uint64_t> provider_listens;  // provider -> listens after restatements and dedupe
  std::map<std::tuple<std::string, std::string>, uint64_t> podcast_month;  // (podcast, month)
  std::map<std::tuple<std::string, std::string>, uint64_t> episode_month;  // (episode, month)
  std::map<std::tuple<std::string, std::string, std::string>, uint64_t> by_provider_podcast_month;
};

ReadBack ReadGeneration(const fs::path& dir, const std::vector<Provider>& providers) {
  ReadBack out;
  std::map<std::string, const Provider*> by_name;
  for (const Provider& p : providers) by_name[p.name] = &p;
  // Catalog: episode -> (podcast, published_at).
  std::map<std::string, std::pair<std::string, std::string>> episodes;
  for (const json& row : CsvObjects(ReadFile(dir / "catalog/episodes.csv"))) {
    episodes[Str(row["episode_id"])] = {Str(row["podcast_id"]), Str(row["published_at"])};
  }
  // The final delivery for each (provider, kind, period), in arrival order.
  std::map<std::tuple<std::string, int, std::string>, FileRead> latest;
  std::map<std::string, std::set<std::string>> event_ids;
  for (const ArrivalLine& a : ReadArrival(dir)) {
    if (a.kind != "provider") continue;
    const Provider& p = *by_name.at(a.name);
    FileRead f = ReadProviderFile(p, dir / a.path);
    if (!f.json_shape.empty()) out.json_shapes.insert(f.json_shape);
    if (f.kind == FileRead::Kind::kEvents) {
      std::set<std::string> want = {p.TheirField("event_id"), p.TheirField("podcast_id"), p.TheirField("listened_at")};
      if (p.granularity == Granularity::kEpisode) want.insert(p.TheirField("episode_id"));
      for (const json& e : f.rows) {
        std::set<std::string> have;
        for (const auto& [key, value] : e.items()) have.insert(key);
        EXPECT_EQ(have, want) << e.dump();
        const std::string id = Str(e[p.TheirField("event_id")]);
        if (!event_ids[p.name].insert(id).second) {
          ++out.repeated_events;
          continue;
        }
        const std::string ts = Str(e[p.TheirField("listened_at")]);
        EXPECT_EQ(ts.size(), 20u) << ts;
        EXPECT_EQ(ts.substr(0, 10), f.period) << "event of another day: " << e.dump();
        const std::string podcast = Str(e[p.TheirField("podcast_id")]);
        const std::string month = ts.substr(0, 7);
        ++out.provider_listens[p.name];
        ++out.podcast_month[{podcast, month}];
        ++out.by_provider_podcast_month[{p.name, podcast, month}];
        if (p.granularity == Granularity::kEpisode) {
          const std::string episode = Str(e[p.TheirField("episode_id")]);
          EXPECT_EQ(episodes.at(episode).first, podcast);
          EXPECT_GE(ts, episodes.at(episode).second) << "listened before release: " << e.dump();
          ++out.episode_month[{episode, month}];
        }
      }
      continue;
    }
    for (const json& row : f.rows) {
      switch (CheckRow(p, f, row)) {
        case RowVerdict::kGood: {
          const auto listens = Listens(row[p.TheirField("listens")]);
          if (*listens == 0) ++out.zero_rows;
          break;
        }
        case RowVerdict::kNegative:
          ++out.negative;
          break;
        case RowVerdict::kNonNumeric:
          ++out.non_numeric;
          break;
        case RowVerdict::kImpossibleDate:
          ++out.impossible_date;
          break;
        case RowVerdict::kEmptyPodcast:
          ++out.empty_podcast;
          break;
      }
    }
    latest[{p.name, static_cast<int>(f.kind), f.period}] = std::move(f);
  }
  for (const auto& [key, f] : latest) {
    const Provider& p = *by_name.at(std::get<0>(key));
    for (const json& row : f.rows) {
      if (CheckRow(p, f, row) != RowVerdict::kGood) continue;
      const uint64_t listens = static_cast<uint64_t>(*Listens(row[p.TheirField("listens")]));
      const std::string podcast = Str(row[p.TheirField("podcast_id")]);
      const std::string month = f.period.substr(0, 7);
      out.provider_listens[p.name] += listens;
      out.podcast_month[{podcast, month}] += listens;
      out.by_provider_podcast_month[{p.name, podcast, month}] += listens;
      if (p.granularity == Granularity::kEpisode) {
        const std::string episode = Str(row[p.TheirField("episode_id")]);
        EXPECT_EQ(episodes.at(episode).first, podcast) << row.dump();
        out.episode_month[{episode, month}] += listens;
      }
    }
  }
  return out;
}

std::map<std::tuple<std::string, std::string>, uint64_t> PodcastTruth(const fs::path& dir) {
  std::map<std::tuple<std::string, std::string>, uint64_t> truth;
  for (const json& row : CsvObjects(ReadFile(dir / "truth/podcast_months.csv"))) {
    truth[{Str(row["podcast_id"]), Str(row["month"])}] = std::stoull(Str(row["true_listens"]));
  }
  return truth;
}

std::map<std::tuple<std::string, std::string>, uint64_t> EpisodeTruth(const fs::path& dir) {
  std::map<std::tuple<std::string, std::string>, uint64_t> truth;
  for (const json& row : CsvObjects(ReadFile(dir / "truth/episode_months.csv"))) {
    truth[{Str(row["episode_id"]), Str(row["month"])}] = std::stoull(Str(row["true_listens"]));
  }
  return truth;
}

// ---------------------------------------------------------------------------
// One generation with the template's providers, shared by read-only tests.

class PodcastsGeneratorTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    options_ = new PodcastsOptions(SmallOptions("shared"));
    auto providers = TemplateProviders();
    ASSERT_TRUE(providers.ok()) << providers.status().message();
    providers_ = new std::vector<Provider>(providers.value());
    summary_ = new PodcastsSummary(MustGenerate(*options_));
  }
  static void TearDownTestSuite() {
    fs::remove_all(options_->out_dir);
    delete options_;
    delete providers_;
    delete summary_;
  }
  static const fs::path& dir() { return options_->out_dir; }
  static const PodcastsSummary& summary() { return *summary_; }
  static const std::vector<Provider>& providers() { return *providers_; }

 private:
  static PodcastsOptions* options_;
  static std::vector<Provider>* providers_;
  static PodcastsSummary* summary_;
};
PodcastsOptions* PodcastsGeneratorTest::options_ = nullptr;
std::vector<Provider>* PodcastsGeneratorTest::providers_ = nullptr;
PodcastsSummary* PodcastsGeneratorTest::summary_ = nullptr;

TEST_F(PodcastsGeneratorTest, TemplateProvidersAreTheFiveOfTheTemplate) {
  std::vector<std::string> names;
  for (const Provider& p : providers()) names.push_back(p.name);
  EXPECT_EQ(names, (std::vector<std::string>{"alderhost", "birchcast", "cedarfm", "dunepod", "emberwave"}));
  ASSERT_EQ(summary().providers.size(), 5u);
  EXPECT_EQ(summary().first_day, "2024-12-01");
  EXPECT_EQ(summary().last_day, "2025-03-31");
  EXPECT_EQ(summary().days, 31u + 31 + 28 + 31);
}

TEST_F(PodcastsGeneratorTest, EveryFileIsInItsProvidersShapeAndTheSummaryCountsTheBadRows) {
  const ReadBack r = ReadGeneration(dir(), providers());
  const PodcastsSummary& s = summary();
  EXPECT_EQ(r.negative, s.negative_listens_rows);
  EXPECT_EQ(r.non_numeric, s.non_numeric_listens_rows);
  EXPECT_EQ(r.impossible_date, s.impossible_date_rows);
  EXPECT_EQ(r.empty_podcast, s.empty_podcast_id_rows);
  EXPECT_EQ(s.bad_rows,
            s.negative_listens_rows + s.non_numeric_listens_rows + s.impossible_date_rows + s.empty_podcast_id_rows);
  for (uint64_t per_kind :
       {s.negative_listens_rows, s.non_numeric_listens_rows, s.impossible_date_rows, s.empty_podcast_id_rows}) {
    EXPECT_GE(per_kind, 2u);
  }
  EXPECT_EQ(r.repeated_events, s.repeated_events);
  EXPECT_GE(s.repeated_events, 3u);
  EXPECT_EQ(r.zero_rows, s.zero_rows);
  EXPECT_GE(s.zero_rows, 1u);
  EXPECT_EQ(r.json_shapes, (std::set<std::string>{"array", "rows"})) << "JSON files alternate their shape";
  // What the files carry, restatements applied, equals the summary's
  // delivered listens, and is no more than the provider's share of the truth.
  for (const ProviderDeliverySummary& p : s.providers) {
    EXPECT_EQ(r.provider_listens.count(p.name) ? r.provider_listens.at(p.name) : 0, p.delivered_listens) << p.name;
    EXPECT_LE(p.delivered_listens, p.share_listens) << p.name;
    EXPECT_GT(p.files, 0u) << p.name;
  }
}

TEST_F(PodcastsGeneratorTest, CsvHeaderUsesTheMappedNames) {
  const std::string text = ReadFile(dir() / "deliveries/alderhost/2024-12-02.csv");
  EXPECT_EQ(text.substr(0, text.find('\n')), "day,show,ep,downloads");
  const std::string birch = ReadFile(dir() / "deliveries/birchcast/2024-12.json");
  EXPECT_NE(birch.find("\"period\":\"2024-12\""), std::string::npos);
  EXPECT_EQ(birch.find("episode"), std::string::npos) << "podcast granularity has no episode ids";
}

TEST_F(PodcastsGeneratorTest, TheSwitchingProviderSendsDailyFilesThenMonthlyFiles) {
  // dunepod declares daily and monthly: 4 months -> daily for Dec and Jan,
  // monthly for Feb and Mar.
  std::set<std::string> months_daily, months_monthly;
  for (const auto& entry : fs::directory_iterator(dir() / "deliveries/dunepod")) {
    const FileRead f = ClassifyName(entry.path().filename().string());
    if (f.kind == FileRead::Kind::kDaily) months_daily.insert(f.period.substr(0, 7));
    if (f.kind == FileRead::Kind::kMonthly) months_monthly.insert(f.period);
  }
  EXPECT_EQ(months_daily, (std::set<std::string>{"2024-12", "2025-01"}));
  EXPECT_EQ(months_monthly, (std::set<std::string>{"2025-02", "2025-03"}));
  // The others deliver one way all along.
  EXPECT_TRUE(fs::exists(dir() / "deliveries/alderhost/2025-03-31.csv") || !summary().missing.empty());
  EXPECT_TRUE(fs::exists(dir() / "deliveries/birchcast/2025-03.json"));
  EXPECT_FALSE(fs::exists(dir() / "deliveries/birchcast/2025-03-01.json"));
  EXPECT_TRUE(fs::exists(dir() / "deliveries/emberwave/events-2025-03-31.ndjson"));
}

TEST_F(PodcastsGeneratorTest, ArrivalListsEveryFileOnceCatalogFirstRestatementsAndLateFilesAfter) {
  const std::vector<ArrivalLine> arrival = ReadArrival(dir());
  ASSERT_GE(arrival.size(), 4u);
  const std::vector<std::string> catalog = {"podcasts", "episodes", "creators", "episode_credits"};
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(arrival[i].kind, "catalog");
    EXPECT_EQ(arrival[i].name, catalog[i]);
    EXPECT_EQ(arrival[i].path, "catalog/" + catalog[i] + ".csv");
  }
  std::map<std::string, size_t> position;
  for (size_t i = 0; i < arrival.size(); ++i) {
    EXPECT_TRUE(position.emplace(arrival[i].path, i).second) << "listed twice: " << arrival[i].path;
    if (i >= 4) {
      EXPECT_EQ(arrival[i].kind, "provider");
      EXPECT_EQ(arrival[i].path.rfind("deliveries/" + arrival[i].name + "/", 0), 0u) << arrival[i].path;
    }
  }
  // Every file on disk under catalog/ and deliveries/ is listed, and nothing else.
  size_t on_disk = 0;
  for (const char* sub : {"catalog", "deliveries"}) {
    for (const auto& entry : fs::recursive_directory_iterator(dir() / sub)) {
      if (!entry.is_regular_file()) continue;
      ++on_disk;
      EXPECT_TRUE(position.count(fs::relative(entry.path(), dir()).string())) << entry.path();
      EXPECT_NE(entry.path().extension(), ".tmp");
    }
  }
  EXPECT_EQ(on_disk, arrival.size());

  const PodcastsSummary& s = summary();
  EXPECT_GE(s.restated_files, 3u);
  EXPECT_EQ(s.restatements.size(), s.restated_files);
  bool monthly_restated = false;
  for (const std::string& pair : s.restatements) {
    const std::string original = pair.substr(0, pair.find(" -> "));
    const std::string restated = pair.substr(pair.find(" -> ") + 4);
    ASSERT_TRUE(position.count(original) && position.count(restated)) << pair;
    EXPECT_LT(position[original], position[restated]) << pair;
    EXPECT_NE(ReadFile(dir() / original), ReadFile(dir() / restated)) << pair;
    monthly_restated |= ClassifyName(fs::path(original).filename().string()).kind == FileRead::Kind::kMonthly;
  }
  EXPECT_TRUE(monthly_restated);

  ASSERT_EQ(s.late_files, 1u);
  ASSERT_EQ(s.late.size(), 1u);
  {
    // Some file of a later day from the same provider arrives before it.
    const std::string late = s.late[0];
    const std::string folder = late.substr(0, late.rfind('/') + 1);
    const std::string day = ClassifyName(fs::path(late).filename().string()).period;
    bool overtaken = false;
    for (size_t i = 0; i < position.at(late); ++i) {
      const std::string& p = arrival[i].path;
      if (p.rfind(folder, 0) != 0) continue;
      const FileRead f = ClassifyName(fs::path(p).filename().string());
      overtaken |= f.kind == FileRead::Kind::kDaily && !f.restated && f.period > day;
    }
    EXPECT_TRUE(overtaken) << late;
  }

  ASSERT_EQ(s.missing_files, 1u);
  ASSERT_EQ(s.missing.size(), 1u);
  EXPECT_FALSE(fs::exists(dir() / s.missing[0]));
  EXPECT_FALSE(position.count(s.missing[0]));
}

TEST_F(PodcastsGeneratorTest, PodcastTruthIsTheSumOfEpisodeTruth) {
  const auto podcasts = PodcastTruth(dir());
  std::map<std::string, std::string> podcast_of;
  for (const json& row : CsvObjects(ReadFile(dir() / "catalog/episodes.csv"))) {
    podcast_of[Str(row["episode_id"])] = Str(row["podcast_id"]);
  }
  std::map<std::tuple<std::string, std::string>, uint64_t> summed;
  uint64_t total = 0;
  for (const auto& [key, listens] : EpisodeTruth(dir())) {
    summed[{podcast_of.at(std::get<0>(key)), std::get<1>(key)}] += listens;
    total += listens;
  }
  EXPECT_EQ(podcasts.size(), 60u * 4) << "every podcast, every month";
  for (const auto& [key, listens] : podcasts) {
    EXPECT_EQ(summed.count(key) ? summed.at(key) : 0, listens) << std::get<0>(key) << " " << std::get<1>(key);
  }
  EXPECT_EQ(total, summary().true_listens);

  // First-30-day windows lie inside the period and hold at most the
  // episode's listens of the months they touch.
  const auto episodes = EpisodeTruth(dir());
  std::map<std::string, std::string> published;
  for (const json& row : CsvObjects(ReadFile(dir() / "catalog/episodes.csv"))) {
    published[Str(row["episode_id"])] = Str(row["published_at"]);
  }
  const auto first_30 = CsvObjects(ReadFile(dir() / "truth/episode_first_30_days.csv"));
  EXPECT_GT(first_30.size(), 60u);
  for (const json& row : first_30) {
    const std::string id = Str(row["episode_id"]);
    const std::string date = published.at(id).substr(0, 10);
    EXPECT_GE(date, "2024-12-01");
    EXPECT_LE(date, "2025-03-02");  // 2025-03-02 + 29 days = 2025-03-31
    uint64_t months_total = 0;
    for (const auto& [key, listens] : episodes) {
      if (std::get<0>(key) == id) months_total += listens;
    }
    EXPECT_LE(std::stoull(Str(row["true_listens_30d"])), months_total) << id;
  }
}

TEST_F(PodcastsGeneratorTest, CatalogIsQuotedCsvWithHostsOnEveryEpisodeAndRecurringGuests) {
  const auto podcasts = ParseCsv(ReadFile(dir() / "catalog/podcasts.csv"));
  ASSERT_EQ(podcasts.size(), 61u);
  EXPECT_EQ(podcasts[0], (std::vector<std::string>{"podcast_id", "title", "publisher"}));
  const auto episodes = ParseCsv(ReadFile(dir() / "catalog/episodes.csv"));
  ASSERT_EQ(episodes.size(), 1u + 60 * 8);
  EXPECT_EQ(episodes[0], (std::vector<std::string>{"episode_id", "podcast_id", "title", "published_at"}));
  bool comma = false, quote = false, non_ascii = false;
  auto look = [&](const std::string& title) {
    comma |= title.find(',') != std::string::npos;
    quote |= title.find('"') != std::string::npos;
    non_ascii |= std::any_of(title.begin(), title.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
  };
  for (size_t i = 1; i < podcasts.size(); ++i) look(podcasts[i][1]);
  for (size_t i = 1; i < episodes.size(); ++i) {
    ASSERT_EQ(episodes[i].size(), 4u);
    look(episodes[i][2]);
    const std::string& at = episodes[i][3];
    EXPECT_TRUE(at.size() == 20 && at[10] == 'T' && at.back() == 'Z' && IsDate(at.substr(0, 10))) << at;
  }
  EXPECT_TRUE(comma && quote && non_ascii);

  std::map<std::string, std::string> podcast_of;
  for (size_t i = 1; i < episodes.size(); ++i) podcast_of[episodes[i][0]] = episodes[i][1];
  std::set<std::string> creators;
  for (const json& row : CsvObjects(ReadFile(dir() / "catalog/creators.csv"))) creators.insert(Str(row["creator_id"]));
  std::map<std::string, std::set<std::string>> hosts_of_episode;
  std::map<std::string, std::set<std::string>> podcasts_of_guest;
  std::set<std::string> roles;
  for (const json& row : CsvObjects(ReadFile(dir() / "catalog/episode_credits.csv"))) {
    const std::string episode = Str(row["episode_id"]), creator = Str(row["creator_id"]), role = Str(row["role"]);
    ASSERT_TRUE(podcast_of.count(episode)) << episode;
    ASSERT_TRUE(creators.count(creator)) << creator;
    roles.insert(role);
    if (role == "host") hosts_of_episode[episode].insert(creator);
    if (role == "guest") podcasts_of_guest[creator].insert(podcast_of[episode]);
  }
  EXPECT_TRUE(roles.count("host") && roles.count("guest"));
  // Hosts: the same ones on every episode of a podcast.
  std::map<std::string, std::set<std::string>> hosts_of_podcast;
  for (const auto& [episode, podcast] : podcast_of) {
    ASSERT_TRUE(hosts_of_episode.count(episode)) << "no host on " << episode;
    auto [it, inserted] = hosts_of_podcast.emplace(podcast, hosts_of_episode[episode]);
    if (!inserted) {
      EXPECT_EQ(it->second, hosts_of_episode[episode]) << episode;
    }
  }
  size_t recurring = 0;
  for (const auto& [guest, shows] : podcasts_of_guest) recurring += shows.size() >= 2 ? 1 : 0;
  EXPECT_GE(recurring, 3u) << "guests appear on several podcasts";
}

TEST_F(PodcastsGeneratorTest, TheMarketHasBigAndSmallPodcastsAndTrends) {
  std::map<std::string, std::vector<uint64_t>> by_podcast;
  for (const auto& [key, listens] : PodcastTruth(dir())) by_podcast[std::get<0>(key)].push_back(listens);
  uint64_t growing = 0, fading = 0;
  std::vector<uint64_t> last_month;
  for (const auto& [podcast, months] : by_podcast) {
    last_month.push_back(months.back());
    growing += months.back() > months[1] * 1.15 ? 1 : 0;
    fading += months.back() < months[1] * 0.85 ? 1 : 0;
  }
  std::sort(last_month.begin(), last_month.end());
  // Heavy tail: the biggest show is far above the typical one.
  EXPECT_GT(last_month.back(), 20 * last_month[last_month.size() / 2]);
  EXPECT_GE(growing, 3u);
  EXPECT_GE(fading, 3u);
}

// ---------------------------------------------------------------------------

TEST(PodcastsGeneratorDeterminism, SameOptionsSameBytesDifferentSeedDifferentBytes) {
  PodcastsOptions a = SmallOptions("det_a", 11), b = SmallOptions("det_b", 11), c = SmallOptions("det_c", 12);
  a.months = b.months = c.months = 2;
  MustGenerate(a);
  MustGenerate(b);
  MustGenerate(c);
  const auto fa = Snapshot(a.out_dir), fb = Snapshot(b.out_dir), fc = Snapshot(c.out_dir);
  EXPECT_GT(fa.size(), 100u);
  EXPECT_TRUE(fa == fb) << "same options must give the same bytes";
  EXPECT_NE(fa.at("truth/podcast_months.csv"), fc.at("truth/podcast_months.csv"));
  EXPECT_NE(fa.at("catalog/episodes.csv"), fc.at("catalog/episodes.csv"));
  for (const auto* o : {&a, &b, &c}) fs::remove_all(o->out_dir);
}

TEST(PodcastsGeneratorDeterminism, ImperfectionsDoNotChangeTheTruth) {
  PodcastsOptions dirty = SmallOptions("dirty", 5), clean = SmallOptions("clean", 5);
  dirty.months = clean.months = 2;
  clean.imperfections = false;
  const PodcastsSummary ds = MustGenerate(dirty);
  const PodcastsSummary cs = MustGenerate(clean);
  for (const char* f : {"truth/podcast_months.csv", "truth/episode_months.csv", "truth/episode_first_30_days.csv",
                        "catalog/episodes.csv", "catalog/episode_credits.csv"}) {
    EXPECT_EQ(ReadFile(dirty.out_dir / f), ReadFile(clean.out_dir / f)) << f;
  }
  EXPECT_GT(ds.bad_rows + ds.restated_files + ds.missing_files + ds.late_files + ds.repeated_events, 0u);
  EXPECT_EQ(cs.bad_rows + cs.restated_files + cs.missing_files + cs.late_files + cs.repeated_events, 0u);
  EXPECT_TRUE(cs.restatements.empty() && cs.late.empty() && cs.missing.empty());
  ASSERT_EQ(cs.providers.size(), ds.providers.size());
  for (size_t i = 0; i < cs.providers.size(); ++i) {
    EXPECT_EQ(cs.providers[i].share_listens, ds.providers[i].share_listens);
    EXPECT_EQ(cs.providers[i].delivered_listens, cs.providers[i].share_listens) << "clean runs deliver everything";
  }
  fs::remove_all(dirty.out_dir);
  fs::remove_all(clean.out_dir);
}

// Providers covering the whole market (shares add up to 1): every listen is
// delivered exactly once, so the files add up to the truth exactly, per
// podcast and month and per episode and month.
TEST(PodcastsGeneratorTruth, ProvidersCoveringTheWholeMarketAddUpToTheTruthExactly) {
  PodcastsOptions o = SmallOptions("whole", 3);
  o.months = 3;
  o.imperfections = false;
  o.providers = {
      MakeProvider("daily-csv", 0.25, Granularity::kEpisode, {Delivery::kDaily}, FileFormat::kCsv,
                   {{"date", "Day"}, {"listens", "n, of \"listens\""}}),
      MakeProvider("switching-json", 0.25, Granularity::kEpisode, {Delivery::kMonthly, Delivery::kDaily},
                   FileFormat::kJson),
      MakeProvider("instant", 0.25, Granularity::kEpisode, {Delivery::kInstant}, FileFormat::kNdjson,
                   {{"listened_at", "at"}}),
      MakeProvider("monthly-ndjson", 0.25, Granularity::kEpisode, {Delivery::kMonthly}, FileFormat::kNdjson),
  };
  const PodcastsSummary s = MustGenerate(o);
  const ReadBack r = ReadGeneration(o.out_dir, o.providers);
  const auto podcast_truth = PodcastTruth(o.out_dir);
  const auto episode_truth = EpisodeTruth(o.out_dir);
  uint64_t delivered = 0;
  for (const ProviderDeliverySummary& p : s.providers) delivered += p.delivered_listens;
  EXPECT_EQ(delivered, s.true_listens);
  for (const auto& [key, listens] : podcast_truth) {
    EXPECT_EQ(r.podcast_month.count(key) ? r.podcast_month.at(key) : 0, listens)
        << std::get<0>(key) << " " << std::get<1>(key);
  }
  for (const auto& [key, listens] : episode_truth) {
    EXPECT_EQ(r.episode_month.count(key) ? r.episode_month.at(key) : 0, listens)
        << std::get<0>(key) << " " << std::get<1>(key);
  }
  // The CSV header quotes a mapped name holding a comma and quotes.
  const std::string csv = ReadFile(o.out_dir / "deliveries/daily-csv/2024-12-01.csv");
  EXPECT_EQ(csv.substr(0, csv.find('\n')), "Day,podcast_id,episode_id,\"n, of \"\"listens\"\"\"");
  fs::remove_all(o.out_dir);
}

// At 10% shares (the template's) each provider sees about a tenth of every
// podcast's listens: with real sampling noise, but no bias.
TEST(PodcastsGeneratorTruth, EachProviderSeesItsShareWithinSamplingNoise) {
  PodcastsOptions o = SmallOptions("shares", 21);
  o.podcasts = 200;
  o.episodes_per_podcast = 10;
  o.months = 2;
  o.listens_scale = 1;
  o.imperfections = false;
  // The template's five 10% shares, as files (events would be slow to read back).
  for (const char* name : {"a", "b", "c", "d"}) {
    o.providers.push_back(MakeProvider(name, 0.1, Granularity::kEpisode, {Delivery::kDaily}, FileFormat::kCsv));
  }
  o.providers.push_back(MakeProvider("e", 0.1, Granularity::kPodcast, {Delivery::kMonthly}, FileFormat::kJson));
  const PodcastsSummary s = MustGenerate(o);
  const ReadBack r = ReadGeneration(o.out_dir, o.providers);
  const double n = static_cast<double>(s.true_listens);
  ASSERT_GT(n, 100000);
  for (const ProviderDeliverySummary& p : s.providers) {
    const double observed = static_cast<double>(r.provider_listens.at(p.name));
    const double sd = std::sqrt(n * 0.1 * 0.9);
    EXPECT_NEAR(observed, n * 0.1, 5 * sd) << p.name;
    EXPECT_NE(observed, n * 0.1) << "an exact split would mean no sampling noise";
  }
  // The all-provider estimate (observed / 0.5) of big podcast-months is
  // within sampling noise of the truth, and not suspiciously exact.
  size_t big = 0, exact = 0;
  double total_relative_error = 0;
  for (const auto& [key, truth] : PodcastTruth(o.out_dir)) {
    if (truth < 5000) continue;
    ++big;
    const double observed = r.podcast_month.count(key) ? static_cast<double>(r.podcast_month.at(key)) : 0;
    const double estimate = observed / 0.5;
    const double sd = 2 * std::sqrt(truth * 0.5 * 0.5);  // sd of observed / 0.5
    EXPECT_NEAR(estimate, static_cast<double>(truth), 5 * sd) << std::get<0>(key) << " " << std::get<1>(key);
    exact += estimate == static_cast<double>(truth) ? 1 : 0;
    total_relative_error += std::abs(estimate - static_cast<double>(truth)) / static_cast<double>(truth);
  }
  ASSERT_GE(big, 5u);
  EXPECT_LT(total_relative_error / big, 0.03);
  EXPECT_LT(exact, big);
  fs::remove_all(o.out_dir);
}

TEST(PodcastsGeneratorOutput, ASecondGenerationReplacesTheFirstAndForeignFoldersAreRefused) {
  PodcastsOptions o = SmallOptions("again", 2);
  o.months = 2;
  o.imperfections = false;  // no missing file
  MustGenerate(o);
  EXPECT_TRUE(fs::exists(o.out_dir / "deliveries/alderhost/2025-01-15.csv"));
  o.months = 1;
  MustGenerate(o);
  EXPECT_FALSE(fs::exists(o.out_dir / "deliveries/alderhost/2025-01-15.csv")) << "stale files of the first run";
  EXPECT_TRUE(fs::exists(o.out_dir / "deliveries/birchcast/2024-12.json"));

  const fs::path foreign = ScratchDir("foreign");
  fs::create_directories(foreign / "deliveries");
  PodcastsOptions f = SmallOptions("foreign");
  f.out_dir = foreign;
  fs::create_directories(foreign / "deliveries");
  auto refused = GeneratePodcasts(f);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kAlreadyExists);
  fs::remove_all(o.out_dir);
  fs::remove_all(foreign);
}

TEST(PodcastsGeneratorOptions, ImpossibleOptionsAreRefusedWithTheirName) {
  struct Case {
    std::string name;
    std::function<void(PodcastsOptions&)> change;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"no out", [](PodcastsOptions& o) { o.out_dir.clear(); }, "--out"},
      {"zero months", [](PodcastsOptions& o) { o.months = 0; }, "--months"},
      {"bad start", [](PodcastsOptions& o) { o.start_month = "2025-13"; }, "--start"},
      {"start text", [](PodcastsOptions& o) { o.start_month = "January"; }, "--start"},
      {"no podcasts", [](PodcastsOptions& o) { o.podcasts = 0; }, "--podcasts"},
      {"no episodes", [](PodcastsOptions& o) { o.episodes_per_podcast = 0; }, "--episodes-per-podcast"},
      {"zero scale", [](PodcastsOptions& o) { o.listens_scale = 0; }, "--listens-scale"},
      {"nan scale", [](PodcastsOptions& o) { o.listens_scale = std::nan(""); }, "--listens-scale"},
      {"over the market",
       [](PodcastsOptions& o) {
         o.providers = {MakeProvider("a", 0.7, Granularity::kEpisode, {Delivery::kDaily}, FileFormat::kCsv),
                        MakeProvider("b", 0.4, Granularity::kEpisode, {Delivery::kDaily}, FileFormat::kCsv)};
       },
       "market shares"},
      {"bad provider name",
       [](PodcastsOptions& o) {
         o.providers = {MakeProvider("../x", 0.1, Granularity::kEpisode, {Delivery::kDaily}, FileFormat::kCsv)};
       },
       "provider name"},
  };
  for (const Case& c : cases) {
    PodcastsOptions o = SmallOptions("refused");
    c.change(o);
    auto result = GeneratePodcasts(o);
    ASSERT_FALSE(result.ok()) << c.name;
    EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument) << c.name;
    EXPECT_NE(result.status().message().find(c.message), std::string::npos)
        << c.name << ": " << result.status().message();
    EXPECT_FALSE(fs::exists(o.out_dir / "arrival.tsv")) << c.name;
  }
  // Must-pass neighbours: the smallest market, a provider with every delivery.
  PodcastsOptions tiny = SmallOptions("tiny");
  tiny.months = 1;
  tiny.podcasts = 1;
  tiny.episodes_per_podcast = 1;
  tiny.providers = {MakeProvider("all", 1.0, Granularity::kPodcast,
                                 {Delivery::kInstant, Delivery::kDaily, Delivery::kMonthly}, FileFormat::kJson)};
  EXPECT_TRUE(GeneratePodcasts(tiny).ok());
  fs::remove_all(tiny.out_dir);
}

}  // namespace
}  // namespace earshot::generate
