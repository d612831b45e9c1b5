#include "generate/playlists_generator.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <charconv>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace earshot::generate {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr std::string_view kHeader = "eventId,timestamp,userId,trackId,workId,listeningContext,secondsStreamed";

fs::path ScratchDir(const std::string& name) {
  const fs::path dir = fs::path(testing::TempDir()) / ("earshot_generate_" + std::to_string(::getpid()) + "_" + name);
  fs::remove_all(dir);
  return dir;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

// Lines without their LF; a final LF does not start another line.
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

std::vector<std::string> Fields(const std::string& row) {
  std::vector<std::string> fields;
  size_t start = 0;
  while (true) {
    const size_t comma = row.find(',', start);
    fields.push_back(row.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) return fields;
    start = comma + 1;
  }
}

bool IsNumber(std::string_view s, double& value) {
  if (s.empty()) return false;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  return ec == std::errc() && end == s.data() + s.size();
}

bool IsDigits(std::string_view s) { return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos; }

bool IsId(std::string_view s, char prefix, size_t digits) {
  return s.size() == 1 + digits && s[0] == prefix && IsDigits(s.substr(1));
}

// 2020-03-14T09:26:53Z
bool IsIsoUtc(std::string_view s) {
  if (s.size() != 20) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char expected = "dddd-dd-ddTdd:dd:ddZ"[i];
    if (expected == 'd' ? !std::isdigit(static_cast<unsigned char>(s[i])) : s[i] != expected) return false;
  }
  return s.substr(0, 5) == "2020-";
}

enum class Verdict { kGood, kWrongFieldCount, kBadTimestamp, kMissingUser, kNegativeSeconds, kNonNumericSeconds };

// What a correct validator decides for one data row.
Verdict Classify(const std::string& row) {
  const std::vector<std::string> f = Fields(row);
  if (f.size() != 7) return Verdict::kWrongFieldCount;
  const std::string& ts = f[1];
  if (!IsIsoUtc(ts) && !(IsDigits(ts) && (ts.size() == 10 || ts.size() == 13))) return Verdict::kBadTimestamp;
  if (f[2].empty()) return Verdict::kMissingUser;
  double seconds = 0;
  if (!IsNumber(f[6], seconds)) return Verdict::kNonNumericSeconds;
  if (seconds < 0) return Verdict::kNegativeSeconds;
  return Verdict::kGood;
}

bool IsPersonalized(std::string_view context) {
  return context.size() > 9 && context.substr(0, 9) == "playlist_" && IsDigits(context.substr(9));
}

struct Generated {
  PlaylistsSummary summary;
  std::string events;
  std::string playlists;
};

Generated Generate(PlaylistsOptions options, const std::string& name) {
  options.out_dir = ScratchDir(name);
  Result<PlaylistsSummary> result = GeneratePlaylists(options);
  EXPECT_TRUE(result.ok()) << result.status().message();
  Generated out;
  if (!result.ok()) return out;
  out.summary = result.value();
  out.events = ReadFile(options.out_dir / "events.csv");
  out.playlists = ReadFile(options.out_dir / "playlists.ndjson");
  fs::remove_all(options.out_dir);
  return out;
}

PlaylistsOptions SmallOptions(uint64_t seed = 7) {
  PlaylistsOptions options;
  options.users = 300;
  options.events = 10000;
  options.seed = seed;
  return options;
}

// One generated data set shared by the read-only tests below.
class PlaylistsGeneratorTest : public testing::Test {
 protected:
  static void SetUpTestSuite() { data_ = new Generated(Generate(SmallOptions(), "shared")); }
  static void TearDownTestSuite() {
    delete data_;
    data_ = nullptr;
  }
  static const Generated& data() { return *data_; }

 private:
  static Generated* data_;
};
Generated* PlaylistsGeneratorTest::data_ = nullptr;

TEST(PlaylistsGeneratorDeterminism, SameSeedGivesSameBytes) {
  const Generated a = Generate(SmallOptions(7), "same_a");
  const Generated b = Generate(SmallOptions(7), "same_b");
  ASSERT_FALSE(a.events.empty());
  EXPECT_TRUE(a.events == b.events);
  EXPECT_TRUE(a.playlists == b.playlists);
  EXPECT_EQ(a.summary.bad_event_rows, b.summary.bad_event_rows);
}

TEST(PlaylistsGeneratorDeterminism, DifferentSeedGivesDifferentFiles) {
  const Generated a = Generate(SmallOptions(7), "diff_a");
  const Generated b = Generate(SmallOptions(8), "diff_b");
  EXPECT_FALSE(a.events == b.events);
  EXPECT_FALSE(a.playlists == b.playlists);
}

TEST_F(PlaylistsGeneratorTest, EventsHaveHeaderAndOneLinePerEvent) {
  const std::vector<std::string> lines = Lines(data().events);
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines[0], kHeader);
  EXPECT_EQ(data().summary.events_written, 10000u);
  EXPECT_EQ(lines.size(), 1 + data().summary.events_written);
  EXPECT_EQ(data().events.back(), '\n');
  EXPECT_EQ(data().events.find('\r'), std::string::npos);
}

TEST_F(PlaylistsGeneratorTest, SummaryMatchesWhatAValidatorFinds) {
  const std::vector<std::string> lines = Lines(data().events);
  std::map<Verdict, uint64_t> verdicts;
  std::map<std::string, std::string> first_row_by_id;
  uint64_t duplicates = 0;
  for (size_t i = 1; i < lines.size(); ++i) {
    const Verdict verdict = Classify(lines[i]);
    ++verdicts[verdict];
    const std::string id = Fields(lines[i])[0];
    auto [it, inserted] = first_row_by_id.emplace(id, lines[i]);
    if (!inserted) {
      ++duplicates;
      EXPECT_EQ(verdict, Verdict::kGood) << "a duplicate must not also be bad: " << lines[i];
      EXPECT_EQ(it->second, lines[i]) << "a duplicate is a full copy of the first row";
      EXPECT_EQ(Classify(it->second), Verdict::kGood);
    }
  }
  const PlaylistsSummary& s = data().summary;
  EXPECT_EQ(verdicts[Verdict::kNegativeSeconds], s.negative_seconds_rows);
  EXPECT_EQ(verdicts[Verdict::kNonNumericSeconds], s.non_numeric_seconds_rows);
  EXPECT_EQ(verdicts[Verdict::kMissingUser], s.missing_user_rows);
  EXPECT_EQ(verdicts[Verdict::kBadTimestamp], s.bad_timestamp_rows);
  EXPECT_EQ(verdicts[Verdict::kWrongFieldCount], s.wrong_field_count_rows);
  EXPECT_EQ(lines.size() - 1 - verdicts[Verdict::kGood], s.bad_event_rows);
  EXPECT_EQ(duplicates, s.duplicate_event_rows);

  EXPECT_GE(s.bad_event_rows, 5u);
  EXPECT_GE(s.duplicate_event_rows, 2u);
  for (uint64_t per_kind : {s.negative_seconds_rows, s.non_numeric_seconds_rows, s.missing_user_rows,
                            s.bad_timestamp_rows, s.wrong_field_count_rows}) {
    EXPECT_GE(per_kind, 3u);
  }
  EXPECT_LE(s.bad_event_rows + s.duplicate_event_rows, 50u) << "bad rows are a sprinkle, not a flood";
}

TEST_F(PlaylistsGeneratorTest, GoodRowsLookRealistic) {
  const std::vector<std::string> lines = Lines(data().events);
  uint64_t iso = 0, epoch_seconds = 0, epoch_millis = 0, decimals = 0, good = 0;
  std::set<std::string> works;
  for (size_t i = 1; i < lines.size(); ++i) {
    if (Classify(lines[i]) != Verdict::kGood) continue;
    ++good;
    const std::vector<std::string> f = Fields(lines[i]);
    EXPECT_TRUE(IsId(f[0], 'e', 11)) << lines[i];
    EXPECT_TRUE(IsId(f[2], 'u', 7)) << lines[i];
    EXPECT_TRUE(IsId(f[3], 't', 7)) << lines[i];
    EXPECT_TRUE(IsId(f[4], 'w', 5)) << lines[i];
    works.insert(f[4]);
    if (IsIsoUtc(f[1])) {
      ++iso;
    } else if (f[1].size() == 10) {
      ++epoch_seconds;
      EXPECT_TRUE(f[1] >= "1577836800" && f[1] < "1588291200") << lines[i];  // 2020-01-01 .. 2020-05-01
    } else {
      ++epoch_millis;
      EXPECT_TRUE(f[1] >= "1577836800000" && f[1] < "1588291200000") << lines[i];
    }
    double seconds = 0;
    ASSERT_TRUE(IsNumber(f[6], seconds));
    EXPECT_GE(seconds, 1.0);
    EXPECT_LE(seconds, 600.0);
    if (f[6].find('.') != std::string::npos) ++decimals;
  }
  EXPECT_GT(iso, good * 9 / 10);
  EXPECT_GT(epoch_seconds, 0u);
  EXPECT_GT(epoch_millis, 0u);
  EXPECT_GT(decimals, 0u);
  EXPECT_LT(decimals, good / 5);
  EXPECT_GT(works.size(), 500u);
}

TEST_F(PlaylistsGeneratorTest, ContextsMixPersonalizedAndLookAlikes) {
  const std::vector<std::string> lines = Lines(data().events);
  std::map<std::string, uint64_t> contexts;
  uint64_t rows = 0, personalized = 0;
  for (size_t i = 1; i < lines.size(); ++i) {
    const std::vector<std::string> f = Fields(lines[i]);
    if (f.size() != 7) continue;
    ++rows;
    ++contexts[f[5]];
    if (IsPersonalized(f[5])) ++personalized;
  }
  for (const char* expected :
       {"playlist_01", "playlist_02", "playlist_03", "album", "recording", "search", "radio", "curated_playlist_17",
        "curated_playlist_4", "user_playlist", "playlist", "playlist_", "playlist_01a", "user_playlist_01"}) {
    EXPECT_GT(contexts[expected], 0u) << expected;
  }
  EXPECT_GT(personalized, rows * 30 / 100);
  EXPECT_LT(personalized, rows * 40 / 100);
  EXPECT_GT(contexts["playlist_01"], contexts["playlist_02"]);
  EXPECT_GT(contexts["playlist_02"], contexts["playlist_03"]);
}

std::string UserIdOf(const json& line) {
  for (const char* key : {"userId", "user_id", "user"}) {
    if (line.contains(key) && line[key].is_string()) return line[key].get<std::string>();
  }
  return "";
}

std::string WorkIdOf(const json& item) {
  if (item.is_string()) return item.get<std::string>();
  for (const char* key : {"workId", "work_id", "id"}) {
    if (item.contains(key)) return item[key].get<std::string>();
  }
  return "";
}

// user -> playlist -> recommended work ids, in order.
using Recommendations = std::map<std::string, std::map<std::string, std::vector<std::string>>>;

TEST_F(PlaylistsGeneratorTest, PlaylistLinesFollowTheContract) {
  const std::vector<std::string> lines = Lines(data().playlists);
  const PlaylistsSummary& s = data().summary;
  EXPECT_EQ(lines.size(), s.users_written);
  EXPECT_EQ(s.users_written + s.users_without_playlists, 300u + s.bad_playlist_lines);

  uint64_t invalid = 0, without_user = 0, nested = 0, top_level = 0, string_items = 0, object_items = 0;
  std::set<std::string> user_keys;
  std::map<std::string, std::pair<std::string, std::string>> title_by_work;
  bool comma = false, quote = false, non_ascii = false;
  for (const std::string& text : lines) {
    const json line = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (line.is_discarded()) {
      ++invalid;
      continue;
    }
    ASSERT_TRUE(line.is_object()) << text;
    const std::string user = UserIdOf(line);
    if (user.empty()) {
      ++without_user;
      continue;
    }
    EXPECT_TRUE(IsId(user, 'u', 7)) << user;
    for (const char* key : {"userId", "user_id", "user"}) {
      if (line.contains(key)) user_keys.insert(key);
    }
    const json& playlists = line.contains("playlists") ? line["playlists"] : line;
    (line.contains("playlists") ? nested : top_level)++;
    int found = 0;
    for (const char* name : {"playlist_01", "playlist_02", "playlist_03"}) {
      ASSERT_TRUE(playlists.contains(name)) << text;
      const json& items = playlists[name];
      ++found;
      EXPECT_GE(items.size(), 20u);
      EXPECT_LE(items.size(), 30u);
      std::set<std::string> distinct;
      for (const json& item : items) {
        const std::string work = WorkIdOf(item);
        EXPECT_TRUE(IsId(work, 'w', 5)) << item.dump();
        distinct.insert(work);
        if (item.is_string()) {
          ++string_items;
          continue;
        }
        ++object_items;
        if (!item.contains("title")) continue;
        const std::string title = item["title"].get<std::string>();
        const std::string composer = item["composer"].get<std::string>();
        auto [it, inserted] = title_by_work.emplace(work, std::make_pair(title, composer));
        EXPECT_EQ(it->second.first, title) << work;
        EXPECT_EQ(it->second.second, composer) << work;
        comma |= title.find(',') != std::string::npos;
        quote |= title.find('"') != std::string::npos;
        for (unsigned char c : title + composer) non_ascii |= c >= 0x80;
      }
      EXPECT_EQ(distinct.size(), items.size()) << "works repeat in " << user << " " << name;
    }
    EXPECT_EQ(found, 3);
  }
  EXPECT_EQ(invalid, s.invalid_json_lines);
  EXPECT_EQ(without_user, s.missing_user_id_lines);
  EXPECT_EQ(invalid + without_user, s.bad_playlist_lines);
  EXPECT_EQ(s.bad_playlist_lines, 2u);
  EXPECT_GT(nested, top_level);
  EXPECT_GT(top_level, 0u);
  EXPECT_GT(string_items, 0u);
  EXPECT_GT(object_items, string_items);
  EXPECT_TRUE(user_keys.count("userId") && user_keys.count("user_id"));
  EXPECT_TRUE(comma && quote && non_ascii);
  EXPECT_EQ(title_by_work.at("w00001").first, "Bagatelle No. 25 in A minor, WoO 59 \"Für Elise\"");
  EXPECT_EQ(title_by_work.at("w00002").second, "Antonín Dvořák");
}

TEST_F(PlaylistsGeneratorTest, MostPersonalizedStreamsAreRecommended) {
  Recommendations recommended;
  for (const std::string& text : Lines(data().playlists)) {
    const json line = json::parse(text, nullptr, false);
    if (line.is_discarded() || UserIdOf(line).empty()) continue;
    const json& playlists = line.contains("playlists") ? line["playlists"] : line;
    for (const char* name : {"playlist_01", "playlist_02", "playlist_03"}) {
      for (const json& item : playlists[name]) recommended[UserIdOf(line)][name].push_back(WorkIdOf(item));
    }
  }
  uint64_t streams = 0, hits = 0, streams_of_users_without_line = 0;
  std::set<std::string> users_without_line;
  const std::vector<std::string> lines = Lines(data().events);
  for (size_t i = 1; i < lines.size(); ++i) {
    const std::vector<std::string> f = Fields(lines[i]);
    if (f.size() != 7 || !IsPersonalized(f[5]) || f[2].empty()) continue;
    auto user = recommended.find(f[2]);
    if (user == recommended.end()) {
      ++streams_of_users_without_line;
      users_without_line.insert(f[2]);
      continue;
    }
    const std::vector<std::string>& works = user->second[f[5]];
    ++streams;
    hits += std::find(works.begin(), works.end(), f[4]) != works.end();
  }
  ASSERT_GT(streams, 1000u);
  EXPECT_GT(hits, streams * 70 / 100);
  EXPECT_LT(hits, streams * 90 / 100);
  EXPECT_GT(streams_of_users_without_line, 0u);
  EXPECT_GE(users_without_line.size(), 3u);
}

TEST(PlaylistsGeneratorCleanMode, WithoutBadRowsEverythingIsValid) {
  PlaylistsOptions options = SmallOptions();
  options.bad_rows = false;
  const Generated g = Generate(options, "clean");
  EXPECT_EQ(g.summary.bad_event_rows, 0u);
  EXPECT_EQ(g.summary.duplicate_event_rows, 0u);
  EXPECT_EQ(g.summary.bad_playlist_lines, 0u);
  const std::vector<std::string> lines = Lines(g.events);
  ASSERT_EQ(lines.size(), 10001u);
  std::set<std::string> ids;
  for (size_t i = 1; i < lines.size(); ++i) {
    EXPECT_EQ(Classify(lines[i]), Verdict::kGood) << lines[i];
    EXPECT_TRUE(ids.insert(Fields(lines[i])[0]).second) << lines[i];
  }
  for (const std::string& text : Lines(g.playlists)) {
    const json line = json::parse(text, nullptr, false);
    ASSERT_FALSE(line.is_discarded()) << text;
    EXPECT_FALSE(UserIdOf(line).empty()) << text;
  }
}

TEST(PlaylistsGeneratorSizes, TinyAndEmptyFilesAreWellFormed) {
  struct Case {
    uint64_t users;
    uint64_t events;
    uint64_t min_duplicates;
  };
  for (const Case& c : {Case{1, 0, 0}, Case{5, 50, 0}, Case{20, 150, 1}, Case{50, 1000, 2}}) {
    PlaylistsOptions options;
    options.users = c.users;
    options.events = c.events;
    const Generated g = Generate(options, "tiny");
    EXPECT_EQ(Lines(g.events).size(), 1 + c.events) << c.events;
    EXPECT_EQ(Lines(g.events)[0], kHeader);
    EXPECT_GE(g.summary.duplicate_event_rows, c.min_duplicates) << c.events;
    EXPECT_EQ(Lines(g.playlists).size(), g.summary.users_written) << c.users;
  }
}

TEST(PlaylistsGeneratorErrors, RejectsImpossibleOptions) {
  struct Case {
    const char* name;
    PlaylistsOptions options;
    StatusCode code;
  };
  PlaylistsOptions no_dir = SmallOptions();
  PlaylistsOptions no_users = SmallOptions();
  no_users.users = 0;
  no_users.out_dir = ScratchDir("no_users");
  PlaylistsOptions too_many_users = SmallOptions();
  too_many_users.users = uint64_t{1} << 33;
  too_many_users.out_dir = ScratchDir("too_many");
  // A folder cannot be created under a regular file.
  const fs::path file = ScratchDir("a_file");
  std::ofstream(file) << "x";
  PlaylistsOptions under_file = SmallOptions();
  under_file.out_dir = file / "out";

  for (const Case& c : {Case{"no out_dir", no_dir, StatusCode::kInvalidArgument},
                        Case{"no users", no_users, StatusCode::kInvalidArgument},
                        Case{"too many users", too_many_users, StatusCode::kInvalidArgument},
                        Case{"out_dir under a file", under_file, StatusCode::kIoError}}) {
    const Result<PlaylistsSummary> result = GeneratePlaylists(c.options);
    ASSERT_FALSE(result.ok()) << c.name;
    EXPECT_EQ(result.status().code(), c.code) << c.name << ": " << result.status().message();
    EXPECT_NE(result.status().message().find("generate:"), std::string::npos) << c.name;
  }
  fs::remove(file);
}

TEST(PlaylistsGeneratorProgress, ReportsTheFinalCount) {
  PlaylistsOptions options = SmallOptions();
  std::vector<uint64_t> reports;
  options.progress = [&reports](uint64_t done) { reports.push_back(done); };
  const Generated g = Generate(options, "progress");
  ASSERT_FALSE(reports.empty());
  EXPECT_EQ(reports.back(), g.summary.events_written);
}

}  // namespace
}  // namespace earshot::generate
